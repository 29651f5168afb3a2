"""What people type becomes words, phrases and exclusions, and nothing else."""

import pytest

from app.search.query import MAX_CHARACTERS, MAX_TERMS, QueryError, parse


@pytest.mark.parametrize(
    "text, words, phrases, excluded",
    [
        ("tech jobs for young people", ("tech", "jobs", "for", "young", "people"), (), ()),
        ('"cook training" -scarborough', (), (("cook", "training"),), (("scarborough",),)),
        ('-"night shifts" kitchen', ("kitchen",), (), (("night", "shifts"),)),
        ('unbalanced "quote runs on', ("unbalanced",), (("quote", "runs", "on"),), ()),
        ("Café ÉLAN", ("café", "élan"), (), ()),
        ("{a TO z} *a* abcdefgh~9", ("a", "to", "z", "abcdefgh", "9"), (), ()),
        ("name:x^3 (y OR z)", ("name", "x", "3", "y", "or", "z"), (), ()),
        ("NOT NOT", ("not",), (), ()),
        ("nul\x00byte", ("nulbyte",), (), ()),
        ("- - -", (), (), ()),
        ('""', (), (), ()),
        ("", (), (), ()),
    ],
)
def test_queries_parse_into_plain_parts(text, words, phrases, excluded):
    parsed = parse(text)
    assert (parsed.words, parsed.phrases, parsed.excluded) == (words, phrases, excluded)


def test_a_one_word_phrase_is_a_word():
    assert parse('"youth"').words == ("youth",)


def test_queries_past_the_length_limit_get_a_clear_message():
    with pytest.raises(QueryError, match=f"keep it under {MAX_CHARACTERS}"):
        parse("a" * (MAX_CHARACTERS + 1))


def test_queries_with_too_many_words_get_a_clear_message():
    with pytest.raises(QueryError, match=f"use at most {MAX_TERMS}"):
        parse(" ".join(f"w{n}" for n in range(MAX_TERMS + 1)))


def test_deep_nesting_is_just_punctuation():
    assert parse("(" * 90 + "youth" + ")" * 90).words == ("youth",)
