"""Zero-downtime migrations (docs/deployment.md, issue 17 item 4): during a release
the old code runs against the new schema for a few minutes, so no new migration may
drop or rename a column or table, or add a NOT NULL column without a default.
django-migration-linter checks every migration of ours but the ones released before
this rule."""

from __future__ import annotations

import pytest
from django.apps import apps
from django_migration_linter import MigrationLinter

# Released before the rule, each already applied everywhere; never add to this list:
# split the migration instead (docs/deployment.md says how).
BEFORE_THE_RULE = [
    "0002_ticker_currencies",  # core
    "0003_image_rights",  # images
    "0002_articlepage_telegram_update_post",  # news
    "0008_tag_slugs_shared_across_editions",  # news
    "0010_telegram_per_story",  # news
    "0011_breaking_banner_story_all_editions",  # news
    "0003_claims_and_rate_limits",  # telegram
]


def _linter(**options: object) -> MigrationLinter:
    ours = [
        app.label for app in apps.get_app_configs() if app.name.startswith("aqparat.")
    ]
    return MigrationLinter(
        include_apps=ours, no_cache=True, no_output=True,
        ignore_initial_migrations=True, **options,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_no_migration_since_the_rule_breaks_the_running_release() -> None:
    linter = _linter(ignore_name=BEFORE_THE_RULE)
    linter.lint_all_migrations()
    # Every migration of ours since the rule was read (16 on SQLite; on PostgreSQL
    # the linter passes over two that change nothing there).
    assert linter.nb_valid >= 14
    assert not linter.has_errors


@pytest.mark.django_db(transaction=True)
def test_the_linter_finds_a_dropped_column() -> None:
    """The check can fail: the migration that dropped the photos' caption column is
    one the linter refuses."""
    linter = _linter(include_name=["0003_image_rights"])
    linter.lint_all_migrations()
    assert linter.has_errors
