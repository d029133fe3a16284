"""Chinese first, English when chosen; every string in the code has its Chinese translation."""
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
METHODS = [("webapp/**.py", "python"), ("templates/**.html", "jinja2")]


def test_the_login_page_is_in_chinese_by_default(browser):
    page = browser.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "登录" in page and "Sign in" not in page


@pytest.mark.parametrize("header", ["zh-CN,zh;q=0.9", "zh", "zh-TW", "fr-FR, zh;q=0.5"])
def test_a_chinese_browser_gets_chinese(browser, header):
    page = browser.get("/login", headers={"Accept-Language": header}).get_data(as_text=True)
    assert "用户名" in page


def test_an_english_browser_gets_english(browser):
    page = browser.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Sign in" in page and "登录" not in page


def test_a_user_switches_to_english_on_her_profile_and_back(county, login_as):
    head = login_as("head1")
    assert "你好,head1" in head.get("/").get_data(as_text=True)
    assert head.post("/profile", {"locale": "en"}).status_code == 302
    home = head.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "Hello, head1" in home and "Children" in home  # her choice beats the browser's
    head.post("/profile", {"locale": "zh_Hans_CN"})
    assert "你好,head1" in head.get("/").get_data(as_text=True)


def test_an_unknown_language_choice_is_refused(county, login_as):
    head = login_as("head1")
    response = head.post("/profile", {"locale": "xx"})
    assert response.status_code == 200
    assert "你好" in head.get("/").get_data(as_text=True)


def _messages_in_code():
    found = set()
    for method_map in METHODS:
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT, method_map=[method_map], keywords=KEYWORDS, options_map={}
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_string_in_the_code_has_a_chinese_translation():
    with (ROOT / "locales/zh_Hans_CN/LC_MESSAGES/messages.po").open("rb") as po_file:
        catalog = read_po(po_file)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.string}
    missing = sorted(_messages_in_code() - translated)
    assert not missing, f"untranslated: {missing[:10]}"


def test_dates_show_in_chinese_format(app):
    from datetime import date

    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        filt = app.jinja_env.filters["local_date"]
        assert filt(date(2026, 9, 1)) == "2026年9月1日"
