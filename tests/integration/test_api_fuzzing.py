"""Schemathesis over the gateway's OpenAPI document: no server error, no answer outside the document, and
no valid request refused.

Each operation gets generated requests that the document says are valid, from a
person with a complete profile; every answer must be below 500, have a
documented status code and content type, match its documented schema, and not
refuse the request as invalid (``positive_data_acceptance``): where the document
allows what a route refuses, the document is wrong and is fixed. A few rules no
JSON schema can state are listed in ``BEYOND_THE_SCHEMA``, each with its reason.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import PositiveDataAcceptanceConfig
from schemathesis.openapi import from_dict

from tests.support.journey import complete_profile, sign_up
from tests.support.system import Broker, System, start_system

pytestmark = pytest.mark.integration
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
# Left out: the endless live stream, and erasing the very person the fuzzer acts as.
SKIPPED = {("GET", "/v1/me/events"), ("DELETE", "/v1/me")}
UNLIMITED = '{"per_address": "100000/minute", "per_address_account": "100000/minute", "per_account": "100000/minute"}'
# What a valid request may still be answered: 2xx; 401/403 (not this person's to do); 404 (an id that does not
# exist: the generated match, request, action and document ids name nobody's); 409 (a state conflict: a stale
# revision, a pledge already made, an action that cannot move to that status); 429. Never 400, 413, 415 or 422.
# (5xx are not_a_server_error's.)
VALID_REQUEST_STATUSES = ["2xx", "401", "403", "404", "409", "429", "5xx"]
# Refusals of valid-looking data by rules no JSON schema can state, by error code: a 422 made of these only
# passes. Any other 422 to a valid request means the document says less than the route checks.
BEYOND_THE_SCHEMA = {
    # Registries of thousands of codes: the document gives the shape (pattern), not the list.
    "unknown_code": "a ROME job group or domain, a job title, a commune that does not exist",
    "unknown_time_zone": "a name that is not in the IANA time zone database",
    "no_coordinates": "a commune without coordinates cannot host a coffee in person",
    # Agreement with another field or with what is stored, which the schema of a change cannot see.
    "does_not_match_job_title": "the ROME code of another job title than the one chosen",
    "requires_custom_gender": "a custom gender label while the gender (sent or stored) is not CUSTOM",
    "contradicts_started_at": "a search that has not started, with a day it started (sent or stored)",
    # Days measured from today, which a JSON schema has no word for.
    "in_the_future": "a search that started after today",
    "too_old": "a search that started more than 60 years ago",
    "out_of_range": "a year of birth outside 14 to 100 years before today",
    "must_not_be_in_the_past": "an action planned before today",
    "must_be_after_today": "a snooze that ends today or before",
    "date_in_the_past": "a pause or a coffee before today",
    "date_too_far": "a pause or a coffee too far ahead",
    # The password policy needs the person's address and name and the list of the most used passwords.
    "password_too_common": "one of the most used passwords",
    "password_too_guessable": "a sequence, a repetition, a date",
    "password_is_personal": "close to the email address or the first name",
}
# A change of the pledge is checked as a whole pledge with what is stored: adding coffee-chat to the kinds
# needs coffee options the stored pledge may not have (a state the schema of the change does not know).
BEYOND_THE_SCHEMA_OF = {("PATCH", "/v1/volunteers/me/pledge"): {"missing", "coffee_needs_a_place"}}
# `format: email` is an address's syntax. EmailStr (email-validator) also refuses the special-use domains no
# mail reaches (RFC 6761: .test, .invalid, .localhost), which schemathesis draws on purpose; draw others.
schemathesis.openapi.format(
    "email", st.from_regex(r"[a-z0-9]{1,12}([._+-][a-z0-9]{1,8})?@[a-z0-9]{1,15}\.(fr|org|com|net)", fullmatch=True)
)


def beyond_the_schema(case: Any, response: Any) -> bool:
    """Return whether a 422 refuses the request only for rules no JSON schema can state."""
    if response.status_code != 422:
        return False
    try:
        codes = {error["code"] for error in response.json()["errors"]}
    except (ValueError, KeyError, TypeError):
        return False
    allowed = BEYOND_THE_SCHEMA.keys() | BEYOND_THE_SCHEMA_OF.get((case.method.upper(), case.operation.path), set())
    return bool(codes) and codes <= allowed


def valid_requests_accepted(ctx: Any, response: Any, case: Any) -> bool | None:
    """positive_data_acceptance, but for the refusals listed in BEYOND_THE_SCHEMA."""
    if beyond_the_schema(case, response):
        return None
    return positive_data_acceptance(ctx, response, case)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
async def fuzz_target(broker: Broker, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, Any]]:
    system: System = await start_system(
        broker,
        tmp_path_factory.mktemp("fuzz") / "var",
        extra_env={
            "GATEWAY_RATE_LIMIT_LOGIN": UNLIMITED,
            "GATEWAY_RATE_LIMIT_LINK": UNLIMITED,
            "GATEWAY_RATE_LIMIT_PASSWORD": UNLIMITED,
        },
    )
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
        person = await sign_up(client)
        await complete_profile(client, person)
        openapi = (await client.get("/openapi.json")).json()
    yield {"url": system.url("gateway"), "auth": person.auth, "openapi": openapi}
    system.stop()


def fuzz_operation(operation: Any, base_url: str, auth: dict[str, str]) -> None:
    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        case.call_and_validate(
            base_url=base_url,
            headers=auth,
            checks=[
                not_a_server_error,
                valid_requests_accepted,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
            ],
            excluded_checks=[],
            timeout=15,
        )

    run()


async def test_the_gateway_survives_generated_requests(fuzz_target: dict[str, Any]) -> None:
    schema = from_dict(fuzz_target["openapi"])
    schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
        expected_statuses=VALID_REQUEST_STATUSES
    )
    failures: list[str] = []
    tested = 0
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        tested += 1
        try:
            await asyncio.to_thread(fuzz_operation, operation, fuzz_target["url"], fuzz_target["auth"])
        except (Exception, BaseExceptionGroup) as error:  # schemathesis' FailureGroup is a BaseExceptionGroup
            failures.append(f"{operation.method.upper()} {operation.path}: {str(error)[:1500]}")
    assert tested >= 20
    assert not failures, "\n\n".join(failures)
