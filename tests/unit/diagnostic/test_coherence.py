"""Issue 18, "coherence", for the diagnosis: it never contradicts itself, in any locale.

Over the generated people of test_every_person.py: no observation is both a worry and a strength; "no major
obstacle" only when the main challenge is bravo; no reason said twice in one challenge; the interviews are
never praised when getting interviews is the priority; the market is never called a strength when it is
the blocker.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.diagnostic.diagnose import diagnose
from services.diagnostic.render import Renderer
from shared.contracts.vocabulary import Locale, MainChallenge
from tests.unit.diagnostic.builders import TODAY
from tests.unit.diagnostic.test_every_person import markets, people

NO_OBSTACLE = {"fr": "pas de frein majeur", "fr@tu": "pas de frein majeur", "en": "no major obstacle"}
# What each priority must never be praised for in the same diagnosis.
PRAISE_AGAINST = {
    MainChallenge.ENHANCE_METHODS_TO_INTERVIEW: {"search.interviews-good"},
    MainChallenge.STUCK_MARKET: {"market.tension-good", "market.easy"},
    MainChallenge.MISSING_DIPLOMA: {"skills.diploma-ok", "skills.diploma-declared", "skills.no-diploma-needed"},
    MainChallenge.START_YOUR_SEARCH: {"search.interviews-good"},
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_diagnosis_never_contradicts_itself(data: st.DataObject) -> None:
    person = data.draw(people())
    project = person.projects[0]
    diagnosis = diagnose(person, project, data.draw(markets(project)), TODAY)
    main = diagnosis.main_challenge
    observations = [o for sub in diagnosis.sub_diagnoses for o in sub.observations]
    for observation in observations:
        assert not (observation.attention_needed and observation.score == 3), observation.id
    praised = {o.id for o in observations if o.score is not None and o.score >= 2}
    assert main is not None
    assert not praised & PRAISE_AGAINST.get(main, set()), (main, praised)
    for locale in Locale:
        view = Renderer(locale=locale).diagnosis(diagnosis, diagnosis_id="d", fingerprint="f")
        says_no_obstacle = NO_OBSTACLE[locale.value] in f"{view.overall_sentence} {view.overall_text}"
        assert not says_no_obstacle or main is MainChallenge.BRAVO, (main, view.overall_text)
        for challenge in view.challenges:
            texts = [r.text for r in challenge.reasons]
            assert len(texts) == len(set(texts)), (challenge.challenge, texts)
