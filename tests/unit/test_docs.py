"""The README documents every command and setting that exists."""

import pytest

from app import referral_cli
from app.cli import COMMANDS as CORE_COMMANDS
from app.settings import PROJECT_ROOT, SETTINGS

COMMANDS = (*CORE_COMMANDS, *referral_cli.COMMANDS)
README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", [s.name for s in SETTINGS])
def test_every_setting_is_documented(setting):
    assert f"`{setting}`" in README


@pytest.mark.parametrize("command", [c.name for c in COMMANDS])
def test_every_command_is_documented(command):
    assert f"flask --app app {command}" in README


def test_every_command_has_help_text():
    for command in COMMANDS:
        assert command.help and len(command.help) > 20, command.name


@pytest.mark.parametrize("promise", ["make run", "make test"])
def test_readme_shows_the_two_commands(promise):
    assert promise in README
