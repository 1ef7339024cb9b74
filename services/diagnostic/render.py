"""Turn a diagnosis into what a person reads: texts in their locale and gender, with sources.

A figure of the market model is never shown as a plain fact: its source says
``synthetic`` and ``is_estimate``, and the texts built on it end with the
"estimate" mark of the locale.
"""

from __future__ import annotations

from datetime import datetime

from services.diagnostic.market_data import MarketData
from services.diagnostic.models import Diagnosis, Observation, Reason, Source
from services.diagnostic.schemas import (
    AlternativeView,
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
from services.diagnostic.texts import Labels, NoLabels, TextCatalogue, catalogue
from shared.contracts.diagnostic import MarketFacts
from shared.contracts.vocabulary import Gender, Locale


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
        )

    def reason(self, reason: Reason, *, estimate: bool = False) -> ReasonView:
        """Return a reason as a sentence (observation reasons use their observation's "why").

        ``estimate`` marks reasons that quote a figure of the market model.
        """
        if self.texts.has("reasons", reason.code):
            text = self.text("reasons", reason.code, reason.params)
        else:
            text = self.text("observations", reason.code, reason.params, sub="why")
        return ReasonView(code=reason.code, text=text + self.estimate_mark() if estimate else text)

    def observation(self, observation: Observation) -> ObservationView:
        """Return an observation with its text, reasons and sources."""
        estimate = any(s.provenance == "synthetic" for s in observation.sources)
        text = self.text("observations", observation.id, observation.params)
        return ObservationView(
            id=observation.id,
            topic=observation.topic,
            attention_needed=observation.attention_needed,
            score=observation.score,
            text=text + self.estimate_mark() if estimate else text,
            reasons=[self.reason(r, estimate=estimate) for r in observation.reasons],
            sources=[self.source(s) for s in observation.sources],
            contains_estimates=estimate,
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
            challenges=[
                ChallengeView(
                    challenge=c.challenge,
                    label=self.text("challenges", c.challenge.value),
                    status=c.status,
                    status_label=self.text("statuses", c.status),
                    reasons=[
                        self.reason(r, estimate=r.code.startswith("market.") and _synthetic(c.sources))
                        for r in c.reasons
                    ],
                    missing_fields=list(c.missing_fields),
                    sources=[self.source(s) for s in c.sources],
                )
                for c in diagnosis.challenges
            ],
            missing_fields=list(diagnosis.missing_fields),
            questions=[
                QuestionView(field=f, question=self.text("fields", f))
                for f in diagnosis.missing_fields
                if self.texts.has("fields", f)
            ],
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


def _synthetic(sources: tuple[Source, ...]) -> bool:
    return any(s.provenance == "synthetic" for s in sources)
