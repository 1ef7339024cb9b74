"""Answers the reference product accepted are accepted (mapped where its scale differs); other values are refused
naming the allowed ones; "no experience" and "I do not know" are true answers; every problem of a save comes in
one answer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest

from services.gateway.problems import reason
from services.profile.completeness import project_missing_fields
from services.profile.edits import read_profile_patch, read_project_write
from services.profile.facts import project_facts
from services.profile.repository import INDEXES
from services.profile.routes.accounts import AccountCreate, create_account
from services.profile.routes.profiles import add_project, patch_profile
from services.profile.settings import ProfileSettings
from services.profile.state import ProfileState
from shared.contracts.api.profile import ProfileInput, ProjectInput
from shared.contracts.vocabulary import Seniority, SeniorityAnswer
from shared.metrics import ServiceMetrics
from shared.outbox import OUTBOX_INDEXES, Outbox
from shared.problems import InvalidInputError
from shared.reference.geo import load_geo
from shared.reference.rome import load_rome
from shared.service import ServiceRuntime
from shared.settings import default_data_dir
from shared.store.sqlite import SqliteStore
from shared.telemetry import new_metrics_registry

TODAY = date(2026, 11, 22)
ROME, GEO = load_rome(default_data_dir()), load_geo(default_data_dir())


@pytest.mark.parametrize(
    ("field", "sent", "kept"),
    [
        ("seniority", "NO_SENIORITY", "NO_SENIORITY"),  # the reference's ProjectSeniority.NO_SENIORITY
        ("seniority", "UNKNOWN_PROJECT_SENIORITY", None),
        ("network_estimate", -1, -1),  # the reference's "unknown": "je ne sais pas"
        ("network_estimate", 0, None),  # proto3's zero: not answered
        ("network_estimate", 4, 3),  # the reference's clients read 3 and more as "very good contacts"
        ("network_estimate", 3, 3),
        ("passionate_level", "LIFE_GOAL_JOB", "LIFE_GOAL"),
        ("passionate_level", "ALIMENTARY_JOB", "ALIMENTARY"),
        ("kind", "CREATE_COMPANY", "CREATE_OR_TAKE_OVER_COMPANY"),
        ("kind", "TAKE_OVER_COMPANY", "CREATE_OR_TAKE_OVER_COMPANY"),
        ("kind", "UNKNOWN_PROJECT_KIND", None),
        (
            "employment_types",
            ["ALTERNANCE", "CDD", "UNDEFINED_EMPLOYMENT_TYPE"],
            ["APPRENTICESHIP", "CDD_OVER_3_MONTHS"],
        ),
        ("employment_types", ["ANY_CONTRACT_LESS_THAN_A_MONTH"], ["CDD_LESS_EQUAL_3_MONTHS", "INTERIM"]),
        ("workloads", ["UNKNOWN_PROJECT_WORKLOAD", "FULL_TIME"], ["FULL_TIME"]),
        ("previous_job_similarity", "UNKNOWN_PROJECT_EXPERIENCE", None),
        ("training_fulfillment_estimate", "UNKNOWN_TRAINING_FULFILLMENT", None),
        ("weekly_offers_estimate", "UNKNOWN_NUMBER_ESTIMATE_OPTION", None),
        ("area_type", "UNKNOWN_AREA_TYPE", None),
        ("has_resume", "TRUE", True),
        ("has_resume", "FALSE", False),
        ("has_resume", "UNKNOWN_BOOL", None),
        ("job_search_started_at", "2017-01-04T19:19:24.249Z", "2017-01-04"),  # the reference sent a timestamp
        ("min_salary", 21000.4, 21000),  # the reference kept salaries as floats
    ],
)
def test_every_project_answer_the_reference_accepted_is_accepted(field: str, sent: Any, kept: Any) -> None:
    assert ProjectInput.model_validate({field: sent}).model_dump(mode="json")[field] == kept


@pytest.mark.parametrize(
    ("field", "sent", "kept"),
    [
        ("gender", "UNKNOWN_GENDER", "UNKNOWN"),
        ("highest_degree", "UNKNOWN_DEGREE", None),
        ("family_situation", "UNKNOWN_FAMILY_SITUATION", None),
        ("frustrations", ["UNKNOWN_JOB_SEARCH_FRUSTRATION", "NO_OFFERS"], ["NO_OFFERS"]),
        ("driving_licenses", ["UNKNOWN_DRIVING_LICENSE", "CAR"], ["CAR"]),
        ("year_of_birth", 0, None),  # proto3's zero: not given
    ],
)
def test_every_personal_answer_the_reference_accepted_is_accepted(field: str, sent: Any, kept: Any) -> None:
    assert ProfileInput.model_validate({field: sent}).model_dump(mode="json")[field] == kept


def refusal(field: str, value: Any) -> tuple[str, dict[str, Any]]:
    with pytest.raises(InvalidInputError) as refused:
        read_project_write(
            {"revision": 0, "project": {field: value}},
            None,
            project_id="p1",
            rome=ROME,
            geo=GEO,
            today=TODAY,
            stored_revision=0,
        )
    [problem] = refused.value.problems
    assert problem.field == f"project.{field}"
    return problem.code, problem.params


def test_a_value_no_scale_knows_is_refused_with_the_allowed_values_in_french_and_english() -> None:
    code, params = refusal("network_estimate", 5)
    assert reason(code, params, 0) == (
        "Choisissez -1 (je ne sais pas), 1 (presque personne), 2 (quelques personnes) ou 3 (beaucoup de monde)."
    )
    assert reason(code, params, 1).startswith("Choose -1 (I do not know), 1 (hardly anyone)")
    code, params = refusal("seniority", "NONE")
    french = reason(code, params, 0)
    assert french.startswith("Cette valeur n'est pas dans la liste proposée : 'NO_SENIORITY', 'INTERN'")
    assert french.endswith("'EXPERT' ou 'CARREER'.")
    assert reason(code, params, 1).endswith("'EXPERT' or 'CARREER'.")


def test_no_experience_and_i_do_not_know_are_answers_published_truthfully() -> None:
    stored = {"project_id": "p1", "seniority": "NO_SENIORITY", "network_estimate": -1}
    facts = project_facts(stored)
    assert facts.seniority is None and facts.no_seniority is True and facts.seniority_rank == -1
    assert facts.network_estimate is None  # nothing to estimate from: no consumer reads -1 as "weak"
    assert "seniority" not in project_missing_fields(stored)
    assert "network_estimate" not in project_missing_fields(stored)  # answered: not asked again
    expert = project_facts({"project_id": "p1", "seniority": "EXPERT"})
    assert expert.seniority is Seniority.EXPERT and expert.no_seniority is False and expert.seniority_rank == 4


def test_the_seniority_answers_are_the_published_seniorities_and_none() -> None:
    assert [a.value for a in SeniorityAnswer] == ["NO_SENIORITY", *(s.value for s in Seniority)]
    assert [a.rank for a in SeniorityAnswer] == [-1, 0, 1, 2, 3, 4, 5]


def test_a_bad_format_and_an_unknown_job_code_come_in_one_answer() -> None:
    with pytest.raises(InvalidInputError) as refused:
        read_project_write(
            {
                "revision": 0,
                "project": {
                    "city_insee": "69-123",  # format
                    "job_code_ogr": "99999999",  # unknown in the ROME
                    "job_search_started_at": "2031-02-30",  # format (no such day)
                    "seniority": "SENIOR",  # fine
                },
            },
            None,
            project_id="p1",
            rome=ROME,
            geo=GEO,
            today=TODAY,
            stored_revision=0,
        )
    assert {(p.field, p.code) for p in refused.value.problems} == {
        ("project.city_insee", "string_pattern_mismatch"),
        ("project.job_code_ogr", "unknown_code"),
        ("project.job_search_started_at", "date_from_datetime_parsing"),
    }


def test_a_profile_save_lists_its_format_and_its_range_problems_at_once() -> None:
    doc: dict[str, Any] = {"profile": {}, "preferences": {}}
    with pytest.raises(InvalidInputError) as refused:
        read_profile_patch(
            {
                "revision": 0,
                "profile": {"gender": "ROBOT", "year_of_birth": 1850},
                "preferences": {"time_zone": "Mars/Olympus", "locale": "tlh"},
            },
            doc,
            today=TODAY,
            stored_revision=0,
        )
    assert {(p.field, p.code) for p in refused.value.problems} == {
        ("profile.gender", "enum"),
        ("profile.year_of_birth", "out_of_range"),
        ("preferences.locale", "enum"),
        ("preferences.time_zone", "unknown_time_zone"),
    }


def test_without_a_revision_the_values_are_still_checked() -> None:
    with pytest.raises(InvalidInputError) as refused:
        read_project_write(
            {"project": {"city_insee": "99999"}},
            None,
            project_id="p1",
            rome=ROME,
            geo=GEO,
            today=TODAY,
            stored_revision=0,
        )
    assert {(p.field, p.code) for p in refused.value.problems} == {
        ("revision", "missing"),
        ("project.city_insee", "unknown_code"),
    }


@pytest.fixture
async def runtime() -> AsyncIterator[ServiceRuntime]:
    store = SqliteStore(":memory:")
    await store.ensure_indexes([*OUTBOX_INDEXES, *INDEXES])
    yield ServiceRuntime(
        settings=ProfileSettings(),
        store=store,
        broker=None,  # type: ignore[arg-type]
        outbox=Outbox(),
        metrics=ServiceMetrics(new_metrics_registry()),
        state=ProfileState(rome=ROME, geo=GEO),
    )
    await store.close()


async def test_the_profile_service_answers_every_problem_of_a_save_and_reports_a_corrected_rome_code(
    runtime: ServiceRuntime,
) -> None:
    user_id = (await create_account(AccountCreate(first_name="Martine"), runtime)).user_id
    with pytest.raises(InvalidInputError) as refused:
        await add_project(
            user_id, {"revision": 0, "project": {"network_estimate": "beaucoup", "job_code_ogr": "99999999"}}, runtime
        )
    assert {(p.field, p.code) for p in refused.value.problems} == {
        ("project.network_estimate", "int_parsing"),
        ("project.job_code_ogr", "unknown_code"),
    }
    saved = await add_project(
        user_id,
        {"revision": 0, "project": {"job_code_ogr": "12694", "rome_code": "K2204", "seniority": "NO_SENIORITY"}},
        runtime,
    )
    assert saved.projects[0].rome_code == "D1202" and saved.projects[0].seniority is SeniorityAnswer.NO_SENIORITY
    assert [(c.field, c.code, c.params["current"]) for c in saved.corrections] == [
        ("project.rome_code", "rome_code_updated", "D1202")
    ]
    with pytest.raises(InvalidInputError) as refused:
        await patch_profile(user_id, {"revision": 1, "profile": {"year_of_birth": 1850, "gender": 3}}, runtime)
    assert {(p.field, p.code) for p in refused.value.problems} == {
        ("profile.year_of_birth", "out_of_range"),
        ("profile.gender", "enum"),
    }
