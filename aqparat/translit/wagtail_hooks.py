from wagtail.snippets.models import register_snippet

from aqparat.translit.models import LatinSpelling

register_snippet(LatinSpelling)
