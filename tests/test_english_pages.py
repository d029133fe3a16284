"""A user who chose English reads English on every page: no Chinese outside data (children's,
places', schools' and people's names the county typed) and a short list of glosses the English
text uses on purpose. The pages are those the access matrix renders (tests/pages.py)."""
import re

from peewee import CharField, TextField

import webapp.models as models
from webapp.models import User

from .pages import rendered_pages

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
# Chinese words the English pages keep on purpose, in parentheses after their English.
# The plan's section as it is cited ("《实施方案》四、11"): the Chinese document's own numbering.
CITATION = re.compile(r"《实施方案》[一二三四五六七八九十]+、\d+")
GLOSSES = ("心桥", "中文", "一生一策", "心理委员", "童伴妈妈", "童伴之家", "低保", "晴雨表", "实施方案")


def _data_words():
    """Every Chinese text the test county's database holds (names of children, places, schools,
    people, institutions, what staff wrote): data, not the app's words."""
    words = set()
    for model in {m for m in vars(models).values() if isinstance(m, type) and hasattr(m, "_meta")
                  and getattr(m._meta, "table_name", None)}:
        fields = [f for f in model._meta.sorted_fields if isinstance(f, (CharField, TextField))]
        if not fields:
            continue
        try:
            rows = model.select(*fields).tuples()
            for row in rows:
                words.update(v for v in row if isinstance(v, str) and CJK.search(v))
        except Exception:  # noqa: BLE001 - a model without its table in this schema holds no data
            model._meta.database.rollback()
    return sorted(words, key=len, reverse=True)


def chinese_left(html, data_words):
    text = CITATION.sub(" ", html)  # attributes too: a placeholder, a title or an aria-label is read
    for word in data_words:
        text = text.replace(word, " ")
    for gloss in GLOSSES:
        text = text.replace(gloss, " ")
    return CJK.findall(text)


def test_every_page_of_every_role_reads_english(app, world, login_as):
    with app.app_context():
        User.update(locale="en").execute()
        data_words = _data_words()
    problems, pages = {}, 0
    for page, html in rendered_pages(app, world, login_as):
        pages += 1
        assert 'lang="zh' not in html, page
        left = chinese_left(html, data_words)
        if left:
            problems[page] = sorted(set(left))
    assert pages > 150
    assert not problems, "\n".join(f"{page}: {words}" for page, words in sorted(problems.items()))


def test_a_name_is_data_and_a_label_is_not(app):
    assert chinese_left("<p>Zhang: 张三</p>", ["张三"]) == []
    assert chinese_left("<p>In-home visit、Phone</p>", []) == ["、"]
    assert chinese_left("<p title='x'>Counsellors (policy §四.5)</p>", []) == ["四"]


def test_after_switching_to_english_the_confirmation_is_in_english(county, login_as):
    head = login_as("head1")
    response = head.post("/profile", {"locale": "en"})
    page = head.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved." in page and "已保存" not in page
    response = head.post("/profile", {"locale": "zh_Hans_CN"})
    page = head.get(response.headers["Location"]).get_data(as_text=True)
    assert "已保存" in page and "Saved." not in page
