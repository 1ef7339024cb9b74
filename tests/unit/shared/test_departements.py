"""Neighbouring départements are those that share a border on the map, so a text may call them "voisin".

The borders are read from the commune coordinates (shared/reference/departements.py); the expected
sets are the map's, for places with few, many, island and overseas neighbours.
"""

from __future__ import annotations

import pytest

from shared.reference.departements import departement_places
from shared.settings import default_data_dir

MAP = {
    "59": {"02", "62", "80"},  # Nord
    "62": {"59", "80"},  # Pas-de-Calais
    "80": {"02", "59", "60", "62", "76"},  # Somme
    "69": {"01", "38", "42", "71"},  # Rhône
    "01": {"38", "39", "69", "71", "73", "74"},  # Ain
    "75": {"92", "93", "94"},  # Paris
    "29": {"22", "56"},  # Finistère
    "33": {"17", "24", "40", "47"},  # Gironde
    "2A": {"2B"},  # Corse-du-Sud
    "974": set(),  # La Réunion: the sea is not a commute
    "971": set(),  # Guadeloupe
}


@pytest.fixture(scope="module")
def places():  # type: ignore[no-untyped-def]
    data = default_data_dir()
    if not (data / "geo" / "communes_derived.csv").exists():
        pytest.skip(f"no geography files in {data}")
    return departement_places(data)


@pytest.mark.parametrize("code", sorted(MAP))
def test_the_neighbours_are_the_departements_across_the_border(places, code: str) -> None:  # type: ignore[no-untyped-def]
    assert {other for other, _ in places[code].neighbours} == MAP[code]


def test_being_neighbours_goes_both_ways_and_the_nearest_comes_first(places) -> None:  # type: ignore[no-untyped-def]
    for code, place in places.items():
        distances = [km for _, km in place.neighbours]
        assert distances == sorted(distances), code
        for other, _ in place.neighbours:
            assert code in {c for c, _ in places[other].neighbours}, (code, other)
    assert all(place.neighbours for code, place in places.items() if not code.startswith("97"))
