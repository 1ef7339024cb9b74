"""Facts with neutral values: an unanswered fact decides as its neutral value, and names what to ask
only when the answer could change the conclusion."""

from __future__ import annotations

from services.diagnostic.verdicts import Verdict, all_of, any_of, fact, negate

T = fact(True, yes="t")
F = fact(False, no="f")
U = fact(None, missing=("year_of_birth",))  # neutral value: false
U2 = fact(None, missing=("seniority",), neutral=True)  # neutral value: true


def test_an_unanswered_fact_takes_its_neutral_value_and_says_so() -> None:
    assert (U.value, U.missing, [r.code for r in U.reasons]) == (
        False,
        ("year_of_birth",),
        ["unanswered.year_of_birth"],
    )
    assert (U2.value, U2.missing) == (True, ("seniority",))


def test_a_conjunction_is_false_as_soon_as_one_known_part_is_false_and_asks_nothing() -> None:
    assert all_of(U, F).value is False
    assert all_of(U, F).reasons[0].code == "f"
    assert all_of(U2, F).missing == ()  # no answer could make it true


def test_a_conjunction_asks_for_every_unanswered_part_that_could_change_it() -> None:
    true = all_of(T, U2, fact(None, missing=("passionate_level",), neutral=True))
    assert true.value is True
    assert true.missing == ("seniority", "passionate_level")
    false = all_of(T, U, U2)
    assert false.value is False
    assert false.missing == ("year_of_birth",)  # only its answer can turn the conjunction true


def test_a_true_conjunction_keeps_every_reason() -> None:
    verdict = all_of(T, fact(True, yes="t2"))
    assert verdict.value is True
    assert [r.code for r in verdict.reasons] == ["t", "t2"]


def test_a_disjunction_is_true_as_soon_as_one_part_is_true() -> None:
    assert any_of(U, T).value is True
    assert any_of(U, T).missing == ()
    assert any_of(F, U).value is False
    assert any_of(F, U).missing == ("year_of_birth",)
    assert any_of(F, F).value is False
    assert any_of(F, U2).value is True and any_of(F, U2).missing == ("seniority",)


def test_negation_keeps_the_fields_to_ask() -> None:
    assert negate(U).value is True and negate(U).missing == ("year_of_birth",)
    assert negate(T).value is False
    assert negate(T).reasons == T.reasons
    assert negate(Verdict(False)).value is True


def test_the_same_unanswered_fact_is_said_once() -> None:
    verdict = all_of(negate(U), negate(U), T)
    assert [r.code for r in verdict.reasons] == ["unanswered.year_of_birth", "t"]


def test_reasons_are_built_only_for_the_branch_taken() -> None:
    verdict = fact(True, yes="yes-code", no="no-code", params={"n": 1})
    assert [(r.code, r.params) for r in verdict.reasons] == [("yes-code", {"n": 1})]
