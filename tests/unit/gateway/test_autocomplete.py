from __future__ import annotations

from functools import cache

from services.gateway.autocomplete import Autocomplete, communes_index, job_titles_index
from shared.reference.geo import Commune, load_geo
from shared.reference.rome import JobTitle, load_rome
from shared.settings import default_data_dir


@cache
def titles() -> Autocomplete[JobTitle]:
    return job_titles_index(load_rome(default_data_dir()))


@cache
def communes() -> Autocomplete[Commune]:
    return communes_index(load_geo(default_data_dir()))


def test_job_titles_ignore_accents_and_case_and_match_both_genders() -> None:
    assert titles().search("BOULANGERE")[0].label == "Boulanger / Boulangère"
    assert titles().search("boulanger")[0].label == "Boulanger / Boulangère"
    assert titles().search("infirmière")[0].rome_code.startswith("J15")


def test_every_word_typed_must_start_a_word_of_the_title() -> None:
    found = titles().search("dev web")
    assert found and all("web" in t.label.lower() and "velop" in t.label.lower() for t in found)
    assert titles().search("zzzz") == []
    assert titles().search("   ") == []


def test_cities_by_name_or_postal_code_biggest_first() -> None:
    assert communes().search("lyon")[0].insee == "69123"
    assert communes().search("69001")[0].name == "Lyon"
    assert communes().search("saint etienne")[0].insee == "42218"
    assert communes().search("st-etienne") == communes().search("st etienne")


def test_the_limit_is_respected() -> None:
    assert len(titles().search("a", limit=3)) == 3
