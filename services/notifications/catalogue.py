"""The campaign catalogue: which emails exist, who gets them, and their texts — read from YAML.

Campaign definitions and texts are data (``content/campaigns/*.yaml`` and
``content/common.yaml``) so that writers can change an email without touching
code. The catalogue is validated when it is loaded: a campaign missing a
locale or a required field fails at startup, never at send time.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.contracts.api.notifications import SurveyQuestion
from shared.contracts.vocabulary import Frustration, Locale, MainChallenge
from shared.messages import MessageError, template_at

CONTENT_DIR = Path(__file__).parent / "content"

# transactional: asked for by the person (login link, password reset) — always sent;
# service: the answer to something the person did (welcome, volunteer match);
# reminder: the daily digest of due actions; coaching: the advice emails; survey: follow-up questions.
Category = Literal["transactional", "service", "reminder", "coaching", "survey"]
Audience = Literal["job-seeker", "volunteer", "anyone"]
SurveyKind = Literal["first-followup", "employment-status", "nps"]


class Content(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Relevance(Content):
    """What makes a coaching campaign relevant to a person; a campaign with no rule suits everyone."""

    advice: tuple[str, ...] = ()
    challenges: tuple[MainChallenge, ...] = ()
    frustrations: tuple[Frustration, ...] = ()

    @property
    def is_generic(self) -> bool:
        """Return True when the campaign suits everyone."""
        return not (self.advice or self.challenges or self.frustrations)


class Link(Content):
    """Where the main button leads: a path of the web app, or a URL given in the variables."""

    path: str | None = Field(None, pattern=r"^/")
    variable: str | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Link:
        if (self.path is None) == (self.variable is None):
            raise ValueError("a link has either a path or a variable")
        return self


class Choice(Content):
    """A one-tap answer in a survey email: a button whose link pre-fills the survey page."""

    label: str
    answer: str = Field(pattern=r"^[a-z_]+=[A-Za-z0-9_]+$")


class Texts(Content):
    """One campaign's texts in one locale (gender and plurals: ``docs/MESSAGES.md``; ``{{ name }}``: a variable)."""

    subject: str
    preheader: str = ""
    paragraphs: tuple[str, ...]
    button: str | None = None
    choices: tuple[Choice, ...] = ()


class Campaign(Content):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    category: Category
    audience: Audience = "job-seeker"
    big: bool = Field(False, description="Long read; coaching alternates long and short emails.")
    score: float = Field(1.0, ge=0, le=3, description="Intrinsic value of a coaching campaign, 0-3.")
    relevance: Relevance = Relevance()
    link: Link | None = None
    survey: SurveyKind | None = None
    window_days: tuple[int, int] | None = Field(
        None, description="Planned once for each person, between these days after sign-up (inclusive)."
    )
    until_questionnaire_finished: bool = Field(
        False, description="Only for people who have not reached the end of the questionnaire yet."
    )
    after_questionnaire: bool = Field(
        False, description="Only once the person said they reached the end of the questionnaire."
    )
    after_diagnosis: bool = Field(False, description="Only once a diagnosis named the person's main challenge.")
    variables: tuple[str, ...] = Field((), description="Variables the sender must give.")
    secret_variables: bool = Field(False, description="Variables hold a secret (login link): erase once sent.")
    address_variable: str | None = Field(
        None, description="Send to the address in this variable (a new address to confirm), not the profile's."
    )
    api: bool = Field(False, description="Other services may queue it through POST /internal/messages.")
    logged_as: str | None = Field(
        None,
        description=(
            "Campaign shown in the person's own message log and export instead of this one: an email sent to an "
            "address that already has an account must not tell the asker more than the answer they got."
        ),
    )
    texts: dict[Locale, Texts]

    @model_validator(mode="after")
    def _every_locale(self) -> Campaign:
        missing = set(Locale) - set(self.texts)
        if missing:
            raise ValueError(f"campaign {self.id} lacks texts for {sorted(missing)}")
        if self.link is not None and self.link.variable and self.link.variable not in self.variables:
            raise ValueError(f"campaign {self.id} links to an undeclared variable {self.link.variable}")
        if self.address_variable is not None and self.address_variable not in self.variables:
            raise ValueError(f"campaign {self.id} sends to an undeclared variable {self.address_variable}")
        if self.link is None and self.survey is None and any(t.button for t in self.texts.values()):
            raise ValueError(f"campaign {self.id} has a button but no link")
        return self

    @property
    def has_unsubscribe(self) -> bool:
        """Return True when the email carries List-Unsubscribe (every email that is not transactional)."""
        return self.category != "transactional"


class Common(Content):
    """Texts shared by every email in one locale."""

    greeting: str
    greeting_anonymous: str
    signature: str
    why: str
    unsubscribe: str
    digest_item: str
    more_actions: str
    challenges: dict[MainChallenge, str]
    help_kinds: dict[str, str]


class Question(Content, SurveyQuestion):
    """A question of surveys.yaml: the fields of the survey page's question (one definition), read strictly."""


class Survey(Content):
    title: str
    introduction: str
    thanks: str
    questions: tuple[Question, ...]


class Catalogue(Content):
    campaigns: dict[str, Campaign]
    common: dict[Locale, Common]
    surveys: dict[SurveyKind, dict[Locale, Survey]]

    def campaign(self, campaign_id: str) -> Campaign:
        """Return a campaign; KeyError when it does not exist."""
        return self.campaigns[campaign_id]

    def coaching(self) -> list[Campaign]:
        """Return the coaching campaigns the schedule picks from (windowed ones go by date), in a stable order."""
        return sorted(
            (c for c in self.campaigns.values() if c.category == "coaching" and c.window_days is None),
            key=lambda c: c.id,
        )

    def survey_campaign(self, kind: SurveyKind) -> Campaign:
        """Return the campaign that asks the survey of this kind."""
        return next(c for c in self.campaigns.values() if c.survey == kind)


def read_catalogue(directory: Path = CONTENT_DIR) -> Catalogue:
    """Return the catalogue read from a content directory."""
    campaigns = {}
    for path in sorted((directory / "campaigns").glob("*.yaml")):
        campaign = Campaign.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        if campaign.id != path.stem:
            raise ValueError(f"{path.name} defines campaign {campaign.id}; name the file after the campaign")
        campaigns[campaign.id] = campaign
    common = yaml.safe_load((directory / "common.yaml").read_text(encoding="utf-8"))
    surveys = yaml.safe_load((directory / "surveys.yaml").read_text(encoding="utf-8"))
    catalogue = Catalogue.model_validate({"campaigns": campaigns, "common": common, "surveys": surveys})
    for where, text in _texts(catalogue):
        # Parsed once now (the engine keeps it): a malformed text stops the start-up, never a send.
        if template_at(text, where).placeholders:
            raise MessageError(f"{where}: a variable is written {{{{ name }}}} in an email")
    return catalogue


def _texts(catalogue: Catalogue) -> Iterator[tuple[str, str]]:
    """Yield every text of the catalogue with where it is written (file and key)."""
    for campaign_id, campaign in catalogue.campaigns.items():
        for locale, texts in campaign.texts.items():
            where = f"campaigns/{campaign_id}.yaml: texts.{locale}"
            yield f"{where}.subject", texts.subject
            yield f"{where}.preheader", texts.preheader
            yield from ((f"{where}.paragraphs[{i}]", p) for i, p in enumerate(texts.paragraphs))
            if texts.button is not None:
                yield f"{where}.button", texts.button
            yield from ((f"{where}.choices[{i}]", c.label) for i, c in enumerate(texts.choices))
    for locale, common in catalogue.common.items():
        where = f"common.yaml: {locale}"
        for name in (
            "greeting",
            "greeting_anonymous",
            "signature",
            "why",
            "unsubscribe",
            "digest_item",
            "more_actions",
        ):
            yield f"{where}.{name}", getattr(common, name)
        yield from ((f"{where}.challenges.{k}", text) for k, text in common.challenges.items())
        yield from ((f"{where}.help_kinds.{k}", text) for k, text in common.help_kinds.items())
    for kind, by_locale in catalogue.surveys.items():
        for locale, survey in by_locale.items():
            where = f"surveys.yaml: {kind}.{locale}"
            yield from ((f"{where}.{name}", getattr(survey, name)) for name in ("title", "introduction", "thanks"))
            for i, question in enumerate(survey.questions):
                yield f"{where}.questions[{i}].label", question.label
                yield from ((f"{where}.questions[{i}].choices.{k}", text) for k, text in question.choices.items())


@functools.cache
def default_catalogue() -> Catalogue:
    """Return the service's catalogue, read once."""
    return read_catalogue()
