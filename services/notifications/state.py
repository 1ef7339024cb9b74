"""What the notifications service keeps in memory besides its store: its client of the profile service."""

from __future__ import annotations

from dataclasses import dataclass

from services.notifications.contacts import FrequencySetting
from shared.service import ServiceRuntime


@dataclass
class NotificationsState:
    # One pooled client per process, made on first use (routes._profile); tests put a fake in its place.
    profile: FrequencySetting | None = None


NotificationsRuntime = ServiceRuntime[NotificationsState]
