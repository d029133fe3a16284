"""Every page has unique ids, so each <label for> names its own control (a screen reader reads the
right label, a tap on a label focuses the right field). The pages are those the access matrix
renders (tests/pages.py), 422 pages included."""
from collections import Counter
from html.parser import HTMLParser

from .pages import rendered_pages


class IdsAndLabels(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.label_targets = Counter(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids[attrs["id"]] += 1
        if tag == "label" and attrs.get("for"):
            self.label_targets.append(attrs["for"])


def _page_problems(html):
    parser = IdsAndLabels()
    parser.feed(html)
    problems = [f"id {name!r} ×{count}" for name, count in sorted(parser.ids.items()) if count > 1]
    problems += [f"<label for={target!r}> names no element" for target in parser.label_targets
                 if target not in parser.ids]
    return problems


def test_no_page_repeats_an_id(app, world, login_as):
    problems, pages = [], 0
    for page, html in rendered_pages(app, world, login_as):
        pages += 1
        problems += [f"{page}: {problem}" for problem in _page_problems(html)]
    assert not problems, "\n".join(problems)
    assert pages > 150


def test_the_case_page_labels_each_textarea_with_its_own_label(world, login_as):
    own, _other, _ = world
    html = login_as("counselor1").get(f"/cases/{own['case_id']}").get_data(as_text=True)
    parser = IdsAndLabels()
    parser.feed(html)
    assert parser.ids["csrf_token"] <= 1
    # The follow-up's text and the referral feedback's text are two fields with two labels.
    text_areas = [t for t in parser.label_targets if t.endswith("text")]
    assert len(text_areas) == len(set(text_areas)) >= 2
