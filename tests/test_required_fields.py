"""Required fields are marked before anyone submits: a * in the field's label, the form says what *
means ("* 为必填项"), and the control carries `required` for screen readers. Checked on every
form of every page the access matrix renders (tests/pages.py)."""
from html.parser import HTMLParser

from .pages import rendered_pages

LEGEND = "* 为必填项"


class Forms(HTMLParser):
    """Per form: its shown required controls, and which of them a label with the * marker names,
    by `for` or by sharing the control's <div class="field"> (a list of radio buttons has a
    label for none of them); and the form's text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form, self.label, self.divs, self.fields = [], None, None, [], 0

    def _field(self):
        return next((div for div in reversed(self.divs) if div), None)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = {"required": [], "marked": set(), "text": ""}
            self.forms.append(self.form)
        if tag == "div":
            self.fields += 1
            self.divs.append(f"field {self.fields}" if "field" in (attrs.get("class") or "").split() else None)
        if self.form is None:
            return
        if tag == "label":
            self.label = {"for": attrs.get("for"), "field": self._field()}
        elif tag == "span" and "req" in (attrs.get("class") or "").split() and self.label:
            self.form["marked"].update(filter(None, (self.label["for"], self.label["field"])))
        shown = attrs.get("type") != "hidden" and "hidden" not in attrs
        if tag in ("input", "select", "textarea") and "required" in attrs and shown:
            self.form["required"].append((attrs.get("id"), attrs.get("name"), self._field()))

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "div" and self.divs:
            self.divs.pop()
        elif tag == "label":
            self.label = None

    def handle_data(self, data):
        if self.form is not None:
            self.form["text"] += data


def _is_marked(control_id, field, marked):
    # An option of a list of choices (categories-0) is marked by its list's label (categories).
    return (field in marked or control_id in marked
            or any(control_id and control_id.startswith(f"{target}-") for target in marked))


def form_problems(html):
    parser = Forms()
    parser.feed(html)
    problems = []
    for form in parser.forms:
        if not form["required"]:
            continue
        if LEGEND not in form["text"]:
            problems.append(f"a form with required {form['required'][0][1]!r} does not say {LEGEND!r}")
        problems += [f"{name!r} is required but its label has no *" for control_id, name, field in form["required"]
                     if not _is_marked(control_id, field, form["marked"])]
    return sorted(set(problems))


def test_every_required_field_is_marked_before_submitting(app, world, login_as):
    problems, forms = [], 0
    for page, html in rendered_pages(app, world, login_as):
        forms += html.count("<form")
        problems += [f"{page}: {problem}" for problem in form_problems(html)]
    assert not problems, "\n".join(problems)
    assert forms > 100


def test_a_new_case_shows_its_required_categories_and_defaults_to_the_counsellor(county, login_as):
    html = login_as("counselor1").get(f"/cases/new?child={county.kids.zhang_san.id}").get_data(as_text=True)
    assert not form_problems(html)
    assert LEGEND in html
    label = html[html.index('<label for="categories"'):]
    assert label[:label.index("</label>")].startswith('<label for="categories">问题类别 <span class="req"')
    # 责任人 is the counsellor who opens the case, not the first name of the list (the village's worker).
    select = html[html.index('<select id="responsible"'):]
    select = select[:select.index("</select>")]
    assert f'<option selected value="{county.users.counselor1.id}">' in select
    assert select.count("selected") == 1
