"""Generated text for one person: reasons and catalogue texts in their language and grammatical gender.

Everything rendered here comes from the catalogue and from codes; nothing the
person typed is ever part of it, so it may travel on ``advice-ready``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from services.advice.catalogue import Catalogue
from services.advice.modules.base import Reason
from services.advice.texts import Text, format_number, format_share, gender_key
from shared.contracts.vocabulary import Gender

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Labels:
    """Names of job groups and départements, from the public reference data (codes when unavailable)."""

    job_groups: dict[str, str]
    departements: dict[str, str]

    def job_group(self, code: str) -> str:
        """Return the label of a ROME job group, or the code itself."""
        return self.job_groups.get(code, code)

    def departement(self, code: str) -> str:
        """Return the name of a département, or the code itself."""
        return self.departements.get(code, code)


NO_LABELS = Labels({}, {})


@cache
def load_labels(data_dir: Path) -> Labels:
    """Return the labels read from the reference data in ``data_dir`` (codes only when it is missing)."""
    from shared.reference.geo import load_geo
    from shared.reference.rome import load_rome

    try:
        rome = load_rome(data_dir)
        geo = load_geo(data_dir)
    except (OSError, KeyError, ValueError) as error:
        log.warning("reference data unavailable in %s (%s): reasons will show codes", data_dir, error)
        return NO_LABELS
    return Labels(
        job_groups={code: group.label for code, group in rome.job_groups.items()},
        departements={code: d.name for code, d in geo.departements.items()},
    )


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
        self.gender = gender_key(gender)
        self.labels = labels
        self._estimate = catalogue.phrases.estimate.render(locale)

    def text(self, text: Text) -> str:
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
        return template.render(self.locale, self.gender, values)

    def reasons(self, reasons: tuple[Reason, ...]) -> list[str]:
        """Return the reasons as sentences."""
        return [self.reason(r) for r in reasons]


def _month(renderer: Renderer, value: str | int | float) -> str:
    return renderer.text(renderer.catalogue.phrases.months[(int(value) - 1) % 12])


def _salary(renderer: Renderer, value: str | int | float) -> str:
    return format_number(round(float(value)), renderer.locale)


_FORMATTERS: dict[str, Callable[[Renderer, str | int | float], str]] = {
    "job": lambda r, v: r.labels.job_group(str(v)),
    "departement": lambda r, v: r.labels.departement(str(v)),
    "best_month": _month,
    "salary_gross_yearly_median": _salary,
    "salary_gross_yearly_p25": _salary,
    "salary_gross_yearly_p75": _salary,
}
