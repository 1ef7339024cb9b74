"""Why a volunteer was proposed: reason codes with their parameters, and their texts in French and English.

A match stores its reasons as codes and parameters (never as text), so that
they can be shown in the reader's language and re-worded without a migration.
The texts are read by the shared message engine (``shared/messages.py``, syntax in
``docs/MESSAGES.md``): a word that agrees with a number is written ``{days#jour|jours}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from shared.messages import Message, MessageError, compile_message

Params = Mapping[str, str | int]

LANGUAGE_NAMES: dict[str, tuple[str, str]] = {
    "fr": ("français", "French"),
    "en": ("anglais", "English"),
    "es": ("espagnol", "Spanish"),
    "de": ("allemand", "German"),
    "it": ("italien", "Italian"),
    "pt": ("portugais", "Portuguese"),
    "ar": ("arabe", "Arabic"),
    "ro": ("roumain", "Romanian"),
    "pl": ("polonais", "Polish"),
    "tr": ("turc", "Turkish"),
    "ru": ("russe", "Russian"),
    "uk": ("ukrainien", "Ukrainian"),
    "zh": ("chinois", "Chinese"),
    "vi": ("vietnamien", "Vietnamese"),
    "wo": ("wolof", "Wolof"),
}

SLOT_NAMES: dict[str, tuple[str, str]] = {
    "weekday-mornings": ("matins en semaine", "weekday mornings"),
    "weekday-afternoons": ("après-midi en semaine", "weekday afternoons"),
    "weekday-evenings": ("soirées en semaine", "weekday evenings"),
    "weekends": ("week-ends", "weekends"),
}

# French first, English second; {placeholders} are the reason's parameters.
TEXTS: dict[str, tuple[str, str]] = {
    "trade-same-job-group": ("Connaît votre métier : {label}.", "Knows your job: {label}."),
    "trade-mobility": ("Exerce un métier proche du vôtre : {label}.", "Works in a job close to yours: {label}."),
    "trade-same-domain": (
        "Travaille dans le même domaine professionnel : {label}.",
        "Works in the same professional field: {label}.",
    ),
    "trade-same-grand-domain": (
        "Travaille dans le même grand domaine : {label}.",
        "Works in the same broad sector: {label}.",
    ),
    "trade-open-to-all": ("Propose son aide quel que soit le métier.", "Offers help whatever the job."),
    "trade-not-shared": (
        "Métier non partagé : bénévole qui aide quel que soit le métier.",
        "Job not shared: a volunteer who helps whatever the job.",
    ),
    "place-remote-review": ("Relecture à distance, sans déplacement.", "Remote review, no travel needed."),
    "place-in-person": (
        "Café possible en personne, à environ {km} km.",
        "Coffee possible in person, about {km} km away.",
    ),
    "place-remote-coffee": ("Café à distance (visio ou téléphone).", "Remote coffee (video or phone)."),
    "place-in-person-interview": (
        "Entretien blanc possible en personne, à environ {km} km.",
        "Mock interview possible in person, about {km} km away.",
    ),
    "place-remote-interview": (
        "Entretien blanc à distance (visio ou téléphone).",
        "Remote mock interview (video or phone).",
    ),
    "language": ("Langue commune : {languages}.", "Shared language: {languages}."),
    "capacity": (
        "Peut encore aider {remaining} fois ce mois-ci sur {capacity} promises : l'aide est répartie entre bénévoles.",
        "Can still help {remaining} {remaining#time|times} this month out of {capacity} pledged: help is spread "
        "across volunteers.",
    ),
    "waiting": (
        "Demande en attente depuis {days} {days#jour|jours} : les plus anciennes passent en premier.",
        "Request waiting for {days} {days#day|days}: the oldest are served first.",
    ),
    "waiting-new": ("Nouvelle demande.", "New request."),
    "availability": ("Disponibilités communes : {slots}.", "Shared availability: {slots}."),
}

# Parsed once, at import. These reasons have no "tu" version yet: the API gives them in French and English.
MESSAGES: dict[str, Message] = {
    code: compile_message({"fr": fr, "en": en}, where=f"volunteers/reasons.py: {code}", addresses_person=False)
    for code, (fr, en) in TEXTS.items()
}


@dataclass(frozen=True)
class Reason:
    """One reason for a match: a code and its parameters."""

    code: str
    params: Mapping[str, str | int] = field(default_factory=dict)

    def as_document(self) -> dict[str, object]:
        """Return the stored form of the reason."""
        return {"code": self.code, "params": dict(self.params)}


def _names(codes: str, table: Mapping[str, tuple[str, str]], lang: int) -> str:
    return ", ".join(table[c][lang] if c in table else c for c in codes.split(",") if c)


def render(code: str, params: Params, lang: int) -> str:
    """Return the text of a reason in French (0) or English (1)."""
    message = MESSAGES.get(code)
    if message is None:
        return code
    values: dict[str, str | int] = dict(params)
    if "languages" in values:
        values["languages"] = _names(str(values["languages"]), LANGUAGE_NAMES, lang)
    if "slots" in values:
        values["slots"] = _names(str(values["slots"]), SLOT_NAMES, lang)
    locale = "en" if lang else "fr"
    try:
        return message.render(locale, "n", values)
    except MessageError:
        return message.render(locale)  # a reason stored without one of its parameters: the bare text


def both_languages(code: str, params: Params) -> dict[str, str]:
    """Return the reason with its texts in French and English."""
    return {"code": code, "fr": render(code, params, 0), "en": render(code, params, 1)}
