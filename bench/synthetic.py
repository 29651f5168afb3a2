"""Synthetic program records for benchmarks: realistic in shape, plainly not real.

Every record is generated from a seed, named "Synthetic ...", and carries an example.org
source, so it can never be mistaken for (or mixed into) the real catalogue in data/.
"""

import datetime as dt
import random

from app.catalog.vocabulary import load_all
from app.settings import PROJECT_ROOT

VOCABULARIES = load_all(PROJECT_ROOT / "data" / "vocabulary")

ORGANIZATION_WORDS = [
    "Community", "Neighbourhood", "Employment", "Skills", "Futures", "Pathways", "Works", "Centre",
    "Services", "Network", "Alliance", "Collective", "Academy", "Partners", "Connections", "Hub",
]
PLACES = [
    "Scarborough", "Etobicoke", "North York", "York", "East York", "Downtown", "Rexdale", "Malvern",
    "Thorncliffe", "Jane and Finch", "Parkdale", "Regent Park", "Weston", "Flemingdon", "Agincourt",
]
PROGRAM_WORDS = [
    "Pathways", "Bridge", "Launch", "Next Steps", "Career Start", "Ready to Work", "Fast Track",
    "Connect", "Foundations", "Skills Lab", "Pre-Apprenticeship", "Mentoring Circle", "Works",
]
SENTENCES = [
    "Participants build {skill} skills through hands-on training and a paid work placement.",
    "Job developers match graduates with {sector} employers across Toronto.",
    "Coaching continues for six months after placement to help people keep their jobs.",
    "The program covers transit fare, childcare and work clothing so cost is no barrier.",
    "Sessions cover resumes, interviews and workplace culture in Canada.",
    "Graduates earn an industry-recognised certificate in {skill}.",
    "Mentors from the {sector} industry meet participants every two weeks.",
    "Open to {population} looking for a first job or a better one.",
    "Classes run in {language} and English, in person and online.",
    "Employers receive hiring incentives and help with recruitment.",
    "Case managers connect people to housing, food and mental health support first.",
    "Small groups learn digital skills, numeracy and workplace communication.",
]
SKILLS = [
    "carpentry", "cooking", "customer service", "IT support", "bookkeeping", "forklift", "welding",
    "data analysis", "personal support", "film production", "solar installation", "retail sales",
    "warehouse logistics", "office administration", "cybersecurity", "electrical", "plumbing",
]


def _some(rng, vocabulary, low, high):
    terms = VOCABULARIES[vocabulary].terms
    return [term.slug for term in rng.sample(terms, rng.randint(low, min(high, len(terms))))]


def _postal_codes():
    from app.geo.postcodes import load_table

    return sorted(code for code in load_table() if len(code) == 7)


def _sites(rng, codes):
    from app.geo.postcodes import locate

    sites = []
    for code in rng.sample(codes, rng.choice([0, 1, 1, 1, 2])):
        latitude, longitude, precision = locate(code)
        sites.append({"address": None, "postal_code": code, "latitude": latitude,
                      "longitude": longitude, "location_precision": precision})
    return sites


def program(rng, n, codes=()):
    sector = rng.choice(VOCABULARIES["sectors"].terms)
    population = rng.choice(VOCABULARIES["populations"].terms)
    language = rng.choice(VOCABULARIES["languages"].terms)
    organization = f"Synthetic {rng.choice(PLACES)} {rng.choice(ORGANIZATION_WORDS)} {rng.choice(ORGANIZATION_WORDS)}"
    text = " ".join(
        sentence.format(
            skill=rng.choice(SKILLS), sector=sector.label.lower(), population=population.label.lower(),
            language=language.label,
        )
        for sentence in rng.sample(SENTENCES, rng.randint(2, 4))
    )
    intake = rng.choice(["continuous", "cohort"])
    start = dt.date(2027, 1, 1) + dt.timedelta(days=rng.randint(0, 365))
    return {
        "id": f"synthetic-{n:06d}",
        "name": f"Synthetic {rng.choice(SKILLS).title()} {rng.choice(PROGRAM_WORDS)} {n}",
        "organization": organization,
        "organization_id": f"synthetic-org-{n % 5000:04d}",
        "description": text,
        "sectors": [sector.slug] + _some(rng, "sectors", 0, 1),
        "occupations": [],
        "populations": [population.slug] + _some(rng, "populations", 0, 2),
        "interventions": _some(rng, "interventions", 2, 6),
        "streams": _some(rng, "streams", 0, 3),
        "service_area": ["city-wide"],
        "delivery_mode": rng.choice(["in-person", "virtual", "hybrid"]),
        "languages": ["en"] + ([language.slug] if language.slug != "en" else []),
        "age_min": None,
        "age_max": None,
        "eligibility": None,
        "fee": "free",
        "intake": intake,
        "next_intake_date": start.isoformat() if intake == "cohort" else None,
        "application_deadline": None,
        "seats": rng.randint(10, 40),
        "duration_weeks": rng.randint(4, 52),
        "funders": _some(rng, "funders", 1, 2),
        "website": None,
        "phone": None,
        "email": None,
        "source_url": "https://example.org/synthetic",
        "verification": "compiled",
        "last_verified": "2026-01-01",
        "sites": _sites(rng, codes) if codes else [],
    }


def programs(count, seed=2026, with_sites=False):
    """``count`` synthetic programs; with sites, most get one or two at real Toronto postal codes."""
    rng = random.Random(seed)
    codes = _postal_codes() if with_sites else ()
    return [program(rng, n, codes) for n in range(count)]


# The fixed query mix: what practitioners type, with and without facet filters.
TEXTS = [
    "", "", "youth", "cook training", "tech jobs for young people", "help for internationally trained engineers",
    "Scarborough youth", "forklift", "customer service", "newcomers", "women in trades", "mental health",
    "paid placement", '"paid work placement"', "carpentry -welding", "digital skills", "mentors", "IT support",
    "solar installation", "childcare transit", "resume interview", "bookkeeping certificate", "immigrants",
    "film production", "retail sales", "personal support", "data analysis", "employers hiring incentives",
]
FILTERS = [
    {}, {}, {"population": ["youth"]}, {"sector": ["ict"]}, {"population": ["newcomers", "refugees"]},
    {"mode": ["in-person"], "population": ["women"]}, {"stage": ["job-retention"]},
    {"sector": ["construction-trades"], "intervention": ["pre-apprenticeship"]}, {"language": ["fr"]},
    {"stream": ["c"], "sector": ["any-sector"]},
]


def query_mix(size=200, seed=7):
    rng = random.Random(seed)
    return [(rng.choice(TEXTS), rng.choice(FILTERS)) for _ in range(size)]
