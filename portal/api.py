"""The /api/v1 base: bearer-token authentication, one error shape, and the OpenAPI document.

Domains declare their endpoints with `endpoint(...)`, which registers the route on this
blueprint and its description (built from pydantic models) in the OpenAPI document, so the
document cannot drift from the code.
"""

from __future__ import annotations

import contextlib
import functools
from typing import Any

from flask import Blueprint, g, jsonify, request
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from portal.db import get_read_session, get_session
from portal.enums import N_
from portal.errors import RuleError, rule_message
from portal.i18n import translate
from portal.messages import plain_message

bp = Blueprint("api", __name__, url_prefix="/api/v1")

_paths: dict[str, dict[str, Any]] = {}
_schemas: dict[str, Any] = {}


class APIError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return jsonify(body), status


class ErrorBody(BaseModel):
    code: str
    message: str
    fields: dict[str, str] = {}


class ErrorResponse(BaseModel):
    error: ErrorBody


def _schema_ref(tp) -> dict:
    """JSON Schema of a pydantic model or type; named models go to components."""
    schema = TypeAdapter(tp).json_schema(ref_template="#/components/schemas/{model}")
    for name, sub in schema.pop("$defs", {}).items():
        _schemas[name] = sub
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        _schemas[tp.__name__] = schema
        return {"$ref": f"#/components/schemas/{tp.__name__}"}
    return schema


def current_api_user():
    """The token's user, in the request's session. Authentication read it on the reading session
    (portal.db.get_read_session); a writing request gets it merged into its own session without a
    query, so that nothing takes SQLite's write lock before the view writes."""
    user = g.api_user
    if get_read_session() is get_session():
        return user
    merged = g.get("api_user_merged")
    if merged is None:
        merged = g.api_user_merged = get_session().merge(user, load=False)
    return merged


MAX_JSON_DEPTH = 32  # no body of ours nests deeper than a handful of levels


def _depth(value) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if deepest > MAX_JSON_DEPTH:
                break
            stack.extend((v, level + 1) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def json_body():
    """The request's JSON (None when it is not JSON); 422 when it nests too deeply to be one of ours
    (Python's parser and validators would otherwise exhaust the stack)."""
    try:
        data = request.get_json(silent=True)
        too_deep = _depth(data) > MAX_JSON_DEPTH
    except RecursionError:
        data, too_deep = None, True
    if too_deep:
        raise APIError(422, "invalid_body", "The JSON body is nested too deeply.",
                       {"body": f"nested more than {MAX_JSON_DEPTH} levels"})
    # a NUL ("\u0000") cannot be stored in PostgreSQL's text: named here, before anything is written (the
    # write failed with a server error); the parsed body is walked only when the raw one has the escape
    if data is not None and b"\\u0000" in request.get_data(cache=True) and (where := _nul_at(data)):
        raise APIError(422, "invalid", "Some fields are not valid; nothing was changed.",
                       {where: "holds a NUL character (\\u0000), which cannot be stored: remove it"})
    return data


def _nul_at(value) -> str | None:
    """The dotted path of the first key or string holding a NUL ("entities.0.surname"), or None."""
    stack = [(value, "")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return path or "body"
        elif isinstance(item, dict):
            for key, v in item.items():
                here = f"{path}.{key}" if path else str(key)
                if "\x00" in str(key):
                    return here
                stack.append((v, here))
        elif isinstance(item, list):
            stack.extend((v, f"{path}.{i}" if path else str(i)) for i, v in enumerate(item))
    return None


def query_int(name: str, default: int, low: int, high: int, message: str | None = None) -> int:
    """A whole-number query parameter within [low, high]; 422 naming it otherwise (never a 500 for
    a 5,000-digit number or one past the database's integer range)."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(high)) and low <= int(text) <= high):
        raise APIError(422, "invalid", "Some parameters are not valid.",
                       {name: message or f"a whole number from {low} to {high}"})
    return int(text)


def parse_body(model: type[BaseModel]) -> BaseModel:
    """The request's JSON validated by `model`; 422 naming each bad field otherwise."""
    data = json_body()
    if not isinstance(data, dict):
        raise APIError(422, "invalid_body", "The body must be a JSON object.")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields = {".".join(str(p) for p in e["loc"]) or "body": plain_message(e) for e in exc.errors()}
        raise APIError(422, "invalid", "Some fields are not valid.", fields) from None


_STATUS_TEXT = {200: "OK", 201: "Created", 400: "Bad request", 401: "No valid bearer token",
                404: "Not found (or not visible to this user)", 409: "Conflict: stale version",
                413: "The request is larger than the upload limit", 422: "Invalid fields",
                429: "Too many requests"}


def endpoint(rule: str, methods: tuple[str, ...] = ("GET",), *, summary: str, tag: str,
             response: Any = None, request_model: type[BaseModel] | None = None,
             statuses: tuple[int, ...] = (), params: list[dict] | None = None,
             media_type: str | tuple[str, ...] = "application/json", auth: bool = True,
             example: dict | None = None, request_media_type: str = "application/json"):
    """Register an API route and its OpenAPI description. `media_type` may list several types (a
    download answers with the stored file's); `request_media_type` "multipart/form-data" documents
    an upload whose model has `bytes` fields for the file parts."""
    media_types = (media_type,) if isinstance(media_type, str) else tuple(media_type)

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if auth:
                authenticate_request()
            return view(*args, **kwargs)

        bp.add_url_rule(rule, view.__name__, wrapper, methods=list(methods))
        path = "/api/v1" + _openapi_path(rule)
        for method in methods:
            op: dict[str, Any] = {"summary": summary, "tags": [tag], "operationId": view.__name__,
                                  "responses": {}}
            if auth:
                op["security"] = [{"bearerAuth": []}]
            parameters = [{"name": name, "in": "path", "required": True, "schema": _path_param_schema(conv)}
                          for conv, name in _rule_params(rule)] + list(params or [])
            if parameters:
                op["parameters"] = parameters
            if request_model is not None and method in ("POST", "PUT", "PATCH"):
                content = {"schema": _schema_ref(request_model)}
                if example:
                    content["example"] = example
                op["requestBody"] = {"required": True, "content": {request_media_type: content}}
            ok = 201 if 201 in statuses else 200
            if response is not None:
                op["responses"][str(ok)] = {"description": _STATUS_TEXT[ok],
                                            "content": {mt: {"schema": _schema_ref(response)
                                                             if mt == "application/json" else {"type": "string"}}
                                                        for mt in media_types}}
            else:
                op["responses"][str(ok)] = {"description": _STATUS_TEXT[ok]}
            codes = set(statuses) | ({401} if auth else set())
            if request_model is not None:
                codes.add(422)
            if any(p["in"] == "path" for p in parameters):
                codes.add(404)
            for code in sorted(codes - {ok}):
                body = {"application/json": {"schema": _schema_ref(ErrorResponse)}}
                if code == 200:
                    body = {"application/json": {"schema": _schema_ref(response)}} if response else {}
                op["responses"][str(code)] = {"description": _STATUS_TEXT.get(code, "Error"),
                                              **({"content": body} if body else {})}
            _paths.setdefault(path, {})[method.lower()] = op
        return wrapper

    return decorator


def _rule_params(rule: str) -> list[tuple[str, str]]:
    import re

    return [(m.group(1) or "string", m.group(2)) for m in re.finditer(r"<(?:(\w+):)?(\w+)>", rule)]


def _path_param_schema(converter: str) -> dict:
    # the same bound as the app's int converter (portal.app.DatabaseIdConverter)
    return {"type": "integer", "minimum": 0, "maximum": 2**31 - 1} if converter == "int" else {"type": "string"}


def _openapi_path(rule: str) -> str:
    import re

    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


def authenticate_request() -> None:
    from portal.accounts.services import user_for_token

    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise APIError(401, "unauthorized", "Send a valid API token as 'Authorization: Bearer <token>'.")
    try:
        user = user_for_token(get_read_session(), raw.strip())
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
        # the pooled connection had died (portal.db.server.server_engine): a read, so read again on a new one
        get_read_session().rollback()
        user = user_for_token(get_read_session(), raw.strip())
    if user is None:
        raise APIError(401, "unauthorized", "The API token is unknown, revoked or its user is inactive.")
    g.api_user = user


def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "spoc-portal API", "version": "1",
                 "description": "JSON API of the Heads of SPOC portal. Authenticate with a bearer token "
                                "created on your account page or with `spoc create-token`."},
        "servers": [{"url": "/"}],
        "paths": dict(sorted(_paths.items())),
        "components": {"schemas": dict(sorted(_schemas.items())),
                       "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    }


@bp.errorhandler(APIError)
def _api_error(exc: APIError):
    """The message and the fields' messages in the token user's language (issue 19): each a catalogue message
    (APIError's message is an extraction keyword, a field's message marked N_) or a text already translated,
    which the lookup leaves as it is."""
    fields = {name: translate(message) if isinstance(message, str) else message
              for name, message in exc.fields.items()}
    return error_response(exc.status, exc.code, translate(exc.message), fields)


@contextlib.contextmanager
def nothing_done(summary: str, field: str = "body", rename: dict[str, str] | None = None):
    """An endpoint's one unit of work: a domain's rule error inside it rolls the session back and
    answers with the error's status (422 bad input, 409 a conflict), `summary` as the message a client
    shows ("The exchange was not closed.") and the field named (`field` when the rule names none;
    `rename` maps a service's argument name to the body's member)."""
    try:
        yield
    except RuleError as exc:
        get_session().rollback()
        if exc.status == 404:  # a NotFoundError: nothing to name
            raise APIError(404, exc.code, rule_message(exc)) from None
        name = exc.field or field
        raise APIError(exc.status, exc.code, translate(summary),
                       {(rename or {}).get(name, name): rule_message(exc)}) from None


@bp.errorhandler(RuleError)
def _rule_error(exc: RuleError):
    """A domain's rule refused the request (portal/errors.py): its status, and the field it names; nothing
    is committed (the request's session closes without a commit)."""
    message = rule_message(exc)  # in the reader's language; the code and the field's name stay as they are
    named = exc.field and exc.status != 404  # a NotFoundError names no field
    return error_response(exc.status, exc.code, message, {exc.field: message} if named else None)


@bp.errorhandler(HTTPException)
def _api_http_error(exc: HTTPException):
    return http_error_response(exc)


# Werkzeug's own answers (an unknown path, a method the path does not take...) as catalogue messages, so the JSON
# is in the requester's language; a description given where the error is raised is looked up as it is.
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type", 422: "invalid",
              429: "too_many_requests", 500: "server_error"}
HTTP_MESSAGES = {
    400: N_("The request is malformed."),
    401: N_("Send a valid API token as 'Authorization: Bearer <token>'."),
    403: N_("You may not do this."),
    404: N_("There is nothing at this address, or it is not yours to see."),
    405: N_("This address does not take this method."),
    413: N_("The request is too large."),
    415: N_("Send the body as JSON (Content-Type: application/json)."),
    429: N_("Too many requests: wait a moment and try again."),
    500: N_("Something went wrong. The error was logged."),
}


def http_error_response(exc: HTTPException, message: str | None = None):
    """An HTTP error as the API's JSON answer, in the requester's language: the token's user's when the request
    carries a valid token (an unknown path is answered before the API authenticates: it is looked up here)."""
    status = exc.code or 500
    if message is None:
        custom = exc.description if exc.description != type(exc).description else None
        message = custom or HTTP_MESSAGES.get(status) or exc.name
    _requester()
    return error_response(status, HTTP_CODES.get(status, "error"), translate(message))


def _requester() -> None:
    """Identify the token's user (for the answer's language) when the API has not; nothing when there is none."""
    if g.get("api_user") is not None:
        return
    try:
        authenticate_request()
    except (APIError, SQLAlchemyError):  # no token, or the database failing (a 500's cause): the browser's
        return
    from flask_babel import refresh

    refresh()  # the locale was perhaps chosen before the user was known
    g.pop("page_language", None)


@bp.route("/openapi.json")
def openapi_json():
    return jsonify(openapi_document())


# /me ------------------------------------------------------------------------------------------
__all__ = ["bp", "endpoint", "APIError", "nothing_done", "parse_body", "json_body", "query_int", "current_api_user", "openapi_document"]
