"""The answers advice may read, state and ask for: those the web client's "Mes réponses" asks (pure).

The questionnaire's fields and offered frustrations are defined once, in
``shared/contracts/questionnaire.py``. Advice keeps to them, so that each
sentence it says about the person comes from an answer they can see and
correct, and each question it asks has a page:

* ``situation_of`` reads a field the questionnaire does not ask as unanswered,
  whatever the profile holds (it may come from the API or an older client):
  no advice states it, none is scored from it;
* a frustration is read only when the questionnaire offers it;
* advice asks only for fields of the questionnaire (``advise.rank``).

Tests give advice another ``Questionnaire`` to see what it would do with a field asked elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.contracts.questionnaire import OFFERED_FRUSTRATIONS, QUESTIONNAIRE_FIELDS
from shared.contracts.vocabulary import Frustration


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """The profile fields a questionnaire asks, and the frustrations it offers to choose."""

    fields: frozenset[str]
    frustrations: frozenset[Frustration]


QUESTIONNAIRE = Questionnaire(fields=QUESTIONNAIRE_FIELDS, frustrations=OFFERED_FRUSTRATIONS)
