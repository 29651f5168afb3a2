"""The referral API's part of /api/openapi.json: its paths and the shapes it answers with."""

from ...referrals import consent, lifecycle
from ...referrals.boxes import MAX_PAGE as MAX_BOX_PAGE
from ...referrals.boxes import BOXES, OVERDUE_CHOICES

NULLABLE_STRING = {"type": ["string", "null"]}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
AUTH = [{"bearerAuth": []}, {"cookieSession": []}]


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _answer(schema, description):
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _errors(*codes):
    texts = {
        400: "A value is not valid; error.field names it",
        401: "No sign-in: send Authorization: Bearer <token>, or a cookie session",
        403: "This account may not do this (error.message says why)",
        404: "No referral with that id that your organization sent or received",
        409: "Not allowed from the referral's status now (illegal_transition), or the version is stale "
             "(version_conflict); nothing changed",
    }
    return {str(code): _answer("Error", texts[code]) for code in codes}


def schemas():
    summary = {
        "id": {"type": "integer"}, "program_id": {"type": "string"}, "program_name": {"type": "string"},
        "sender_org": {"type": "string"}, "receiver_org": {"type": "string"},
        "client_ref": NULLABLE_STRING,
        "status": {"type": "string", "enum": list(lifecycle.STATUSES),
                   "description": "HL7 Gravity referral task status. A sender whose client did not agree to "
                                  "progress reports sees accepted for every later progress status."},
        "created": {"type": "string", "format": "date-time"},
        "received_at": {"type": ["string", "null"], "format": "date-time",
                        "description": "When the receiving program first opened it."},
        "version": {"type": "integer", "description": "Send it back with a transition."},
        "overdue": {"type": "boolean", "description": "Not opened within the business days allowed."},
        "url": {"type": "string"},
    }
    event = {"type": "object", "properties": {
        "at": {"type": "string", "format": "date-time"}, "action": {"type": "string"},
        "side": {"type": "string", "enum": ["sender", "receiver", "system"]},
        "from_status": NULLABLE_STRING, "to_status": NULLABLE_STRING, "reason": NULLABLE_STRING,
        "reason_text": NULLABLE_STRING, "organization": NULLABLE_STRING, "user": NULLABLE_STRING}}
    referral = {**summary,
                "needs": {"type": "object", "description": "The /api/match parameters the client was matched "
                                                          "with; the postal code kept to its district."},
                "note": NULLABLE_STRING, "override_reason": NULLABLE_STRING,
                "parent_id": {"type": ["integer", "null"], "description": "The referral this one refers onward."},
                "consent": {"type": "object", "properties": {
                    "given_on": {"type": "string", "format": "date"},
                    "method": {"type": "string", "enum": list(consent.METHODS)},
                    "share_progress": {"type": "boolean"},
                    "withdrawn_at": {"type": ["string", "null"], "format": "date-time"}}},
                "reason": {"type": ["string", "null"], "enum": [*lifecycle.REASONS, None]},
                "reason_text": NULLABLE_STRING,
                "outcome": {"type": ["string", "null"], "enum": [*lifecycle.OUTCOMES, None]},
                "outcome_text": NULLABLE_STRING,
                "fit_rating": {"type": ["integer", "null"], "minimum": 1, "maximum": 5},
                "fit_comment": NULLABLE_STRING, "appropriate": {"type": ["boolean", "null"]},
                "appropriate_comment": NULLABLE_STRING, "updated": {"type": "string", "format": "date-time"},
                "closed_at": {"type": ["string", "null"], "format": "date-time"},
                "sides": {"type": "array", "items": {"type": "string", "enum": ["sender", "receiver"]}},
                "allowed_transitions": {"type": "array", "items": {"type": "string"}},
                "timeline": {"type": "array", "items": event},
                "warnings": {"type": "array", "items": {"type": "string"},
                             "description": "On sending: what the sender was warned of (capacity, rules)."}}
    return {
        "ReferralSummary": {"type": "object", "properties": summary},
        "Referral": {"type": "object", "properties": referral},
        "ReferralList": {"type": "object", "properties": {
            "total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"},
            "results": {"type": "array", "items": _ref("ReferralSummary")},
            "counts": {"type": "object", "description": "Convenors and administrators: referrals by status, "
                                                        "instead of a list."}}},
    }


def _body(properties, required=(), example=None):
    """A JSON body; a field that is not required may also be null, which means the same as leaving
    it out (as the API reads it)."""
    properties = {name: schema if name in required else _nullable(schema) for name, schema in properties.items()}
    content = {"schema": {"type": "object", "required": list(required), "properties": properties}}
    if example is not None:
        content["example"] = example
    return {"required": True, "content": {"application/json": content}}


def _links_to_the_referral():
    """Where a partner goes next with the referral a call answered with (and where a stateful
    test follows it)."""
    return {operation: {"operationId": operation, "parameters": {"id": "$response.body#/id"}}
            for operation in ("getReferral", "moveReferral", "recordReferralOutcome", "giveReferralFeedback",
                              "withdrawReferralConsent")}


def _nullable(schema):
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    nullable = dict(schema, type=[*kinds, "null"] if "null" not in kinds else kinds)
    if "enum" in schema:
        nullable["enum"] = [*schema["enum"], None]
    return nullable


def paths(referable=(), today=None):
    """``referable``: the ids of the programs that take referrals now, which program_id must be."""
    example = {"program_id": referable[0] if referable else "a-program-id", "client_ref": "CL-2026-014",
               "needs": {"age": "22", "population": ["youth"]},
               "consent": {"given_on": (today or "2026-12-01"), "method": "in-person-written", "share_progress": True}}
    reason = {"type": "string", "enum": list(lifecycle.REASONS),
              "description": "Needed for rejected, cancelled, on-hold and failed."}
    return {
        "/api/referrals": {
            "post": {
                "summary": "Refer a client to a program, with the client's consent",
                "operationId": "sendReferral", "security": AUTH,
                "requestBody": _body({
                    "program_id": {"type": "string", **({"enum": list(referable)} if referable else {}),
                                   "description": "A program that takes referrals through the atlas now."},
                    "client_ref": {"type": "string", "minLength": 1, "maxLength": 40,
                                   "pattern": r"^[A-Za-z0-9][A-Za-z0-9\-_/.#]*$",
                                   "description": "Your code for the client, with a digit: never a name, phone, "
                                                  "email, date, postal code, health card or social insurance "
                                                  "number."},
                    "needs": {"type": "object", "description": "/api/match parameters, e.g. {\"age\": 22}."},
                    "note": {"type": "string", "maxLength": 600},
                    "override_reason": {"type": "string",
                                        "description": "Needed when the needs fail one of the program's rules."},
                    "parent_id": {"type": "integer", "description": "A referral you received, to refer onward."},
                    "consent": {"type": "object", "required": ["given_on", "method", "share_progress"],
                                "properties": {"given_on": {"type": "string", "format": "date"},
                                               "method": {"type": "string", "enum": list(consent.METHODS)},
                                               "share_progress": {"type": "boolean"}}},
                }, ["program_id", "client_ref", "consent"], example),
                "responses": {"201": {**_answer("Referral", "The referral as sent"), "links": _links_to_the_referral()},
                              **_errors(400, 401, 403, 409)},
            },
            "get": {
                "summary": "Your organization's referrals received (incoming) or sent (outgoing), newest first",
                "operationId": "listReferrals", "security": AUTH,
                "parameters": [
                    {"name": "box", "in": "query", "allowEmptyValue": True,
                     "schema": {"type": "string", "enum": list(BOXES), "default": "incoming"}},
                    {"name": "status", "in": "query", "allowEmptyValue": True,
                     "schema": {"type": "string", "enum": list(lifecycle.STATUSES)}},
                    {"name": "program", "in": "query", "schema": {"type": "string"}},
                    {"name": "overdue", "in": "query", "schema": {"type": "string", "enum": list(OVERDUE_CHOICES)},
                     "description": "1 or true: only requests not opened within the business days allowed."},
                    {"name": "page", "in": "query", "allowEmptyValue": True,
                     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_BOX_PAGE, "default": 1}},
                ],
                "responses": {"200": _answer("ReferralList", "One page of referrals"), **_errors(400, 401)},
            },
        },
        "/api/referrals/{id}": {
            "get": {"summary": "One referral with its timeline (the view is recorded in the audit log)",
                    "operationId": "getReferral", "security": AUTH, "parameters": [ID],
                    "responses": {"200": _answer("Referral", "The referral"), **_errors(401, 404)}},
        },
        "/api/referrals/{id}/transitions": {
            "post": {"summary": "Move a referral to another status, based on the version read",
                     "operationId": "moveReferral", "security": AUTH, "parameters": [ID],
                     "requestBody": _body({"status": {"type": "string", "enum": list(lifecycle.STATUSES)},
                                           "reason": reason, "reason_text": {"type": "string", "maxLength": 500},
                                           "version": {"type": "integer"}}, ["status"]),
                     "responses": {"200": _answer("Referral", "The referral as moved"),
                                   **_errors(400, 401, 403, 404, 409)}},
        },
        "/api/referrals/{id}/outcome": {
            "post": {"summary": "Record what a client went on to, after completion (receiving program)",
                     "operationId": "recordReferralOutcome", "security": AUTH, "parameters": [ID],
                     "requestBody": _body({"outcome": {"type": "string", "enum": list(lifecycle.OUTCOMES)},
                                           "outcome_text": {"type": "string"}, "version": {"type": "integer"}},
                                          ["outcome"]),
                     "responses": {"200": _answer("Referral", "The referral with its outcome"),
                                   **_errors(400, 401, 403, 404, 409)}},
        },
        "/api/referrals/{id}/feedback": {
            "post": {"summary": "After completion or failure: the sender rates the fit, the receiver says "
                                "whether the referral was appropriate",
                     "operationId": "giveReferralFeedback", "security": AUTH, "parameters": [ID],
                     "requestBody": _body({"fit_rating": {"type": "integer", "minimum": 1, "maximum": 5},
                                           "fit_comment": {"type": "string"}, "appropriate": {"type": "boolean"},
                                           "appropriate_comment": {"type": "string"}}),
                     "responses": {"200": _answer("Referral", "The referral with the feedback"),
                                   **_errors(400, 401, 404, 409)}},
        },
        "/api/referrals/{id}/withdraw-consent": {
            "post": {"summary": "The client withdrew consent: an open referral is cancelled and the program "
                                "reports no more (sender)",
                     "operationId": "withdrawReferralConsent", "security": AUTH, "parameters": [ID],
                     "responses": {"200": _answer("Referral", "The referral after the withdrawal"),
                                   **_errors(401, 403, 404, 409)}},
        },
    }
