"""Personal API tokens as pure functions: reading the Authorization header, and new tokens that are
recognisable, random and well formed (tokens in use: tests/integration/test_tokens.py)."""

import pytest

from app.accounts import tokens


@pytest.mark.parametrize("header, expected", [
    (None, None), ("", None), ("Basic abc", None), ("Bearer", ""), ("Bearer  atlas_x ", "atlas_x"),
    ("bearer atlas_y", "atlas_y"),
])
def test_reading_the_authorization_header(header, expected):
    assert tokens.bearer_token(header) == expected


def test_new_tokens_are_recognisable_random_and_well_formed():
    made = {tokens.new_token() for _ in range(50)}
    assert len(made) == 50 and all(t.startswith("atlas_") and tokens.well_formed(t) for t in made)
    assert not tokens.well_formed("atlas_short") and not tokens.well_formed("ghp_" + "a" * 40)
