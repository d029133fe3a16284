"""The inspection's words for its codes (English msgids, Chinese in the catalog)."""
from flask_babel import lazy_gettext as _l

VERDICT_LABELS = {"met": _l("Meets the requirement"), "not_met": _l("Does not meet it"),
                  "not_checked": _l("Not checked")}
RECTIFICATION_STATUS_LABELS = {"open": _l("To rectify"), "reported": _l("Reported done, awaiting acceptance"),
                               "accepted": _l("Accepted")}
