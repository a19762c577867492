from __future__ import annotations

import secrets
from functools import lru_cache
from typing import Any

from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Filter, Image

LANGUAGES = ("kk", "ru", "en")
# What the photo's own metadata can fill in, and the admin asks for.
RIGHTS_FIELDS = ("credit", "creator", "source", "copyright_notice", "licence_url")
WORDS_FIELDS = tuple(
    f"{kind}_{lang}" for kind in ("caption", "alt") for lang in LANGUAGES
)


class HttpsURLField(models.URLField):
    """A URL field whose form adds https://, not http://, to a bare domain."""

    def formfield(self, *args: Any, **kwargs: Any) -> Any:
        return super().formfield(*args, **{"assume_scheme": "https", **kwargs})


class CustomImage(AbstractImage):
    """A photo in the media library with its rights and its words in each language.

    The credit is the bare name ("MFA"); templates add the localized label ("Photo:",
    "Фото:", "Сурет:"). Credit and the alt text in the article's language are
    required before the photo can appear in a published article. On upload, empty
    fields are filled from the photo's own IPTC/XMP metadata.
    """

    credit = models.CharField(
        _("credit"),
        max_length=255,
        blank=True,
        help_text=_(
            'Who made or supplied the photo, e.g. "MFA". Shown as "Photo: MFA".'
        ),
    )
    creator = models.CharField(
        _("creator"), max_length=255, blank=True, help_text=_("The photographer.")
    )
    source = models.CharField(
        _("source"),
        max_length=255,
        blank=True,
        help_text=_("Where the photo came from: agency, press service, archive."),
    )
    copyright_notice = models.CharField(
        _("copyright notice"), max_length=255, blank=True,
        help_text=_('E.g. "© 2026 Ministry of Foreign Affairs of Kazakhstan".'),
    )  # fmt: skip
    licence_url = HttpsURLField(
        _("licence URL"), blank=True,
        help_text=_("The licence or terms the photo is used under."),
    )  # fmt: skip
    caption_kk = models.CharField(_("caption (Kazakh)"), max_length=500, blank=True)
    caption_ru = models.CharField(_("caption (Russian)"), max_length=500, blank=True)
    caption_en = models.CharField(_("caption (English)"), max_length=500, blank=True)
    alt_kk = models.CharField(
        _("alt text (Kazakh)"), max_length=255, blank=True,
        help_text=_("What the photo shows, for readers who cannot see it."),
    )  # fmt: skip
    alt_ru = models.CharField(_("alt text (Russian)"), max_length=255, blank=True)
    alt_en = models.CharField(_("alt text (English)"), max_length=255, blank=True)

    admin_form_fields = (
        *(name for name in Image.admin_form_fields if name != "description"),
        *RIGHTS_FIELDS,
        *WORDS_FIELDS,
    )

    class Meta(AbstractImage.Meta):
        verbose_name = pgettext_lazy("picture", "image")
        verbose_name_plural = pgettext_lazy("picture", "images")

    def get_upload_to(self, filename: str) -> str:
        """Wagtail's `original_images/<name>`, the name led by a random token:
        `original_images/3f9c0a1b7e42_<name>`. The renditions' names begin with the
        original's, so the token keeps those of a photo waiting for an embargoed
        story from being guessed from its file's name (originals are never served
        at all: core/media.py). Wagtail shortens a long name from its end."""
        return str(super().get_upload_to(f"{secrets.token_hex(6)}_{filename}"))

    def __setstate__(self, state: dict[str, Any]) -> None:
        """An image kept in the shared cache with its prefetched renditions (an
        article's fragment): pickling drops each rendition's link to its image, and
        Wagtail's `<img>` asks that image for its alt text (a query each render)."""
        super().__setstate__(state)
        for rendition in self.__dict__.get("prefetched_renditions", ()):
            rendition.image = self

    def get_rendition(self, filter: Any) -> Any:
        """Wagtail's `get_rendition` writes the rendition to the cache every time,
        even one it has just read from a prefetch or the cache: 35 cache writes per
        home page. `get_renditions` writes only what it had to look up."""
        return next(iter(self.get_renditions(filter).values()))

    def get_renditions(self, *filters: Filter | str) -> dict[str, Any]:
        """Wagtail's, with each filter spec parsed once a process: its image tags
        make a new `Filter` at every render, and parsing one inspects each of its
        operations' signatures (ten times an article page, about 3% of its CPU)."""
        return super().get_renditions(
            *(_filter(f if isinstance(f, str) else f.spec) for f in filters)
        )

    def caption_in(self, language_code: str) -> str:
        return str(getattr(self, f"caption_{_edition(language_code)}", ""))

    def alt_in(self, language_code: str) -> str:
        return str(getattr(self, f"alt_{_edition(language_code)}", ""))

    @property
    def default_alt_text(self) -> str:
        """The alt text in the language being rendered (Wagtail's image tags use it)."""
        return self.alt_in(get_language() or "kk") or ""

    def rights_missing(self, language_code: str) -> list[str]:
        """The fields a published article needs filled, by label; empty when ready."""
        missing = []
        if not self.credit.strip():
            missing.append(str(_("credit")))
        if not self.alt_in(language_code).strip():
            missing.append(str(self._meta.get_field(f"alt_{_edition(language_code)}")
                               .verbose_name))  # fmt: skip
        return missing

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.file:
            self.metadata_prefill()
        super().save(*args, **kwargs)

    def metadata_prefill(self) -> None:
        """Fill what the uploader left empty from the photo's IPTC/XMP metadata."""
        from aqparat.images.metadata import photo_metadata

        found = photo_metadata(self.file)
        for name in RIGHTS_FIELDS:
            if not getattr(self, name):
                setattr(self, name, getattr(found, name))
        for language in LANGUAGES:
            for prefix, values in (("caption", found.captions),
                                   ("alt", found.alt_texts)):  # fmt: skip
                name = f"{prefix}_{language}"
                if not getattr(self, name) and values.get(language):
                    setattr(self, name, values[language])
        if not self.credit and self.creator:
            self.credit = self.creator


@lru_cache(maxsize=256)
def _filter(spec: str) -> Filter:
    """A parsed filter spec. Kept per process because it is a function of the spec
    alone (no data anyone can change); templates and code use a few dozen specs."""
    return Filter(spec=spec)


def _edition(language_code: str) -> str:
    """kk, kk-latn → kk; ru → ru; anything else → en."""
    base = language_code.lower().split("-")[0]
    return base if base in LANGUAGES else "en"


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(
        CustomImage, on_delete=models.CASCADE, related_name="renditions"
    )

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)

    def __getstate__(self) -> dict[str, Any]:
        """Kept in the cache without its image: Wagtail sets the image it is asked
        from on every rendition it reads back, so a copy of the image's row in
        each cached rendition was only read and thrown away (it tripled what an
        article's five renditions cost to read)."""
        state: dict[str, Any] = super().__getstate__()
        state["_state"].fields_cache.pop("image", None)  # Django's copy, not ours
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """A rendition read back from the cache is marked so: Wagtail marks only
        prefetched ones, and writes every rendition it read from the cache back to
        it on each `get_renditions` (a cache write per photo per page view)."""
        super().__setstate__(state)
        self._from_cache = True
