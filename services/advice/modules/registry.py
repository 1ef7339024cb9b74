"""The registry of advice modules: every module, in one place.

The ids keep the reference product's names (BOB-REFERENCE.md §3) where the
idea applies; the others are ours. ``content/advice.yaml`` holds one entry per
id, checked at start-up.
"""

from __future__ import annotations

from services.advice.modules import applications, explore, interviews, market, mobility, network, personal, training
from services.advice.modules.base import AdviceModule

MODULES: tuple[AdviceModule, ...] = (
    *applications.MODULES,
    *interviews.MODULES,
    *network.MODULES,
    *market.MODULES,
    *mobility.MODULES,
    *training.MODULES,
    *explore.MODULES,
    *personal.MODULES,
)

MODULE_BY_ID: dict[str, AdviceModule] = {module.advice_id: module for module in MODULES}

# The 43 modules of the reference product; the registry must keep every one of them.
REFERENCE_IDS = frozenset(
    {
        "association-help",
        "better-job-in-group",
        "body-language",
        "civic-service",
        "commute",
        "create-your-company",
        "driving-license-euro",
        "driving-license-low-income",
        "driving-license-written",
        "events",
        "find-a-jobboard",
        "follow-up",
        "fresh-resume",
        "immersion-milo",
        "improve-interview",
        "improve-resume",
        "less-applications",
        "life-balance",
        "motivation-email",
        "network-application",
        "network-application-medium",
        "network-application-good",
        "other-work-env",
        "personality-test",
        "jobflix",
        "explore-other-jobs",
        "relocate",
        "reorient-jobbing",
        "reorient-to-close-job",
        "seasonal-relocate",
        "senior",
        "specific-to-job",
        "spontaneous-application",
        "training",
        "alternance",
        "vae",
        "volunteer",
        "online-salons",
        "skill-for-future",
        "long-term-mom",
        "immersion",
        "needs-for-handicap",
        "explore-safe-jobs",
    }
)
