"""Alternatives: close jobs and other départements with a better market, best first."""

from __future__ import annotations

from services.diagnostic.alternatives import BETTER_BY, AlternativeFinder
from services.diagnostic.market_reference import DepartementRef, JobGroupRef, MarketReference
from services.diagnostic.market_table import DatasetRef, MarketTable
from shared.reference.diplomas import DiplomaRequirement

NO_REQUIREMENT = DiplomaRequirement(None, (), False, False)


def reference() -> MarketReference:
    groups = {
        "A1101": JobGroupRef("A1101", "Job", "A", NO_REQUIREMENT, (("A1102", "close-job"), ("A1103", "evolution")), ()),
        "A1102": JobGroupRef("A1102", "Close", "A", NO_REQUIREMENT, (), ()),
        "A1103": JobGroupRef("A1103", "Next", "A", NO_REQUIREMENT, (), ()),
    }
    deps = {
        "01": DepartementRef("01", "Ain", "84", 600_000, (("69", 56.0),)),
        "69": DepartementRef("69", "Rhône", "84", 1_900_000, (("01", 56.0),)),
        "13": DepartementRef("13", "Bouches-du-Rhône", "93", 2_000_000, ()),
        "971": DepartementRef("971", "Guadeloupe", "01", 380_000, ()),
    }
    return MarketReference(groups, deps, "rome@v3.47", "cog@2026")


def table(values: dict[tuple[str, str], float], synthetic: frozenset[tuple[str, str]] = frozenset()) -> MarketTable:
    """Return a table of official tensions; the pairs in ``synthetic`` come from the market model."""
    built = MarketTable(["A1101", "A1102", "A1103"], ["01", "13", "69", "971"])
    model = built.dataset_index(DatasetRef("market-model@1", "synthetic"))
    real = built.dataset_index(DatasetRef("imt-market-score@x", "real"))
    for (rome, dep), value in values.items():
        built.put(rome, dep, "offers_per_10_candidates", value, model if (rome, dep) in synthetic else real)
    return built


def test_only_markets_at_least_20_percent_better_are_suggested_best_first() -> None:
    values = {
        ("A1101", "69"): 3.0,
        ("A1102", "69"): 3.0 * BETTER_BY,
        ("A1103", "69"): 3.5,
        ("A1101", "01"): 5.0,
        ("A1101", "13"): 8.0,
        ("A1101", "971"): 20.0,
    }
    found = AlternativeFinder(table(values), reference()).find("A1101", "69")
    assert [(a.rome_code, a.departement, a.relation) for a in found] == [
        ("A1101", "13", "other-departement"),
        ("A1101", "01", "neighbour-departement"),
        ("A1102", "69", "close-job"),
    ]
    assert all(a.provenance == "real" and a.dataset == "imt-market-score@x" for a in found)


def test_no_move_is_suggested_from_figures_of_the_market_model() -> None:
    values = {("A1101", "69"): 3.0, ("A1102", "69"): 9.0, ("A1101", "01"): 5.0, ("A1101", "13"): 8.0}
    # A synthetic candidate is never suggested...
    found = AlternativeFinder(table(values, frozenset({("A1101", "13"), ("A1102", "69")})), reference())
    assert [(a.rome_code, a.departement) for a in found.find("A1101", "69")] == [("A1101", "01")]
    # ... and a synthetic tension of one's own is no base for a comparison.
    assert AlternativeFinder(table(values, frozenset({("A1101", "69")})), reference()).find("A1101", "69") == []


def test_relocation_stays_on_the_same_side_of_the_sea() -> None:
    values = {("A1101", "971"): 3.0, ("A1101", "13"): 9.0, ("A1101", "69"): 9.0}
    assert AlternativeFinder(table(values), reference()).find("A1101", "971") == []


def test_no_alternative_without_a_known_market() -> None:
    assert AlternativeFinder(table({}), reference()).find("A1101", "69") == []
