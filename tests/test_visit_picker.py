"""The visit picker (`/visits/new`) and paged lists: each child once, in the right state."""
import re

from webapp.models import Child

from .visit_steps import log_visit

# One picker row: the child's name, then the badge of her state.
ROW = re.compile(r'<strong>([^<]+)</strong>.*?<span class="badge[^"]*">([^<]+)</span>', re.S)
NAME = re.compile(r"<strong>([^<]+)</strong>")


def picker(user_browser, **data):
    return dict(ROW.findall(user_browser.post("/visits/pick", {"q": "", **data}).get_data(as_text=True)))


def more_pupils(county, names):
    """Pupils of head1's class c41 (besides 张三 and 李四), none of them in a key group."""
    return [Child.create(name=name, sex="f", school_class=county.classes.c41) for name in names]


def test_the_picker_marks_each_child_by_this_year_and_this_term(app, county, login_as, clock):
    with app.app_context():
        more_pupils(county, ["陈小花", "马小云"])
    head = login_as("head1")
    # 张三 is left-behind (a key group): visited twice in the autumn term. 李四 once.
    log_visit(head, county.kids.zhang_san, visited_on="2026-09-10")
    log_visit(head, county.kids.zhang_san, visited_on="2026-10-01")
    log_visit(head, county.kids.li_si, visited_on="2026-09-11", family_situation=[])

    autumn = picker(head)
    assert autumn == {"张三": "已家访", "李四": "已家访", "陈小花": "未家访", "马小云": "未家访"}
    page = head.get("/visits/new").get_data(as_text=True)
    assert NAME.findall(page)[:2] == ["陈小花", "马小云"]  # not yet visited this year come first

    clock.advance(days=110)  # 2027-03-08: the spring term of the same school year
    head = login_as("head1")  # unused over the winter: her sign-in ran out
    spring = picker(head)
    assert spring["张三"] == "本学期应访" and spring["李四"] == "已家访"
    log_visit(head, county.kids.zhang_san, visited_on="2027-03-08", made_at="2027-03-08T01:55:00Z")
    assert picker(head)["张三"] == "已家访"


def test_paging_through_the_picker_shows_every_child_once(app, county, login_as):
    with app.app_context():
        more_pupils(county, ["陈小花", "马小云", "黄小丽"])
    app.config["CHILDREN_PER_PAGE"] = app.config["OFFLINE_ROSTER_SIZE"] = 2
    head = login_as("head1")
    seen = []
    for page in (1, 2, 3):
        seen += list(picker(head, page=page))
    assert sorted(seen) == sorted(["张三", "李四", "陈小花", "马小云", "黄小丽"])
    last = head.post("/visits/pick", {"q": "", "page": 3}).get_data(as_text=True)
    assert 'name="page" value="4"' not in last and 'name="page" value="2"' in last


def test_paging_through_the_childrens_list_shows_every_child_once(app, county, login_as):
    app.config["CHILDREN_PER_PAGE"] = 4
    county_user = login_as("county")
    seen, page = [], 1
    while True:
        html = county_user.post("/children/", {"q": "", "page": page}).get_data(as_text=True)
        seen += NAME.findall(html.split('<ul class="list children">')[1].split("</ul>")[0])
        if f'name="page" value="{page + 1}"' not in html:
            break
        page += 1
    with app.app_context():
        everyone = [child.name for child in Child.select()]
    assert page == 3 and sorted(seen) == sorted(everyone)


def test_a_typed_percent_sign_matches_no_one_rather_than_everyone(county, login_as):
    head = login_as("head1")
    assert picker(head, q="%") == picker(head)  # nothing left to search for: the whole class
    assert picker(head, q="张%") == {"张三": "未家访"}


def test_the_roster_kept_for_offline_holds_a_whole_large_class(app, county, login_as):
    """A class of 60 is on the roster's first page, so the phone keeps every child of it for
    offline visits (a search still answers 50 at a time)."""
    with app.app_context():
        more_pupils(county, [f"学生{n:02d}" for n in range(58)])
    head = login_as("head1")
    page = head.get("/visits/new").get_data(as_text=True)
    assert page.count("data-child=") == 60
    assert 'name="page" value="2"' not in page
