"""Profile edits: codes checked against the real ROME and geography, dates and ranges refused with the field."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.profile.completeness import profile_missing_fields
from services.profile.edits import apply_project, merge_profile
from services.profile.facts import profile_updated
from shared.contracts.api.profile import Correction, PreferencesInput, ProfileInput, ProjectInput
from shared.problems import InvalidInputError
from shared.reference.geo import load_geo
from shared.reference.rome import load_rome
from shared.settings import default_data_dir

TODAY = date(2026, 11, 22)
ROME, GEO = load_rome(default_data_dir()), load_geo(default_data_dir())


def project(**fields: Any) -> dict[str, Any]:
    return apply_project(None, ProjectInput(**fields), project_id="p1", rome=ROME, geo=GEO, today=TODAY)


def problems(error: pytest.ExceptionInfo[InvalidInputError]) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in error.value.problems}


def test_a_job_title_sets_its_job_group_and_a_city_its_departement() -> None:
    saved = project(job_code_ogr="12694", city_insee="69123")
    assert saved["rome_code"] == "D1202" and saved["job_title"].startswith("Coiffeur")
    assert saved["departement"] == "69" and saved["city_name"] == "Lyon"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"job_code_ogr": "99999999"}, ("project.job_code_ogr", "unknown_code")),
        ({"rome_code": "A9999"}, ("project.rome_code", "unknown_code")),
        ({"city_insee": "99999"}, ("project.city_insee", "unknown_code")),
        ({"job_search_started_at": "2027-01-01"}, ("project.job_search_started_at", "in_the_future")),
        ({"job_search_started_at": "1950-01-01"}, ("project.job_search_started_at", "too_old")),
        (
            {"job_search_started_at": "2026-01-01", "job_search_has_not_started": True},
            ("project.job_search_has_not_started", "contradicts_started_at"),
        ),
    ],
)
def test_bad_project_values_name_the_field_and_the_reason(fields: dict[str, object], expected: tuple[str, str]) -> None:
    with pytest.raises(InvalidInputError) as error:
        project(**fields)
    assert expected in problems(error)


def test_a_job_title_sent_with_another_rome_code_takes_the_current_one_and_says_so() -> None:
    # Was refused (does_not_match_job_title): a title's OGR code is stable across ROME versions while its job
    # group may move, so a client built on an older ROME sends the code the title had then.
    corrections: list[Correction] = []
    saved = apply_project(
        None,
        ProjectInput(job_code_ogr="12694", rome_code="K2204"),
        project_id="p1",
        rome=ROME,
        geo=GEO,
        today=TODAY,
        corrections=corrections,
    )
    assert saved["rome_code"] == "D1202"
    assert [c.model_dump() for c in corrections] == [
        {
            "field": "project.rome_code",
            "code": "rome_code_updated",
            "params": {"given": "K2204", "current": "D1202", "job_code_ogr": "12694"},
        }
    ]


def test_impossible_ages_and_unknown_time_zones_are_refused() -> None:
    doc: dict[str, Any] = {"profile": {}, "preferences": {}}
    with pytest.raises(InvalidInputError) as error:
        merge_profile(doc, ProfileInput(year_of_birth=1850), PreferencesInput(time_zone="Mars/Olympus"), today=TODAY)
    assert problems(error) == {
        ("profile.year_of_birth", "out_of_range"),
        ("preferences.time_zone", "unknown_time_zone"),
    }


def test_a_partial_save_changes_only_what_was_sent() -> None:
    doc: dict[str, Any] = {
        "profile": {"year_of_birth": 1968, "highest_degree": "CAP_BEP"},
        "preferences": {"locale": "fr"},
    }
    merged = merge_profile(doc, ProfileInput(highest_degree="BAC_BACPRO"), None, today=TODAY)
    assert merged["profile"] == {"year_of_birth": 1968, "highest_degree": "BAC_BACPRO"}
    assert doc["profile"]["highest_degree"] == "CAP_BEP"  # the stored document is not mutated


def test_missing_fields_are_listed_most_useful_first() -> None:
    assert profile_missing_fields({}, [])[0] == "projects"
    missing = profile_missing_fields({"year_of_birth": 1990}, [project(job_code_ogr="12694")])
    assert missing[0] == "projects.0.city_insee"
    assert "year_of_birth" not in missing


def test_profile_updated_carries_no_typed_text_and_no_identity() -> None:
    doc = {
        "_id": "u_0123456789abcdef",
        "revision": 3,
        "registered_at": "2026-11-01",
        "profile": {
            "gender": "CUSTOM",
            "custom_gender": "non-binaire, pronom xyziel",
            "custom_frustrations": ["Mon ancien patron Michel Dupont"],
            "year_of_birth": 1970,
        },
        "projects": [project(job_code_ogr="12694", city_insee="69123")],
        "preferences": {"locale": "fr@tu"},
        "consents": {"coaching": True},
    }
    body = profile_updated(doc, is_guest=False).model_dump_json()
    for secret in ("non-binaire", "xyziel", "Michel", "Dupont", "Lyon", "Coiffeur"):
        assert secret not in body
    assert '"year_of_birth":1970' in body and '"departement":"69"' in body
