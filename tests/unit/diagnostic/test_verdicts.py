"""Three-valued logic: a known false decides a conjunction whatever is unknown."""

from __future__ import annotations

from services.diagnostic.verdicts import Verdict, all_of, any_of, fact, negate

T = fact(True, yes="t")
F = fact(False, no="f")
U = fact(None, missing=("year_of_birth",))
U2 = fact(None, missing=("seniority",))


def test_a_conjunction_is_false_as_soon_as_one_part_is_false() -> None:
    assert all_of(U, F).value is False
    assert all_of(U, F).reasons[0].code == "f"


def test_a_conjunction_with_unknown_parts_asks_for_their_fields() -> None:
    verdict = all_of(T, U, U2)
    assert verdict.value is None
    assert verdict.missing == ("year_of_birth", "seniority")


def test_a_true_conjunction_keeps_every_reason() -> None:
    verdict = all_of(T, fact(True, yes="t2"))
    assert verdict.value is True
    assert [r.code for r in verdict.reasons] == ["t", "t2"]


def test_a_disjunction_is_true_as_soon_as_one_part_is_true() -> None:
    assert any_of(U, T).value is True
    assert any_of(F, U).value is None
    assert any_of(F, F).value is False


def test_negation_keeps_unknowns_unknown() -> None:
    assert negate(U).value is None
    assert negate(T).value is False
    assert negate(T).reasons == T.reasons
    assert negate(Verdict(False)).value is True


def test_reasons_are_built_only_for_the_branch_taken() -> None:
    verdict = fact(True, yes="yes-code", no="no-code", params={"n": 1})
    assert [(r.code, r.params) for r in verdict.reasons] == [("yes-code", {"n": 1})]
