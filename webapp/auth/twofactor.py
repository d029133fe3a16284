"""Two-factor sign-in rules: who must use it, checking a TOTP code once, recovery codes."""
import base64
import secrets
from datetime import datetime

import pyotp
import segno

from ..clock import utcnow
from ..models import RecoveryCode
from .passwords import check_secret, hash_secret

# Staff who read cases and concerns across a school or more must use a second factor.
REQUIRED_ROLES = frozenset({"county", "zone", "counselor", "principal"})
# Head teachers may choose it; pupils and child workers keep a simple sign-in.
OPTIONAL_ROLES = frozenset({"head_teacher"})
RECOVERY_CODES = 10
ISSUER = "XinQiao 心桥"
EPOCH = datetime(1970, 1, 1)  # stored times are naive UTC


class TOTP(pyotp.TOTP):
    """pyotp refuses secrets shorter than 112 bits; the demo county's published secret is 80
    bits (DESIGN §5). Secrets made here are 160 bits (pyotp.random_base32)."""

    def byte_secret(self):
        return base64.b32decode(self.secret + "=" * (-len(self.secret) % 8), casefold=True)


def required(user):
    return user.role in REQUIRED_ROLES


def may_enable(user):
    return user.role in REQUIRED_ROLES | OPTIONAL_ROLES


def new_secret():
    return pyotp.random_base32()


def accepted_step(secret, code, last_step, now=None):
    """The time step a 6-digit code belongs to when it is valid now (±30 s) and newer than the
    last one accepted; None otherwise. Returning the step lets the caller refuse a replay."""
    code = (code or "").strip().replace(" ", "")
    if not (secret and code.isdigit() and len(code) == 6):
        return None
    totp = TOTP(secret)
    moment = now or utcnow()
    timestamp = int(moment.timestamp()) if moment.tzinfo else int((moment - EPOCH).total_seconds())
    for drift in (0, -1, 1):
        step = timestamp // totp.interval + drift
        if step > last_step and secrets.compare_digest(totp.at(step * totp.interval), code):
            return step
    return None


def provisioning_svg(user, secret):
    """The enrolment QR code as inline SVG, drawn here (nothing leaves the server)."""
    uri = TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#1d2426")


def issue_recovery_codes(user):
    """Ten fresh one-time codes, shown once; only their hashes are kept."""
    RecoveryCode.delete().where(RecoveryCode.user == user).execute()
    codes = ["-".join(secrets.token_hex(2) for _ in range(3)) for _ in range(RECOVERY_CODES)]
    RecoveryCode.insert_many([{"user": user.id, "code_hash": hash_secret(code)} for code in codes]).execute()
    return codes


def use_recovery_code(user, code):
    """Spend a matching unused recovery code; True when one matched."""
    code = (code or "").strip().lower()
    for stored in RecoveryCode.select().where((RecoveryCode.user == user) & RecoveryCode.used_at.is_null()):
        if check_secret(stored.code_hash, code):
            updated = RecoveryCode.update(used_at=utcnow()).where(
                (RecoveryCode.id == stored.id) & RecoveryCode.used_at.is_null()).execute()
            return bool(updated)
    return False
