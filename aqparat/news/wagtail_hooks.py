from wagtail.snippets.models import register_snippet

from aqparat.news.models import Author, Source

register_snippet(Author)
register_snippet(Source)
