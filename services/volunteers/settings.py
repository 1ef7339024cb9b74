"""Settings of the volunteers service (variables prefixed ``VOLUNTEERS_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.volunteers.lifecycle import Timing
from services.volunteers.request_quota import Quota
from services.volunteers.safety import Limits
from shared.settings import ServiceSettings


class VolunteersSettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore", env_prefix="VOLUNTEERS_")
    service_name = "volunteers"
    default_port = 8005

    answer_days: int = Field(3, ge=1, description="Days a volunteer has to answer a proposal.")
    review_days: int = Field(7, ge=1, description="Days to return a review once accepted.")
    coffee_days: int = Field(21, ge=1, description="Days to schedule a coffee once accepted.")
    confirm_days: int = Field(7, ge=1, description="Days after a returned review or a coffee before it counts as done.")
    document_days: int = Field(30, ge=1, description="Days documents are kept after the help is completed.")
    document_max_bytes: int = Field(5_000_000, ge=1, description="Largest document accepted for review.")
    confirmation_hours: int = Field(72, ge=1, description="How long an email confirmation link works.")
    requests_per_week: int = Field(3, ge=1, description="Help requests a job seeker may open in any 7 days.")
    messages_per_day: int = Field(20, ge=1, description="Relayed messages per sender and match in 24 hours.")
    reports_to_suspend: int = Field(2, ge=1, description="Distinct reporters that take a volunteer out of matching.")
    upkeep_interval_s: float = Field(
        10.0, gt=0, description="Seconds between two rounds of time-outs, expiry and matching."
    )

    @property
    def timing(self) -> Timing:
        """Return how long each step of a match may take."""
        return Timing(
            answer_days=self.answer_days,
            review_days=self.review_days,
            coffee_days=self.coffee_days,
            confirm_days=self.confirm_days,
            document_days=self.document_days,
        )

    @property
    def quota(self) -> Quota:
        return Quota(per_week=self.requests_per_week)

    @property
    def limits(self) -> Limits:
        return Limits(messages_per_day=self.messages_per_day, reports_to_suspend=self.reports_to_suspend)
