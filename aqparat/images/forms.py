"""The media library's image form (WAGTAILIMAGES_IMAGE_FORM_BASE): the upload and
edit screens, the multiple uploader's edit forms and the chooser's upload tab."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm

from aqparat.images.metadata import PhotoMetadata, photo_metadata
from aqparat.images.models import LANGUAGES

ALT_FIELDS = tuple(f"alt_{language}" for language in LANGUAGES)


class CustomImageForm(BaseImageForm):
    """A photo needs its credit and an alt text when it is uploaded, not first when
    an article with it is submitted. What the form gives counts, and so does what
    the photo's own IPTC/XMP metadata gives (CustomImage.metadata_prefill fills it
    in on save): the fields cannot be HTML-required, so they are marked required
    for assistive technology and checked here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("credit", *ALT_FIELDS):
            if name in self.fields:
                self.fields[name].widget.attrs["aria-required"] = "true"

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        if "credit" not in self.fields:  # the uploader's first step: a file only
            return cleaned
        found = self._metadata(cleaned.get("file"))
        if not (cleaned.get("credit") or found.credit or found.creator):
            self.add_error("credit", _(
                "Give the photo's credit (who owns it, e.g. MFA): the file's "
                "metadata names none."
            ))  # fmt: skip
        alt_fields = [name for name in ALT_FIELDS if name in self.fields]
        has_alt = any(cleaned.get(name) for name in alt_fields)
        if alt_fields and not has_alt and not any(found.alt_texts.values()):
            self.add_error(alt_fields[0], _(
                "Describe the photo for readers who cannot see it, in at least one "
                "language."
            ))  # fmt: skip
        return cleaned

    def _metadata(self, upload: Any) -> PhotoMetadata:
        """The metadata of a newly uploaded file (bounded parsing, metadata.py);
        nothing for an edit that keeps the stored file."""
        if upload is None or "file" not in self.changed_data:
            return PhotoMetadata()
        return photo_metadata(upload)  # leaves the file where it was
