"""Small helpers every view uses: full page or htmx fragment from the same route."""
from flask import render_template

from .extensions import htmx


def render(page, fragment=None, /, **context):
    """The whole page for a browser or a boosted link; only the fragment for other htmx calls."""
    if fragment and htmx and not htmx.boosted:
        return render_template(fragment, **context)
    return render_template(page, **context)
