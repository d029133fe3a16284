"""Resident identity-card numbers (GB 11643-1999): the check digit, the birth date in it, masking."""
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"


def normalise(number):
    """Spaces dropped and a lower-case x raised, as people type it."""
    return "".join((number or "").split()).upper()


def check_digit(first17):
    """The 18th character for the first 17 digits."""
    return CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def birth_date_in(number):
    """The birth date written in an 18-digit number, or None when it is not a real date."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def problem(number, birth_date=None):
    """What is wrong with an ID number: "length", "check_digit", "birth_date" (not a date, or not
    the child's), or None when it is right."""
    number = normalise(number)
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return "length"
    if check_digit(number[:17]) != number[17]:
        return "check_digit"
    born = birth_date_in(number)
    if born is None or (birth_date is not None and born != birth_date):
        return "birth_date"
    return None


def masked(number):
    """5117**********123X: the region's first four and the last four; the rest hidden."""
    if not number:
        return ""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
