"""The county's people and places: zones, schools, classes, villages, children and users."""
from flask_babel import gettext
from flask_login import UserMixin
from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    FieldAccessor,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
)
from pypinyin import Style, lazy_pinyin

from ..clock import utcnow
from ..db import db

ROLES = ("county", "zone", "counselor", "principal", "head_teacher", "committee", "child_worker")
STAFF_ROLES = ("county", "zone", "counselor", "principal", "head_teacher", "child_worker")
SEXES = ("m", "f")
STAGES = ("primary", "junior", "nine_year", "senior", "complete")
# Tags of the child kept as columns (children.groups has every key group of 《实施方案》四、11,
# those derived from other records included: on an open case, a psychiatric history).
KEY_GROUPS = ("left_behind", "single_parent", "in_difficulty", "problem_family")


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class Zone(BaseModel):
    """片区: a group of schools served by the zone's full-time psychology teachers."""

    name = CharField(max_length=50, unique=True)


class Township(BaseModel):
    """乡镇/街道."""

    name = CharField(max_length=50, unique=True)


class Village(BaseModel):
    """村/社区, each with its 童伴之家."""

    township = ForeignKeyField(Township, backref="villages", on_delete="RESTRICT")
    name = CharField(max_length=50)
    home_name = CharField(max_length=80, default="")

    class Meta:
        indexes = ((("township", "name"), True),)


class School(BaseModel):
    name = CharField(max_length=80, unique=True)
    stage = CharField(max_length=12, default="primary")
    zone = ForeignKeyField(Zone, backref="schools", on_delete="RESTRICT")
    township = ForeignKeyField(Township, null=True, backref="schools", on_delete="SET NULL")
    mailbox = CharField(max_length=120, default="")
    counselling_hours = CharField(max_length=120, default="")


class SchoolClass(BaseModel):
    """A class of one school year, e.g. grade 4 class 1 of 2026–27."""

    school = ForeignKeyField(School, backref="classes", on_delete="RESTRICT")
    school_year = SmallIntegerField(index=True)
    grade = SmallIntegerField()
    number = SmallIntegerField()

    class Meta:
        indexes = ((("school", "school_year", "grade", "number"), True),)

    @property
    def label(self):
        return f"{self.grade}-{self.number}"


def name_keys(name):
    """Pinyin initials and full pinyin, so "zs" and "zhangsan" both find 张三."""
    syllables = lazy_pinyin(name, errors="ignore")
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore"))
    return initials.lower(), "".join(syllables).lower()


class Child(BaseModel):
    """One child, whether a school, a village or both know her."""

    name = CharField(max_length=40)
    name_initials = CharField(max_length=40, index=True)
    name_pinyin = CharField(max_length=160, index=True)
    sex = CharField(max_length=1)
    birth_date = DateField(null=True)
    school = ForeignKeyField(School, null=True, backref="children", on_delete="RESTRICT")
    school_class = ForeignKeyField(SchoolClass, null=True, backref="children", on_delete="SET NULL")
    village = ForeignKeyField(Village, null=True, backref="children", on_delete="RESTRICT")
    left_behind = BooleanField(default=False)
    single_parent = BooleanField(default=False)
    in_difficulty = BooleanField(default=False)
    # 问题家庭学生 (《实施方案》四、11): set by the class's head teacher (on a visit or the child's
    # page) or a psychology teacher, audited; a judgment of the school, not shown to child workers.
    problem_family = BooleanField(default=False)
    # The family situation as of the last home visit (comma-separated codes of
    # models.visits.FAMILY_SITUATIONS), so the next visitor starts from it.
    family_situation = CharField(max_length=200, default="")
    family_situation_on = DateField(null=True)
    guardian_name = CharField(max_length=40, default="")
    guardian_relation = CharField(max_length=20, default="")
    guardian_phone = CharField(max_length=20, default="")
    client_uuid = CharField(max_length=36, null=True, unique=True)
    created_at = DateTimeField(default=utcnow)

    def save(self, *args, **kwargs):
        self.name_initials, self.name_pinyin = name_keys(self.name)
        if self.school_class_id is not None:
            self.school = self.school_class.school
        return super().save(*args, **kwargs)

    @property
    def key_groups(self):
        return [group for group in KEY_GROUPS if getattr(self, group)]


class _ShownName(FieldAccessor):
    def __get__(self, instance, instance_type=None):
        value = super().__get__(instance, instance_type)
        return gettext("Deleted committee member") if instance is not None and value == "" else value


class DisplayNameField(CharField):
    """A user's name as pages show it. An erased pupil's account keeps no name (trust.rights
    leaves it empty) and reads as "Deleted committee member" wherever it is shown as an author."""

    accessor_class = _ShownName


class User(UserMixin, BaseModel):
    """A person who signs in. Scope comes from the role and the links below."""

    username = CharField(max_length=40, unique=True)
    display_name = DisplayNameField(max_length=40)
    phone = CharField(max_length=20, default="")
    email = CharField(max_length=120, default="")  # optional, for alerts without child data
    role = CharField(max_length=16, index=True)
    password_hash = CharField(max_length=200)
    zone = ForeignKeyField(Zone, null=True, backref="users", on_delete="RESTRICT")
    school = ForeignKeyField(School, null=True, backref="users", on_delete="RESTRICT")
    # A committee member is a pupil: her own child record (and through it her class).
    child = ForeignKeyField(Child, null=True, unique=True, backref="accounts", on_delete="CASCADE")
    locale = CharField(max_length=12, null=True)
    active = BooleanField(default=True)
    # Second factor (TOTP). The last accepted time step stops a code being used twice.
    totp_secret = CharField(max_length=64, null=True)
    totp_enabled = BooleanField(default=False)
    totp_last_step = IntegerField(default=0)
    # Moved on each time every sign-in of the user is ended (auth.sessions.end_everywhere): a
    # second step begun before then is refused too (migration 0039).
    sign_outs = IntegerField(default=0)
    created_at = DateTimeField(default=utcnow)

    # The token of the sign-in this request came with (set by auth.sessions), never stored.
    sign_in_token = None

    def sign_in_id(self):
        """What Flask-Login keeps in the session and the remember cookie: "id:token"."""
        return f"{self.id}:{self.sign_in_token}"

    @property
    def is_active(self):
        return self.active

    @property
    def is_pupil(self):
        return self.role == "committee"


class ClassTeacher(BaseModel):
    """A head teacher (班主任) of a class."""

    user = ForeignKeyField(User, backref="class_links", on_delete="CASCADE")
    school_class = ForeignKeyField(SchoolClass, backref="teacher_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("user", "school_class"), True),)


class WorkerVillage(BaseModel):
    """A village a child worker (童伴妈妈) looks after."""

    user = ForeignKeyField(User, backref="village_links", on_delete="CASCADE")
    village = ForeignKeyField(Village, backref="worker_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("user", "village"), True),)


class LoginAttempt(BaseModel):
    """Sign-in attempts, kept in the database so throttling holds across app processes."""

    username = CharField(max_length=40, index=True)
    address = CharField(max_length=64, index=True)
    at = DateTimeField(default=utcnow, index=True)
    succeeded = BooleanField(default=False)
    # "sign_in" (password or PIN, then the second step) or "unlock" (the recovery-code page).
    kind = CharField(max_length=12, default="sign_in")


class AuditEvent(BaseModel):
    """Append-only record of sign-ins, writes and sensitive reads. Ids only, no personal data."""

    at = DateTimeField(default=utcnow, index=True)
    # RESTRICT (migration 0011): an account the log names is never deleted, so no row is rewritten.
    user = ForeignKeyField(User, null=True, backref="audit_events", on_delete="RESTRICT")
    username = CharField(max_length=40, default="")
    action = CharField(max_length=40, index=True)
    object_type = CharField(max_length=30, default="")
    object_id = IntegerField(null=True)
    child_id = IntegerField(null=True, index=True)
    address = CharField(max_length=64, default="")
    detail = TextField(default="")

    class Meta:
        indexes = ((("action", "at"), False),)  # one action's events, newest first (migration 0042)

    def save(self, *args, **kwargs):
        if self.id is not None:
            raise PermissionError("audit events are append-only")
        return super().save(*args, **kwargs)

    def delete_instance(self, *args, **kwargs):
        raise PermissionError("audit events are append-only")


class PsychiatricHistory(BaseModel):
    """有精神病史学生 (《实施方案》四、11), recorded and read by psychology teachers, the zone and
    the county only (access.KEY_GROUP_READERS). A row of its own rather than a column of Child,
    so the many pages that load children never load it; the row is the flag."""

    child = ForeignKeyField(Child, unique=True, backref="+", on_delete="CASCADE")
    set_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    set_at = DateTimeField(default=utcnow)


MODELS = [
    Zone, Township, Village, School, SchoolClass, Child, User, ClassTeacher, WorkerVillage,
    LoginAttempt, AuditEvent, PsychiatricHistory,
]

__all__ = [model.__name__ for model in MODELS] + [
    "ROLES", "STAFF_ROLES", "SEXES", "STAGES", "KEY_GROUPS", "MODELS", "BaseModel", "name_keys",
]
