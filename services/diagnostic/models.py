"""What a diagnosis is made of: plain values, cheap to build and to hash.

``diagnose`` returns these; ``render`` turns them into texts in a locale and the
handlers into the ``diagnosis-ready`` event. They carry text keys and
parameters, never sentences, so one diagnosis serves every locale.

They are values and nothing mutates them; the small ones are not declared
``frozen`` because a frozen dataclass costs three times more to build, and a
diagnosis builds a hundred of them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import orjson

from shared.contracts.diagnostic import ChallengeStatus, DiagnosticTopic, MarketFacts, SourceProvenance
from shared.contracts.vocabulary import MainChallenge

Params = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Source:
    """A data source: a dataset id (``name@version``) and whether it is real, synthetic or declared."""

    dataset: str
    provenance: SourceProvenance


PROFILE_SOURCE = Source("profile", "declared")


@dataclass(slots=True)
class Reason:
    """Why a conclusion holds: a text key (under ``reasons:`` in the content) and its parameters."""

    code: str
    params: Params = field(default_factory=dict)


@dataclass(slots=True)
class ChallengeOutcome:
    challenge: MainChallenge
    status: ChallengeStatus
    reasons: tuple[Reason, ...] = ()
    missing_fields: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()


@dataclass(slots=True)
class Observation:
    """One thing the diagnosis noticed, good or needing attention, with its reasons and sources."""

    id: str  # text key under ``observations:``
    topic: DiagnosticTopic
    score: int | None  # 0 (blocker) to 3 (strength); None for information only
    params: Params = field(default_factory=dict)
    sources: tuple[Source, ...] = ()

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """Return the facts behind the observation: its own "why" text, with its parameters.

        Built when read rather than stored: a diagnosis makes a dozen observations
        and is read far less often than it is computed.
        """
        return (Reason(self.id, self.params),)

    @property
    def attention_needed(self) -> bool:
        """Return True when the observation points at something to work on."""
        return self.score is not None and self.score <= 1


@dataclass(slots=True)
class SubDiagnosis:
    topic: DiagnosticTopic
    score: int | None  # 0-100, None without scored observations
    observations: tuple[Observation, ...]


@dataclass(slots=True)
class SelfDiagnosticReply:
    """How the person's own guess compares with the computed main challenge."""

    guess: MainChallenge
    relation: str  # same, also-true, not-a-blocker, cannot-tell-yet, unknown-for-now
    guess_status: ChallengeStatus
    computed: MainChallenge | None


@dataclass(frozen=True, slots=True)
class Diagnosis:
    project_id: str
    profile_revision: int
    main_challenge: MainChallenge | None
    overall_score: int | None
    overall_sentence: str  # text key under ``overall:``
    overall_params: Params
    challenges: tuple[ChallengeOutcome, ...]
    missing_fields: tuple[str, ...]
    sub_diagnoses: tuple[SubDiagnosis, ...]
    self_diagnostic: SelfDiagnosticReply | None
    market: MarketFacts | None

    def observations(self) -> list[Observation]:
        """Return every observation of every sub-diagnosis."""
        return [o for sub in self.sub_diagnoses for o in sub.observations]

    def fingerprint(self) -> str:
        """Return a hash of what the diagnosis concludes: equal when nothing changed for the person.

        Numbers that move with the calendar alone (months of search in a
        reason's parameters) are left out, so that re-diagnosing a person a week
        later does not announce a change; market figures are kept.
        """
        body = {
            "project": self.project_id,
            "main": self.main_challenge,
            "score": self.overall_score,
            "sentence": [self.overall_sentence, self.overall_params],
            "challenges": [
                [c.challenge, c.status, [r.code for r in c.reasons], c.missing_fields] for c in self.challenges
            ],
            "missing": self.missing_fields,
            "subs": [
                [sub.topic, sub.score, [[o.id, o.score, o.sources] for o in sub.observations]]
                for sub in self.sub_diagnoses
            ],
            "self": self.self_diagnostic,
            "market": _market_digest(self.market),
        }
        return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]


# Market facts are shared by everyone in the same job and place: their digest is computed once.
_DIGESTS: dict[int, tuple[MarketFacts, str]] = {}
_DIGESTS_MAX = 8192


def _market_digest(market: MarketFacts | None) -> str | None:
    if market is None:
        return None
    cached = _DIGESTS.get(id(market))
    if cached is not None and cached[0] is market:
        return cached[1]
    digest = hashlib.sha256(orjson.dumps(_market_body(market))).hexdigest()
    if len(_DIGESTS) >= _DIGESTS_MAX:
        _DIGESTS.clear()
    _DIGESTS[id(market)] = (market, digest)
    return digest


def _market_body(market: MarketFacts) -> Any:
    return [
        market.rome_code,
        market.departement,
        [[f.name, f.value, f.dataset] for f in market.figures],
        [[a.rome_code, a.departement, a.offers_per_10_candidates, a.relation, a.dataset] for a in market.alternatives],
    ]


def diagnosis_to_json(diagnosis: Diagnosis) -> dict[str, Any]:
    """Return a diagnosis as a JSON-compatible document."""
    doc: dict[str, Any] = orjson.loads(orjson.dumps(diagnosis, default=_encode))
    return doc


def _encode(value: Any) -> Any:
    if isinstance(value, MarketFacts):
        return value.model_dump(mode="json")
    raise TypeError(f"cannot encode {type(value).__name__}")


def _sources(items: list[dict[str, Any]]) -> tuple[Source, ...]:
    return tuple(Source(s["dataset"], s["provenance"]) for s in items)


def _reasons(items: list[dict[str, Any]]) -> tuple[Reason, ...]:
    return tuple(Reason(r["code"], r["params"]) for r in items)


def diagnosis_from_json(doc: dict[str, Any]) -> Diagnosis:
    """Return the diagnosis stored by ``diagnosis_to_json``."""
    reply = doc.get("self_diagnostic")
    return Diagnosis(
        project_id=doc["project_id"],
        profile_revision=doc["profile_revision"],
        main_challenge=MainChallenge(doc["main_challenge"]) if doc["main_challenge"] else None,
        overall_score=doc["overall_score"],
        overall_sentence=doc["overall_sentence"],
        overall_params=doc["overall_params"],
        challenges=tuple(
            ChallengeOutcome(
                MainChallenge(c["challenge"]),
                c["status"],
                _reasons(c["reasons"]),
                tuple(c["missing_fields"]),
                _sources(c["sources"]),
            )
            for c in doc["challenges"]
        ),
        missing_fields=tuple(doc["missing_fields"]),
        sub_diagnoses=tuple(
            SubDiagnosis(
                sub["topic"],
                sub["score"],
                tuple(
                    Observation(o["id"], o["topic"], o["score"], o["params"], _sources(o["sources"]))
                    for o in sub["observations"]
                ),
            )
            for sub in doc["sub_diagnoses"]
        ),
        self_diagnostic=SelfDiagnosticReply(
            MainChallenge(reply["guess"]),
            reply["relation"],
            reply["guess_status"],
            MainChallenge(reply["computed"]) if reply["computed"] else None,
        )
        if reply
        else None,
        market=MarketFacts.model_validate(doc["market"]) if doc.get("market") else None,
    )
