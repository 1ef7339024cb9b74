"""Dependencies of the public routes: the settings, the service clients and the current user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request

from services.gateway.settings import GatewaySettings
from services.gateway.tokens import Principal, read_access_token
from services.gateway.upstream import Services
from shared.personal_data import PERSON_ID_PATTERN


async def get_settings(request: Request) -> GatewaySettings:
    settings: GatewaySettings = request.app.state.settings
    return settings


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def get_current_user(request: Request, settings: Annotated[GatewaySettings, Depends(get_settings)]) -> Principal:
    """Return the user named by the bearer token; 401 when it is missing, expired or forged."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    principal = (
        read_access_token(token, secret=settings.secret_key.get_secret_value())
        if scheme.lower() == "bearer" and token
        else None
    )
    if principal is None:
        raise HTTPException(status_code=401, detail="not_authenticated", headers={"WWW-Authenticate": "Bearer"})
    return principal


SettingsDep = Annotated[GatewaySettings, Depends(get_settings)]
ServicesDep = Annotated[Services, Depends(get_services)]
CurrentUser = Annotated[Principal, Depends(get_current_user)]


# Identifiers in paths are checked at the edge: nothing unexpected reaches an internal URL.
UserId = Annotated[str, Path(pattern=f"^{PERSON_ID_PATTERN}$", examples=["u_9b2f4c1d7e8a4f3b"])]
ProjectId = Annotated[str, Path(pattern=r"^p[0-9]{1,3}$", examples=["p1"])]
MatchId = Annotated[str, Path(pattern=r"^mt_[A-Za-z0-9_-]{1,64}$", examples=["mt_9b2f4c1d7e8a4f3b"])]
RequestId = Annotated[str, Path(pattern=r"^rq_[A-Za-z0-9_-]{1,64}$", examples=["rq_9b2f4c1d7e8a4f3b"])]
DocumentId = Annotated[str, Path(pattern=r"^doc_[A-Za-z0-9_-]{1,64}$", examples=["doc_9b2f4c1d7e8a4f3b"])]
