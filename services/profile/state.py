"""What the profile service keeps in memory besides its store: the codes it checks answers against."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException

from shared.reference.geo import GeoReference
from shared.reference.rome import RomeReference
from shared.service import ServiceRuntime, request_runtime


@dataclass
class ProfileState:
    rome: RomeReference | None = None  # read at start-up (bootstrap.load_reference)
    geo: GeoReference | None = None

    def codes(self) -> tuple[RomeReference, GeoReference]:
        """Return the ROME and the geography, or answer 503 while they load."""
        if self.rome is None or self.geo is None:
            raise HTTPException(status_code=503, detail="reference data is loading")
        return self.rome, self.geo


ProfileRuntime = ServiceRuntime[ProfileState]
ProfileRuntimeDep = Annotated[ProfileRuntime, Depends(request_runtime)]
