"""The OpenAPI 3 description of the JSON API, built from the same facets and vocabulary the API checks."""

from ..catalog import facet_registry
from ..search.engine import SORTS
from ..search.query import MAX_CHARACTERS
from .params import MAX_AGE, MAX_OPEN_WITHIN_DAYS, MAX_PAGE, MAX_PER_PAGE, MAX_RADIUS_KM

STRING_LIST = {"type": "array", "items": {"type": "string"}}
NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_INTEGER = {"type": ["integer", "null"]}


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
    }


def _integer_parameter(name, description, low, high, default=None):
    schema = {"type": "integer", "minimum": low, "maximum": high}
    if default is not None:
        schema["default"] = default
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


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
    return {"Site": site, "Program": program, "SearchResponse": search, "Error": error}


def _response(schema, description):
    return {"description": description, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def openapi_document(vocabularies):
    search_parameters = [
        {
            "name": "q",
            "in": "query",
            "required": False,
            "description": 'Words, "quoted phrases" and -exclusions. Synonyms from the vocabulary '
            "are understood (\"young people\" finds youth programs).",
            "schema": {"type": "string", "maxLength": MAX_CHARACTERS},
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
            "schema": {"type": "string"},
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
        "paths": {
            "/api/programs": {
                "get": {
                    "summary": "Search programs, with facet counts",
                    "operationId": "searchPrograms",
                    "parameters": search_parameters,
                    "responses": {
                        "200": _response("SearchResponse", "Matching programs"),
                        "400": _response("Error", "A parameter is not valid; error.field names it"),
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
                            "version": {"type": "integer", "minimum": 1},
                            "changes": {"type": "object", "additionalProperties": {"type": "string"}},
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
        },
        "components": {"schemas": _schemas()},
    }
