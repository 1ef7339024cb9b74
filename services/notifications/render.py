"""Turn a queued message into an email: texts in the person's language, register and gender; HTML and plain text.

MIME assembly is in ``mime.py``. Texts come from the catalogue. Grammatical gender (read from the profile at
send time) and the words that agree with a number go through the shared message engine (``shared/messages.py``,
syntax in ``docs/MESSAGES.md``); then the text is a Jinja template over the message's variables.
The layout is one column, inline styles and large type, so that it reads well on a small phone and in
every mail client.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape
from markupsafe import Markup, escape

from services.notifications.catalogue import Campaign, Catalogue
from services.notifications.links import LinkMaker
from shared.contracts.vocabulary import Gender, Locale
from shared.messages import compile_template

_LAYOUTS = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_TEXT = Environment(autoescape=False, undefined=StrictUndefined)  # noqa: S701 - plain-text part, never HTML
_HTML = Environment(autoescape=True, undefined=StrictUndefined)
_HTML_LAYOUT = _LAYOUTS.get_template("layout.html.j2")
_TEXT_LAYOUT = _LAYOUTS.get_template("layout.txt.j2")


@dataclass(frozen=True)
class Addressee:
    """Who the email goes to, as read from the profile service at send time (never stored here)."""

    email: str
    first_name: str | None
    locale: Locale
    gender: Gender
    role: str


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def gendered(text: str, gender: Gender, locale: Locale = Locale.FR, counts: Mapping[str, Any] | None = None) -> str:
    """Return the text in the person's grammatical gender, its words agreed with ``counts``; Jinja is left as is."""
    return compile_template(text).render(locale.value, gender, None, counts)


@functools.lru_cache(maxsize=8192)
def _jinja(text: str, html: bool) -> Template | str:
    # Most texts have no variable: keep them as (escaped) strings and skip a template render.
    if "{{" not in text and "{%" not in text:
        return str(escape(text)) if html else text
    return (_HTML if html else _TEXT).from_string(text)


def _fill(text: str, locale: Locale, gender: Gender, values: Mapping[str, Any], *, html: bool) -> str:
    compiled = _jinja(gendered(text, gender, locale, values), html)
    rendered = compiled if isinstance(compiled, str) else compiled.render(values)
    return Markup(rendered) if html else rendered  # noqa: S704 - escaped above or rendered with autoescape on


def _button_url(campaign: Campaign, variables: Mapping[str, str], links: LinkMaker, subject: str) -> str | None:
    if campaign.survey is not None:
        return links.survey(campaign.survey, subject)
    if campaign.link is None:
        return None
    if campaign.link.path is not None:
        return links.app(campaign.link.path)
    return variables[campaign.link.variable or ""]


def render(
    catalogue: Catalogue,
    campaign: Campaign,
    addressee: Addressee,
    *,
    subject: str,
    variables: Mapping[str, Any],
    links: LinkMaker,
    items: Sequence[Mapping[str, Any]] = (),
    more: int = 0,
) -> Rendered:
    """Return the subject line, plain text and HTML of one email."""
    locale, gender = addressee.locale, addressee.gender
    texts = campaign.texts[locale]
    common = catalogue.common[locale]
    values: dict[str, Any] = {
        "first_name": addressee.first_name or "",
        "app_url": links.app("/"),
        "count": more,
        **variables,
    }
    challenge = variables.get("main_challenge")
    values["main_challenge_label"] = next((text for key, text in common.challenges.items() if key == challenge), "")
    if "kind" in variables:
        values["help_kind_label"] = common.help_kinds.get(variables["kind"], variables["kind"])
    button_url = _button_url(campaign, variables, links, subject)
    unsubscribe_url = links.unsubscribe_page(subject) if campaign.has_unsubscribe else None

    def page(html: bool) -> str:
        greeting = common.greeting if addressee.first_name else common.greeting_anonymous
        context = {
            "lang": "en" if locale is Locale.EN else "fr",
            "colon": ": " if locale is Locale.EN else " : ",
            "subject": _fill(texts.subject, locale, gender, values, html=False),
            "preheader": _fill(texts.preheader, locale, gender, values, html=html),
            "greeting": _fill(greeting, locale, gender, values, html=html),
            "paragraphs": [_fill(p, locale, gender, values, html=html) for p in texts.paragraphs],
            "items": [_fill(common.digest_item, locale, gender, item, html=html) for item in items],
            "more": _fill(common.more_actions, locale, gender, values, html=html) if more else "",
            "button": {"label": _fill(texts.button, locale, gender, values, html=html), "url": button_url}
            if texts.button and button_url
            else None,
            "choices": [
                {"label": _fill(c.label, locale, gender, values, html=html), "url": f"{button_url}&{c.answer}"}
                for c in texts.choices
            ]
            if button_url
            else [],
            "signature": _fill(common.signature, locale, gender, values, html=html),
            "why": _fill(common.why, locale, gender, values, html=html),
            "unsubscribe": _fill(common.unsubscribe, locale, gender, values, html=html),
            "unsubscribe_url": unsubscribe_url,
        }
        return (_HTML_LAYOUT if html else _TEXT_LAYOUT).render(context)

    return Rendered(subject=_fill(texts.subject, locale, gender, values, html=False), text=page(False), html=page(True))
