# The Latin edition formats as the Cyrillic one; its output is transliterated.
from aqparat.core.formats.kk.formats import *  # noqa: F403
