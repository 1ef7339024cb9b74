"""Emails in French (vous / tu, feminine / masculine) and English, HTML and text, with one-click unsubscribe."""

from __future__ import annotations

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
    assert gendered("aidé{|e}", Gender.UNKNOWN) == "aidé"
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
