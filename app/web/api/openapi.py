"""The OpenAPI 3 description of the JSON API, built from the same facets and vocabulary the API checks."""

from ...catalog import facet_registry
from ...gaps.dimensions import DIMENSIONS as GAP_DIMENSIONS
from ...search.engine import SORTS
from ...search.query import MAX_CHARACTERS
from . import openapi_referrals
from ...catalog.changes import FURTHER_SITES
from ...catalog.fields import FIELD_NAMES
from ..shared.params import LARGEST_INTEGER, NEAR_PATTERN, MAX_AGE, MAX_OPEN_WITHIN_DAYS, MAX_PAGE, MAX_PER_PAGE, MAX_RADIUS_KM
from ..shared.profile_params import DEFAULT_LIMIT, GENDERS, HOURS, MAX_LIMIT, MAX_START_DAYS, YES_NO

STRING_LIST = {"type": "array", "items": {"type": "string"}}
NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_INTEGER = {"type": ["integer", "null"]}
# How a request acts as a person: either one is enough; reading the catalogue needs neither.
SECURITY_SCHEMES = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token (atlas_...) from /account/tokens or `flask --app app create-token`, "
        "as `Authorization: Bearer <token>` on requests under /api/. The request acts as the token's owner "
        "and needs no CSRF token. An unknown, malformed or revoked token, or one whose account is disabled, "
        "is refused with 401 (error.code invalid_token).",
    },
    "cookieSession": {
        "type": "apiKey",
        "in": "cookie",
        "name": "session",
        "description": "The signed-in browser session. Every POST, PUT, PATCH or DELETE made with it must also "
        "send the session's CSRF token in the X-CSRF-Token header, or it is refused with 400.",
    },
}


def _facet_parameter(facet, vocabularies):
    items = {"type": "string"}
    if facet.vocabulary:
        items["enum"] = [term.slug for term in vocabularies[facet.vocabulary].terms]
    return {
        "name": facet.name,
        "in": "query",
        "required": False,
        "description": facet.description + " Repeat to allow several values (OR); "
        "different filters combine with AND.",
        "schema": {"type": "array", "items": items},
        "style": "form",
        "explode": True,
        "allowEmptyValue": True,  # a form's blank option chooses nothing
    }


def _integer_parameter(name, description, low, high, default=None):
    schema = {"type": "integer", "minimum": low, "maximum": high}
    if default is not None:
        schema["default"] = default
    # A form's blank number field sends name= with nothing: the same as leaving it out.
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema,
            "allowEmptyValue": True}


def _schemas():
    site = {
        "type": "object",
        "properties": {
            "address": NULLABLE_STRING,
            "postal_code": NULLABLE_STRING,
            "latitude": {"type": ["number", "null"]},
            "longitude": {"type": ["number", "null"]},
            "location_precision": {"type": ["string", "null"], "enum": ["postal_code", "fsa", "manual", None]},
        },
    }
    program = {
        "type": "object",
        "required": ["id", "name", "organization", "source_url", "verification", "last_verified"],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "organization": {"type": "string"},
            "organization_id": {"type": "string"},
            "description": NULLABLE_STRING,
            **{name: STRING_LIST for name in ("sectors", "occupations", "populations", "interventions",
                                              "streams", "service_area", "languages", "funders", "stages",
                                              "requires_populations", "residency", "immigration_status",
                                              "income_support")},
            "listing_type": {"type": "string", "description": "program, or an ecosystem actor: funder, network, research, intermediary."},
            "status": {"type": "string", "description": "active, time-limited, paused, ended or unknown."},
            "version": {"type": "integer", "description": "The listing's version: send it back with PATCH."},
            "needs_rechecking": {"type": "boolean", "description": "Its source is over two years old, or it was last verified over a year ago."},
            "delivery_mode": NULLABLE_STRING,
            **{name: NULLABLE_INTEGER for name in ("age_min", "age_max", "seats", "duration_weeks")},
            **{name: NULLABLE_STRING for name in ("eligibility", "fee", "intake", "next_intake_date",
                                                  "application_deadline", "website", "phone", "email", "end_date",
                                                  "other_requirements", "how_to_apply", "referral_method",
                                                  "referral_contact", "capacity_status", "capacity_updated",
                                                  "source_date")},
            "source_url": {"type": "string"},
            "verification": {"type": "string", "enum": ["compiled", "confirmed"]},
            "last_verified": {"type": "string", "format": "date"},
            "stale": {"type": "boolean", "description": "Last verified over the freshness limit (12 months)."},
            "sites": {"type": "array", "items": {"$ref": "#/components/schemas/Site"}},
            "snippet": {"type": "string", "description": "In search results: the part of the description around the searched words."},
            "distance_km": {"type": ["number", "null"], "description": "With near: kilometres to the program's nearest site (null without a site)."},
            "place": {
                "type": "object",
                "description": "With near: why the program is in the results. reason is site (a site within "
                "radius_km, or any site without a radius), city-wide (serves all of Toronto), serves-ward (its "
                "service area covers the ward of near) or online (delivered virtually).",
                "properties": {
                    "reason": {"type": "string", "enum": ["site", "city-wide", "serves-ward", "online"]},
                    "distance_km": {"type": ["number", "null"]},
                },
            },
        },
    }
    facets = {
        "type": "object",
        "description": "Keyed by filter parameter, then value: facets.population.youth is the total "
        "that adding ?population=youth (in place of other population filters) returns.",
        "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer"}},
    }
    search = {
        "type": "object",
        "required": ["total", "results", "facets", "suggestion"],
        "properties": {
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Program"}},
            "facets": facets,
            "suggestion": {"type": ["string", "null"], "description": "A corrected query (did you mean)."},
            "left_out_by_near": {"type": "integer", "description": "With near: programs matching everything "
                                 "else that have no site within reach and do not say they serve the place."},
        },
    }
    error = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "field"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "field": NULLABLE_STRING},
            }
        },
    }
    ref = {"$ref": "#/components/schemas/Program"}
    texts = {"type": "array", "items": {"type": "string"}}
    match = {
        "type": "object",
        "required": ["total", "results", "excluded", "unknown"],
        "properties": {
            "total": {"type": "integer", "description": "Programs the client can join in all; results holds the best limit of them."},
            "results": {"type": "array", "items": {"type": "object", "properties": {
                "program": ref, "score": {"type": "integer", "minimum": 0, "maximum": 100},
                "reasons": texts, "cautions": texts}}},
            "excluded": {"type": "array", "items": {"type": "object", "properties": {"program": ref, "rules": texts}}},
            "unknown": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "object", "properties": {
                "side": {"type": "string", "enum": ["client", "program"]}, "text": {"type": "string"},
                "programs": texts}}}},
        },
    }
    return {"Site": site, "Program": program, "SearchResponse": search, "MatchResponse": match, "Error": error}


def _response(schema, description):
    return {"description": description, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def _match_parameters(vocabularies):
    def terms(name, vocabulary, description, repeat=False, extra=()):
        items = {"type": "string", "enum": [t.slug for t in vocabularies[vocabulary].terms] + list(extra)}
        schema = {"type": "array", "items": items} if repeat else items
        return {"name": name, "in": "query", "required": False, "description": description, "schema": schema,
                "allowEmptyValue": True, **({"style": "form", "explode": True} if repeat else {})}

    def choice(name, values, description):
        return {"name": name, "in": "query", "required": False, "description": description,
                "schema": {"type": "string", "enum": list(values)}, "allowEmptyValue": True}

    return [
        {**_integer_parameter("age", "The client's age.", 0, MAX_AGE), "example": 22},
        choice("gender", GENDERS, "Gender as the client describes it (settles women-only programs)."),
        terms("population", "populations", "Groups the client belongs to; several mean all of them.", True),
        terms("sector", "sectors", "Industries of interest.", True),
        terms("intervention", "interventions", "What the client needs.", True),
        terms("stage", "stages", "When unsure of the services: the client's stage on the continuum."),
        terms("stream", "streams", "Employment Ontario client stream."),
        terms("income_support", "income_supports", "Income support received, or none.", extra=("none",)),
        terms("immigration_status", "immigration_statuses", "The client's immigration status."),
        {"name": "near", "in": "query", "required": False, "schema": {"type": "string", "pattern": NEAR_PATTERN},
            "example": "M5V 2T6",
         "description": "Home postal code, its district (M1B) or lat,lon."},
        {"name": "ward", "in": "query", "required": False,
         "schema": {"type": "string", "pattern": r"^\s*(0?[1-9]|1[0-9]|2[0-5])?\s*$"},
         "description": "The client's ward (1 to 25), when the postal code is not given; empty for none."},
        terms("language", "languages", "Languages the client speaks, preferred first.", True),
        terms("mode", "delivery_mode", "How the client can take part (a preference unless mode_required)."),
        choice("mode_required", tuple(YES_NO), "1 (or on, true): the client can only take part in mode; 0 or empty: a preference."),
        _integer_parameter("start_within_days", "How soon the client can start.", 0, MAX_START_DAYS),
        choice("hours", HOURS, "Full-time or part-time."),
        _integer_parameter("limit", "Results to return.", 1, MAX_LIMIT, DEFAULT_LIMIT),
    ]


def _common_answers(paths):
    """Answers any operation may get besides its own: the database or the index busy (503, JSON);
    an address too long for the server (414) and a body over the limit (413), which the web
    server may give before the atlas sees the request."""
    for operations in paths.values():
        for method, operation in operations.items():
            answers = operation["responses"]
            answers.setdefault("503", _response("Error", "Busy saving a large change, or rebuilding the search "
                                                         "index: try again after Retry-After seconds"))
            if method == "get":
                answers.setdefault("414", {"description": "The address is longer than the server accepts"})
            if "requestBody" in operation:
                answers.setdefault("413", {"description": "The body is larger than 2 MB"})
    return paths


def openapi_document(vocabularies, referable=(), today=None):
    """The document for this catalogue: ``referable`` names the programs taking referrals now."""
    search_parameters = [
        {
            "name": "q",
            "in": "query",
            "required": False,
            "description": 'Words, "quoted phrases" and -exclusions. Synonyms from the vocabulary '
            "are understood (\"young people\" finds youth programs).",
            "schema": {"type": "string", "maxLength": MAX_CHARACTERS},
            "example": "youth tech",
        },
        *[_facet_parameter(facet, vocabularies) for facet in facet_registry.FACETS],
        {
            "name": "sort",
            "in": "query",
            "required": False,
            "description": "relevance (default with a query), name (default without), next_intake, "
            "distance (default with near).",
            "schema": {"type": "string", "enum": list(SORTS)},
        },
        {
            "name": "near",
            "in": "query",
            "required": False,
            "description": "Where the client is: a Toronto postal code (M1B 3C3), its district alone "
            "(M1B, placed at the district's centre) or 'lat,lon'. Keeps programs with a site (sorted by "
            "distance), and those without a site nearby that serve the place: city-wide, a service area "
            "covering its ward, or online. Each result's place says which.",
            "schema": {"type": "string", "pattern": NEAR_PATTERN},
        },
        {
            "name": "radius_km",
            "in": "query",
            "required": False,
            "description": "With near: sites further than this many kilometres do not count. Programs "
            "that serve the place without a site nearby (city-wide, its ward, online) are kept.",
            "schema": {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_RADIUS_KM},
        },
        _integer_parameter("age", "The client's age: keeps programs whose published age range includes it, "
                           "and those publishing no age limits.", 0, MAX_AGE),
        _integer_parameter("open_within_days", "Only programs with continuous intake or a next intake within this many days.", 0, MAX_OPEN_WITHIN_DAYS),
        _integer_parameter("page", "Page of results.", 1, MAX_PAGE, 1),
        _integer_parameter("per_page", "Results per page.", 1, MAX_PER_PAGE, 20),
    ]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Toronto Workforce Atlas API",
            "version": "1",
            "description": "Search Toronto's workforce-development programs. Errors are JSON with a 4xx status.",
        },
        "paths": _common_answers({
            "/api/programs": {
                "get": {
                    "summary": "Search programs, with facet counts",
                    "operationId": "searchPrograms",
                    "parameters": search_parameters,
                    "responses": {
                        "200": {**_response("SearchResponse", "Matching programs"), "links": {
                            "getProgram": {"operationId": "getProgram",
                                           "parameters": {"id": "$response.body#/results/0/id"}},
                            "editProgram": {"operationId": "editProgram",
                                            "parameters": {"id": "$response.body#/results/0/id"}},
                        }},
                        "400": _response("Error", "A parameter is not valid; error.field names it"),
                    },
                }
            },
            "/api/match": {
                "get": {
                    "summary": "Programs a client can join, ranked with reasons; the others with the rule that excluded them",
                    "description": (
                        "Every parameter is optional and describes the client without identifying detail; "
                        "nothing is stored or logged. Ended programs and listings that are not programs "
                        "people join are never in results. unknown groups what was not assumed either way: "
                        "{field: [{side: client|program, text, programs: [ids]}]}."
                    ),
                    "operationId": "matchClient",
                    "parameters": _match_parameters(vocabularies),
                    "responses": {
                        "200": _response("MatchResponse", "Eligible programs ranked, excluded ones, unknowns"),
                        "400": _response("Error", "A parameter is not valid; error.field names it"),
                    },
                }
            },
            "/api/gaps": {
                "get": {
                    "summary": "Coverage matrix: active programs for every pair of values of two dimensions",
                    "description": (
                        "For convenors and administrators (401 without a session or token, 403 for other "
                        "roles), or everyone when ATLAS_PUBLIC_GAPS=1. Takes the same filters as "
                        "/api/programs; listings that are not programs are left out unless type= is given. "
                        "Every cell is present, zeros included (level gap; 1-2 programs thin); each count "
                        "is the /api/programs total for the cell's programs_url query. A filter on the rows' "
                        "or columns' dimension chooses which rows or columns are shown."
                    ),
                    "operationId": "gapsCoverage",
                    "parameters": [
                        {"name": name, "in": "query", "required": False, "description": description,
                         "schema": {"type": "string", "enum": [d.name for d in GAP_DIMENSIONS]}, "allowEmptyValue": True}
                        for name, description in (("rows", "Dimension of the rows (default sector)."),
                                                  ("cols", "Dimension of the columns (default population).")
                                                  )
                    ] + search_parameters,
                    "responses": {
                        "200": {"description": "rows and cols ([{slug, label}]), cells ([{row, col, count, level, "
                                               "seats, seats_known, programs_url}]), row_totals, col_totals, total",
                                "content": {"application/json": {"schema": {"type": "object"}}}},
                        "400": _response("Error", "A parameter is not valid; error.field names it"),
                        "401": _response("Error", "Sign in as a convenor or an administrator"),
                        "403": _response("Error", "This account may not see the gaps"),
                    },
                }
            },
            "/api/programs/{id}": {
                "get": {
                    "summary": "One program",
                    "operationId": "getProgram",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": _response("Program", "The program, with its sites"),
                        "404": _response("Error", "No program has that id"),
                    },
                },
                "patch": {
                    "summary": "Change some fields of a listing, based on the version read",
                    "description": (
                        "Needs a signed-in session and its CSRF token in X-CSRF-Token. Values are text "
                        "as in the CSV import file; the importer's rules apply. A version other than "
                        "the listing's current one is refused with 409 and the saves made since."
                    ),
                    "operationId": "editProgram",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "type": "object", "required": ["version", "changes"],
                        "properties": {
                            "version": {"type": "integer", "minimum": 1, "maximum": LARGEST_INTEGER},
                            "changes": {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string"},
                                        "propertyNames": {"enum": [*FIELD_NAMES, FURTHER_SITES]}},
                        },
                    }}}},
                    "responses": {
                        "200": _response("Program", "The listing as saved, with its new version"),
                        "400": _response("Error", "A value is not valid; error.field names it"),
                        "401": _response("Error", "Not signed in"),
                        "403": _response("Error", "The account may not edit this listing"),
                        "404": _response("Error", "No program has that id"),
                        "409": _response("Error", "The listing changed since that version"),
                    },
                },
            },
            **openapi_referrals.paths(referable, today),
        }),
        "components": {"schemas": {**_schemas(), **openapi_referrals.schemas()}, "securitySchemes": SECURITY_SCHEMES},
    }
