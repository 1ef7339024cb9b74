from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import httpx
import pytest

from services.gateway.autocomplete import Autocomplete, communes_index, job_titles_index
from services.gateway.bootstrap import create_app
from services.gateway.settings import GatewaySettings
from shared.reference.geo import Commune, load_geo
from shared.reference.job_offers import count_job_offers
from shared.reference.job_offers import offers_file as offers_path
from shared.reference.rome import JobTitle, load_rome, split_genders
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


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("manutentionaire", "Manutentionnaire"),  # a letter left out
        ("boulangé", "Boulanger / Boulangère"),  # an accent for an ending
        ("asistante maternelle", "Assistant maternel / Assistante maternelle"),
        ("chaufeur livreur", "Chauffeur-livreur / Chauffeuse-livreuse"),
        ("secretiare", "Secrétaire"),  # two letters swapped
        ("vendeuze en pret a porter", "Vendeur / Vendeuse en prêt-à-porter"),  # the feminine, misspelt
        ("infirmeire scolarie", "Infirmier / Infirmière scolaire"),  # a typo in each word
    ],
)
def test_one_or_two_typos_a_word_still_find_the_title_first(typed: str, first: str) -> None:
    assert titles().search(typed)[0].label == first


def test_titles_as_typed_come_before_titles_with_typos() -> None:
    found = titles().search("comptable unique")
    assert found[0].label == "Comptable unique"  # as typed: first, though longer titles follow with typos
    assert titles().search("infirmier")[0].label.startswith("Infirmier / Infirmière")
    assert titles().search("qzxv") == []  # nothing close: nothing shown


def test_the_feminine_first_word_counts_as_the_first_word() -> None:
    # "vendeuse" once listed "Web vendeur / vendeuse" first: its first word is not "vendeuse" in either form.
    assert titles().search("vendeuse")[0].label.startswith("Vendeur / Vendeuse")


def offers_file(folder: Path, offers: dict[str, int]) -> Path:
    """Write a list of offers in France Travail's layout: one offer of every job group, plus ``offers``."""
    rome = load_rome(default_data_dir())
    path = folder / "offers_per_departement.csv"
    one_each = {next(t.code_ogr for t in rome.titles.values() if t.rome_code == code): 1 for code in rome.job_groups}
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["rome_profession_name", "rome_profession_code", "rome_profession_card_name",
                      "rome_profession_card_code", "creation_date", "departement_code"])  # fmt: skip
        for code, count in (one_each | offers).items():
            title = rome.titles[code]
            for day in range(count):
                published = f"2024-03-{1 + day % 28:02d} 00:00"
                out.writerow([title.label, code.zfill(6), "", title.rome_code, published, "45"])
    return path


def test_with_the_offers_file_imported_the_titles_with_most_offers_come_first(tmp_path: Path) -> None:
    rome = load_rome(default_data_dir())
    offers = count_job_offers(offers_file(tmp_path, {"20613": 40, "20540": 30, "20560": 20, "20628": 2}))
    index = job_titles_index(rome, offers)
    found = [t.label for t in index.search("vendeur")]
    assert found[:3] == [
        "Vendeur / Vendeuse en prêt-à-porter",
        "Vendeur / Vendeuse en alimentation générale",
        "Vendeur / Vendeuse en boulangerie-pâtisserie",
    ]
    assert found.index("Vendeur / Vendeuse en ski") == 3
    assert index.ranking is not None and index.ranking.basis == "job-offers"
    assert index.ranking.source is not None and "France Travail" in index.ranking.source
    assert index.ranking.period == "2024-03-01/2024-03-28"
    assert "offres d'emploi" in index.ranking.description[0] and "job offers" in index.ranking.description[1]


def test_a_sample_of_offers_too_small_to_rank_the_titles_is_not_used_and_the_answer_says_so() -> None:
    rome = load_rome(default_data_dir())
    sample = offers_path(default_data_dir())
    assert sample is not None  # market_samples: 365 offers, mostly in one département
    index = job_titles_index(rome, count_job_offers(sample))
    assert index.ranking is not None and index.ranking.basis == "shortest-title" and index.ranking.source is None
    assert "n'en couvre que 12 groupes de métiers sur 532" in index.ranking.description[0]
    assert titles().ranking == index.ranking  # the default index reads the same file


def test_every_label_shown_is_a_real_masculine_or_feminine_title() -> None:
    rome = load_rome(default_data_dir())
    attache = next(t for t in rome.titles.values() if t.label == "Attaché commercial / Attachée commerciale sédentaire")
    assert (attache.masculine, attache.feminine) == ("Attaché commercial sédentaire", "Attachée commerciale sédentaire")
    douanes = next(t for t in rome.titles.values() if t.label.endswith("principal / principale des douanes"))
    assert douanes.feminine == "Agente d'administration principale des douanes"
    assert split_genders("Garçon / Serveuse de café") == ("Garçon de café", "Serveuse de café")
    assert split_genders("Chauffeur-livreur / Chauffeuse-livreuse") == ("Chauffeur-livreur", "Chauffeuse-livreuse")
    # Only the three labels whose " / " separates no genders keep one: they are the same in both.
    kept = sorted(t.masculine for t in rome.titles.values() if " / " in t.masculine + t.feminine)
    assert kept == [
        "Chroniqueur TV / Radio",
        "Pilote de chasse / transport / hélicoptère de l'armée",
        "Tubiste / Contre tubiste",
    ]
    assert all("  " not in t.label for t in rome.titles.values())


async def test_the_answer_names_its_source_and_its_order_in_the_readers_language(tmp_path: Path) -> None:
    app = create_app(GatewaySettings(var_dir=tmp_path))
    app.state.job_titles, app.state.communes = titles(), communes()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as http:
        french = (await http.get("/v1/reference/job-titles", params={"q": "attache commercial sedentaire"})).json()
        english = await http.get(
            "/v1/reference/job-titles", params={"q": "boulanger"}, headers={"accept-language": "en"}
        )
        city = (await http.get("/v1/reference/cities", params={"q": "lyon"})).json()
    assert french["items"][0] == {
        "code_ogr": "11389",
        "rome_code": "D1401",
        "label": "Attaché commercial / Attachée commerciale sédentaire",
        "masculine": "Attaché commercial sédentaire",
        "feminine": "Attachée commerciale sédentaire",
    }
    assert "ROME" in french["source"] and french["ranking"]["basis"] == "shortest-title"
    assert french["ranking"]["description"].startswith("Les titres qui contiennent les mots tels que tapés d'abord")
    assert english.json()["ranking"]["description"].startswith("Titles holding the words as typed first")
    assert city["ranking"]["basis"] == "population" and "INSEE" in city["ranking"]["source"]
