"""The advice content — advice texts, reasons, strategies, action templates, job lists — read from YAML.

Content is data, edited without touching code (``content/README.md`` explains
the format). It is validated once at start-up with pydantic models and
cross-checked against the module registry; a broken file stops the service with
a message naming the file, the entry and the field. The loaded catalogue keeps
ready-made indexes (actions by advice, strategies by challenge, job facts by
ROME code) so that scoring never searches lists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from services.advice.modules.base import AdviceModule, JobFacts
from services.advice.modules.registry import MODULES
from shared.contracts.diagnostic import FIGURE_NAMES
from shared.contracts.profile import ProfileFacts, ProjectFacts
from shared.contracts.vocabulary import HelpKind, MainChallenge
from shared.messages import Message, MessageError, compile_message

CONTENT_DIR = Path(__file__).parent / "content"
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# Placeholders that cite a market figure: their text must say when the figure is an estimate.
FIGURE_PLACEHOLDERS = frozenset(FIGURE_NAMES) | {"alternative_offers"}
KNOWN_PLACEHOLDERS = FIGURE_PLACEHOLDERS | {
    "estimate",
    "months",
    "interviews",
    "count",
    "age",
    "job",
    "departement",
    "in_departement",
}
# The answers a reason may state: the fields of the profile and its projects.
PROFILE_FIELDS = frozenset(ProfileFacts.model_fields) | frozenset(ProjectFacts.model_fields)
DURATION_MINUTES = {"15-30min": 30, "1h": 60, "1-3h": 120}


class ContentError(ValueError):
    """A content file is broken; the message names the file, the entry and the field."""


def _compile(raw: Any) -> Message:
    if isinstance(raw, Message):
        return raw
    if not isinstance(raw, Mapping) or not all(isinstance(v, str) for v in raw.values()):
        raise ValueError("a text is a mapping of locale to text: {fr: ..., fr@tu: ..., en: ...}")
    try:
        return compile_message(raw)
    except MessageError as error:
        raise ValueError(str(error)) from None


def _profile_field(name: str) -> str:
    if name not in PROFILE_FIELDS:
        raise ValueError(f"{name!r} is not a field of the profile or its projects")
    return name


LocalText = Annotated[Message, BeforeValidator(_compile)]
ProfileField = Annotated[str, AfterValidator(_profile_field)]
EntryId = Annotated[str, Field(pattern=ID_PATTERN, max_length=60)]


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Resource(Entry):
    url: str = Field(pattern=r"^https://[^\s]+$")
    label: LocalText


class AdviceContent(Entry):
    """The texts of one advice module."""

    id: EntryId
    title: LocalText
    pitch: LocalText
    tips: list[LocalText] = Field(min_length=1)
    resource: Resource | None = None


class ReasonContent(Entry):
    id: EntryId
    text: LocalText
    asserts: list[ProfileField] = Field(
        description=(
            "The answers the sentence states about the person (profile field names, each a question of "
            "'Mes réponses'); empty for a sentence about the job, the market or advice in general, or a condition."
        )
    )


class StrategyContent(Entry):
    """A strategy: a way to tackle a challenge, grouping advice modules."""

    id: EntryId
    challenges: list[MainChallenge] = Field(min_length=1)
    advice: list[EntryId] = Field(min_length=1, description="Advice modules of the strategy, most central first.")
    trigger: list[EntryId] = Field(
        default_factory=list, description="Modules whose best score triggers the strategy (default: all its advice)."
    )
    presumes: list[MainChallenge] = Field(
        default_factory=list,
        description="Verdicts its texts take for granted: considered only when the diagnosis reached them all.",
    )
    title: LocalText
    description: LocalText

    @model_validator(mode="after")
    def _presumes_its_own_challenges(self) -> StrategyContent:
        if unknown := sorted(set(self.presumes) - set(self.challenges)):
            raise ValueError(f"presumes {unknown}, which are not among its challenges")
        return self

    @property
    def trigger_ids(self) -> list[str]:
        """Return the modules whose best score is the strategy's trigger."""
        return self.trigger or self.advice


class ActionTemplate(Entry):
    """One action of the catalogue."""

    id: EntryId
    advice: EntryId
    title: LocalText
    description: LocalText
    duration: Literal["15-30min", "1h", "1-3h"]
    tags: list[EntryId] = Field(min_length=1)
    resource: Resource
    needs_help: HelpKind | None = None

    @property
    def minutes(self) -> int:
        """Return the time the action takes, in minutes (the upper bound of its duration class)."""
        return DURATION_MINUTES[self.duration]


class JobTip(Entry):
    rome_prefix: str = Field(pattern=r"^[A-N]([0-9]{2}|[0-9]{4})?$")
    tips: list[LocalText] = Field(min_length=1)


class JobLists(Entry):
    """ROME prefixes (a letter, a domain like N41, or a job group like K2204) that share a fact."""

    needs_driving: list[str] = Field(default_factory=list)
    future_skills: list[str] = Field(default_factory=list)
    at_risk: list[str] = Field(default_factory=list)
    several_sectors: list[str] = Field(default_factory=list)
    specific_advice: list[JobTip] = Field(default_factory=list)


class Phrases(Entry):
    """Short texts the service itself needs."""

    estimate: LocalText
    own_action: LocalText
    months: list[LocalText] = Field(min_length=12, max_length=12)


E = TypeVar("E", bound=Entry)


def _read(folder: Path, name: str) -> Any:
    path = folder / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{name}: file missing in {folder}") from None
    except yaml.YAMLError as error:
        raise ContentError(f"{name}: not valid YAML: {error}") from None


def _problem(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "entry"
    return f"{where}: {first['msg']}"


def _entries(folder: Path, name: str, model: type[E]) -> list[E]:
    raw = _read(folder, name)
    if not isinstance(raw, list):
        raise ContentError(f"{name}: expected a list of entries")
    entries: list[E] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        label = repr(item.get("id")) if isinstance(item, dict) and item.get("id") else f"#{index + 1}"
        try:
            entry = model.model_validate(item)
        except ValidationError as error:
            raise ContentError(f"{name}: entry {label}: {_problem(error)}") from None
        entry_id = getattr(entry, "id", None)
        if entry_id in seen:
            raise ContentError(f"{name}: entry {label}: duplicate id")
        seen.add(str(entry_id))
        entries.append(entry)
    return entries


def _single(folder: Path, name: str, model: type[E]) -> E:
    try:
        return model.model_validate(_read(folder, name))
    except ValidationError as error:
        raise ContentError(f"{name}: {_problem(error)}") from None


class StrategyRow(NamedTuple):
    """A strategy as scoring reads it: plain tuples, ready once per set of challenges."""

    order: int
    strategy_id: str
    trigger_ids: tuple[str, ...]
    advice_ids: tuple[str, ...]
    listed: tuple[MainChallenge, ...]  # its challenges, the one it serves most directly first
    presumes: frozenset[MainChallenge]


@dataclass(frozen=True)
class Catalogue:
    """All the advice content, validated, with its lookup indexes."""

    advice: Mapping[str, AdviceContent]
    reasons: Mapping[str, Message]
    strategies: tuple[StrategyContent, ...]
    actions: Mapping[str, ActionTemplate]
    job_lists: JobLists
    phrases: Phrases
    actions_by_advice: Mapping[str, tuple[ActionTemplate, ...]] = field(default_factory=dict)
    # The answers each reason states (its "why": the questions of "Mes réponses" that set them).
    reason_answers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    strategies_by_challenge: Mapping[MainChallenge, tuple[StrategyContent, ...]] = field(default_factory=dict)
    _job_facts: dict[str | None, JobFacts] = field(default_factory=dict)
    _strategies_for: dict[frozenset[MainChallenge], tuple[StrategyRow, ...]] = field(default_factory=dict)

    def strategies_for(self, challenges: frozenset[MainChallenge]) -> tuple[StrategyRow, ...]:
        """Return the strategies tied to any of these challenges, in file order (all of them for none)."""
        known = self._strategies_for.get(challenges)
        if known is None:
            known = tuple(
                StrategyRow(
                    order, s.id, tuple(s.trigger_ids), tuple(s.advice), tuple(s.challenges), frozenset(s.presumes)
                )
                for order, s in enumerate(self.strategies)
                if not challenges or challenges.intersection(s.challenges)
            )
            self._strategies_for[challenges] = known
        return known

    def job_facts(self, rome_code: str | None) -> JobFacts:
        """Return what the content lists say about a job group (memoised: a few hundred groups exist)."""
        known = self._job_facts.get(rome_code)
        if known is not None:
            return known
        facts = JobFacts()
        if rome_code:
            lists = self.job_lists

            def listed(prefixes: Sequence[str]) -> bool:
                return any(rome_code.startswith(prefix) for prefix in prefixes)

            facts = JobFacts(
                needs_driving=listed(lists.needs_driving),
                future_skills=listed(lists.future_skills),
                at_risk=listed(lists.at_risk),
                specific_advice=listed([t.rome_prefix for t in lists.specific_advice]),
                several_sectors=listed(lists.several_sectors),
            )
        self._job_facts[rome_code] = facts
        return facts

    def job_tips(self, rome_code: str | None) -> list[Message]:
        """Return the curated tips for a job group, most specific prefix first."""
        if not rome_code:
            return []
        matching = [t for t in self.job_lists.specific_advice if rome_code.startswith(t.rome_prefix)]
        matching.sort(key=lambda t: -len(t.rome_prefix))
        return [tip for entry in matching for tip in entry.tips]


def _check_references(
    modules: Sequence[AdviceModule],
    advice: Mapping[str, AdviceContent],
    reasons: Mapping[str, Message],
    strategies: Sequence[StrategyContent],
    actions: Mapping[str, ActionTemplate],
) -> None:
    module_ids = {m.advice_id for m in modules}
    if missing := sorted(module_ids - set(advice)):
        raise ContentError(f"advice.yaml: no entry for the modules {missing}")
    if unknown := sorted(set(advice) - module_ids):
        raise ContentError(f"advice.yaml: entries {unknown} name no module of the registry")
    used = {key for m in modules for key in m.reasons}
    for module in modules:
        if not module.reasons:
            # Every advice shown says why; a module that declares no reason could only be shown without one.
            raise ContentError(f"modules/registry.py: the module {module.advice_id!r} declares no reason keys")
        for key in module.reasons:
            if key not in reasons:
                raise ContentError(f"reasons.yaml: no entry {key!r} (given by the module {module.advice_id!r})")
    if unused := sorted(set(reasons) - used):
        raise ContentError(f"reasons.yaml: entries {unused} are given by no module")
    for key, text in reasons.items():
        if unknown_fields := sorted(text.fields - KNOWN_PLACEHOLDERS):
            raise ContentError(f"reasons.yaml: entry {key!r}: unknown placeholders {unknown_fields}")
        if text.fields & FIGURE_PLACEHOLDERS and "estimate" not in text.fields:
            raise ContentError(f"reasons.yaml: entry {key!r}: cites a market figure without {{estimate}}")
    for strategy in strategies:
        for advice_id in (*strategy.advice, *strategy.trigger):
            if advice_id not in advice:
                raise ContentError(f"strategies.yaml: entry {strategy.id!r}: unknown advice {advice_id!r}")
    for template in actions.values():
        if template.advice not in advice:
            raise ContentError(f"actions.yaml: entry {template.id!r}: unknown advice {template.advice!r}")


def load_catalogue(folder: Path = CONTENT_DIR, modules: Sequence[AdviceModule] = MODULES) -> Catalogue:
    """Return the validated content of a folder; raise ContentError naming the file and entry at fault."""
    advice = {entry.id: entry for entry in _entries(folder, "advice.yaml", AdviceContent)}
    reason_entries = _entries(folder, "reasons.yaml", ReasonContent)
    reasons = {entry.id: entry.text for entry in reason_entries}
    strategies = tuple(_entries(folder, "strategies.yaml", StrategyContent))
    actions = {entry.id: entry for entry in _entries(folder, "actions.yaml", ActionTemplate)}
    job_lists = _single(folder, "job_lists.yaml", JobLists)
    phrases = _single(folder, "phrases.yaml", Phrases)
    _check_references(modules, advice, reasons, strategies, actions)
    by_advice: dict[str, list[ActionTemplate]] = {}
    for template in actions.values():
        by_advice.setdefault(template.advice, []).append(template)
    by_challenge = {challenge: tuple(s for s in strategies if challenge in s.challenges) for challenge in MainChallenge}
    return Catalogue(
        advice=advice,
        reasons=reasons,
        strategies=strategies,
        actions=actions,
        job_lists=job_lists,
        phrases=phrases,
        actions_by_advice={k: tuple(v) for k, v in by_advice.items()},
        reason_answers={entry.id: tuple(entry.asserts) for entry in reason_entries},
        strategies_by_challenge=by_challenge,
    )


@cache
def catalogue() -> Catalogue:
    """Return the service's content, loaded and validated once per process."""
    return load_catalogue()
