"""One error format for the public API: ``application/problem+json`` (RFC 9457), in French or English.

Every error names the field (when there is one) and the reason, in the
language the client asked for with ``Accept-Language`` (French by default).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from services.gateway.ratelimit import Action, RateLimitedError, Scope, wait_in_words
from shared.messages import MessageError, compile_template, template_at

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

# Reasons by code: French first, English second, in the one message syntax (docs/MESSAGES.md);
# {placeholders} come from the problem's params.
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
    "enum": (
        "Cette valeur n'est pas dans la liste proposée : {expected}.",
        "This value is not one of the allowed choices: {expected}.",
    ),
    "literal_error": ("Choisissez une de ces valeurs : {expected}.", "Choose one of these values: {expected}."),
    "network_scale": (
        "Choisissez -1 (je ne sais pas), 1 (presque personne), 2 (quelques personnes) ou 3 (beaucoup de monde).",
        "Choose -1 (I do not know), 1 (hardly anyone), 2 (a few people) or 3 (many people).",
    ),
    "string_too_short": (
        "Ce texte est trop court : au moins {min_length} caractères.",
        "This text is too short: at least {min_length} characters.",
    ),
    "string_empty": ("Ce champ ne peut pas être vide.", "This field cannot be empty."),
    "password_is_personal": (
        "Ce mot de passe ressemble trop à votre adresse email ou à votre prénom : ajoutez des mots à vous, "
        "par exemple une courte phrase.",
        "This password is too close to your email address or your first name: add words of your own, "
        "for example a short sentence.",
    ),
    "password_too_common": (
        "Ce mot de passe fait partie des plus utilisés, il serait vite deviné : choisissez plutôt une courte phrase "
        "de plusieurs mots.",
        "This password is one of the most used and would soon be guessed: choose a short sentence of a few words "
        "instead.",
    ),
    "password_too_guessable": (
        "Ce mot de passe serait facile à deviner (suite, répétition, date) : choisissez plutôt une courte phrase "
        "de plusieurs mots.",
        "This password would be easy to guess (a sequence, a repetition, a date): choose a short sentence of a few "
        "words instead.",
    ),
    "string_too_long": ("Ce texte est trop long.", "This text is too long."),
    "string_pattern_mismatch": ("Ce format n'est pas valide.", "This format is not valid."),
    "string_type": ("Un texte est attendu.", "A text is expected."),
    "int_parsing": ("Un nombre entier est attendu.", "A whole number is expected."),
    "int_parsing_size": ("Ce nombre est trop grand.", "This number is too large."),
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
    # shared/contracts/text.py: what typed text must not hold.
    "control_character": (
        "Ce texte contient un caractère de contrôle invisible ; retapez-le sans copier-coller.",
        "This text holds an invisible control character; type it again rather than pasting it.",
    ),
    "bidi_control": (
        "Ce texte contient un caractère invisible qui change le sens d'écriture ; retapez-le sans copier-coller.",
        "This text holds an invisible character that changes the writing direction; type it again rather than "
        "pasting it.",
    ),
    "markup": ("Un prénom ne peut pas contenir {signs} ni \\.", "A first name cannot hold {signs} or \\."),
    "looks_like_an_address": (
        "Indiquez votre prénom, pas une adresse email ou web (sans @, /, : ni « .com »).",
        'Give your first name, not an email or web address (no @, /, : or ".com").',
    ),
    "string_unicode": (
        "Ce texte contient un caractère qui n'existe pas ; retapez-le.",
        "This text holds a character that does not exist; type it again.",
    ),
}

TITLES: dict[int, tuple[str, str]] = {
    400: ("Requête incorrecte", "Bad request"),
    401: ("Connexion nécessaire", "Authentication required"),
    403: ("Accès refusé", "Access denied"),
    404: ("Introuvable", "Not found"),
    405: ("Méthode non permise", "Method not allowed"),
    409: ("Conflit", "Conflict"),
    410: ("Plus disponible", "No longer available"),
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
    "sharing_ended": (
        "Cette personne a mis fin au partage : son suivi ne vous est plus visible.",
        "This person ended the sharing: their follow-up is no longer visible to you.",
    ),
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

_LOGIN_LINK = (
    "recevez un lien de connexion par email (« Recevoir un lien de connexion ») : il ne demande pas de mot de passe.",
    'get a login link by email ("Email me a login link"): it needs no password.',
)
# What a 429 says, by action and by the limit reached: how long to wait, and what else to do now.
RATE_LIMITED: dict[tuple[Action, Scope], tuple[str, str]] = {
    ("login", "address"): (
        "Beaucoup de connexions ont été tentées depuis cette connexion internet. Réessayez dans {wait}, ou "
        + _LOGIN_LINK[0],
        "Many logins were tried from this internet connection. Try again in {wait}, or " + _LOGIN_LINK[1],
    ),
    ("login", "address_account"): (
        "Trop d'essais de mot de passe pour ce compte. Réessayez dans {wait}, ou " + _LOGIN_LINK[0],
        "Too many password attempts for this account. Try again in {wait}, or " + _LOGIN_LINK[1],
    ),
    ("login", "account"): (
        "Ce compte a reçu beaucoup d'essais de mot de passe : par sécurité, la connexion par mot de passe reprend "
        "dans {wait}. D'ici là, " + _LOGIN_LINK[0],
        "This account received many password attempts: for safety, logging in with a password resumes in {wait}. "
        "Meanwhile, " + _LOGIN_LINK[1],
    ),
    ("link", "address"): (
        "Beaucoup de liens ont été demandés depuis cette connexion internet. Réessayez dans {wait}.",
        "Many links were asked for from this internet connection. Try again in {wait}.",
    ),
    ("link", "address_account"): (
        "Plusieurs liens ont déjà été envoyés à cette adresse : regardez aussi dans les courriers indésirables. "
        "Vous pourrez en demander un autre dans {wait}.",
        "Several links were already sent to this address: look in the spam folder too. "
        "You can ask for another one in {wait}.",
    ),
    ("link", "account"): (
        "Plusieurs liens ont déjà été envoyés à cette adresse : regardez aussi dans les courriers indésirables. "
        "Vous pourrez en demander un autre dans {wait}.",
        "Several links were already sent to this address: look in the spam folder too. "
        "You can ask for another one in {wait}.",
    ),
    ("signup", "address"): (
        "Beaucoup de comptes ont été créés depuis cette connexion internet. Réessayez dans {wait} ; "
        "dans un lieu partagé (agence, médiathèque), chacun peut aussi s'inscrire depuis son téléphone.",
        "Many accounts were created from this internet connection. Try again in {wait}; in a shared place "
        "(an agency, a library), each person can also sign up from their phone.",
    ),
    ("signup", "account"): (
        "Plusieurs inscriptions ont été tentées avec cette adresse. Réessayez dans {wait}, "
        "ou connectez-vous si vous avez déjà un compte.",
        "Several sign-ups were tried with this address. Try again in {wait}, or log in if you already have an account.",
    ),
    ("password", "address"): (
        "Beaucoup de changements de mot de passe ont été tentés depuis cette connexion. Réessayez dans {wait}.",
        "Many password changes were tried from this connection. Try again in {wait}.",
    ),
    ("password", "address_account"): (
        "Trop d'essais du mot de passe actuel. Réessayez dans {wait}, ou déconnectez-vous et choisissez "
        "« Mot de passe oublié ? » pour en recevoir un nouveau par email.",
        "Too many tries of the current password. Try again in {wait}, or log out and choose "
        '"Forgot your password?" to set a new one by email.',
    ),
    ("password", "account"): (
        "Trop d'essais du mot de passe actuel. Réessayez dans {wait}, ou déconnectez-vous et choisissez "
        "« Mot de passe oublié ? » pour en recevoir un nouveau par email.",
        "Too many tries of the current password. Try again in {wait}, or log out and choose "
        '"Forgot your password?" to set a new one by email.',
    ),
}

# Values a reason always shows: a brace cannot be written in a text (it opens a value), so the signs are one.
FIXED_VALUES: dict[str, dict[str, str]] = {"markup": {"signs": "< > { } [ ]"}}

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
    if code == "string_too_short" and params.get("min_length") == 1:
        code = "string_empty"  # "at least 1 characters" says less, and says it wrong
    params = {**FIXED_VALUES.get(code, {}), **params}
    texts = REASONS.get(code)
    if texts is None:
        return fallback if (fallback and lang == 1) else REASONS["value_error"][lang]
    if lang == 0 and isinstance(params.get("expected"), str):
        # pydantic lists the allowed values in English: "'A', 'B' or 'C'".
        params = {**params, "expected": params["expected"].replace("' or '", "' ou '")}
    try:
        return _said(texts[lang], lang, params)
    except MessageError:  # a value the reason names is missing: the reason without it, as written
        return texts[lang]


def _said(text: str, lang: int, params: dict[str, Any]) -> str:
    # Through the one message engine: "{days#jour|jours}" agrees with the number as everywhere else.
    return compile_template(text).render("en" if lang else "fr", "n", params)


def problem(
    request: Request,
    status: int,
    code: str,
    *,
    params: dict[str, Any] | None = None,
    errors: list[dict[str, Any]] | None = None,
    detail: str | None = None,
) -> JSONResponse:
    """Return a problem+json response in the client's language (``detail`` replaces the code's own text)."""
    lang = language(request)
    title = TITLES.get(status, ("Erreur", "Error"))[lang]
    detail_texts = DETAILS.get(code)
    body: dict[str, Any] = {
        "type": f"https://coach.example/problems/{code}",
        "title": title,
        "status": status,
        "code": code,
        "detail": detail or (_said(detail_texts[lang], lang, params or {}) if detail_texts else title),
    }
    if errors is not None:
        body["errors"] = errors
    if params:
        # What the client can act on, e.g. the current revision after a 409.
        body["params"] = {k: v for k, v in params.items() if isinstance(v, (str, int, float, bool))}
    headers = {"Content-Language": "en" if lang else "fr"}
    if status in (429, 503) and params and "retry_after" in params:
        headers["Retry-After"] = str(params["retry_after"])
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"  # RFC 9110 §11.6.1: every 401 names its scheme (RFC 6750)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def field_errors(request: Request, problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return service field problems with their reasons in the client's language."""
    lang = language(request)
    return [
        {"field": p["field"], "code": p["code"], "reason": reason(p["code"], p.get("params", {}), lang)}
        for p in problems
    ]


def install(app: FastAPI) -> None:
    """Answer every error of the app as problem+json (its texts parsed first: a malformed one stops the start)."""
    named = [*DETAILS.items(), *REASONS.items(), *((f"{a}/{s}", t) for (a, s), t in RATE_LIMITED.items())]
    for code, texts in named:
        for language_name, text in zip(("fr", "en"), texts, strict=True):
            template_at(text, f"gateway problem {code} ({language_name})")

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

    @app.exception_handler(RateLimitedError)
    async def rate_limited(request: Request, error: RateLimitedError) -> JSONResponse:
        lang = language(request)
        params = {"retry_after": error.retry_after, "action": error.action, "scope": error.scope}
        texts = RATE_LIMITED.get((error.action, error.scope), DETAILS["rate_limited"])
        detail = _said(texts[lang], lang, {"wait": wait_in_words(error.retry_after, lang)})
        return problem(request, 429, "rate_limited", params=params, detail=detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if isinstance(error.detail, str) and error.detail in DETAILS:
            code = error.detail
        else:
            code = STATUS_CODES.get(error.status_code, "http_error")
        response = problem(request, error.status_code, code)
        for key, value in (error.headers or {}).items():
            response.headers[key] = value
        if error.status_code == 405:
            response.headers["Allow"] = ", ".join(allowed_methods(request))
        return response


def allowed_methods(request: Request) -> list[str]:
    """Return every method the routes of the request's path accept.

    Starlette's router names only the first route that matched the path, and FastAPI makes one route per
    method (GET and PATCH /v1/me/profile are two routes), so its ``Allow`` would leave methods out.
    """
    methods: set[str] = set()
    for context in iter_route_contexts(request.app.routes):
        match, _ = context.route.matches(dict(request.scope))
        if match is not Match.NONE:
            methods |= context.methods or set()
    return sorted(methods)
