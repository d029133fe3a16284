"""The school calendar: which school year and term a date falls in."""
from datetime import date
from typing import NamedTuple

# School year 1 Sep – 31 Aug; autumn term Sep–Jan, spring term Feb–Aug.
YEAR_STARTS = (9, 1)
SPRING_STARTS = (2, 1)


class Term(NamedTuple):
    school_year: int  # the calendar year the school year starts in: 2026 is 2026–27
    season: str  # "autumn" or "spring"

    @property
    def starts(self):
        if self.season == "autumn":
            return date(self.school_year, *YEAR_STARTS)
        return date(self.school_year + 1, *SPRING_STARTS)


def school_year_of(day):
    """The school year `day` belongs to, named by the year it starts in."""
    return day.year if (day.month, day.day) >= YEAR_STARTS else day.year - 1


def term_of(day):
    """The school year and term of `day`."""
    year = school_year_of(day)
    spring_start = date(year + 1, *SPRING_STARTS)
    return Term(year, "spring" if day >= spring_start else "autumn")


def school_year_label(year):
    return f"{year}–{year + 1}"


def monday_of(day):
    """Weeks start on Monday."""
    return date.fromordinal(day.toordinal() - day.weekday())
