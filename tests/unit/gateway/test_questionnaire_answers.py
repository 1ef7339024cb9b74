"""The questionnaire of the web client offers the true answers the API takes: "no experience" for the years of
experience, "I do not know" for the network, each with its words in French and English (the answers page,
"Mes réponses", shows the same words)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from shared.contracts.api.profile import NETWORK_SCALE
from shared.contracts.vocabulary import SeniorityAnswer

WEB = Path(__file__).resolve().parents[3] / "services" / "gateway" / "web"


def offered(step: str) -> list[str]:
    """Return the options of a questionnaire step, as written in onboarding.js."""
    source = (WEB / "js" / "pages" / "onboarding.js").read_text(encoding="utf-8")
    found = re.search(r"\{ id: '" + step + r"',[^}]*?options: \[([^\]]*)\]", source, re.DOTALL)
    assert found, f"no step {step} with options in onboarding.js"
    return [option.strip().strip("'") for option in found.group(1).split(",") if option.strip()]


def labels(language: str) -> dict[str, str]:
    texts: dict[str, str] = json.loads((WEB / "i18n" / f"{language}.json").read_text(encoding="utf-8"))
    return texts


def test_every_seniority_the_api_takes_is_offered_no_experience_first() -> None:
    assert offered("seniority") == [answer.value for answer in SeniorityAnswer]
    for language in ("fr", "en"):
        assert all(f"enum.seniority.{answer.value}" in labels(language) for answer in SeniorityAnswer)
    assert labels("fr")["enum.seniority.NO_SENIORITY"] == "Aucune expérience dans ce métier"


def test_i_do_not_know_is_offered_for_the_network() -> None:
    assert sorted(int(option) for option in offered("network")) == sorted(NETWORK_SCALE)
    assert labels("fr")["enum.network.-1"] == "Je ne sais pas"
    assert labels("en")["enum.network.-1"] == "I do not know"
