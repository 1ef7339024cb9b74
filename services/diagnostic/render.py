"""Turn a diagnosis into what a person reads: texts in their locale and gender, with sources.

No observation or reason is built on a figure of the market model (the
diagnosis treats them as unknown); the only text citing the model is the
notice that says plainly the figures are demonstration ones. Should a text
ever quote a synthetic figure, it ends with the "estimate" mark of the locale.
Sources name their dataset, its attribution and, for an imported official
file, the period it covers.
"""

from __future__ import annotations

from datetime import datetime

from services.diagnostic.challenges import MARKET_NOT_JUDGED, MARKET_UNKNOWN
from services.diagnostic.claims import answers_stated
from services.diagnostic.market_data import MarketData
from services.diagnostic.models import ChallengeOutcome, Diagnosis, Observation, Reason, Source
from services.diagnostic.observations import DEMONSTRATION_NOTICE
from services.diagnostic.questionnaire import QUESTIONS
from services.diagnostic.texts import Labels, NoLabels, TextCatalogue, catalogue
from shared.contracts.api.diagnostic import (
    AlternativeView,
    AnswerView,
    ChallengeView,
    DiagnosisView,
    FigureView,
    MarketSummaryView,
    ObservationView,
    QuestionView,
    ReasonView,
    RequirementsView,
    SelfDiagnosticView,
    SourceView,
    SubDiagnosticView,
)
from shared.contracts.diagnostic import MarketFacts
from shared.contracts.vocabulary import Gender, Locale

# Texts that say themselves that their figures are demonstration ones: no estimate mark after them.
SAYS_IT_IS_A_DEMONSTRATION = frozenset({DEMONSTRATION_NOTICE})


class Renderer:
    """Renders diagnoses and market facts in one locale and gender."""

    def __init__(
        self,
        *,
        locale: Locale,
        gender: Gender = Gender.UNKNOWN,
        market: MarketData | None = None,
        texts: TextCatalogue | None = None,
    ) -> None:
        self.locale = Locale(locale)
        self.gender = Gender(gender)
        self.market = market
        self.texts = texts or catalogue()
        self.labels: Labels = market if market is not None else NoLabels()

    def text(self, section: str, key: str, params: dict[str, object] | None = None, sub: str | None = None) -> str:
        """Return one text of the catalogue in this renderer's locale and gender."""
        return self.texts.render(
            section, key, locale=self.locale, gender=self.gender, params=params, labels=self.labels, sub=sub
        )

    def estimate_mark(self) -> str:
        """Return the word that flags an estimate, e.g. "(estimation)"."""
        return f" ({self.text('provenance', 'synthetic')})"

    def source(self, source: Source) -> SourceView:
        """Return a source with its attribution."""
        info = self.market.dataset(source.dataset) if self.market is not None else None
        return SourceView(
            dataset=source.dataset,
            provenance=source.provenance,
            is_estimate=source.provenance == "synthetic",
            attribution=info.attribution if info else None,
            period=info.period if info and source.provenance == "real" else None,
        )

    def reason(self, reason: Reason, *, estimate: bool = False) -> ReasonView:
        """Return a reason as a sentence (observation reasons use their observation's "why").

        ``estimate`` marks reasons that quote a figure of the market model.
        """
        if self.texts.has("reasons", reason.code):
            text = self.text("reasons", reason.code, reason.params)
        else:
            text = self.text("observations", reason.code, reason.params, sub="why")
        return ReasonView(
            code=reason.code,
            text=text + self.estimate_mark() if estimate else text,
            answers=answers_stated(reason.code),
        )

    def observation(self, observation: Observation) -> ObservationView:
        """Return an observation with its text, reasons and sources."""
        estimate = any(s.provenance == "synthetic" for s in observation.sources)
        marked = estimate and observation.id not in SAYS_IT_IS_A_DEMONSTRATION
        text = self.text("observations", observation.id, observation.params)
        return ObservationView(
            id=observation.id,
            topic=observation.topic,
            attention_needed=observation.attention_needed,
            score=observation.score,
            text=text + self.estimate_mark() if marked else text,
            answers=answers_stated(observation.id),
            reasons=[self.reason(r, estimate=marked) for r in observation.reasons],
            sources=[self.source(s) for s in observation.sources],
            contains_estimates=estimate,
        )

    def challenge(self, outcome: ChallengeOutcome) -> ChallengeView:
        """Return one challenge with its status, reasons and sources."""
        # A market that could not be judged is not "nothing to report": say it is unknown.
        unknown = outcome.status == "neutral" and any(
            r.code in (MARKET_NOT_JUDGED, MARKET_UNKNOWN) for r in outcome.reasons
        )
        return ChallengeView(
            challenge=outcome.challenge,
            label=self.text("challenges", outcome.challenge.value),
            status=outcome.status,
            status_label=self.text("statuses", "unknown" if unknown else outcome.status),
            reasons=[
                self.reason(r, estimate=r.code.startswith("market.") and _synthetic(outcome.sources))
                for r in _once(outcome.reasons)
            ],
            missing_fields=list(outcome.missing_fields),
            sources=[self.source(s) for s in outcome.sources],
        )

    def question(self, field: str) -> QuestionView:
        """Return the question for a missing field, with every true answer and what each one saves."""
        question = QUESTIONS.get(field)
        return QuestionView(
            field=field,
            question=self.text("fields", field),
            target=question.target if question else "project",
            input=question.input if question else "choice",
            answers=[
                AnswerView(label=self.text("answers", a.key), changes=a.changes, typed=a.typed)
                for a in (question.answers if question else ())
            ],
        )

    def market_summary(self, market: MarketFacts) -> MarketSummaryView:
        """Return the market facts a diagnosis used, labelled."""
        rank = next((f.value for f in market.figures if f.name == "required_degree_rank"), None)
        requirements = market.requirements
        return MarketSummaryView(
            rome_code=market.rome_code,
            job_label=self.labels.job_label(market.rome_code),
            departement=market.departement,
            departement_name=self.labels.departement_label(market.departement),
            figures=[
                FigureView(
                    name=f.name,
                    value=f.value,
                    provenance=f.provenance,
                    dataset=f.dataset,
                    is_estimate=f.provenance == "synthetic",
                )
                for f in market.figures
            ],
            alternatives=[
                AlternativeView(
                    rome_code=a.rome_code,
                    job_label=self.labels.job_label(a.rome_code),
                    departement=a.departement,
                    departement_name=self.labels.departement_label(a.departement),
                    offers_per_10_candidates=a.offers_per_10_candidates,
                    relation=a.relation,
                    provenance=a.provenance,
                    dataset=a.dataset,
                    is_estimate=a.provenance == "synthetic",
                )
                for a in market.alternatives
            ],
            requirements=RequirementsView(
                required_degree_rank=None if rank is None else int(rank),
                diplomas=requirements.diplomas,
                experience_route=requirements.experience_route,
                regulated=requirements.regulated,
                dataset=requirements.dataset,
            )
            if requirements is not None
            else None,
        )

    def diagnosis(
        self, diagnosis: Diagnosis, *, diagnosis_id: str, fingerprint: str, diagnosed_at: datetime | None = None
    ) -> DiagnosisView:
        """Return a diagnosis as the person reads it."""
        main = diagnosis.main_challenge
        subs = [
            SubDiagnosticView(
                topic=sub.topic,
                label=self.text("topics", sub.topic),
                score=sub.score,
                observations=[self.observation(o) for o in sub.observations],
            )
            for sub in diagnosis.sub_diagnoses
        ]
        reply = diagnosis.self_diagnostic
        market = self.market_summary(diagnosis.market) if diagnosis.market is not None else None
        estimates = any(o.contains_estimates for sub in subs for o in sub.observations) or bool(
            market and any(f.is_estimate for f in market.figures)
        )
        return DiagnosisView(
            diagnosis_id=diagnosis_id,
            project_id=diagnosis.project_id,
            profile_revision=diagnosis.profile_revision,
            locale=self.locale.value,
            main_challenge=main,
            main_challenge_label=self.text("challenges", main.value) if main else None,
            overall_score=diagnosis.overall_score,
            overall_sentence=self.text("overall", diagnosis.overall_sentence, diagnosis.overall_params),
            overall_text=self.text("overall_text", main.value if main else "missing-data"),
            challenges=[self.challenge(c) for c in diagnosis.challenges],
            missing_fields=list(diagnosis.missing_fields),
            questions=[self.question(f) for f in diagnosis.missing_fields if self.texts.has("fields", f)],
            sub_diagnostics=subs,
            self_diagnostic=SelfDiagnosticView(
                guess=reply.guess,
                relation=reply.relation,
                text=self.text("self_diagnostic", reply.relation, {"guess": reply.guess, "computed": reply.computed}),
            )
            if reply is not None
            else None,
            market=market,
            contains_estimates=estimates,
            fingerprint=fingerprint,
            diagnosed_at=diagnosed_at,
        )


def _once(reasons: tuple[Reason, ...]) -> list[Reason]:
    """Return the reasons without repeats: one per fact ("search.started" and "search.long-enough" both say
    how long the person has searched: the first says it, the second would only say it again)."""
    kept: list[Reason] = []
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    for reason in reasons:
        fact = (reason.code.split(".", 1)[0], tuple(sorted((k, str(v)) for k, v in reason.params.items())))
        if reason.code in {r.code for r in kept} or (reason.params and fact in seen):
            continue
        seen.add(fact)
        kept.append(reason)
    return kept


def _synthetic(sources: tuple[Source, ...]) -> bool:
    return any(s.provenance == "synthetic" for s in sources)
