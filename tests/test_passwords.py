"""Password and PIN rules: long, uncommon passwords for staff; PINs a classmate cannot guess."""
import pytest

from webapp.auth.passwords import password_problem, pin_problem


@pytest.mark.parametrize("secret,problem", [
    ("short", "too_short"), ("123456789", "too_short"), ("1234567890", "common"), ("qwertyuiop", "common"),
    ("Woaini1314", "common"), ("aaaaaaaaaaaa", "common"), ("ababababab", "common"),
    ("渠江边的老槐树2026", None), ("tea-pot-river-7", None),
])
def test_staff_passwords(secret, problem):
    assert password_problem(secret) == problem


@pytest.mark.parametrize("pin,problem", [
    ("12345", "not_six_digits"), ("12a456", "not_six_digits"), ("111111", "trivial"), ("123456", "trivial"),
    ("654321", "trivial"), ("121212", "trivial"), ("135135", "trivial"), ("246802", None), ("135790", None),
    ("902417", None),
])
def test_pupil_pins(pin, problem):
    assert pin_problem(pin) == problem


def test_a_principal_cannot_give_a_pupil_a_trivial_pin(county, login_as):
    principal = login_as("principal1")
    url = f"/admin/users/{county.users.committee1.id}/secret"
    principal.get(url)
    response = principal.post(url, {"secret": "123456", "confirm": "123456"})
    assert "太容易被猜到" in response.get_data(as_text=True)
