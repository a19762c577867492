"""StreamField blocks of an article body."""

from typing import Any

from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "h2", "h3", "ol", "ul"]


class CaptionedImageBlock(blocks.StructBlock):
    """An inline photo; caption and credit fall back to the media library's."""

    image = ImageChooserBlock(label=pgettext_lazy("picture", "image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=500)
    credit = blocks.CharBlock(
        label=_("credit"),
        required=False,
        max_length=255,
        help_text=_("Leave empty to use the image's own credit."),
    )

    class Meta:
        icon = "image"
        template = "news/blocks/captioned_image_block.html"

    def get_context(self, value: Any, parent_context: Any = None) -> Any:
        """The caption and credit to print: the block's own, else the library's in
        the language being rendered."""
        context = super().get_context(value, parent_context=parent_context)
        image = value.get("image")
        language = get_language() or "kk"
        context["caption"] = value.get("caption") or (
            image.caption_in(language) if image else ""
        )
        context["credit"] = value.get("credit") or (image.credit if image else "")
        return context


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quotation"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False)

    class Meta:
        icon = "openquote"
        template = "news/blocks/quote_block.html"


class EmbedLinkBlock(blocks.StructBlock):
    """A link card to outside media (video, post, map).

    Deliberately not Wagtail's oEmbed block: that renders the provider's iframe and
    scripts, and our pages load no third-party code and make no outside request
    while rendering.
    """

    url = blocks.URLBlock(label=_("address"))
    title = blocks.CharBlock(
        label=pgettext_lazy("block heading", "title"), max_length=200
    )
    provider = blocks.CharBlock(label=_("provider"), required=False, max_length=80)

    class Meta:
        icon = "media"
        template = "news/blocks/embed_link_block.html"


class GalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=pgettext_lazy("block heading", "title"), required=False
    )
    images = blocks.ListBlock(
        CaptionedImageBlock(), min_num=2, label=pgettext_lazy("picture", "images")
    )

    class Meta:
        icon = "image"
        template = "news/blocks/gallery_block.html"


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=pgettext_lazy("block heading", "title"), max_length=120
    )
    body = blocks.RichTextBlock(
        label=_("facts"), features=["bold", "italic", "link", "ul"]
    )

    class Meta:
        icon = "list-ul"
        template = "news/blocks/fact_box_block.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("paragraph"), features=RICH_TEXT_FEATURES)
    image = CaptionedImageBlock(label=pgettext_lazy("picture", "image"))
    quote = QuoteBlock(label=_("quote"))
    embed = EmbedLinkBlock(label=pgettext_lazy("body block", "embed"))
    gallery = GalleryBlock(label=_("gallery"))
    fact_box = FactBoxBlock(label=_("fact box"))

    def clean(self, value: Any) -> Any:
        """Wagtail says "Validation error in StreamBlock" (in English, whatever the
        admin's language) above the body's own marks: say what to fix."""
        try:
            return super().clean(value)
        except StreamBlockValidationError as error:
            raise BodyValidationError(error, value) from None


class BodyValidationError(StreamBlockValidationError):
    """Wagtail's error for the body, its marks on each block kept, with a message
    an editor can act on: the body is empty, or which part of it to fix."""

    def __init__(self, error: StreamBlockValidationError, value: Any) -> None:
        super().__init__(error.block_errors, error.non_block_errors)
        if not len(value):
            message = str(_("Write the story's text: the body is empty."))
        elif error.block_errors:
            index = min(error.block_errors)
            message = str(
                _("Part %(number)d of the body (%(kind)s) needs fixing.")
                % {"number": index + 1, "kind": value[index].block.label}
            )
        else:
            message = "; ".join(
                text for e in error.non_block_errors.as_data() for text in e.messages
            )
        self.message = message
