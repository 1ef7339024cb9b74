"""Each challenge's rule at its boundaries, and how the main challenge is chosen.

The market figures here are official ones (``official``), unless a test says
otherwise: a figure of the market model decides nothing (test_synthetic_figures.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from services.diagnostic.challenges import (
    EASY_MARKET_OFFERS,
    GOOD_MARKET_OFFERS,
    STUCK_MARKET_OFFERS,
)
from services.diagnostic.diagnose import diagnose
from services.diagnostic.models import ChallengeOutcome, Diagnosis
from shared.contracts.diagnostic import MarketFacts
from shared.contracts.profile import ProjectFacts
from shared.contracts.vocabulary import MainChallenge
from tests.unit.diagnostic.builders import TODAY, basis, born, market, project, started

# A person for whom nothing is wrong: every challenge is decided and none needs attention.
FINE_PROFILE: dict[str, Any] = {"year_of_birth": born(40), "highest_degree": "BAC_BACPRO", "gender": "FEMININE"}
FINE_PROJECT: dict[str, Any] = {
    "kind": "FIND_A_NEW_JOB",
    "passionate_level": "PASSIONATING",
    "previous_job_similarity": "DONE_THIS",
    "seniority": "SENIOR",
    "training_fulfillment_estimate": "ENOUGH_DIPLOMAS",
    "job_search_started_at": started(4),
    "total_interview_count": 8,
    "weekly_applications_estimate": "SOME",
}


def official(offers: float | None = 5.0, **fields: Any) -> MarketFacts:
    """Return hand-made market facts as an imported official file would give them."""
    return market(offers, provenance="real", **fields)


def run(market_facts: MarketFacts | None = None, profile: dict[str, Any] | None = None, **fields: Any) -> Diagnosis:
    project_fields = {**FINE_PROJECT, **fields}
    person = {**FINE_PROFILE, **(profile or {})}
    facts = official() if market_facts is None else market_facts
    the_project = project(**project_fields)
    return diagnose(basis(the_project, **person), the_project, facts, TODAY)


def outcome(diagnosis: Diagnosis, challenge: MainChallenge) -> ChallengeOutcome:
    return next(c for c in diagnosis.challenges if c.challenge is challenge)


def status(diagnosis: Diagnosis, challenge: MainChallenge) -> str:
    return outcome(diagnosis, challenge).status


def codes(diagnosis: Diagnosis, challenge: MainChallenge) -> list[str]:
    return [r.code for r in outcome(diagnosis, challenge).reasons]


def test_a_person_without_any_blocker_gets_bravo() -> None:
    diagnosis = run()
    assert diagnosis.main_challenge is MainChallenge.BRAVO
    assert diagnosis.missing_fields == ()
    assert [c.challenge for c in diagnosis.challenges] == list(MainChallenge)
    assert status(diagnosis, MainChallenge.BRAVO) == "relevant-and-good"
    assert diagnosis.overall_score is not None and 70 <= diagnosis.overall_score <= 85


# 1. undefined-project


def test_no_target_job_is_an_undefined_project() -> None:
    diagnosis = run(rome_code=None, job_code_ogr=None)
    assert diagnosis.main_challenge is MainChallenge.UNDEFINED_PROJECT
    assert codes(diagnosis, MainChallenge.UNDEFINED_PROJECT) == ["project.no-target-job"]
    assert diagnosis.overall_score is not None and 20 <= diagnosis.overall_score <= 30


def test_an_undefined_project_needs_one_project_or_fewer() -> None:
    # The reference's for-no-clear-project: several projects, each chosen, are never "no project".
    first = project(**FINE_PROJECT)
    others = [project(project_id="p2", rome_code="K2204"), project(project_id="p3", rome_code="N4101")]
    scattered = diagnose(basis(first, *others, **FINE_PROFILE), first, official(), TODAY)
    assert status(scattered, MainChallenge.UNDEFINED_PROJECT) != "needs-attention"
    assert scattered.main_challenge is MainChallenge.BRAVO
    # Scattered projects remain an observation of the project, not a verdict of "no target job".
    assert "project.scattered" in {o.id for o in scattered.observations()}
    untargeted = project(**{**FINE_PROJECT, "rome_code": None, "job_code_ogr": None, "passionate_level": "LIKEABLE"})
    two = diagnose(basis(untargeted, others[0], **FINE_PROFILE), untargeted, None, TODAY)
    assert status(two, MainChallenge.UNDEFINED_PROJECT) != "needs-attention"
    assert codes(two, MainChallenge.UNDEFINED_PROJECT) == ["project.several"]
    alone = diagnose(basis(untargeted, **FINE_PROFILE), untargeted, None, TODAY)
    assert alone.main_challenge is MainChallenge.UNDEFINED_PROJECT


# 2. stuck-market


@pytest.mark.parametrize(
    ("offers", "expected"),
    [
        (STUCK_MARKET_OFFERS - 0.01, "needs-attention"),
        (STUCK_MARKET_OFFERS, "needs-attention"),  # at most 3, as the reference (10/3 stress or more)
        (STUCK_MARKET_OFFERS + 0.01, "neutral"),
        (GOOD_MARKET_OFFERS - 0.01, "neutral"),
        (GOOD_MARKET_OFFERS, "relevant-and-good"),
        (0.0, "needs-attention"),
    ],
)
def test_at_most_3_offers_per_10_candidates_is_a_stuck_market(offers: float, expected: str) -> None:
    diagnosis = run(official(offers))
    assert status(diagnosis, MainChallenge.STUCK_MARKET) == expected
    if expected == "needs-attention":
        assert diagnosis.main_challenge is MainChallenge.STUCK_MARKET
        assert outcome(diagnosis, MainChallenge.STUCK_MARKET).sources[0].provenance == "real"


def test_a_market_we_cannot_locate_asks_for_the_city_beside_a_main_challenge() -> None:
    diagnosis = run(official(None), city_insee=None, departement=None)
    assert status(diagnosis, MainChallenge.STUCK_MARKET) == "missing-data"
    assert outcome(diagnosis, MainChallenge.STUCK_MARKET).missing_fields == ("city_insee",)
    assert diagnosis.main_challenge is MainChallenge.BRAVO
    assert diagnosis.overall_sentence == "bravo.unanswered"
    assert diagnosis.missing_fields[0] == "city_insee"


def test_a_place_without_market_data_is_said_unknown_rather_than_asked() -> None:
    diagnosis = run(official(None), city_insee="97502", departement="975")
    assert status(diagnosis, MainChallenge.STUCK_MARKET) == "neutral"
    assert codes(diagnosis, MainChallenge.STUCK_MARKET) == ["market.unknown"]
    assert "city_insee" not in diagnosis.missing_fields


# 3. find-what-you-like


def young_unsure(**fields: Any) -> dict[str, Any]:
    return {"passionate_level": "LIKEABLE", "seniority": "JUNIOR", **fields}


def test_a_young_junior_who_does_not_love_the_job_should_find_what_they_like() -> None:
    diagnosis = run(profile={"year_of_birth": born(30)}, **young_unsure())
    assert diagnosis.main_challenge is MainChallenge.FIND_WHAT_YOU_LIKE
    assert "passion.not-high" in codes(diagnosis, MainChallenge.FIND_WHAT_YOU_LIKE)


def test_at_31_a_long_search_in_the_same_job_is_not_find_what_you_like() -> None:
    diagnosis = run(profile={"year_of_birth": born(31)}, **young_unsure())
    assert status(diagnosis, MainChallenge.FIND_WHAT_YOU_LIKE) == "neutral"


def test_a_senior_young_person_stays_in_their_job() -> None:
    diagnosis = run(profile={"year_of_birth": born(28)}, **young_unsure(seniority="SENIOR"))
    assert status(diagnosis, MainChallenge.FIND_WHAT_YOU_LIKE) == "neutral"


@pytest.mark.parametrize(("offers", "expected"), [(EASY_MARKET_OFFERS, "needs-attention"), (7.1, "neutral")])
def test_an_easy_market_is_a_reason_to_stay(offers: float, expected: str) -> None:
    diagnosis = run(official(offers), profile={"year_of_birth": born(25)}, **young_unsure())
    assert status(diagnosis, MainChallenge.FIND_WHAT_YOU_LIKE) == expected


def test_a_passionate_person_has_found_what_they_like() -> None:
    diagnosis = run(profile={"year_of_birth": born(25)}, **young_unsure(passionate_level="LIFE_GOAL"))
    assert status(diagnosis, MainChallenge.FIND_WHAT_YOU_LIKE) == "relevant-and-good"


@pytest.mark.parametrize(("months", "expected"), [(1.9, "needs-attention"), (2.1, "neutral")])
def test_a_career_changer_early_in_the_search_should_find_what_they_like(months: float, expected: str) -> None:
    diagnosis = run(
        profile={"year_of_birth": born(45)},
        kind="REORIENTATION",
        passionate_level="ALIMENTARY",
        previous_job_similarity="NEVER_DONE",
        seniority="JUNIOR",
        job_search_started_at=started(months),
        total_interview_count=5,
    )
    assert status(diagnosis, MainChallenge.FIND_WHAT_YOU_LIKE) == expected


def test_an_employed_person_gets_six_months_before_we_stop_suggesting_a_change() -> None:
    fields: dict[str, Any] = {
        "kind": "FIND_ANOTHER_JOB",
        "passionate_level": "LIKEABLE",
        "previous_job_similarity": "NEVER_DONE",
        "total_interview_count": 12,
    }
    early = run(profile={"year_of_birth": born(45)}, job_search_started_at=started(5.5), **fields)
    late = run(profile={"year_of_birth": born(45)}, job_search_started_at=started(6.5), **fields)
    assert status(early, MainChallenge.FIND_WHAT_YOU_LIKE) == "needs-attention"
    assert status(late, MainChallenge.FIND_WHAT_YOU_LIKE) == "neutral"


def test_a_company_creator_needs_to_find_what_they_like_only_when_unmotivated() -> None:
    fields: dict[str, Any] = {"kind": "CREATE_OR_TAKE_OVER_COMPANY", "passionate_level": "LIKEABLE"}
    unmotivated = run(profile={"frustrations": ["MOTIVATION"]}, **fields)
    motivated = run(**fields)
    assert status(unmotivated, MainChallenge.FIND_WHAT_YOU_LIKE) == "needs-attention"
    assert status(motivated, MainChallenge.FIND_WHAT_YOU_LIKE) == "neutral"


def test_a_fresh_start_in_a_new_job_without_motivation_is_find_what_you_like() -> None:
    fields: dict[str, Any] = {
        "passionate_level": "LIKEABLE",
        "previous_job_similarity": "NEVER_DONE",
        "job_search_started_at": None,
        "job_search_has_not_started": True,
    }
    unmotivated = run(profile={"year_of_birth": born(40), "frustrations": ["MOTIVATION"]}, **fields)
    motivated = run(profile={"year_of_birth": born(40)}, **fields)
    assert status(unmotivated, MainChallenge.FIND_WHAT_YOU_LIKE) == "needs-attention"
    assert status(motivated, MainChallenge.FIND_WHAT_YOU_LIKE) == "neutral"


def test_unknown_passion_reads_as_not_passionate_and_is_asked() -> None:
    # The reference's neutral value: an unanswered passion is not a passion.
    diagnosis = run(profile={"year_of_birth": born(25)}, **young_unsure(passionate_level=None))
    assert status(diagnosis, MainChallenge.FIND_WHAT_YOU_LIKE) == "needs-attention"
    assert diagnosis.main_challenge is MainChallenge.FIND_WHAT_YOU_LIKE
    assert "unanswered.passionate_level" in codes(diagnosis, MainChallenge.FIND_WHAT_YOU_LIKE)
    assert diagnosis.missing_fields[0] == "passionate_level"


def test_a_question_is_asked_only_when_its_answer_could_change_the_result() -> None:
    # Passion unknown, but a favourable market already rules find-what-you-like out.
    diagnosis = run(official(9.0), passionate_level=None)
    assert status(diagnosis, MainChallenge.FIND_WHAT_YOU_LIKE) == "neutral"
    assert "passionate_level" not in diagnosis.missing_fields


# 4. missing-diploma


def diploma_case(rank: int | None, degree: str | None, **fields: Any) -> Diagnosis:
    return run(
        official(5.0, rank=rank, experience_route=fields.pop("route", False), regulated=fields.pop("regulated", False)),
        profile={"highest_degree": degree, "year_of_birth": fields.pop("age", born(40))},
        **{"training_fulfillment_estimate": None, **fields},
    )


def test_a_missing_diploma_is_a_job_that_lists_one_and_a_person_who_did_not_say_they_have_it() -> None:
    diagnosis = diploma_case(1, "NO_DEGREE")
    assert diagnosis.main_challenge is MainChallenge.MISSING_DIPLOMA
    assert codes(diagnosis, MainChallenge.MISSING_DIPLOMA) == [
        "diploma.required",
        "unanswered.training_fulfillment_estimate",
    ]
    assert outcome(diagnosis, MainChallenge.MISSING_DIPLOMA).missing_fields == ("training_fulfillment_estimate",)
    assert diagnosis.overall_sentence == "missing-diploma.unanswered"
    sources = {s.dataset for s in outcome(diagnosis, MainChallenge.MISSING_DIPLOMA).sources}
    assert "rome@v3.47" in sources


@pytest.mark.parametrize(
    ("estimate", "missing"),
    [
        ("ENOUGH_DIPLOMAS", False),
        ("CURRENTLY_IN_TRAINING", False),
        ("ENOUGH_EXPERIENCE", True),
        ("NO_TRAINING_REQUIRED", True),  # the ROME lists one: the reference passes
        ("TRAINING_FULFILLMENT_NOT_SURE", True),
    ],
)
def test_the_persons_own_answer_decides_not_a_comparison_of_degree_levels(estimate: str, missing: bool) -> None:
    # A master for a CAP-level job, or no diploma at all: the level is not what the reference compares.
    for degree in ("DEA_DESS_MASTER_PHD", "NO_DEGREE"):
        diagnosis = diploma_case(1, degree, training_fulfillment_estimate=estimate)
        assert (status(diagnosis, MainChallenge.MISSING_DIPLOMA) == "needs-attention") is missing, degree


def test_a_matching_level_is_never_a_strength_on_its_own() -> None:
    # A bac+2 in accounting is not the CAP in hairdressing, nor a regulated job's state diploma.
    answered = {"training_fulfillment_estimate": "CURRENTLY_IN_TRAINING"}
    open_job = diploma_case(2, "BTS_DUT_DEUG", **answered)
    regulated = diploma_case(2, "BTS_DUT_DEUG", regulated=True, **answered)
    declared = diploma_case(2, "BTS_DUT_DEUG", regulated=True, training_fulfillment_estimate="ENOUGH_DIPLOMAS")
    for diagnosis, level in ((open_job, "skills.diploma-level"), (regulated, "skills.diploma-level-regulated")):
        assert status(diagnosis, MainChallenge.MISSING_DIPLOMA) == "neutral"
        skills = {o.id: o for o in diagnosis.observations() if o.topic == "skills"}
        assert "skills.diploma-ok" not in skills and skills[level].score is None
    assert status(declared, MainChallenge.MISSING_DIPLOMA) == "relevant-and-good"
    assert codes(declared, MainChallenge.MISSING_DIPLOMA) == ["diploma.enough-declared"]
    assert "skills.diploma-declared" in {o.id for o in declared.observations()}


def test_a_job_open_without_diploma_makes_the_challenge_irrelevant() -> None:
    assert status(diploma_case(0, "NO_DEGREE"), MainChallenge.MISSING_DIPLOMA) == "not-relevant"


def test_people_in_training_or_creating_a_company_do_not_miss_a_diploma() -> None:
    training = diploma_case(3, "CAP_BEP", training_fulfillment_estimate="CURRENTLY_IN_TRAINING")
    company = diploma_case(3, "CAP_BEP", kind="CREATE_OR_TAKE_OVER_COMPANY", passionate_level="LIFE_GOAL")
    assert status(training, MainChallenge.MISSING_DIPLOMA) != "needs-attention"
    assert status(company, MainChallenge.MISSING_DIPLOMA) != "needs-attention"


def test_experience_opens_jobs_that_offer_an_experience_route() -> None:
    senior = diploma_case(3, "CAP_BEP", route=True, seniority="SENIOR")
    junior = diploma_case(3, "CAP_BEP", route=True, seniority="JUNIOR")
    unsure = diploma_case(
        3, "CAP_BEP", route=True, seniority="JUNIOR", training_fulfillment_estimate="TRAINING_FULFILLMENT_NOT_SURE"
    )
    assert status(senior, MainChallenge.MISSING_DIPLOMA) != "needs-attention"
    # A junior may still think their experience is enough: we ask rather than guess.
    assert outcome(junior, MainChallenge.MISSING_DIPLOMA).missing_fields == ("training_fulfillment_estimate",)
    assert status(unsure, MainChallenge.MISSING_DIPLOMA) == "needs-attention"


@pytest.mark.parametrize(("age", "expected"), [(50, "neutral"), (49, "needs-attention")])
def test_experts_of_50_or_more_are_not_sent_back_to_school(age: int, expected: str) -> None:
    diagnosis = diploma_case(3, "CAP_BEP", seniority="EXPERT", age=born(age))
    assert status(diagnosis, MainChallenge.MISSING_DIPLOMA) == expected


def test_an_unknown_degree_does_not_matter_and_the_persons_estimate_is_asked() -> None:
    unknown = diploma_case(2, None)
    unsure = diploma_case(2, None, training_fulfillment_estimate="TRAINING_FULFILLMENT_NOT_SURE")
    assert status(unknown, MainChallenge.MISSING_DIPLOMA) == "needs-attention"
    assert outcome(unknown, MainChallenge.MISSING_DIPLOMA).missing_fields == ("training_fulfillment_estimate",)
    assert "highest_degree" not in unknown.missing_fields
    assert status(unsure, MainChallenge.MISSING_DIPLOMA) == "needs-attention"
    assert outcome(unsure, MainChallenge.MISSING_DIPLOMA).missing_fields == ()


# 5. start-your-search


def test_a_search_that_has_not_started_should_start() -> None:
    diagnosis = run(job_search_started_at=None, job_search_has_not_started=True)
    assert diagnosis.main_challenge is MainChallenge.START_YOUR_SEARCH
    assert diagnosis.overall_score is not None and 65 <= diagnosis.overall_score <= 75


def test_an_active_search_with_applications_is_an_achievement() -> None:
    assert status(run(), MainChallenge.START_YOUR_SEARCH) == "relevant-and-good"
    assert status(run(weekly_applications_estimate="LESS_THAN_2"), MainChallenge.START_YOUR_SEARCH) == "neutral"


def test_an_unknown_search_start_is_asked() -> None:
    diagnosis = run(job_search_started_at=None)
    assert status(diagnosis, MainChallenge.START_YOUR_SEARCH) == "missing-data"
    assert "job_search_started_at" in diagnosis.missing_fields


# 6. enhance-methods-to-interview


@pytest.mark.parametrize(
    ("months", "interviews", "expected"),
    [
        (3.0, 3, "needs-attention"),  # exactly 1 a month: at most 1 a month
        (3.0, 4, "relevant-and-good"),
        (3.0, -1, "needs-attention"),  # -1 means none
        (0.9, 0, "neutral"),  # less than a month of search: too early to judge
    ],
)
def test_at_most_one_interview_per_month_of_search_calls_for_better_methods(
    months: float, interviews: int, expected: str
) -> None:
    diagnosis = run(job_search_started_at=started(months), total_interview_count=interviews)
    assert status(diagnosis, MainChallenge.ENHANCE_METHODS_TO_INTERVIEW) == expected


def test_unknown_interviews_count_as_none_and_are_asked() -> None:
    diagnosis = run(total_interview_count=None)
    assert diagnosis.main_challenge is MainChallenge.ENHANCE_METHODS_TO_INTERVIEW
    assert codes(diagnosis, MainChallenge.ENHANCE_METHODS_TO_INTERVIEW) == [
        "search.started",
        "unanswered.total_interview_count",
    ]
    assert diagnosis.missing_fields == ("total_interview_count",)
    assert diagnosis.overall_sentence == "enhance-methods-to-interview.unanswered"
    assert diagnosis.overall_score is not None


# Main challenge and missing fields


def test_the_first_challenge_that_needs_attention_wins() -> None:
    diagnosis = run(official(2.0), job_search_started_at=None, job_search_has_not_started=True)
    assert status(diagnosis, MainChallenge.START_YOUR_SEARCH) == "needs-attention"
    assert diagnosis.main_challenge is MainChallenge.STUCK_MARKET


def test_a_main_challenge_is_never_withheld_while_an_earlier_one_lacks_an_answer() -> None:
    diagnosis = run(
        profile={"year_of_birth": None},
        passionate_level=None,
        seniority="JUNIOR",
        job_search_started_at=None,
        job_search_has_not_started=True,
    )
    # Were she 30 or younger, find-what-you-like would come first: her year of birth is asked.
    assert status(diagnosis, MainChallenge.FIND_WHAT_YOU_LIKE) == "missing-data"
    assert outcome(diagnosis, MainChallenge.FIND_WHAT_YOU_LIKE).missing_fields == ("year_of_birth",)
    assert diagnosis.main_challenge is MainChallenge.START_YOUR_SEARCH
    assert diagnosis.overall_score is not None
    assert diagnosis.overall_sentence == "start-your-search.default"
    assert diagnosis.missing_fields == ("year_of_birth",)


def test_missing_fields_come_from_the_earliest_challenge_first() -> None:
    bare: ProjectFacts = project(job_search_started_at=started(5))
    diagnosis = diagnose(basis(bare), bare, official(5.0), TODAY)
    assert diagnosis.main_challenge is MainChallenge.MISSING_DIPLOMA
    assert diagnosis.missing_fields == (
        "year_of_birth",
        "seniority",
        "training_fulfillment_estimate",
        "total_interview_count",
    )


def test_the_guess_of_the_person_is_compared_with_the_diagnosis() -> None:
    same = run(official(2.0), original_self_diagnostic="stuck-market")
    other = run(official(2.0), original_self_diagnostic="missing-diploma")
    assert same.self_diagnostic is not None and same.self_diagnostic.relation == "same"
    assert other.self_diagnostic is not None and other.self_diagnostic.relation == "not-a-blocker"
    assert run().self_diagnostic is None


def test_the_diagnosis_is_a_pure_function() -> None:
    assert run().fingerprint() == run().fingerprint()
    assert run(official(2.0)).fingerprint() != run().fingerprint()
