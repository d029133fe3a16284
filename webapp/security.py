"""Response headers that hold for every page: CSP without inline code, no framing, no sniffing,
HSTS over HTTPS; and CSRF that also refuses a form posted over HTTPS from another origin."""
from flask import g, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect, same_origin

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Sent only over HTTPS (a browser ignores it over HTTP, and the demo on a laptop has no TLS).
HSTS = "max-age=31536000; includeSubDomains"


class OriginCheckedCSRF(CSRFProtect):
    """Flask-WTF's token check, and over HTTPS its Referer check (WTF_CSRF_SSL_STRICT), plus the
    Origin header: a browser sends it with every cross-origin POST (and with same-origin fetch,
    as the offline outbox's replay), so one naming another origin is refused even with a valid
    token. Without Origin the Referer check decides. Over plain HTTP nothing changes."""

    def protect(self, *args, **kwargs):
        super().protect(*args, **kwargs)
        if not (g.get("csrf_valid") and request.is_secure):
            return  # an exempt view or a safe method (nothing checked), or plain HTTP
        origin = request.headers.get("Origin")
        if origin is not None and not same_origin(origin, f"https://{request.host}/"):
            self._error_response("The origin does not match the host.")


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app):
        return super().get_cookie_secure(app) or (has_request_context() and request.is_secure)


def init_app(app):
    """Call before Flask-Login's init_app: after-request hooks run last-registered first,
    so this one then sees the remember cookie Flask-Login sets."""
    app.session_interface = SessionInterface()

    @app.after_request
    def harden(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        # The same URL serves a page or an htmx fragment: caches must keep them apart.
        response.vary.add("HX-Request")
        if request.is_secure:  # directly, or via the proxy (ProxyFix with PROXY_COUNT)
            headers.setdefault("Strict-Transport-Security", HSTS)
            _mark_cookies_secure(response)
        return response


def _mark_cookies_secure(response):
    """Other cookies (remember-me) are Secure over HTTPS too (directly or via the proxy)."""
    cookies = response.headers.getlist("Set-Cookie")
    if not cookies:
        return
    response.headers.remove("Set-Cookie")
    for cookie in cookies:
        if "; secure" not in cookie.lower():
            cookie += "; Secure"
        response.headers.add("Set-Cookie", cookie)
