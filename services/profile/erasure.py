"""Erasing a person: everything the profile service holds, then ``user-erased`` for every other service."""

from __future__ import annotations

from typing import Literal

from services.profile.consents import ERASED_COUNSELLOR, ledger_entry, state_key, without_counsellor
from services.profile.counsellors import LINKS
from services.profile.privacy import PERSONAL_DATA
from services.profile.profiles import commit_in
from services.profile.repository import ACCOUNTS, CONSENTS, PROFILES
from shared.contracts.profile import UserErased, UserErasedData
from shared.contracts.vocabulary import ConsentPurpose
from shared.personal_data import erase_person
from shared.service import ServiceRuntime


async def erase(runtime: ServiceRuntime, subject: str, reason: Literal["user-request", "inactivity"]) -> None:
    """Erase the person in one unit of work, publish ``user-erased``, then scrub the store's files."""
    async with runtime.unit_of_work() as uow:
        followed = await uow.collection(LINKS).find({"counsellor_id": subject, "active": True})
        await erase_person(uow, PERSONAL_DATA, subject)
        # A counsellor's id must not survive in the consent history of the people they followed:
        # the proof that consent was given and withdrawn stays, without naming who it was for.
        # Entries are rewritten under new ids, so no key names the counsellor either.
        consents = uow.collection(CONSENTS)
        naming = await consents.find({"counsellor_id": subject})
        if naming:
            await consents.delete({"counsellor_id": subject})
            await consents.insert_many([without_counsellor(entry) for entry in naming])
        for link in followed:
            person = await uow.collection(PROFILES).get(link["user_id"])
            account = await uow.collection(ACCOUNTS).get(link["user_id"])
            if person is None or account is None:
                continue
            await consents.insert(
                ledger_entry(link["user_id"], ConsentPurpose.COUNSELLOR_SHARING, False, uow.now, ERASED_COUNSELLOR)
            )
            still = await uow.collection(LINKS).count({"user_id": link["user_id"], "active": True})
            person["consents"][state_key(ConsentPurpose.COUNSELLOR_SHARING)] = still > 0
            await commit_in(uow, person, account, person["revision"])
        uow.publish(UserErased(subject=subject, data=UserErasedData(reason=reason)))
    # Committed: the deleted documents must not stay readable in the file (the relay scrubs again once
    # the user-erased event, which names the person, has left the outbox).
    await runtime.store.scrub_deleted()
