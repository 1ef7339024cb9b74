"""Hostile request bodies at the gateway: each one refused with a 4xx problem, never a 5xx, never a hang.

Beyond ``test_security.py::test_hostile_bodies_are_refused_with_4xx`` (a 2 MB body
with its length announced, invalid UTF-8 in one string, 5,000 levels of nesting,
100,000 list items, a form body sent as JSON): bodies too large sent in chunks or
announced and never sent, 100,000 levels of nesting, the largest array the size
limit lets through, other content types, NUL bytes and lone surrogates, and an
overlong value in every string field of sign-up, profile and project writes (the
fields are read from the request models, so a new field is covered too). The
gateway answers normally afterwards.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from services.gateway.routes.auth import SignUp
from services.gateway.settings import GatewaySettings
from shared.contracts.api.profile import ProfilePatch, ProjectWrite
from tests.support.journey import Person, sign_up, unique_name
from tests.support.system import System

pytestmark = pytest.mark.integration
LIMIT = GatewaySettings().max_body_bytes  # the systems under test keep the default
OVERLONG = "x" * 100_000  # far beyond any field's length, well within the body limit
# Answers to hostile bodies must come quickly: a refusal that waits for the client is a hang.
TIMEOUT = httpx.Timeout(30.0)

FieldPath = tuple[str | int, ...]


@pytest.fixture
async def client(accounts_system: System) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=accounts_system.url("gateway"), timeout=TIMEOUT) as http:
        yield http


@pytest.fixture
async def person(client: httpx.AsyncClient) -> Person:
    return await sign_up(client)


def assert_refused(response: httpx.Response, *statuses: int) -> dict[str, Any]:
    """Assert a 4xx problem+json (one of ``statuses`` when given) that echoes nothing big; return its body."""
    where = f"{response.request.method} {response.request.url.path}: {response.status_code} {response.text[:300]}"
    assert 400 <= response.status_code < 500, where
    if statuses:
        assert response.status_code in statuses, where
    assert response.headers["content-type"].startswith("application/problem+json"), where
    assert len(response.content) < 20_000, f"the refusal echoes the input back: {len(response.content)} bytes"
    problem: dict[str, Any] = response.json()
    assert problem["status"] == response.status_code and problem["code"] and problem["detail"], where
    return problem


async def assert_still_serving(client: httpx.AsyncClient, person: Person) -> None:
    assert (await client.get("/health/live")).status_code == 200
    assert (await client.get("/v1/me/profile", headers=person.auth)).status_code == 200


async def revision_of(client: httpx.AsyncClient, person: Person) -> int:
    return int((await client.get("/v1/me/profile", headers=person.auth)).json()["revision"])


# ---- Size -----------------------------------------------------------------------------------------


def chunked(size: int) -> Callable[[], AsyncIterator[bytes]]:
    """Return a body of about ``size`` bytes sent in chunks, without a Content-Length."""

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"revision": 0, "profile": {"custom_gender": "'
        for _ in range(size // 65_536 + 1):
            yield b"a" * 65_536
        yield b'"}}'

    return chunks


async def test_a_body_too_large_sent_in_chunks_without_a_length_is_refused(
    client: httpx.AsyncClient, person: Person
) -> None:
    headers = person.auth | {"content-type": "application/json"}
    response = await client.patch("/v1/me/profile", headers=headers, content=chunked(2 * LIMIT)())
    assert "content-length" not in response.request.headers  # sent chunked
    assert_refused(response)
    await assert_still_serving(client, person)


async def test_a_body_too_large_sent_in_chunks_is_answered_as_too_large(
    client: httpx.AsyncClient, person: Person
) -> None:
    headers = person.auth | {"content-type": "application/json"}
    response = await client.patch("/v1/me/profile", headers=headers, content=chunked(2 * LIMIT)())
    assert assert_refused(response, 413)["code"] == "body_too_large"


async def test_a_huge_announced_length_is_refused_before_any_body_arrives(
    accounts_system: System, client: httpx.AsyncClient, person: Person
) -> None:
    # The client announces 50 MB and sends nothing: the gateway must answer without waiting for it.
    reader, writer = await asyncio.open_connection("127.0.0.1", accounts_system.ports["gateway"])
    try:
        writer.write(
            b"PATCH /v1/me/profile HTTP/1.1\r\nhost: 127.0.0.1\r\n"
            + f"authorization: {person.auth['authorization']}\r\n".encode()
            + b"content-type: application/json\r\ncontent-length: 50000000\r\n\r\n"
        )
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), timeout=10)
    finally:
        writer.close()
    assert status_line.startswith(b"HTTP/1.1 413"), status_line
    await assert_still_serving(client, person)


async def test_the_largest_array_the_limit_lets_through_is_refused_quickly(
    client: httpx.AsyncClient, person: Person
) -> None:
    envelope = b'{"revision": 0, "profile": {"frustrations": []}}'
    items = (LIMIT - len(envelope)) // 2  # "0," per item: as many as fit under the limit
    body = envelope.replace(b"[]", b"[" + b"0," * (items - 1) + b"0]")
    assert len(body) <= LIMIT and items > 400_000
    headers = person.auth | {"content-type": "application/json"}
    problem = assert_refused(await client.patch("/v1/me/profile", headers=headers, content=body), 422)
    assert any(error["field"].startswith("profile.frustrations") for error in problem["errors"])
    # The same count as the whole body (an array where an object is expected)...
    whole = b"[" + b"0," * (items - 1) + b"0]"
    assert_refused(await client.patch("/v1/me/profile", headers=headers, content=whole), 422)
    # ...and a million items, past the limit.
    million = b"[" + b"0," * 999_999 + b"0]"
    assert_refused(await client.post("/v1/auth/signup", headers=headers, content=million), 413)
    await assert_still_serving(client, person)


# ---- Shape and encoding ----------------------------------------------------------------------------

SIGN_UP = {"first_name": "Zéphyrine", "email": "hostile@example.org", "password": "un long mot de passe"}
HOSTILE_JSON: dict[str, bytes] = {
    "100,000 levels of nesting": b'{"revision": 0, "profile": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "100,000 unclosed brackets": b"[" * 100_000,
    "100,000 levels of objects": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "invalid UTF-8 in a key": b'{"revision": 0, "pro\xfffile": {}}',
    "invalid UTF-8 outside strings": b'{"revision": 0,\xc0\xaf "profile": {}}',
    "a UTF-8 byte order mark then junk": b"\xef\xbb\xbf\xff",
    "a raw NUL inside a string": b'{"revision": 0, "profile": {"custom_gender": "a\x00b"}}',
    "a raw NUL between tokens": b'{"revision": 0,\x00 "profile": {}}',
    "only NUL bytes": b"\x00" * 1000,
    "an empty body": b"",
    "JSON followed by junk": b'{"revision": 0}{"revision": 1}',
    "a number too large for any field": b'{"revision": 1' + b"0" * 5000 + b"}",
    "a float revision": b'{"revision": 1e400}',
    "NaN": b'{"revision": NaN}',
}


@pytest.mark.parametrize("body", HOSTILE_JSON.values(), ids=HOSTILE_JSON.keys())
async def test_malformed_json_is_refused(client: httpx.AsyncClient, person: Person, body: bytes) -> None:
    headers = person.auth | {"content-type": "application/json"}
    assert_refused(await client.patch("/v1/me/profile", headers=headers, content=body))
    assert_refused(await client.post("/v1/auth/signup", headers={"content-type": "application/json"}, content=body))
    await assert_still_serving(client, person)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", json.dumps({"revision": 0, "profile": {}}).encode()),
        ("application/x-www-form-urlencoded", b"revision=0&profile=%7B%7D"),
        (
            "multipart/form-data; boundary=b",
            b'--b\r\nContent-Disposition: form-data; name="revision"\r\n\r\n0\r\n--b--',
        ),
        ("application/xml", b"<profile><revision>0</revision></profile>"),
        ("application/octet-stream", b"\x00\x01\x02\x03"),
    ],
    ids=["text", "form", "multipart", "xml", "binary"],
)
async def test_a_body_that_is_not_json_is_refused(
    client: httpx.AsyncClient, person: Person, content_type: str, body: bytes
) -> None:
    response = await client.patch("/v1/me/profile", headers=person.auth | {"content-type": content_type}, content=body)
    assert_refused(response, 415, 422)
    signup = await client.post(
        "/v1/auth/signup", headers={"content-type": content_type}, content=json.dumps(SIGN_UP).encode()
    )
    assert_refused(signup, 415, 422)
    await assert_still_serving(client, person)


# ---- Every string field -----------------------------------------------------------------------------


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _alternatives(schema: dict[str, Any], root: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _resolve(schema, root)
    options = schema.get("anyOf", [schema])
    return [_resolve(option, root) for option in options if option.get("type") != "null"]


def minimal(schema: dict[str, Any], root: dict[str, Any]) -> Any:
    """Return a small valid value for a JSON schema: required properties, documented examples."""
    option = _alternatives(schema, root)[0]
    if option.get("type") == "object":
        properties = option.get("properties", {})
        return {name: minimal(properties[name], root) for name in option.get("required", [])}
    if option.get("type") == "array":
        return []
    for key in ("examples", "enum"):
        if key in option:
            return option[key][0]
    return option.get("minimum", 0) if option.get("type") == "integer" else "x"


def string_fields(schema: dict[str, Any], root: dict[str, Any], path: FieldPath = ()) -> Iterator[FieldPath]:
    """Yield the path of every place a string goes in a body, list items as index 0."""
    for option in _alternatives(schema, root):
        kind = option.get("type")
        if kind == "string":
            yield path
        elif kind == "object":
            for name, inner in option.get("properties", {}).items():
                yield from string_fields(inner, root, (*path, name))
        elif kind == "array" and "items" in option:
            yield from string_fields(option["items"], root, (*path, 0))


def with_value(body: dict[str, Any], schema: dict[str, Any], path: FieldPath, value: Any) -> dict[str, Any]:
    """Return a copy of a valid body with ``value`` at ``path``, its containers made minimal and valid."""
    copy: dict[str, Any] = json.loads(json.dumps(body))
    here: Any = copy
    current = schema
    for step, following in itertools.pairwise(path):
        option = _alternatives(current, schema)[0]
        current = option["properties"][step] if isinstance(step, str) else option["items"]
        if isinstance(step, str) and step not in here:
            here[step] = [] if isinstance(following, int) else minimal(current, schema)
        if isinstance(step, int) and not here:
            here.append(minimal(current, schema))
        here = here[step]
    if isinstance(path[-1], int):
        here.append(value)
    else:
        here[path[-1]] = value
    return copy


def dotted(path: FieldPath) -> str:
    return ".".join(str(step) for step in path)


def cases(model: type[BaseModel]) -> list[FieldPath]:
    schema = model.model_json_schema()
    return list(string_fields(schema, schema))


def test_every_string_field_of_the_writes_is_found() -> None:
    # The walk over the request models must reach nested and list fields, or the checks below prove little.
    assert {("first_name",), ("email",), ("password",), ("locale",)} <= set(cases(SignUp))
    assert {
        ("profile", "custom_gender"),
        ("profile", "custom_frustrations", 0),
        ("profile", "languages", 0, "code"),
    } <= (set(cases(ProfilePatch)))
    assert ("preferences", "time_zone") in cases(ProfilePatch)
    assert ("project", "job_code_ogr") in cases(ProjectWrite)


def sign_up_body() -> dict[str, Any]:
    name = unique_name()
    return SIGN_UP | {"first_name": name, "email": f"{name.lower()}@example.org".replace("é", "e")}


async def _refused_naming(response: httpx.Response, path: FieldPath) -> list[str]:
    """Return what is wrong with a refusal of ``path``'s value (nothing when it is a 422 naming the field)."""
    if response.status_code != 422 or not response.headers["content-type"].startswith("application/problem+json"):
        return [f"{dotted(path)}: {response.status_code} {response.text[:200]}"]
    fields = [error["field"] for error in response.json().get("errors", [])]
    if dotted(path) not in fields:
        return [f"{dotted(path)}: the refusal names {fields}"]
    if len(response.content) >= 20_000:
        return [f"{dotted(path)}: the refusal echoes the input ({len(response.content)} bytes)"]
    return []


async def test_an_overlong_value_in_any_string_field_is_refused_naming_the_field(
    client: httpx.AsyncClient, person: Person
) -> None:
    wrong: list[str] = []
    schema = SignUp.model_json_schema()
    for path in string_fields(schema, schema):
        body = with_value(sign_up_body(), schema, path, OVERLONG)
        wrong += await _refused_naming(await client.post("/v1/auth/signup", json=body), path)
    for model, method, url in (
        (ProfilePatch, "PATCH", "/v1/me/profile"),
        (ProjectWrite, "POST", "/v1/me/projects"),
    ):
        schema = model.model_json_schema()
        for path in string_fields(schema, schema):
            body = with_value(
                minimal(schema, schema) | {"revision": await revision_of(client, person)}, schema, path, OVERLONG
            )
            wrong += await _refused_naming(await client.request(method, url, headers=person.auth, json=body), path)
    assert wrong == [], "\n".join(wrong)
    await assert_still_serving(client, person)


async def fields_accepting(client: httpx.AsyncClient, person: Person, text: str) -> list[str]:
    """Return what accepted ``text`` among the first name and the free-text fields."""
    # json.dumps writes them as \u escapes: valid JSON, so only validation can refuse them.
    wrong: list[str] = []
    headers = {"content-type": "application/json"}
    body = json.dumps(sign_up_body() | {"first_name": text})
    wrong += await _refused_naming(await client.post("/v1/auth/signup", headers=headers, content=body), ("first_name",))
    for path, value in ((("profile", "custom_gender"), text), (("profile", "custom_frustrations"), [text])):
        patch = {"revision": await revision_of(client, person), "profile": {"gender": "CUSTOM", path[1]: value}}
        response = await client.patch("/v1/me/profile", headers=person.auth | headers, content=json.dumps(patch))
        wrong += await _refused_naming(response, path if isinstance(value, str) else (*path, 0))
    await assert_still_serving(client, person)
    return wrong


async def test_a_lone_surrogate_in_names_and_free_text_is_refused(client: httpx.AsyncClient, person: Person) -> None:
    # Text that cannot be encoded would break every email, log line and export that carries it.
    wrong = await fields_accepting(client, person, "Zé\ud800phyrine")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize(
    "text",
    ["Zé\x00phyrine", "Zé\x1bphyrine", "Zé\x9bphyrine", "Zé\u202ephyrine", "Zé\u2066phyrine"],
    ids=["NUL", "ESC", "C1 CSI", "right-to-left override", "left-to-right isolate"],
)
async def test_control_characters_in_names_and_free_text_are_refused(
    client: httpx.AsyncClient, person: Person, text: str
) -> None:
    wrong = await fields_accepting(client, person, text)
    assert wrong == [], "\n".join(wrong)


# ---- The reason, in the reader's language ----------------------------------------------------------


async def refusal_in_both_languages(client: httpx.AsyncClient, method: str, url: str, **request: Any) -> list[Any]:
    """Return the errors of the same refused request read in French (the default) and in English."""
    errors = []
    for language in ("fr-FR,fr", "en-GB,en"):
        headers = dict(request.pop("headers", {})) | {"accept-language": language}
        response = await client.request(method, url, headers=headers, **request)
        request["headers"] = headers
        assert_refused(response, 422)
        assert response.headers["content-language"] == language[:2]
        errors.append(response.json()["errors"])
    return errors


async def test_a_hostile_text_is_refused_naming_the_field_and_the_reason_in_french_and_english(
    client: httpx.AsyncClient, person: Person
) -> None:
    # A profile field (a hidden character that turns the text around)...
    patch = {
        "revision": await revision_of(client, person),
        "profile": {"gender": "CUSTOM", "custom_gender": "non\u202ebinaire"},
    }
    french, english = await refusal_in_both_languages(
        client, "PATCH", "/v1/me/profile", headers=person.auth, json=patch
    )
    assert french == [
        {
            "field": "profile.custom_gender",
            "code": "bidi_control",
            "reason": "Ce texte contient un caractère invisible qui change le sens d'écriture ; "
            "retapez-le sans copier-coller.",
        }
    ]
    assert english == [
        {
            "field": "profile.custom_gender",
            "code": "bidi_control",
            "reason": "This text holds an invisible character that changes the writing direction; "
            "type it again rather than pasting it.",
        }
    ]
    # ...a first name at sign-up that is a link in the welcome email...
    body = sign_up_body() | {"first_name": "Gagnez sur http://spam.example"}
    french, english = await refusal_in_both_languages(client, "POST", "/v1/auth/signup", json=body)
    assert [(e["field"], e["code"]) for e in french] == [("first_name", "looks_like_an_address")]
    assert french[0]["reason"].startswith("Indiquez votre prénom, pas une adresse email ou web")
    assert english[0]["reason"].startswith("Give your first name, not an email or web address")
    markup = await client.post("/v1/auth/signup", json=sign_up_body() | {"first_name": "{{7*7}}"})
    assert [(e["field"], e["code"]) for e in assert_refused(markup, 422)["errors"]] == [("first_name", "markup")]
    # ...and a message between a job seeker and a volunteer that would rewrite a terminal (refused at the edge,
    # whatever the request: nothing reaches the volunteers service).
    message = {"body": "Bonjour,\n\x1b[2J\x1b[31mvotre compte est bloqué"}
    french, english = await refusal_in_both_languages(
        client, "POST", "/v1/me/help-requests/rq_nothing/messages", headers=person.auth, json=message
    )
    assert french == [
        {
            "field": "body",
            "code": "control_character",
            "reason": "Ce texte contient un caractère de contrôle invisible ; retapez-le sans copier-coller.",
        }
    ]
    assert (
        english[0]["reason"] == "This text holds an invisible control character; type it again rather than pasting it."
    )
    # Real names and line breaks in a message go through.
    for name in ("Marie-Hélène", "N'Golo", "李"):
        signed_up = await client.post("/v1/auth/signup", json=sign_up_body() | {"first_name": name})
        assert signed_up.status_code == 201, signed_up.text


# ---- Links from emails ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token", ["abc", "x", "not a token at all", "é" * 12], ids=["truncated", "one character", "words", "accents"]
)
async def test_a_truncated_or_altered_email_link_is_an_invalid_link(client: httpx.AsyncClient, token: str) -> None:
    # What the person reads then says what to do instead (docs/API.md: 403 invalid_link), not "invalid format".
    for method, url, request in (
        ("GET", "/v1/emails/unsubscribe", {"params": {"token": token}}),
        ("POST", "/v1/emails/unsubscribe", {"json": {"token": token, "choice": "stop"}}),
        ("POST", "/v1/emails/unsubscribe", {"json": {"token": token, "choice": "delete-account", "confirm": True}}),
        ("POST", "/v1/emails/unsubscribe/one-click", {"params": {"token": token}}),
        ("GET", "/v1/surveys/nps", {"params": {"token": token}}),
        ("POST", "/v1/surveys/nps", {"json": {"token": token, "answers": {"score": 9}}}),
    ):
        response = await client.request(method, url, **request)
        assert assert_refused(response, 403)["code"] == "invalid_link", f"{method} {url}"
