"""The query language people get: words, "quoted phrases" and -exclusions. Nothing else.

Whoosh's own parser exposes wildcards, ranges, fuzzy terms, fields and boosts, several of which
can run for tens of seconds on a large index. This parser allow-lists instead: every character
that is not part of a word, a quote or a leading minus is a separator, so no input can reach
those features. Pure functions; no index needed.
"""

import re
import unicodedata
from dataclasses import dataclass, field

MAX_CHARACTERS = 200
MAX_TERMS = 16
WORD_RE = re.compile(r"\w+", re.UNICODE)


class QueryError(ValueError):
    """The query cannot be run; the message says what to change."""


@dataclass(frozen=True)
class ParsedQuery:
    words: tuple = ()  # each a lower-case word
    phrases: tuple = ()  # each a tuple of lower-case words
    excluded: tuple = ()  # each a tuple of words: one word, or a phrase
    text: str = ""

    @property
    def is_empty(self):
        return not (self.words or self.phrases or self.excluded)

    @property
    def positive_words(self):
        """Every word the results should contain, in query order."""
        return list(self.words) + [word for phrase in self.phrases for word in phrase]

    @property
    def term_count(self):
        return len(self.positive_words) + sum(len(e) for e in self.excluded)


@dataclass
class _Builder:
    words: list = field(default_factory=list)
    phrases: list = field(default_factory=list)
    excluded: list = field(default_factory=list)

    def add(self, words, phrase, negative):
        if not words:
            return
        if negative:
            self.excluded.append(tuple(words))
        elif phrase and len(words) > 1:
            self.phrases.append(tuple(words))
        else:
            self.words.extend(words)


def clean(text):
    """Normalise unicode and drop control characters (NUL included)."""
    text = unicodedata.normalize("NFC", text or "")
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in " \t")


def words_of(text):
    return [word.lower() for word in WORD_RE.findall(text) if word.strip("_")]


def parse(text):
    """Parse what was typed into words, phrases and exclusions, or raise QueryError."""
    text = clean(text).strip()
    if len(text) > MAX_CHARACTERS:
        raise QueryError(
            f"the search is {len(text)} characters long; keep it under {MAX_CHARACTERS}"
        )
    builder = _Builder()
    for chunk, quoted, negative in _chunks(text):
        builder.add(words_of(chunk), quoted, negative)
    parsed = ParsedQuery(
        words=tuple(dict.fromkeys(builder.words)),
        phrases=tuple(dict.fromkeys(builder.phrases)),
        excluded=tuple(dict.fromkeys(builder.excluded)),
        text=text,
    )
    if parsed.term_count > MAX_TERMS:
        raise QueryError(f"the search has {parsed.term_count} words; use at most {MAX_TERMS}")
    return parsed


def _chunks(text):
    """Yield (text, quoted, negative) pieces: quoted phrases, and unquoted words one by one.

    An unmatched quote runs to the end of the text, as people usually mean.
    """
    position = 0
    length = len(text)
    while position < length:
        char = text[position]
        if char.isspace():
            position += 1
            continue
        negative = char == "-" and position + 1 < length and not text[position + 1].isspace()
        start = position + 1 if negative else position
        if start < length and text[start] == '"':
            end = text.find('"', start + 1)
            end = length if end == -1 else end
            yield text[start + 1 : end], True, negative
            position = end + 1
            continue
        end = start
        while end < length and not text[end].isspace() and text[end] != '"':
            end += 1
        yield text[start:end], False, negative
        position = end
