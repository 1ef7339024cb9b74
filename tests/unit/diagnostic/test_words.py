"""Issue 18, "words", for the diagnosis: every text a person reads of it, in fr, fr@tu and en, feminine and
masculine, over generated people — no "(s)", no "·" once a gender is known, no internal code or licence,
nothing French on an English page, no doubled space, no missed elision, each département with its article.

The people and markets are those of test_every_person.py (every enumeration value, any field unanswered,
1 to 5 projects, no market figures, official ones or the model's); the checker is tests/support/words.py,
the one the advice texts pass too.
"""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.diagnostic.diagnose import diagnose
from services.diagnostic.market_data import MarketData, market_data_from_files
from services.diagnostic.render import Renderer
from shared.contracts.vocabulary import Gender, Locale
from shared.settings import default_data_dir
from tests.support.words import problems
from tests.unit.diagnostic.builders import TODAY
from tests.unit.diagnostic.test_every_person import markets, people

GENDERS = (Gender.FEMININE, Gender.MASCULINE)


@cache
def reference() -> MarketData | None:
    """Return the reference data beside the repository (names of jobs and départements), or None."""
    try:
        return market_data_from_files(default_data_dir())
    except (OSError, KeyError, ValueError):
        return None


def texts_of(view: object) -> list[str]:
    """Return every text of a rendered diagnosis a person reads (labels, sentences, reasons, questions)."""
    found: list[str] = []
    readable = {
        "main_challenge_label",
        "overall_sentence",
        "overall_text",
        "label",
        "status_label",
        "text",
        "question",
    }  # job_label and departement_name are the names of the French references, shown as they are

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in readable and isinstance(item, str):
                    found.append(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(view.model_dump(mode="json") if hasattr(view, "model_dump") else view)
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_diagnosis_text_is_well_written_in_every_locale_and_gender(data: st.DataObject) -> None:
    person = data.draw(people())
    the_project = person.projects[0]
    diagnosis = diagnose(person, the_project, data.draw(markets(the_project)), TODAY)
    for locale in Locale:
        for gender in GENDERS:
            view = Renderer(locale=locale, gender=gender, market=reference()).diagnosis(
                diagnosis, diagnosis_id="d", fingerprint="f"
            )
            for text in texts_of(view):
                found = problems(text, locale.value)
                assert not found, (locale.value, gender.value, text, found)
