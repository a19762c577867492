"""Editors see the outbox, act on it with permission, and configure channels."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from wagtail.models import Site
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from aqparat.core.models import SiteSettings
from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import administrator_build, publish
from aqparat.telegram.fake_server import FakeTelegram
from aqparat.telegram.models import PostState, TelegramChannel, TelegramPost
from aqparat.telegram.tests.conftest import Newsroom
from aqparat.users.tests.factories import signed_in, staff_build

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


FORBIDDEN = "403 Forbidden: bot is not a member"


def failed_and_uncertain(newsroom: Newsroom) -> tuple[TelegramPost, TelegramPost]:
    newsroom.channels["en"].enabled = False
    newsroom.channels["en"].save()
    one = publish(newsroom.draft("en", title="One"))
    two = publish(newsroom.draft("en", title="Two"))
    failed = TelegramPost.objects.create(
        page=one, language="en", chat="@aqparat_en", post_style="link",
        state=PostState.FAILED, attempts=1, last_error=FORBIDDEN,
    )  # fmt: skip
    uncertain = TelegramPost.objects.create(
        page=two, language="en", chat="@aqparat_en", post_style="link",
        state=PostState.UNCERTAIN, attempts=1, last_error="no answer",
    )  # fmt: skip
    return failed, uncertain


def test_the_report_lists_posts_with_state_error_and_actions(
    newsroom: Newsroom,
) -> None:
    failed, uncertain = failed_and_uncertain(newsroom)
    client = signed_in(administrator_build())
    html = client.get(reverse("telegram_outbox") + "?state=attention").content.decode()

    assert FORBIDDEN in html
    assert "Uncertain: check the channel" in html
    for post, action in (
        (failed, "retry"),
        (uncertain, "resend"),
        (uncertain, "cancel"),
    ):
        assert reverse("telegram_post_action", args=(post.pk, action)) in html
    assert reverse("telegram_post_action", args=(failed.pk, "resend")) not in html


def test_the_dashboard_warns_only_when_something_needs_an_editor(
    newsroom: Newsroom,
) -> None:
    client = signed_in(administrator_build())
    assert "Telegram posts need an editor" not in client.get("/admin/").content.decode()
    failed_and_uncertain(newsroom)
    html = client.get("/admin/").content.decode()
    assert "Telegram posts need an editor" in html
    assert "1 post failed." in html


def test_editors_may_act_and_others_may_not_even_by_direct_post(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    failed, uncertain = failed_and_uncertain(newsroom)
    outsider = signed_in(staff_build("reporter"))
    editor = signed_in(staff_build("desk", "Editors"))
    retry = reverse("telegram_post_action", args=(failed.pk, "retry"))

    # Wagtail turns a refused admin view into a redirect to the dashboard.
    for response in (outsider.get(reverse("telegram_outbox")), outsider.post(retry)):
        assert (response.status_code, response.get("Location")) == (302, "/admin/")
    assert editor.get(retry).status_code == 405  # actions are POST only
    failed.refresh_from_db()
    assert failed.state == PostState.FAILED and telegram.requests == []

    assert editor.post(retry).status_code == 302
    failed.refresh_from_db()
    assert failed.state == PostState.SENT  # retried at once, through the fake
    cancel = reverse("telegram_post_action", args=(uncertain.pk, "cancel"))
    assert editor.post(cancel).status_code == 302
    uncertain.refresh_from_db()
    assert uncertain.state == PostState.CANCELLED
    unknown = reverse("telegram_post_action", args=(failed.pk, "explode"))
    assert editor.post(unknown).status_code != 200
    failed.refresh_from_db()
    assert failed.state == PostState.SENT


def test_channels_are_set_per_edition_in_site_settings(newsroom: Newsroom) -> None:
    TelegramChannel.objects.all().delete()
    site = Site.objects.get(is_default_site=True)
    settings = SiteSettings.for_site(site)
    client = signed_in(administrator_build())
    url = reverse("wagtailsettings:edit", args=("core", "sitesettings", site.pk))
    data = nested_form_data({
        "outlet_name": settings.outlet_name,
        "ticker_currencies": "USD,EUR,RUB",
        "telegram_channel_url": "https://t.me/aqparat_kz",
        "telegram_channel_name": "@aqparat_kz",
        "telegram_channels": inline_formset([
            {"language": "kk", "chat": "@aqparat_kk", "enabled": "on",
             "post_style": "photo"},
            {"language": "en", "chat": "-1001234567890", "enabled": "on",
             "post_style": "link"},
        ]),
    })  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(
        TelegramChannel.objects.values_list("language", "chat", "post_style")
    ) == [
        ("en", "-1001234567890", "link"),
        ("kk", "@aqparat_kk", "photo"),
    ]


def test_publishing_in_the_admin_posts_once_and_a_ticked_correction_edits(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    client = signed_in(administrator_build())
    article = newsroom.draft("en")

    def submit(title: str, *, update_post: bool = False) -> None:
        fields = {
            "title": title, "slug": article.slug, "lead": "The cities agreed.",
            "lead_image": "", "lead_image_caption": "",
            "body": streamfield([("paragraph", rich_text("<p>Signed today.</p>"))]),
            "source_attributions": inline_formset([]),
            "article_authors": inline_formset([]), "tags": "",
            "corrections": inline_formset([]), "telegram_post": "on",
            "action-publish": "publish",
        }  # fmt: skip
        if update_post:
            fields["telegram_update_post"] = "on"
        url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
        response = client.post(url, nested_form_data(fields))
        form = getattr(response, "context", None) and response.context.get("form")
        assert response.status_code == 302, form.errors if form else response

    submit("Almaty and Busan sign an accord")
    submit("Almaty and Busan sign an accord (updated)")
    [message] = telegram.messages("@aqparat_en")
    assert message["text"].startswith("Almaty and Busan sign an accord\n")

    submit("Almaty and Busan sign a sister-city accord", update_post=True)
    [message] = telegram.messages("@aqparat_en")
    assert message["text"].startswith("Almaty and Busan sign a sister-city accord\n")
    assert not ArticlePage.objects.get(pk=article.pk).telegram_update_post
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(article.pk,)))
    assert 'name="telegram_update_post"' in edit.content.decode()
    assert 'name="telegram_update_post" checked' not in edit.content.decode()


def test_a_copy_made_in_the_admin_never_posts_again(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    client = signed_in(administrator_build())
    original = publish(newsroom.draft("en"))
    section = newsroom.editions.sections["en"]
    for page, slug in ((original, "accord-copy"), (section, "news-copy")):
        response = client.post(
            reverse("wagtailadmin_pages:copy", args=(page.pk,)),
            {"new_title": f"Copy of {page.title}", "new_slug": slug,
             "new_parent_page": page.get_parent().pk, "copy_subpages": "on"},
        )  # fmt: skip
        assert response.status_code == 302, response.content.decode()[:2000]
    copies = ArticlePage.objects.exclude(pk=original.pk).filter(
        translation_key__isnull=False, locale=original.locale, alias_of=None
    )
    # The article's copy; then the section's copy holds a copy of each of the two.
    assert copies.count() == 3
    for copy in copies:
        publish(copy)
    assert len(telegram.messages("@aqparat_en")) == 1
    reasons = TelegramPost.objects.filter(page__in=copies).values_list(
        "cancel_reason", flat=True
    )
    assert list(reasons) == ["copy"] * 3


def test_a_new_story_starts_with_its_sections_telegram_choice(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    """The News section posts its stories; a section set not to starts its new
    stories unticked, and the editor may tick one."""
    client = signed_in(administrator_build())
    section = newsroom.editions.sections["en"]

    def box() -> str:
        add = reverse(
            "wagtailadmin_pages:add", args=("news", "articlepage", section.pk)
        )
        found = re.search(
            r'<input[^>]*name="telegram_post"[^>]*>', client.get(add).content.decode()
        )
        assert found
        return found[0]

    assert "checked" in box()
    section.telegram_default = False
    section.save()
    assert "checked" not in box()
