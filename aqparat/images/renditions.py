"""The renditions pages use, made ahead of readers: when a photo is saved and when
an article using it is published, never at a reader's first view."""

from __future__ import annotations

from collections.abc import Iterable

from aqparat.images.models import CustomImage

# Keep in step with the `{% image %}` spec in templates/components/article_card.html.
LISTING_RENDITIONS = ("fill-640x360|format-webp",)
# ... in templates/news/article_page.html.
DETAIL_RENDITIONS = ("fill-640x360|format-webp", "fill-1200x675|format-webp")
# ... and in templates/news/blocks/captioned_image_block.html.
BODY_RENDITIONS = ("width-800|format-webp",)
# The lead photo as previews and search engines take it (syndication/jsonld.py):
# 16:9, 4:3 and 1:1 crops 1200 px wide (Google's Article structured data asks for
# these ratios at least 50 000 pixels; Discover's large previews for 1200 px), in
# JPEG, which every link-preview crawler reads. The first is og:image.
SHARE_RENDITIONS = (
    "fill-1200x675|format-jpeg",
    "fill-1200x900|format-jpeg",
    "fill-1200x1200|format-jpeg",
)
# An article's lead photo as its page shows it: previews and JSON-LD, the <picture>.
LEAD_RENDITIONS = tuple(dict.fromkeys((*SHARE_RENDITIONS, *DETAIL_RENDITIONS)))
ALL_RENDITIONS = tuple(
    dict.fromkeys(
        (*LISTING_RENDITIONS, *DETAIL_RENDITIONS, *BODY_RENDITIONS, *SHARE_RENDITIONS)
    )
)


def renditions_make(*, image_ids: Iterable[int]) -> int:
    """Create the missing renditions of these photos; returns how many photos had a
    readable file. A photo whose file is missing is logged by Wagtail and skipped."""
    done = 0
    for image in CustomImage.objects.filter(pk__in=list(image_ids)):
        try:
            image.get_renditions(*ALL_RENDITIONS)
        except (OSError, ValueError):
            continue
        done += 1
    return done
