"""Generated text for one person: reasons and catalogue texts in their language and grammatical gender.

Everything rendered here comes from the catalogue and from codes; nothing the
person typed is ever part of it, so it may travel on ``advice-ready``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from services.advice.catalogue import Catalogue
from services.advice.modules.base import Reason
from services.advice.texts import format_number, format_share
from shared.contracts.vocabulary import Gender
from shared.messages import Message, gender_form

log = logging.getLogger(__name__)


def in_departement_fr(name: str, name_type: int) -> str:
    """Return "in the département" in French, by the INSEE type of its name (TNCC, COG ``typeLiaison``).

    dans le Rhône (2, "le"), en Gironde (3, "la": a feminine name takes "en"), dans les Landes (4),
    dans l'Ain (5), en Ille-et-Vilaine (1, no article, a vowel), en Seine-et-Marne and à Paris (0, no
    article: a compound name takes "en", a town or island name "à": à Paris, à Mayotte, à La Réunion).
    """
    if name_type == 2:
        return f"dans le {name}"
    if name_type == 3 or name_type == 1:
        return f"en {name}"
    if name_type == 4:
        return f"dans les {name}"
    if name_type == 5:
        return f"dans l'{name}"
    return f"en {name}" if "-et-" in name else f"à {name}"


@dataclass(frozen=True)
class Labels:
    """Names of job groups and départements, from the public reference data (codes when unavailable)."""

    job_groups: dict[str, str]
    departements: dict[str, str]
    name_types: dict[str, int] = field(default_factory=dict)  # département code -> INSEE type of its name

    def job_group(self, code: str) -> str:
        """Return the label of a ROME job group, or the code itself."""
        return self.job_groups.get(code, code)

    def departement(self, code: str) -> str:
        """Return the name of a département, or the code itself."""
        return self.departements.get(code, code)

    def in_departement(self, code: str, locale: str) -> str:
        """Return "in the département" the way the locale says it: "dans le Rhône", "en Gironde"; "in Gironde"."""
        name = self.departements.get(code)
        if not locale.startswith("fr"):
            return f"in {name}" if name else f"in département {code}"
        if name is None:
            return f"dans le département {code}"
        return in_departement_fr(name, self.name_types.get(code, 0))


NO_LABELS = Labels({}, {})


@cache
def load_labels(data_dir: Path) -> Labels:
    """Return the labels read from the reference data in ``data_dir`` (codes only when it is missing)."""
    from shared.reference.geo import load_departements
    from shared.reference.rome import load_job_groups

    # Only the names of job groups and départements: the job titles and the communes are never read here.
    try:
        groups = load_job_groups(data_dir)
        departements = load_departements(data_dir)
    except (OSError, KeyError, ValueError) as error:
        log.warning("reference data unavailable in %s (%s): reasons will show codes", data_dir, error)
        return NO_LABELS
    return Labels(
        job_groups={code: group.label for code, group in groups.job_groups.items()},
        departements={code: d.name for code, d in departements.items()},
        name_types=_name_types(data_dir),
    )


def _name_types(data_dir: Path) -> dict[str, int]:
    # The INSEE type of each name (its article) is in the COG file, beside the names load_geo reads;
    # shared.reference.geo does not keep it (yet), so it is read here.
    try:
        rows = json.loads((data_dir / "geo" / "departements.json").read_text(encoding="utf-8"))
        return {row["code"]: int(row.get("typeLiaison", 0)) for row in rows}
    except (OSError, KeyError, ValueError) as error:
        log.warning("département name types unavailable in %s (%s)", data_dir, error)
        return {}


@dataclass(frozen=True)
class Wording:
    """The catalogue and the reference labels: what it takes to write for anyone."""

    catalogue: Catalogue
    labels: Labels = NO_LABELS

    def renderer(self, locale: str, gender: Gender) -> Renderer:
        """Return the renderer for one person's language and gender."""
        return Renderer(self.catalogue, locale, gender, self.labels)


class Renderer:
    """Renders catalogue texts and reasons for one locale and gender."""

    def __init__(self, catalogue: Catalogue, locale: str, gender: Gender, labels: Labels = NO_LABELS) -> None:
        self.catalogue = catalogue
        self.locale = locale
        self.gender = gender_form(gender)
        self.labels = labels
        self._estimate = catalogue.phrases.estimate.render(locale)

    def text(self, text: Message) -> str:
        """Return a catalogue text in the person's language and gender."""
        return text.render(self.locale, self.gender)

    def _value(self, name: str, value: str | int | float) -> str:
        formatter = _FORMATTERS.get(name)
        if formatter is not None:
            return formatter(self, value)
        if name.endswith("_share"):
            return format_share(float(value), self.locale)
        if isinstance(value, float):
            return format_number(value, self.locale)
        return str(value)

    def reason(self, reason: Reason) -> str:
        """Return one reason as a sentence, saying "(estimation)" when a cited figure is an estimate."""
        template = self.catalogue.reasons[reason.key]
        if not template.fields:
            return template.render(self.locale, self.gender)
        values = {name: self._value(name, value) for name, value in reason.values}
        values["estimate"] = self._estimate if reason.estimate else ""
        numbers = {name: value for name, value in reason.values if isinstance(value, int | float)}
        return template.render(self.locale, self.gender, values, counts=numbers)

    def reasons(self, reasons: tuple[Reason, ...]) -> list[str]:
        """Return the reasons as sentences, each said once."""
        return list(dict.fromkeys(self.reason(r) for r in reasons))

    def why(self, reasons: tuple[Reason, ...]) -> list[tuple[str, tuple[str, ...]]]:
        """Return each reason as a sentence with the answers it states (the questions that set them), each once."""
        said: dict[str, tuple[str, ...]] = {}
        for reason in reasons:
            said.setdefault(self.reason(reason), self.catalogue.reason_answers.get(reason.key, ()))
        return list(said.items())


def _month(renderer: Renderer, value: str | int | float) -> str:
    return renderer.text(renderer.catalogue.phrases.months[(int(value) - 1) % 12])


def _salary(renderer: Renderer, value: str | int | float) -> str:
    return format_number(round(float(value)), renderer.locale)


_FORMATTERS: dict[str, Callable[[Renderer, str | int | float], str]] = {
    "job": lambda r, v: r.labels.job_group(str(v)),
    "departement": lambda r, v: r.labels.departement(str(v)),
    "in_departement": lambda r, v: r.labels.in_departement(str(v), r.locale),
    "best_month": _month,
    "salary_gross_yearly_median": _salary,
    "salary_gross_yearly_p25": _salary,
    "salary_gross_yearly_p75": _salary,
}
