"""Event handlers of the advice service: thin adapters around the pure recommendation and plan logic.

Every handler is idempotent and replayable: action ids are derived from the
person, project and template; a profile revision older than the one applied is
ignored; a diagnosis of an older profile revision than the plan's is ignored.
"""

from __future__ import annotations

from services.advice import repository as repo
from services.advice.catalogue import catalogue
from services.advice.planning import follow_profile, plan_diagnosis
from services.advice.render import Wording
from shared.contracts.advice import AdviceReady
from shared.contracts.diagnostic import DiagnosisReady
from shared.contracts.profile import ProfileUpdated, UserErased
from shared.personal_data import erase_person
from shared.unit_of_work import UnitOfWork


def default_wording() -> Wording:
    """Return the wording without reference labels (codes stand for job and département names)."""
    return Wording(catalogue())


async def on_diagnosis_ready(event: DiagnosisReady, uow: UnitOfWork, *, wording: Wording | None = None) -> None:
    """Return once the advice and plan are stored and ``advice-ready`` is staged (when something changed)."""
    ready = await plan_diagnosis(uow, event.subject, event.data, wording or default_wording())
    if ready is not None:
        uow.publish(AdviceReady(subject=event.subject, data=ready))


async def on_profile_updated(event: ProfileUpdated, uow: UnitOfWork, *, wording: Wording | None = None) -> None:
    """Return once the person's preferences and consents are kept and their plan reflowed (stale revisions: no-op)."""
    await follow_profile(uow, event.subject, event.data, wording or default_wording())


async def on_user_erased(event: UserErased, uow: UnitOfWork) -> None:
    """Return once everything the service holds about the person is deleted."""
    await erase_person(uow, repo.PERSONAL_DATA, event.subject)
