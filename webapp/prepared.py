"""Queries whose SQL peewee renders once and the app then reuses with new values.

Peewee builds a query's SQL afresh on every run; for the larger queries of the home pages and
forms that costs more than SQLite takes to answer them (0.3–0.8 ms each). A `Prepared` query is
written as a function of named slots; its SQL is rendered once per kind of database and shape
of the values, and each run binds that request's values in place of the slots.

    @prepared
    def visits_of(slots):
        return HomeVisit.select().where(HomeVisit.child.in_(slots.child_ids)).tuples()

    visits_of.rows(child_ids=[7, 9])

- A list slot renders as many placeholders as the list has items (an SQL per length); one
  item of it is `slots.name[i]`. An empty list, a None or a list longer than IN_LIST_LIMIT is
  handed to the build as itself, as peewee writes SQL of its own for them.
- `fixed` values choose the query's form (a user's role for the scopes of webapp.access); the
  build sees them as they are, and each keeps its own SQL.

The build must take every value that varies from its slots, never from the request, the clock
or a global: with `check_prepared` on (the tests turn it on), every run also builds the query
from its real values and fails loudly if peewee would have written other SQL or parameters, so
a value baked in by mistake cannot go unnoticed.
"""
from peewee import Node

from .db import IN_LIST_LIMIT, db

# Distinct list lengths kept per query; past it a run renders its own SQL (still correct).
SHAPES_KEPT = 64

check_prepared = False


class _Mark:
    """Where one value goes in the rendered parameters: slot `name`, item `index` of a list."""

    __slots__ = ("name", "index")

    def __init__(self, name, index=None):
        self.name, self.index = name, index


class _Slot(Node):
    """A named value left open: renders a placeholder and records which value fills it."""

    def __init__(self, name, length=None, index=None):
        self.name, self.length, self.index = name, length, index

    def __getitem__(self, index):
        """One item of a list slot, as a value of its own (a period's start among others)."""
        if self.length is None or not 0 <= index < self.length:
            raise IndexError(index)
        return _Slot(self.name, index=index)

    def __sql__(self, ctx):
        if self.length is None:
            return ctx.value(_Mark(self.name, self.index), converter=False)
        ctx.literal("(")
        for index in range(self.length):
            if index:
                ctx.literal(", ")
            ctx.value(_Mark(self.name, index), converter=False)
        return ctx.literal(")")


class _Namespace:
    def __init__(self, names):
        self.__dict__.update(names)


def _shape(value):
    """What of a value changes the SQL: a list's length, a None (peewee writes IS NULL)."""
    if isinstance(value, (list, tuple)):
        return len(value)
    return "null" if value is None else "value"


class Prepared:
    """A query built by `build(slots)`, run by `rows`, `first` or `scalar` with its values."""

    def __init__(self, build):
        self.build = build
        self.__doc__ = build.__doc__
        self.__name__ = build.__name__
        self._shapes = {}

    def _rendered(self, fixed, values):
        """(query, sql, params) for this shape, or None when it is not kept (see the module)."""
        shapes = tuple(_shape(v) for v in values.values())
        if any(isinstance(shape, int) and shape > IN_LIST_LIMIT for shape in shapes):
            return None  # a long list is rare (a county's classes) and would fill the cache
        key = (type(db.obj), tuple(fixed.items()), tuple(values), shapes)
        found = self._shapes.get(key)
        if found is None:
            if len(self._shapes) >= SHAPES_KEPT:
                return None
            slots = {name: value if shape in (0, "null") else _Slot(name, None if shape == "value" else shape)
                     for (name, value), shape in zip(values.items(), shapes, strict=True)}
            query = self.build(_Namespace({**fixed, **slots}))
            sql, params = query.sql()
            found = self._shapes[key] = (query, sql, params)
        return found

    def _cursor(self, fixed, values):
        """(query, cursor) of one run."""
        rendered = self._rendered(fixed, values)
        if rendered is None:
            query = self.build(_Namespace({**fixed, **values}))
            sql, params = query.sql()
        else:
            query, sql, cached = rendered
            params = [value if not isinstance(value, _Mark) else
                      values[value.name] if value.index is None else values[value.name][value.index]
                      for value in cached]
            if check_prepared:
                fresh = self.build(_Namespace({**fixed, **values})).sql()
                if fresh != (sql, params):
                    raise AssertionError(f"{self.__name__}: the prepared SQL differs from peewee's\n"
                                         f"{fresh}\n{(sql, params)}")
        return query, db.execute_sql(sql, params)

    def rows(self, fixed=None, **values):
        """Every row, as the built query would give them (models, tuples or dicts). `fixed`:
        values that choose the query's shape (a role), each kept with its own SQL."""
        query, cursor = self._cursor(fixed or {}, values)
        # The built query's own reader turns rows into what its select asked for; it only reads
        # the query, so one built query serves every run.
        return list(query._get_cursor_wrapper(cursor))

    def execute(self, fixed=None, **values):
        """Run a write (an insert, update or delete): the cursor."""
        return self._cursor(fixed or {}, values)[1]

    def first(self, fixed=None, **values):
        rows = self.rows(fixed, **values)
        return rows[0] if rows else None

    def scalar(self, fixed=None, **values):
        """The first column of the first row (a tuples() query), or None when there is none."""
        row = self.first(fixed, **values)
        return row[0] if row is not None else None


def prepared(build):
    """Decorator: `build(slots)` returns a peewee query; the result is a `Prepared`."""
    return Prepared(build)
