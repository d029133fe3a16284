"""Attachments (issue 19): files of records, checked from their bytes, images cleaned of their
metadata (files.py), kept in the database or a directory (store.py, the API other modules use),
read back only through the owner record's access rule (access.ATTACHMENT_OWNERS, views.py)."""
from flask_babel import gettext as _


def init_app(app):
    from flask_login import current_user

    from ..access import can
    from . import store
    from .views import bp, raise_upload_limit, refused_page

    app.register_blueprint(bp)
    # Before every other check (the CSRF check reads the form, and with it the body): an upload
    # route's larger limit must be in place by then.
    app.before_request_funcs.setdefault(None, []).insert(0, raise_upload_limit(app))

    @app.errorhandler(413)
    def too_large(error):
        size = app.config["ATTACHMENT_MAX_BYTES"] // (1024 * 1024)
        return refused_page(_("The file is too large: at most %(size)s per file.", size=f"{size} MB"), 413)

    def files_of(owner_kind, owner_id):
        """The files of a record the signed-in user may read (none otherwise)."""
        if not can(current_user, "attach_to", (owner_kind, owner_id)) and not can(
                current_user, "read_attachment", store.Attachment(owner_kind=owner_kind, owner_id=owner_id)):
            return []
        return store.attachments_of(owner_kind, [owner_id])[owner_id]

    def may_attach(owner_kind, owner_id):
        return can(current_user, "attach_to", (owner_kind, owner_id))

    def may_delete(attachment):
        return can(current_user, "delete_attachment", attachment)

    def attachment_label(attachment, number):
        kind = _("PDF") if attachment.mime == "application/pdf" else _("Photo")
        return f"{kind} {number}"

    def max_size():
        return f"{app.config['ATTACHMENT_MAX_BYTES'] // (1024 * 1024)} MB"

    app.jinja_env.globals.update(attachments_for=files_of, may_attach=may_attach, attachment_label=attachment_label,
                                 attachment_max_size=max_size, may_delete_attachment=may_delete)
