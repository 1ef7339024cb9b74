"""Partners see pseudonymous, limited copies of events, and nothing of people who did not consent."""

from __future__ import annotations

from services.partners.feed import partner_events, pseudonym
from shared.contracts.advice import ActionDue, ActionDueData
from shared.contracts.diagnostic import DiagnosisReady, DiagnosisReadyData
from shared.contracts.profile import ProfileFacts, ProfileUpdatedData, ProjectFacts

KEYS = {"lab": "key-one-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "city": "key-two-yyyyyyyyyyyyyyyyyyyyyyyyyyyy"}
SUBJECT = "u_0123456789abcdef"


def diagnosis() -> DiagnosisReady:
    basis = ProfileUpdatedData(
        revision=2,
        registered_at="2026-11-01",
        profile=ProfileFacts(year_of_birth=1968, has_handicap=True),
        projects=[
            ProjectFacts(project_id="p1", rome_code="K2204", departement="69", city_insee="69123", min_salary=30000)
        ],
    )
    return DiagnosisReady(
        subject=SUBJECT,
        data=DiagnosisReadyData(
            diagnosis_id="d",
            project_id="p1",
            profile_revision=2,
            main_challenge="stuck-market",
            overall_score=40,
            fingerprint="f",
            basis=basis,
        ),
    )


def test_each_partner_gets_its_own_unlinkable_pseudonym() -> None:
    events = partner_events(diagnosis(), KEYS)
    assert [e.partner_id for e in events] == ["city", "lab"]
    assert events[0].subject != events[1].subject
    assert SUBJECT not in events[0].model_dump_json()
    assert events[0].subject == pseudonym(KEYS["city"], SUBJECT)  # stable for one partner
    assert events[0].destination() == "partner.city"


def test_partners_see_only_the_allowed_fields() -> None:
    body = partner_events(diagnosis(), KEYS)[0].model_dump_json()
    assert '"main_challenge":"stuck-market"' in body and '"departement":"69"' in body
    for private in ("1968", "has_handicap", "69123", "30000", "year_of_birth"):
        assert private not in body


def test_action_due_copies_carry_the_template_only() -> None:
    due = ActionDue(
        subject=SUBJECT,
        data=ActionDueData(
            action_id="a1",
            template_id="ask-cv-review",
            project_id="p1",
            due_on="2026-11-22",
            title="Faire relire",
            duration_minutes=30,
            rome_code="K2204",
            city_insee="69123",
        ),
    )
    (event, _) = partner_events(due, KEYS)
    assert event.data.kind == "action-due" and "Faire relire" not in event.model_dump_json()
