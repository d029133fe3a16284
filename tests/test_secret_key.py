"""No signing key is written in the code: the demo makes a random one on its first start and
keeps it in instance/ (readable by its owner only); `flask --app wsgi demo` works under both
spellings, and without SECRET_KEY the CLI says why instead of listing no commands."""
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from webapp import create_app
from webapp.config import Config, DemoConfig, TestConfig

ROOT = Path(__file__).resolve().parent.parent
OLD_DEMO_KEY = "xinqiao-demo-" + "not-secret"  # the key published before (split: grep finds no copy)


def _without_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(DemoConfig, "SECRET_KEY", None)


def test_the_demo_makes_a_random_key_once_and_keeps_it_in_the_instance_folder(tmp_path, monkeypatch):
    _without_key(monkeypatch)
    url = "sqlite:///" + str(tmp_path / "demo.db")
    first = create_app(DemoConfig, instance_path=str(tmp_path), DATABASE_URL=url)
    key_file = tmp_path / "secret_key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = first.config["SECRET_KEY"]
    assert key != OLD_DEMO_KEY and len(key) >= 32
    again = create_app(DemoConfig, instance_path=str(tmp_path), DATABASE_URL=url)
    assert again.config["SECRET_KEY"] == key  # sessions survive a restart of the demo

    elsewhere = tmp_path / "another-laptop"
    other = create_app(DemoConfig, instance_path=str(elsewhere), DATABASE_URL=url)
    assert other.config["SECRET_KEY"] != key


def test_a_key_from_the_environment_wins_and_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(DemoConfig, "SECRET_KEY", "from-the-environment")
    app = create_app(DemoConfig, instance_path=str(tmp_path), DATABASE_URL="sqlite://")
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_production_still_refuses_to_start_without_a_key(tmp_path, monkeypatch):
    monkeypatch.setattr(Config, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(Config, instance_path=str(tmp_path), DATABASE_URL="sqlite://")
    assert not (tmp_path / "secret_key").exists()


def test_no_fixed_signing_key_is_left_in_the_code():
    assert DemoConfig.SECRET_KEY != OLD_DEMO_KEY and TestConfig.SECRET_KEY != "xinqiao-tests"
    sources = [*ROOT.glob("webapp/**/*.py"), ROOT / "wsgi.py", *ROOT.glob("bench/*.py"), *ROOT.glob("tests/**/*.py")]
    assert [str(path) for path in sources if OLD_DEMO_KEY in path.read_text(encoding="utf-8")] == []


def _flask(*args, program="python -m flask", env_key=None):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "FLASK_DEBUG", "FLASK_APP")}
    if env_key:
        env["SECRET_KEY"] = env_key
    if program == "flask":
        command = [str(Path(sys.executable).with_name("flask"))]
        if not Path(command[0]).exists():
            pytest.skip("no flask script beside this Python")
    else:
        command = [sys.executable, "-m", "flask"]
    return subprocess.run([*command, "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("program", ["python -m flask", "flask"])
def test_without_a_key_the_command_line_says_why(program):
    result = _flask("--help", program=program)
    output = result.stdout + result.stderr
    assert "SECRET_KEY" in output and "flask --app wsgi demo" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("program", ["python -m flask", "flask"])
def test_the_demo_command_starts_under_both_spellings(program):
    """`demo --help` loads the app as `demo` does (the config, the key), without loading a county."""
    result = _flask("demo", "--help", program=program)
    assert result.returncode == 0, result.stderr
    assert "Upgrade the database, load the demo county" in result.stdout
    assert (ROOT / "instance" / "secret_key").exists()
