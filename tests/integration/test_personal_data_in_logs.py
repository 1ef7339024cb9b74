"""No personal data in any service's log: a full journey, wrong turns included, then every log file is read.

A person signs up with a distinctive first name and email, writes free text (with
a phone number and another person's name in it) in every free-text field of the
profile and in an action of their own, completes a project, gets a diagnosis and
a plan, asks for a login link, makes the usual mistakes (a wrong password, an
address already taken, personal data typed in the wrong field), and is erased.
Not one of those values may appear in ``<var>/logs/<service>.log`` of any service,
at the DEBUG level, where logs say the most. (Kafka topics and span attributes
are checked by ``test_privacy.py`` and ``test_traces.py``.)
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support.journey import Person, complete_profile, sign_up, unique_name
from tests.support.mail import read_mail
from tests.support.system import SERVICES, Broker, System, eventually, start_system

pytestmark = pytest.mark.integration
PHONE = "06 47 82 19 53"
# Everything the person typed, by field; the phone number and a third person's name inside.
TYPED = {
    "custom_gender": f"genre-libre-{uuid.uuid4().hex[:6]}",
    "custom_frustration": f"Mon ancien chef Anatole Brisebois ne répond plus au {PHONE}",
    "action_title": f"Rappeler Anatole Brisebois au {PHONE.replace(' ', '')}",
}
CONSUMERS = ("diagnostic", "advice", "notifications", "volunteers", "partners")


@pytest.fixture(scope="module")
async def logged(broker: Broker, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[System]:
    system = await start_system(broker, tmp_path_factory.mktemp("logs") / "var", extra_env={"LOG_LEVEL": "DEBUG"})
    yield system
    system.stop()


async def erased_everywhere(client: httpx.AsyncClient, system: System) -> bool:
    """Return True once every consuming service has applied an erasure."""
    for service in CONSUMERS:
        text = (await client.get(system.url(service) + "/metrics")).text
        applied = sum(
            sample.value
            for family in text_string_to_metric_families(text)
            if family.name == "coach_events"
            for sample in family.samples
            if sample.labels.get("topic") == system.prefix + "user-erased" and sample.labels.get("outcome") == "applied"
        )
        if applied < 1:
            return False
    return True


async def journey(client: httpx.AsyncClient, system: System) -> Person:
    """Walk a person through the whole product, wrong turns included, and erase them."""
    person = await sign_up(client, first_name=unique_name("Eulalie"))
    email = person.email or ""
    await complete_profile(
        client,
        person,
        secrets={"custom_gender": TYPED["custom_gender"], "custom_frustration": TYPED["custom_frustration"]},
    )
    diagnoses = await eventually(lambda: _listed(client, "/v1/me/diagnosis", person), timeout=30)
    assert diagnoses, "no diagnosis"

    async def planned() -> bool:
        plan = (await client.get("/v1/me/plan", headers=person.auth)).json()
        return bool(plan.get("actions"))

    await eventually(planned, timeout=30)
    own = await client.post("/v1/me/plan/actions", headers=person.auth, json={"title": TYPED["action_title"]})
    assert own.status_code == 201, own.text

    before = set(system.mails())
    assert (await client.post("/v1/auth/login-link", json={"email": email})).status_code == 202
    await eventually(lambda: [m for m in system.mails() if m not in before and email in read_mail(m).to], timeout=20)

    # Wrong turns: where personal data reaches error paths, which are the ones that log.
    wrong_password = await client.post("/v1/auth/login", json={"email": email, "password": "pas le bon mot de passe"})
    assert wrong_password.status_code == 401
    again = await client.post(
        "/v1/auth/signup", json={"first_name": person.first_name, "email": email, "password": "un long mot de passe"}
    )
    assert again.status_code < 500
    revision = (await client.get("/v1/me/profile", headers=person.auth)).json()["revision"]
    misplaced = await client.patch(
        "/v1/me/profile", headers=person.auth, json={"revision": revision, "preferences": {"time_zone": email}}
    )
    assert misplaced.status_code == 422, misplaced.text
    phone_as_city = await client.post(
        "/v1/me/projects", headers=person.auth, json={"revision": revision, "project": {"city_insee": PHONE}}
    )
    assert phone_as_city.status_code == 422
    await client.get("/v1/reference/cities", params={"q": person.first_name})

    assert (await client.delete("/v1/me", headers=person.auth)).status_code == 202
    await eventually(lambda: erased_everywhere(client, system), timeout=60, interval=0.5)
    return person


async def _listed(client: httpx.AsyncClient, path: str, person: Person) -> list[object]:
    answer = await client.get(path, headers=person.auth)
    return list(answer.json()) if answer.status_code == 200 else []


async def test_no_name_email_phone_or_typed_text_in_any_log(logged: System) -> None:
    async with httpx.AsyncClient(base_url=logged.url("gateway"), timeout=15) as client:
        person = await journey(client, logged)
    email = person.email or ""
    personal = {
        "first name": person.first_name,
        "email": email,
        "email's local part": email.split("@")[0],
        "phone": PHONE,
        "phone, digits only": PHONE.replace(" ", ""),
        "a third person's name": "Brisebois",
        **{f"typed {field}": text for field, text in TYPED.items()},
    }
    logs = {service: logged.log(service) for service in SERVICES}
    for service, text in logs.items():
        assert "Application startup complete." in text, f"no log of {service} in {logged.var_dir / 'logs'}"
    assert '"level":"DEBUG"' in "".join(logs.values()), "the services did not log at DEBUG"
    leaks = [
        f"{what} in {service}.log: {line[:300]}"
        for service, text in logs.items()
        for line in text.splitlines()
        for what, value in personal.items()
        if value in line
    ]
    assert leaks == [], "\n".join(leaks)
