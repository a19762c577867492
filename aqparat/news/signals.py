"""Signals the news app sends for other apps to act on."""

from django.dispatch import Signal

# Sent after an article has been copied (a duplicate in the admin, or a copy for a
# translation): sender=ArticlePage, original=<ArticlePage>, copy=<ArticlePage>.
article_copied = Signal()
