"""Emails in French (vous / tu, feminine / masculine) and English, HTML and text, with one-click unsubscribe."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest

from services.notifications.catalogue import default_catalogue
from services.notifications.links import LinkMaker
from services.notifications.mime import compose
from services.notifications.render import Addressee, gendered, render
from shared.contracts.vocabulary import Gender, Locale
from tests.unit.notifications.support import SUBJECT

CATALOGUE = default_catalogue()
LINKS = LinkMaker("https://coach.example", "secret-for-tests", datetime(2026, 11, 2, 9, tzinfo=UTC))
SAMPLE_VARIABLES = {
    "main_challenge": "stuck-market",
    "kind": "cv-review",
    "link": "https://coach.example/l#t",
    "deletion_date": "2026-12-24",
    "to": "martine.new@example.org",
}


def addressee(
    locale: Locale = Locale.FR, gender: Gender = Gender.FEMININE, first_name: str | None = "Martine"
) -> Addressee:
    return Addressee("martine@example.org", first_name, locale, gender, "job-seeker")


def test_gendered_texts_pick_the_persons_form() -> None:
    text = "Vous êtes {inscrit|inscrite} et {prêt|prête}."
    assert gendered(text, Gender.FEMININE) == "Vous êtes inscrite et prête."
    assert gendered(text, Gender.MASCULINE) == "Vous êtes inscrit et prêt."
    # The one default of every service (shared/messages.py): without a third form, the inclusive one.
    assert gendered("aidé{|e}", Gender.UNKNOWN) == "aidé·e"
    assert gendered("{{ first_name }}", Gender.FEMININE) == "{{ first_name }}"  # Jinja is left alone


@pytest.mark.parametrize("campaign_id", sorted(CATALOGUE.campaigns))
@pytest.mark.parametrize("locale", list(Locale))
@pytest.mark.parametrize("gender", [Gender.FEMININE, Gender.MASCULINE, Gender.UNKNOWN])
def test_every_campaign_renders_in_every_locale_and_gender(campaign_id: str, locale: Locale, gender: Gender) -> None:
    campaign = CATALOGUE.campaign(campaign_id)
    variables = {name: SAMPLE_VARIABLES[name] for name in campaign.variables}
    items = [{"title": "Faire relire mon CV", "minutes": 30}] if campaign.category == "reminder" else []
    rendered = render(
        CATALOGUE, campaign, addressee(locale, gender), subject=SUBJECT, variables=variables, links=LINKS, items=items
    )
    assert rendered.subject and "{" not in rendered.subject
    for part in (rendered.text, rendered.html):
        assert "{{" not in part and "|" not in part.replace("||", "")
        assert "Martine" in part
    assert ('name="viewport"' in rendered.html) and "max-width:600px" in rendered.html


def test_vous_tu_and_english_read_differently() -> None:
    welcome = CATALOGUE.campaign("welcome")
    texts = {
        locale: render(
            CATALOGUE, welcome, addressee(locale), subject=SUBJECT, variables=SAMPLE_VARIABLES, links=LINKS
        ).text
        for locale in Locale
    }
    assert "Votre diagnostic" in texts[Locale.FR]
    assert "Ton diagnostic" in texts[Locale.FR_TU]
    assert "Your diagnosis" in texts[Locale.EN]
    assert "vous démarquer sur un marché" in texts[Locale.FR]


def test_the_first_name_is_escaped_in_html_and_a_missing_one_gives_a_plain_greeting() -> None:
    welcome = CATALOGUE.campaign("welcome")
    odd = render(
        CATALOGUE,
        welcome,
        addressee(first_name="<script>x</script>"),
        subject=SUBJECT,
        variables=SAMPLE_VARIABLES,
        links=LINKS,
    )
    assert "<script>" not in odd.html and "&lt;script&gt;" in odd.html
    anonymous = render(
        CATALOGUE, welcome, addressee(first_name=None), subject=SUBJECT, variables=SAMPLE_VARIABLES, links=LINKS
    )
    assert anonymous.text.startswith("Bonjour,")


def test_coaching_emails_carry_one_click_unsubscribe_and_transactional_ones_do_not() -> None:
    for campaign_id, expected in (("focus-network", True), ("login-link", False)):
        campaign = CATALOGUE.campaign(campaign_id)
        rendered = render(CATALOGUE, campaign, addressee(), subject=SUBJECT, variables=SAMPLE_VARIABLES, links=LINKS)
        outgoing = compose(
            rendered,
            sender="Coach emploi <coach@coach.example>",
            to="martine@example.org",
            message_id="m_1",
            campaign=campaign,
            locale=Locale.FR,
            one_click_url=LINKS.one_click(SUBJECT) if campaign.has_unsubscribe else None,
        )
        assert (outgoing.sender, outgoing.recipient) == ("coach@coach.example", "martine@example.org")
        email = outgoing.parsed()
        assert email["Subject"] == rendered.subject and email["From"] == "Coach emploi <coach@coach.example>"
        assert (email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click") is expected
        assert (
            str(email["List-Unsubscribe"]).startswith("<https://coach.example/v1/emails/unsubscribe/one-click?token=")
            if expected
            else email["List-Unsubscribe"] is None
        )
        assert ("emails/unsubscribe?token=" in rendered.text) is expected
        assert email["Message-ID"] == "<m_1@coach.example>"
        assert [part.get_content_type() for part in email.iter_parts()] == ["text/plain", "text/html"]
        for kind, expected_text in (("plain", rendered.text), ("html", rendered.html)):
            part = email.get_body((kind,))
            assert part is not None and part.get_content().replace("\r\n", "\n") == expected_text
        assert all(len(line) <= 998 for line in outgoing.data.split(b"\r\n"))


def test_survey_emails_offer_one_tap_answers_with_a_signed_link() -> None:
    campaign = CATALOGUE.campaign("employment-status-survey")
    rendered = render(CATALOGUE, campaign, addressee(), subject=SUBJECT, variables={}, links=LINKS)
    assert "surveys/employment-status?token=" in rendered.html
    assert "&amp;has_new_job=true" in rendered.html
    assert "que vous êtes inscrite" in rendered.text


def test_the_digest_lists_the_actions_and_how_many_more_wait() -> None:
    campaign = CATALOGUE.campaign("action-digest")
    rendered = render(
        CATALOGUE,
        campaign,
        addressee(Locale.EN),
        subject=SUBJECT,
        variables={},
        links=LINKS,
        items=[{"title": "Ask for a CV review", "minutes": 30}],
        more=2,
    )
    assert "- Ask for a CV review (about 30 min)" in rendered.text
    assert "And 2 more in your plan" in rendered.text


def test_the_welcome_says_what_is_missing_when_no_main_challenge_is_known_yet() -> None:
    welcome = CATALOGUE.campaign("welcome")
    text = render(CATALOGUE, welcome, addressee(), subject=SUBJECT, variables={"main_challenge": ""}, links=LINKS).text
    assert "Il nous manque encore quelques réponses" in text
    assert "principal défi aujourd'hui" not in text


# --- Every email in the person's gender and register -----------------------------------------------------

# Inclusive spellings that a known gender must never show: "inscrit·e", "inscrit(e)", "inscrit.e".
INCLUSIVE = re.compile(r"\w·\w|\w\((e|s|es|ne|le|se)\)|\w\.e\b", re.IGNORECASE)
# "vous" said to a person who chose "tu" ("rendez-vous" is a word, not an address).
FORMAL = re.compile(r"\b(vous|votre|vos|vôtre|vôtres)\b", re.IGNORECASE)
# French in an English email: accents, French function words and the product's French name.
FRENCH = re.compile(
    r"[àâçéèêëîïôûùüÿœ«»]|\b(le|la|les|des|du|et|ou|vous|votre|vos|pour|avec|une|est|sur|dans|emploi|bonjour)\b",
    re.IGNORECASE,
)
# Words whose gender follows the person's, in the phrases where they say something about the person.
GENDERED_WORDS = {
    Gender.FEMININE: re.compile(
        r"\b(es|êtes) inscrite\b|\bpas connectée\b|\bpas seule\b|a-t-il aidée\b|rester active\b|sûre de soi"
    ),
    Gender.MASCULINE: re.compile(
        r"\b(es|êtes) inscrit\b|\bpas connecté\b|\bpas seul\b|a-t-il aidé\b|rester actif\b|sûr de soi"
    ),
}


def every_email(locale: Locale, gender: Gender) -> dict[str, str]:
    """Return the subject, plain text and HTML of every campaign for one locale and gender, by campaign."""
    found = {}
    for campaign_id, campaign in sorted(CATALOGUE.campaigns.items()):
        variables = {"main_challenge": "stuck-market", **{name: SAMPLE_VARIABLES[name] for name in campaign.variables}}
        items = [{"title": "Faire relire mon CV", "minutes": 30}] if campaign.category == "reminder" else []
        rendered = render(
            CATALOGUE,
            campaign,
            addressee(locale, gender),
            subject=SUBJECT,
            variables=variables,
            links=LINKS,
            items=items,
            more=2,
        )
        # The links are signed tokens, not words.
        text = re.sub(r"https?://\S+", "", f"{rendered.subject}\n{rendered.text}\n{html.unescape(rendered.html)}")
        found[campaign_id] = re.sub(r"<[^>]+>", " ", text)
    return found


@pytest.mark.parametrize("locale", [Locale.FR, Locale.FR_TU])
@pytest.mark.parametrize("gender", [Gender.FEMININE, Gender.MASCULINE])
def test_a_known_gender_reads_its_own_forms_in_every_email(locale: Locale, gender: Gender) -> None:
    other = Gender.MASCULINE if gender is Gender.FEMININE else Gender.FEMININE
    seen = set()
    for campaign_id, text in every_email(locale, gender).items():
        assert not INCLUSIVE.search(text), (campaign_id, INCLUSIVE.search(text))
        assert not GENDERED_WORDS[other].search(text), (campaign_id, GENDERED_WORDS[other].search(text))
        seen |= {match.group(0) for match in GENDERED_WORDS[gender].finditer(text)}
    assert len(seen) >= 5, seen  # the person's gender did reach the emails that have gendered words


@pytest.mark.parametrize("locale", [Locale.FR, Locale.FR_TU])
@pytest.mark.parametrize("gender", [Gender.UNKNOWN, Gender.CUSTOM])
def test_an_unknown_or_custom_gender_reads_words_that_fit_everyone(locale: Locale, gender: Gender) -> None:
    for campaign_id, text in every_email(locale, gender).items():
        assert not INCLUSIVE.search(text), (campaign_id, INCLUSIVE.search(text))
        feminine = GENDERED_WORDS[Gender.FEMININE].search(text.replace("connecté ou connectée", ""))
        assert not feminine, (campaign_id, feminine)
        assert "{" not in text and "|" not in text, campaign_id
    footer = every_email(locale, gender)["focus-network"]
    assert (
        "avez un compte sur le coach emploi" if locale is Locale.FR else "as un compte sur le coach emploi"
    ) in footer


@pytest.mark.parametrize("gender", [Gender.FEMININE, Gender.MASCULINE, Gender.UNKNOWN])
def test_tu_emails_never_say_vous(gender: Gender) -> None:
    for campaign_id, text in every_email(Locale.FR_TU, gender).items():
        assert not FORMAL.search(text.replace("rendez-vous", "")), (campaign_id, FORMAL.search(text))


@pytest.mark.parametrize("gender", [Gender.FEMININE, Gender.MASCULINE, Gender.UNKNOWN])
def test_english_emails_have_no_french_words(gender: Gender) -> None:
    for campaign_id, text in every_email(Locale.EN, gender).items():
        # French schemes keep their French acronyms (VAE, CPF), explained in English.
        assert not FRENCH.search(text), (campaign_id, FRENCH.search(text))


def test_a_third_form_is_for_an_unknown_or_custom_gender_else_the_inclusive_form() -> None:
    text = "{inscrit|inscrite|avec un compte} ; {seul|seule}"
    assert gendered(text, Gender.FEMININE) == "inscrite ; seule"
    assert gendered(text, Gender.MASCULINE) == "inscrit ; seul"
    assert gendered(text, Gender.UNKNOWN) == "avec un compte ; seul·e"
    assert gendered(text, Gender.CUSTOM) == "avec un compte ; seul·e"


@pytest.mark.parametrize(("locale", "count", "said"), [(Locale.FR, 1, "Et 1 autre "), (Locale.FR, 2, "Et 2 autres ")])
def test_the_more_actions_line_agrees_with_its_number(locale: Locale, count: int, said: str) -> None:
    line = CATALOGUE.common[locale].more_actions
    assert gendered(line, Gender.FEMININE, locale, {"count": count}).replace("{{ count }}", str(count)).startswith(said)
