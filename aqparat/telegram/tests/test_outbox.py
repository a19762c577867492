"""Every way an article is first published queues exactly one post; nothing else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.models import Locale, Page

from aqparat.news.models import ArticlePage, SectionPage
from aqparat.news.tests.factories import (
    CustomImageFactory,
    administrator_build,
    publish,
)
from aqparat.telegram.fake_server import FakeTelegram
from aqparat.telegram.models import CancelReason, PostState, PostStyle, TelegramPost
from aqparat.telegram.services import outbox_article_saved, pace_block
from aqparat.telegram.tests.conftest import Newsroom

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def posts(page: Page) -> list[TelegramPost]:
    return list(TelegramPost.objects.filter(page_id=page.pk))


def test_first_publication_posts_once_to_its_editions_channel(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    article = publish(newsroom.draft("en"))

    [post] = posts(article)
    assert (post.state, post.language, post.chat) == ("sent", "en", "@aqparat_en")
    [message] = telegram.messages("@aqparat_en")
    assert message["message_id"] == post.message_id
    assert message["text"].startswith("Almaty and Busan sign an accord\n\n")
    assert telegram.messages("@aqparat_kk") == telegram.messages("@aqparat_ru") == []


def test_republishing_a_revision_or_a_draft_edit_never_posts_again(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    article = publish(newsroom.draft("en"))
    article.title = "Almaty and Busan sign a cooperation accord"
    publish(article)
    article.lead = "A draft change, not published."
    article.save_revision()
    publish(ArticlePage.objects.get(pk=article.pk))

    assert len(posts(article)) == 1
    assert len(telegram.messages("@aqparat_en")) == 1


def test_scheduled_go_live_posts_when_it_goes_live(
    newsroom: Newsroom, telegram: FakeTelegram, time_machine: object
) -> None:
    article = newsroom.draft("en")
    article.go_live_at = timezone.now() + timedelta(minutes=5)
    publish(article)
    assert posts(article) == []  # approved, not live yet

    time_machine.move_to(timezone.now() + timedelta(minutes=6))  # type: ignore[attr-defined]
    call_command("publish_scheduled")
    call_command("publish_scheduled")  # a second run finds nothing to do

    assert [p.state for p in posts(article)] == ["sent"]
    assert len(telegram.messages("@aqparat_en")) == 1


def test_an_embargoed_story_posts_only_when_the_embargo_lifts(
    newsroom: Newsroom, telegram: FakeTelegram, time_machine: object
) -> None:
    article = newsroom.draft("en")
    article.embargo_until = timezone.now() + timedelta(hours=2)
    publish(article)  # approved and ready; the publish is held to the embargo
    assert not article.live
    assert posts(article) == []

    time_machine.move_to(timezone.now() + timedelta(minutes=119))  # type: ignore[attr-defined]
    call_command("publish_scheduled")
    assert posts(article) == [] and telegram.messages("@aqparat_en") == []

    time_machine.move_to(timezone.now() + timedelta(minutes=2))  # type: ignore[attr-defined]
    call_command("publish_scheduled")
    assert [p.state for p in posts(article)] == ["sent"]
    assert len(telegram.messages("@aqparat_en")) == 1


def test_workflow_approval_posts_once(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    editor = administrator_build()
    article = newsroom.draft("en")
    article.save_revision(user=editor)
    workflow = article.get_workflow()
    assert workflow is not None
    workflow.start(article, editor)
    article = ArticlePage.objects.get(pk=article.pk)
    assert posts(article) == []  # in review: nothing goes out

    article.current_workflow_task_state.approve(user=editor)

    assert ArticlePage.objects.get(pk=article.pk).live
    assert len(telegram.messages("@aqparat_en")) == 1
    assert len(posts(article)) == 1


def test_a_rolled_back_publication_leaves_no_row_and_no_post(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    article = newsroom.draft("en")
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(article)
        assert len(posts(article)) == 1  # written with the publication …
        raise RuntimeError("the request failed after publishing")

    assert posts(article) == []  # … and gone with it
    assert not ArticlePage.objects.get(pk=article.pk).live
    assert telegram.messages("@aqparat_en") == []
    assert telegram.requests == []


def test_a_scheduler_run_overlapping_a_manual_publish_posts_once(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    article = newsroom.draft("en")
    revision = article.save_revision()
    # Both publications read the page before either wrote it: each believes it is
    # the first publication.
    scheduler = PublishPageRevisionAction(revision)
    editor = PublishPageRevisionAction(revision)
    scheduler.execute(skip_permission_checks=True)
    editor.execute(skip_permission_checks=True)

    assert len(posts(article)) == 1
    assert len(telegram.messages("@aqparat_en")) == 1


def test_the_unique_constraint_refuses_a_second_row(newsroom: Newsroom) -> None:
    article = publish(newsroom.draft("en"))
    [post] = posts(article)
    with pytest.raises(Exception, match=r"(?i)unique"), transaction.atomic():
        TelegramPost.objects.create(
            page=article, language="en", chat="@other", post_style="link"
        )
    assert post.state == "sent"


def test_copies_moves_and_the_latin_alias_never_post(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    original = publish(newsroom.draft("en"))
    duplicate = original.copy(
        update_attrs={"slug": "accord-copy", "title": "Copy"}, keep_live=False
    )
    publish(ArticlePage.objects.get(pk=duplicate.pk))
    original.copy(update_attrs={"slug": "accord-live-copy"}, keep_live=True)
    other = SectionPage(title="World", slug="world")
    newsroom.editions.homes["en"].add_child(instance=other)
    publish(other)
    Page.objects.get(pk=original.pk).move(other, pos="last-child")
    kazakh = publish(newsroom.draft("kk", title="Алматы мен Пусан келісімге келді"))

    assert len(telegram.messages("@aqparat_en")) == 1
    [copy_post] = posts(duplicate)
    assert (copy_post.state, copy_post.cancel_reason) == ("cancelled", "copy")
    assert ArticlePage.objects.filter(alias_of=kazakh).exists()  # the Latin edition
    assert TelegramPost.objects.filter(language="kk-latn").count() == 0
    assert len(telegram.messages("@aqparat_kk")) == 1


def test_a_translation_is_news_in_its_own_channel(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    english = publish(newsroom.draft("en"))
    russian = english.copy_for_translation(Locale.objects.get(language_code="ru"))
    russian.title = "Алматы и Пусан подписали соглашение"
    publish(russian)

    assert len(telegram.messages("@aqparat_en")) == 1
    assert [m["text"].split("\n")[0] for m in telegram.messages("@aqparat_ru")] == [
        "Алматы и Пусан подписали соглашение"
    ]


def test_each_post_speaks_its_editions_language(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    publish(newsroom.draft("kk", title="Алматы мен Пусан келісімге келді"))
    publish(newsroom.draft("ru", title="Алматы и Пусан подписали соглашение"))

    [kazakh], [russian] = (
        telegram.messages("@aqparat_kk"),
        telegram.messages("@aqparat_ru"),
    )
    assert kazakh["text"].endswith("Сайтта оқыңыз")
    assert russian["text"].endswith("Читать на сайте")
    [link] = [e for e in kazakh["entities"] if e["type"] == "text_link"]
    assert link["url"].startswith("http://localhost/kk/")


def test_no_channel_or_a_disabled_one_queues_nothing(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    newsroom.channels["en"].enabled = False
    newsroom.channels["en"].save()
    newsroom.channels["ru"].delete()
    publish(newsroom.draft("en"))
    publish(newsroom.draft("ru", title="Новость"))

    assert TelegramPost.objects.count() == 0
    assert telegram.requests == []


def test_unpublishing_before_delivery_cancels_and_republishing_rearms(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    pace_block(chat="@aqparat_en", until=timezone.now() + timedelta(minutes=5))
    article = publish(newsroom.draft("en"))
    [post] = posts(article)
    assert post.state == "pending"  # the channel is rate-limited: it waits

    article.unpublish()
    post.refresh_from_db()
    assert (post.state, post.cancel_reason) == ("cancelled", CancelReason.UNPUBLISHED)

    publish(ArticlePage.objects.get(pk=article.pk))
    post.refresh_from_db()
    assert post.state == PostState.PENDING
    assert telegram.requests == []


def test_old_articles_saved_with_equal_times_are_not_news(newsroom: Newsroom) -> None:
    """A live article re-saved long after its single publication queues nothing."""
    article = publish(newsroom.draft("en"))
    TelegramPost.objects.all().delete()
    long_ago = timezone.now() - timedelta(days=30)
    article.first_published_at = article.last_published_at = long_ago
    outbox_article_saved(page=article, created=False, update_fields=None)
    assert posts(article) == []


def test_a_correction_with_the_box_ticked_edits_the_post(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    article = publish(newsroom.draft("en"))
    article.title = "Almaty and Busan sign a sister-city accord"
    article.telegram_update_post = True
    publish(article)

    [message] = telegram.messages("@aqparat_en")
    assert message["text"].startswith("Almaty and Busan sign a sister-city accord")
    assert "edit_date" in message
    [post] = posts(article)
    assert (post.state, post.edit_state) == ("sent", "done")
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.telegram_update_post is False
    assert article.get_latest_revision_as_object().telegram_update_post is False

    edits = sum(1 for method, _ in telegram.requests if method == "editMessageText")
    article.title = "A further fix, box not ticked"
    publish(article)
    assert sum(1 for m, _ in telegram.requests if m == "editMessageText") == edits
    assert len(telegram.messages("@aqparat_en")) == 1


def test_a_photo_posts_correction_edits_its_caption(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    newsroom.channels["en"].post_style = PostStyle.PHOTO
    newsroom.channels["en"].save()
    article = newsroom.draft("en")
    article.lead_image = CustomImageFactory()
    article = publish(article)
    [message] = telegram.messages("@aqparat_en")
    assert message["photo"] and message["caption"].startswith("Almaty and Busan")

    article.title = "Almaty and Busan sign a sister-city accord"
    article.telegram_update_post = True
    publish(article)

    [message] = telegram.messages("@aqparat_en")
    assert message["caption"].startswith("Almaty and Busan sign a sister-city accord")
    assert [m for m, _ in telegram.requests if m.startswith("edit")] == [
        "editMessageCaption"
    ]


def test_a_story_the_editor_keeps_off_telegram_never_posts(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    draft = newsroom.draft("en")
    draft.telegram_post = False
    article = publish(draft)
    article.title = "Almaty and Busan sign a sister-city accord"
    publish(article)
    assert posts(article) == []
    assert telegram.messages("@aqparat_en") == []


def test_a_custom_text_replaces_the_lead_in_the_post(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    draft = newsroom.draft("en")
    draft.telegram_text = "Sister cities since 2025: what the accord changes."
    publish(draft)
    [message] = telegram.messages("@aqparat_en")
    headline, text, _link = message["text"].split("\n\n")
    assert headline == "Almaty and Busan sign an accord"
    assert text == "Sister cities since 2025: what the accord changes."


def test_the_updated_post_carries_the_correction_note(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    from aqparat.news.models import ArticleCorrection

    article = publish(newsroom.draft("en"))
    article.corrections = [
        ArticleCorrection(text="An earlier version gave the wrong year.")
    ]
    article.telegram_update_post = True
    publish(article)

    [message] = telegram.messages("@aqparat_en")
    assert "edit_date" in message
    assert "Corrected: An earlier version gave the wrong year." in message["text"]
    italic = [e for e in message.get("entities", []) if e["type"] == "italic"]
    assert italic, "the note is set apart from the lead"
