"""One error format for the public API: ``application/problem+json`` (RFC 9457), in French or English.

Every error names the field (when there is one) and the reason, in the
language the client asked for with ``Accept-Language`` (French by default).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"


class FieldError(BaseModel):
    field: str = Field(examples=["project.city_insee"])
    code: str = Field(examples=["unknown_code"])
    reason: str = Field(examples=["Ce code n'existe pas dans le référentiel."])


class Problem(BaseModel):
    """An error (RFC 9457), in the client's language."""

    type: str = Field(examples=["https://coach.example/problems/invalid_input"])
    title: str = Field(examples=["Données invalides"])
    status: int = Field(examples=[422])
    code: str = Field(examples=["invalid_input"])
    detail: str
    errors: list[FieldError] | None = None
    params: dict[str, str | int | float | bool] | None = Field(None, examples=[{"current": 3}])


def _documented(status: int, description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description, "content": {PROBLEM_JSON: {}}}


# Every public route may answer these; documenting them keeps the OpenAPI document honest.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _documented(400, "Bad request"),
    401: _documented(401, "Missing, expired or forged token"),
    403: _documented(403, "Not allowed for this role"),
    404: _documented(404, "Not found (or not yours)"),
    409: _documented(409, "Stale revision or state conflict"),
    413: _documented(413, "Body too large"),
    422: _documented(422, "Invalid data: each error names the field and the reason"),
    429: _documented(429, "Too many attempts (see Retry-After)"),
    502: _documented(502, "A service behind the gateway did not answer"),
    503: _documented(503, "Too busy to take the request now; nothing was done (see Retry-After)"),
    504: _documented(504, "A service took too long to answer; the request may have been carried out"),
}

# Reasons by code: French first, English second. {placeholders} come from the problem's params.
REASONS: dict[str, tuple[str, str]] = {
    "missing": ("Ce champ est obligatoire.", "This field is required."),
    "extra_forbidden": ("Ce champ n'est pas attendu.", "This field is not expected."),
    "unknown_code": ("Ce code n'existe pas dans le référentiel.", "This code does not exist in the reference data."),
    "does_not_match_job_title": (
        "Ce code ROME ne correspond pas au métier choisi ({expected}).",
        "This ROME code does not match the chosen job title ({expected}).",
    ),
    "out_of_range": ("La valeur doit être entre {min} et {max}.", "The value must be between {min} and {max}."),
    "in_the_future": ("Cette date est dans le futur.", "This date is in the future."),
    "too_old": ("Cette date est trop ancienne.", "This date is too far in the past."),
    "contradicts_started_at": (
        "Vous avez indiqué une date de début de recherche.",
        "You gave a date when the search started.",
    ),
    "requires_custom_gender": ("Précisez d'abord « autre » comme genre.", "Choose 'custom' as gender first."),
    "unknown_time_zone": ("Ce fuseau horaire est inconnu.", "This time zone is unknown."),
    "enum": ("Cette valeur n'est pas dans la liste proposée.", "This value is not one of the allowed choices."),
    "string_too_short": ("Ce texte est trop court.", "This text is too short."),
    "string_too_long": ("Ce texte est trop long.", "This text is too long."),
    "string_pattern_mismatch": ("Ce format n'est pas valide.", "This format is not valid."),
    "string_type": ("Un texte est attendu.", "A text is expected."),
    "int_parsing": ("Un nombre entier est attendu.", "A whole number is expected."),
    "int_type": ("Un nombre entier est attendu.", "A whole number is expected."),
    "bool_type": ("Oui ou non est attendu.", "True or false is expected."),
    "bool_parsing": ("Oui ou non est attendu.", "True or false is expected."),
    "greater_than_equal": ("La valeur doit être au moins {ge}.", "The value must be at least {ge}."),
    "less_than_equal": ("La valeur doit être au plus {le}.", "The value must be at most {le}."),
    "too_long": ("La liste est trop longue.", "The list is too long."),
    "date_parsing": ("Une date AAAA-MM-JJ est attendue.", "A date YYYY-MM-DD is expected."),
    "date_from_datetime_parsing": ("Une date AAAA-MM-JJ est attendue.", "A date YYYY-MM-DD is expected."),
    "value_error": ("Cette valeur n'est pas valide.", "This value is not valid."),
    "json_invalid": ("Le corps de la requête n'est pas du JSON valide.", "The request body is not valid JSON."),
    "model_attributes_type": ("Un objet JSON est attendu.", "A JSON object is expected."),
    "dict_type": ("Un objet JSON est attendu.", "A JSON object is expected."),
    "list_type": ("Une liste est attendue.", "A list is expected."),
}

TITLES: dict[int, tuple[str, str]] = {
    400: ("Requête incorrecte", "Bad request"),
    401: ("Connexion nécessaire", "Authentication required"),
    403: ("Accès refusé", "Access denied"),
    404: ("Introuvable", "Not found"),
    405: ("Méthode non permise", "Method not allowed"),
    409: ("Conflit", "Conflict"),
    413: ("Requête trop volumineuse", "Request too large"),
    415: ("Type de contenu non pris en charge", "Unsupported content type"),
    422: ("Données invalides", "Invalid data"),
    429: ("Trop de demandes", "Too many requests"),
    502: ("Service indisponible", "Service unavailable"),
    503: ("Service indisponible", "Service unavailable"),
    504: ("Réponse trop lente", "Answer too slow"),
}

DETAILS: dict[str, tuple[str, str]] = {
    "stale_revision": (
        "Le profil a changé depuis votre lecture ; rechargez-le puis recommencez.",
        "The profile changed since you read it; reload it and try again.",
    ),
    "email_taken": (
        "Si cette adresse est libre, le compte est créé ; sinon, connectez-vous.",
        "If this address is free the account is created; otherwise, log in.",
    ),
    "not_authenticated": ("Connectez-vous pour continuer.", "Log in to continue."),
    "invalid_credentials": ("Adresse ou mot de passe incorrect.", "Wrong email or password."),
    "not_found": ("Cette ressource n'existe pas.", "This resource does not exist."),
    "too_many_projects": (
        "Vous avez déjà le nombre maximal de projets.",
        "You already have the maximum number of projects.",
    ),
    "service_unavailable": (
        "Un service ne répond pas ; réessayez dans un instant.",
        "A service is not answering; try again in a moment.",
    ),
    "busy": (
        "Beaucoup de personnes utilisent le service en ce moment ; rien n'a été fait. "
        "Réessayez dans {retry_after} secondes.",
        "Many people are using the service right now; nothing was done. Try again in {retry_after} seconds.",
    ),
    "service_slow": (
        "Le service a mis trop de temps à répondre ; votre demande a peut-être été prise en compte. "
        "Rechargez la page pour vérifier avant de recommencer.",
        "The service took too long to answer; your request may have gone through. "
        "Reload the page to check before trying again.",
    ),
    "body_too_large": ("La requête est trop volumineuse.", "The request is too large."),
    "rate_limited": ("Trop de tentatives ; réessayez plus tard.", "Too many attempts; try again later."),
    "invalid_input": ("Certaines réponses sont à corriger.", "Some answers need correcting."),
    "forbidden": ("Cette page n'est pas pour ce type de compte.", "This page is not for this kind of account."),
    "counsellors_only": ("Réservé aux conseillers et conseillères.", "For counsellors only."),
    "method_not_allowed": ("Cette action n'est pas possible ici.", "This action is not possible here."),
    "session_expired": ("Votre session a pris fin ; reconnectez-vous.", "Your session ended; please log in again."),
    "link_expired": (
        "Ce lien a expiré ou a déjà servi ; demandez-en un nouveau.",
        "This link has expired or was already used; ask for a new one.",
    ),
    "refresh_refused": ("Votre session a pris fin ; reconnectez-vous.", "Your session ended; please log in again."),
    "not_a_guest": ("Ce compte a déjà une adresse email.", "This account already has an email address."),
    "not_a_counsellor": (
        "Il faut un compte de conseiller ou conseillère pour suivre quelqu'un.",
        "A counsellor account is needed to follow someone.",
    ),
    "cannot_follow_yourself": ("Vous ne pouvez pas vous suivre vous-même.", "You cannot follow yourself."),
    "counsellor_sharing_needs_invitation": (
        "Le partage avec un conseiller se fait en lui envoyant une invitation.",
        "Sharing with a counsellor starts with an invitation you send them.",
    ),
    "wrong_password": ("Le mot de passe actuel n'est pas le bon.", "The current password is not right."),
    "invalid_transition": ("Cette action ne peut pas passer à cet état.", "This action cannot move to that state."),
    "action_closed": ("Cette action est terminée.", "This action is closed."),
    "not_due": ("Cette action n'est pas encore prévue.", "This action is not planned yet."),
    "was_useful_needs_done": (
        "Dites si l'action a été utile une fois qu'elle est faite.",
        "Say whether the action was useful once it is done.",
    ),
    "date_in_the_past": ("Cette date est déjà passée.", "This date is in the past."),
    "date_too_far": ("Cette date est trop lointaine.", "This date is too far away."),
    "coaching_required_delete_account": (
        "L'accompagnement est la raison d'être du service : pour l'arrêter, supprimez votre compte.",
        "Coaching is what this service is for: to stop it, delete your account.",
    ),
}

# When a refusal names no reason of its own, its status says it.
STATUS_CODES = {
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    429: "rate_limited",
}


def language(request: Request) -> int:
    """Return 0 for French (default) or 1 for English, from Accept-Language."""
    header = request.headers.get("accept-language", "")
    first = header.split(",")[0].strip().lower()
    return 1 if first.startswith("en") else 0


def reason(code: str, params: dict[str, Any], lang: int, fallback: str | None = None) -> str:
    """Return the reason for a code in the language, with its parameters filled in."""
    texts = REASONS.get(code)
    if texts is None:
        return fallback if (fallback and lang == 1) else REASONS["value_error"][lang]
    try:
        return texts[lang].format(**params)
    except (KeyError, IndexError):
        return texts[lang]


def problem(
    request: Request,
    status: int,
    code: str,
    *,
    params: dict[str, Any] | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    """Return a problem+json response in the client's language."""
    lang = language(request)
    title = TITLES.get(status, ("Erreur", "Error"))[lang]
    detail_texts = DETAILS.get(code)
    body: dict[str, Any] = {
        "type": f"https://coach.example/problems/{code}",
        "title": title,
        "status": status,
        "code": code,
        "detail": detail_texts[lang].format(**(params or {})) if detail_texts else title,
    }
    if errors is not None:
        body["errors"] = errors
    if params:
        # What the client can act on, e.g. the current revision after a 409.
        body["params"] = {k: v for k, v in params.items() if isinstance(v, (str, int, float, bool))}
    headers = {"Content-Language": "en" if lang else "fr"}
    if status in (429, 503) and params and "retry_after" in params:
        headers["Retry-After"] = str(params["retry_after"])
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def field_errors(request: Request, problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return service field problems with their reasons in the client's language."""
    lang = language(request)
    return [
        {"field": p["field"], "code": p["code"], "reason": reason(p["code"], p.get("params", {}), lang)}
        for p in problems
    ]


def install(app: FastAPI) -> None:
    """Answer every error of the app as problem+json."""

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        lang = language(request)
        errors = []
        for item in error.errors():
            location = [str(p) for p in item.get("loc", ()) if p not in ("body", "query", "path")]
            ctx = {k: v for k, v in (item.get("ctx") or {}).items() if isinstance(v, (int, float, str))}
            errors.append(
                {
                    "field": ".".join(location) or "body",
                    "code": item["type"],
                    "reason": reason(item["type"], ctx, lang, fallback=str(item.get("msg", ""))),
                }
            )
        return problem(request, 422, "invalid_input", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if isinstance(error.detail, str) and error.detail in DETAILS:
            code = error.detail
        else:
            code = STATUS_CODES.get(error.status_code, "http_error")
        response = problem(request, error.status_code, code)
        for key, value in (error.headers or {}).items():
            response.headers[key] = value
        return response
