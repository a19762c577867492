from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class CustomImage(AbstractImage):
    """A photo in the media library, carrying its credit, caption and source.

    The credit is the bare name ("MFA"); templates add the localized label
    ("Photo:", "Фото:", "Сурет:").
    """

    credit = models.CharField(
        _("credit"),
        max_length=255,
        blank=True,
        help_text=_(
            'Who made or supplied the photo, e.g. "MFA". Shown as "Photo: MFA".'
        ),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    source = models.CharField(
        _("source"),
        max_length=255,
        blank=True,
        help_text=_("Where the photo came from: agency, press service, archive."),
    )

    admin_form_fields = (
        *Image.admin_form_fields,
        "credit",
        "caption",
        "source",
    )

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(
        CustomImage, on_delete=models.CASCADE, related_name="renditions"
    )

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
