"""Chinese first, English second: locale choice and catalogs compiled without a manual step."""
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, request
from flask_login import current_user

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LANGUAGE_NAMES = {"zh_Hans_CN": "中文", "en": "English"}


def select_locale():
    """The user's own setting, else the browser's; any Chinese maps to zh_Hans_CN."""
    if getattr(current_user, "is_authenticated", False) and current_user.locale:
        return current_user.locale
    for language, _quality in request.accept_languages:
        tag = language.lower()
        if tag.startswith("zh"):
            return "zh_Hans_CN"
        if tag.startswith("en"):
            return "en"
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def compile_catalogs(locales_dir=LOCALES_DIR):
    """Compile each messages.po into messages.mo when the .mo is missing or older.

    Runs at app start, so the demo, the tests and gunicorn all get current catalogs; .mo
    files are build products and are not committed.
    """
    compiled = []
    for po_path in sorted(locales_dir.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        try:
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)
        except OSError:
            continue  # a read-only install: whatever .mo exists is used
        compiled.append(mo_path)
    return compiled
