"""The controlled lists (sectors, populations, interventions...) that classify every program.

They live as CSV files in ``data/vocabulary/`` and are the only source of valid slugs and of the
labels shown to users, so a label fixed there is fixed everywhere.
"""

import csv
import difflib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

# Each vocabulary: the file it lives in, and the noun used in messages about it; the facets name
# their vocabulary in facet_registry.
VOCABULARIES = {
    "sectors": ("sectors.csv", "sector"),
    "populations": ("populations.csv", "population"),
    "interventions": ("interventions.csv", "intervention"),
    "stages": ("stages.csv", "continuum stage"),
    "streams": ("streams.csv", "client stream"),
    "delivery_mode": ("delivery_modes.csv", "delivery mode"),
    "languages": ("languages.csv", "language"),
    "funders": ("funders.csv", "funder type"),
    "listing_types": ("listing_types.csv", "kind of listing"),
    "statuses": ("statuses.csv", "program status"),
    "referral_methods": ("referral_methods.csv", "referral method"),
    "capacity_statuses": ("capacity_statuses.csv", "capacity status"),
    "residency": ("residency.csv", "residency requirement"),
    "immigration_statuses": ("immigration_statuses.csv", "immigration status"),
    "income_supports": ("income_supports.csv", "income support"),
    "organization_types": ("organization_types.csv", "kind of organization"),
}


@dataclass(frozen=True)
class Term:
    slug: str
    label: str
    description: str = ""
    synonyms: tuple = ()
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Vocabulary:
    """One controlled list, in file order."""

    name: str
    noun: str
    terms: tuple

    def __contains__(self, slug):
        return slug in self.by_slug

    @cached_property
    def by_slug(self):
        return {term.slug: term for term in self.terms}

    def label(self, slug):
        term = self.by_slug.get(slug)
        return term.label if term else slug

    def closest(self, value):
        """The valid slug a mistyped value most likely meant, or None.

        Labels and synonyms count too, so "young people" suggests "youth".
        """
        wanted = value.strip().lower()
        candidates = {}
        for term in self.terms:
            for name in (term.slug, term.label, *term.synonyms):
                candidates.setdefault(name.lower(), term.slug)
        if wanted in candidates:
            return candidates[wanted]
        match = difflib.get_close_matches(wanted, list(candidates), n=1, cutoff=0.6)
        return candidates[match[0]] if match else None

    def refusal(self, value, shown):
        """Why ``value`` is not a slug of this list, naming the one it most likely meant.

        The importer and the filter parameters both refuse with this, so a steward and an API
        user get the same "did you mean"; ``shown`` is the value as the caller quotes it.
        """
        suggestion = self.closest(value)
        hint = f'; did you mean "{suggestion}"?' if suggestion else ""
        article = "an" if self.noun[:1] in "aeiou" else "a"
        return f"{shown} is not {article} {self.noun}{hint}"


def _split(cell):
    return tuple(part.strip() for part in (cell or "").split(";") if part.strip())


def load_vocabulary(path, name, noun):
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    terms = []
    for row in rows:
        base = {"slug", "label", "description", "synonyms"}
        extra = {key: value for key, value in row.items() if key not in base}
        terms.append(
            Term(
                slug=row["slug"],
                label=row["label"],
                description=row.get("description") or "",
                synonyms=_split(row.get("synonyms")),
                extra=extra,
            )
        )
    return Vocabulary(name=name, noun=noun, terms=tuple(terms))


def load_all(folder):
    """Load every vocabulary from ``folder`` into a dict keyed by field name."""
    folder = Path(folder)
    return {
        name: load_vocabulary(folder / filename, name, noun)
        for name, (filename, noun) in VOCABULARIES.items()
    }


def stage_of(vocabularies, intervention_slug):
    term = vocabularies["interventions"].by_slug.get(intervention_slug)
    return term.extra.get("stage") if term else None
