def test_healthz_answers_when_the_database_does(browser):
    response = browser.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_a_head_teacher_signs_in_and_sees_her_class(county, login_as):
    head = login_as("head1")
    page = head.get("/").get_data(as_text=True)
    assert "4" in page
