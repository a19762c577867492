"""A photo's own IPTC IIM and XMP metadata fill what the uploader left empty.

The photos are built here byte by byte: Pillow writes the XMP packet (its `xmp=`
option) and carries a hand-made APP13 Photoshop block (its `extra=` option), so each
test states exactly what the camera or the photo desk wrote into the file.
"""

from __future__ import annotations

import io
import struct
from typing import Any

import pytest
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image, IptcImagePlugin

from aqparat.images import metadata
from aqparat.images.metadata import PhotoMetadata, language_of, photo_metadata
from aqparat.images.models import RIGHTS_FIELDS, WORDS_FIELDS, CustomImage
from aqparat.news.tests.factories import administrator_build

pytestmark = pytest.mark.django_db

KAZAKH_CAPTION = "Алматы мен Пусан қалаларының өкілдері"
RUSSIAN_CAPTION = "Представители Алматы и Пусана на встрече"
ENGLISH_CAPTION = "Delegates of Almaty and Busan at the meeting"

# --- Building photos ---------------------------------------------------------------


def iim(*datasets: tuple[int, bytes]) -> bytes:
    """IPTC IIM record 2 datasets: 0x1C, record, dataset, 2-byte length, data."""
    return b"".join(
        bytes([0x1C, 2, number]) + struct.pack(">H", len(data)) + data
        for number, data in datasets
    )


def photoshop_resource(payload: bytes, code: int = 0x0404) -> bytes:
    """One 8BIM image resource with an empty name, padded to an even length."""
    resource = b"8BIM" + struct.pack(">HxxI", code, len(payload)) + payload
    return resource + b"\0" * (len(payload) % 2)


def app13(body: bytes) -> bytes:
    """A JPEG APP13 segment: marker, 2-byte length (itself included), body."""
    return b"\xff\xed" + struct.pack(">H", len(body) + 2) + body


def iptc_segment(*datasets: tuple[int, bytes]) -> bytes:
    return app13(b"Photoshop 3.0\0" + photoshop_resource(iim(*datasets)))


def xmp_packet(description: str, prolog: str = "") -> bytes:
    """An XMP packet whose single rdf:Description holds `description`."""
    return (
        f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>{prolog}'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"'
        ' xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/"'
        ' xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/">'
        f"{description}"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()


def alt(*items: tuple[str, str]) -> str:
    """An rdf:Alt of (xml:lang, text) items."""
    return (
        "<rdf:Alt>"
        + "".join(f'<rdf:li xml:lang="{lang}">{text}</rdf:li>' for lang, text in items)
        + "</rdf:Alt>"
    )


def jpeg(
    *,
    iptc: bytes = b"",
    xmp: bytes = b"",
    colour: tuple[int, int, int] = (12, 80, 140),
) -> bytes:
    options: dict[str, bytes] = {}
    if iptc:
        options["extra"] = iptc
    if xmp:
        options["xmp"] = xmp
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG", **options)
    return buffer.getvalue()


def read(data: bytes) -> PhotoMetadata:
    return photo_metadata(io.BytesIO(data))


FULL_XMP = xmp_packet(
    "<dc:creator><rdf:Seq><rdf:li>Aruzhan Sadykova</rdf:li>"
    "<rdf:li>Second Photographer</rdf:li></rdf:Seq></dc:creator>"
    "<dc:rights>"
    + alt(("x-default", "© 2026 Press Service of the Ministry"))
    + "</dc:rights>"
    "<dc:description>"
    + alt(("kk", KAZAKH_CAPTION), ("ru", RUSSIAN_CAPTION), ("en", ENGLISH_CAPTION))
    + "</dc:description>"
    "<photoshop:Credit>Press Service</photoshop:Credit>"
    "<photoshop:Source>Ministry archive</photoshop:Source>"
    "<xmpRights:WebStatement>https://example.org/photo-terms</xmpRights:WebStatement>"
    "<Iptc4xmpCore:AltTextAccessibility>"
    + alt(
        ("kk-Cyrl-KZ", "Үстел басында отырған екі делегация"),
        ("ru", "Две делегации за столом переговоров"),
        ("en", "Two delegations seated at a table"),
    )
    + "</Iptc4xmpCore:AltTextAccessibility>"
)

# --- The builders write what the readers read ---------------------------------------


def test_the_hand_made_app13_block_is_what_pillow_reads_as_iptc() -> None:
    data = jpeg(iptc=iptc_segment((80, b"Test Photographer"), (120, b"Odd")))
    with Image.open(io.BytesIO(data)) as image:
        assert IptcImagePlugin.getiptcinfo(image) == {
            (2, 80): b"Test Photographer",
            (2, 120): b"Odd",
        }


def test_the_xmp_packet_is_what_pillow_reads_back() -> None:
    with Image.open(io.BytesIO(jpeg(xmp=FULL_XMP))) as image:
        assert image.info["xmp"] == FULL_XMP


# --- IPTC IIM -----------------------------------------------------------------------


def test_iptc_iim_fields_are_read() -> None:
    found = read(
        jpeg(
            iptc=iptc_segment(
                (80, b"Dana Omarova"),
                (110, b"Kazinform"),
                (115, b"Agency archive"),
                (116, "© 2026 Kazinform".encode()),
                (120, ENGLISH_CAPTION.encode()),
            )
        )
    )
    assert found == PhotoMetadata(
        creator="Dana Omarova",
        credit="Kazinform",
        source="Agency archive",
        copyright_notice="© 2026 Kazinform",
        captions={"en": ENGLISH_CAPTION},
    )


def test_a_utf8_kazakh_iim_caption_goes_to_kazakh() -> None:
    found = read(jpeg(iptc=iptc_segment((120, KAZAKH_CAPTION.encode()))))
    assert found.captions == {"kk": KAZAKH_CAPTION}


def test_a_cp1251_iim_caption_is_decoded_as_russian() -> None:
    encoded = RUSSIAN_CAPTION.encode("cp1251")
    with pytest.raises(UnicodeDecodeError):
        encoded.decode("utf-8")  # the test really covers the fallback
    found = read(
        jpeg(iptc=iptc_segment((80, "Ерлан Ахметов".encode("cp1251")), (120, encoded)))
    )
    assert found.creator == "Ерлан Ахметов"
    assert found.captions == {"ru": RUSSIAN_CAPTION}


def test_a_repeated_iim_dataset_gives_its_first_value() -> None:
    found = read(jpeg(iptc=iptc_segment((80, b"First Name"), (80, b"Second Name"))))
    assert found.creator == "First Name"


def test_control_characters_in_iim_are_stripped() -> None:
    found = read(
        jpeg(
            iptc=iptc_segment(
                (110, b"\x00Press\x07Service\x7f"),
                (120, b"  Line one\r\nLine two\tend\x1b  "),
            )
        )
    )
    assert found.credit == "Press Service"
    assert found.captions == {"en": "Line one Line two end"}


def test_iim_text_is_cut_to_what_the_fields_hold() -> None:
    found = read(jpeg(iptc=iptc_segment((110, b"c" * 300), (120, b"w" * 700))))
    assert found.credit == "c" * 255
    assert found.captions == {"en": "w" * 500}


# --- XMP ----------------------------------------------------------------------------


def test_xmp_fields_are_read() -> None:
    assert read(jpeg(xmp=FULL_XMP)) == PhotoMetadata(
        creator="Aruzhan Sadykova",
        credit="Press Service",
        source="Ministry archive",
        copyright_notice="© 2026 Press Service of the Ministry",
        licence_url="https://example.org/photo-terms",
        captions={"kk": KAZAKH_CAPTION, "ru": RUSSIAN_CAPTION, "en": ENGLISH_CAPTION},
        alt_texts={
            "kk": "Үстел басында отырған екі делегация",
            "ru": "Две делегации за столом переговоров",
            "en": "Two delegations seated at a table",
        },
    )


def test_simple_xmp_properties_may_be_attributes() -> None:
    packet = xmp_packet("").replace(
        b'rdf:about=""',
        b'rdf:about="" photoshop:Credit="Attribute Credit"'
        b' photoshop:Source="Attribute Source"'
        b' xmpRights:WebStatement="http://example.org/terms"',
    )
    found = read(jpeg(xmp=packet))
    assert (found.credit, found.source, found.licence_url) == (
        "Attribute Credit",
        "Attribute Source",
        "http://example.org/terms",
    )


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (KAZAKH_CAPTION, "kk"),
        (RUSSIAN_CAPTION, "ru"),
        (ENGLISH_CAPTION, "en"),
    ],
)
def test_an_x_default_caption_goes_by_its_script(text: str, language: str) -> None:
    packet = xmp_packet(
        f"<dc:description>{alt(('x-default', text))}</dc:description>"
        "<Iptc4xmpCore:AltTextAccessibility>"
        f"{alt(('x-default', text))}"
        "</Iptc4xmpCore:AltTextAccessibility>"
    )
    found = read(jpeg(xmp=packet))
    assert found.captions == {language: text}
    assert found.alt_texts == {language: text}


def test_a_tagged_language_wins_over_an_x_default_of_the_same_script() -> None:
    packet = xmp_packet(
        "<dc:description>"
        + alt(("x-default", "Қысқа түсініктеме"), ("kk", KAZAKH_CAPTION))
        + "</dc:description>"
    )
    # x-default comes first in the packet, so it is the one kept for Kazakh.
    assert read(jpeg(xmp=packet)).captions == {"kk": "Қысқа түсініктеме"}


def test_language_of_tells_kazakh_from_russian_from_latin() -> None:
    assert [language_of(t) for t in (KAZAKH_CAPTION, RUSSIAN_CAPTION, "Busan")] == [
        "kk",
        "ru",
        "en",
    ]


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.org/terms", "example.org/terms"]
)
def test_a_web_statement_that_is_not_http_is_ignored(url: str) -> None:
    packet = xmp_packet(f"<xmpRights:WebStatement>{url}</xmpRights:WebStatement>")
    assert read(jpeg(xmp=packet)).licence_url == ""


def test_control_characters_in_xmp_are_stripped() -> None:
    packet = xmp_packet(
        "<photoshop:Credit>\tPress&#13;&#10;Service\n</photoshop:Credit>"
        "<dc:description>"
        + alt(("en", "First line&#10;second line"))
        + "</dc:description>"
    )
    found = read(jpeg(xmp=packet))
    assert found.credit == "Press Service"
    assert found.captions == {"en": "First line second line"}


def test_iim_comes_before_xmp_and_xmp_fills_the_rest() -> None:
    found = read(
        jpeg(
            iptc=iptc_segment(
                (80, b"IIM Photographer"), (120, RUSSIAN_CAPTION.encode())
            ),
            xmp=FULL_XMP,
        )
    )
    assert found.creator == "IIM Photographer"
    assert found.credit == "Press Service"
    assert found.captions == {
        "ru": RUSSIAN_CAPTION,
        "kk": KAZAKH_CAPTION,
        "en": ENGLISH_CAPTION,
    }


# --- Hostile and broken files -------------------------------------------------------

BILLION_LAUGHS = (
    '<!DOCTYPE x:xmpmeta [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)


def test_an_entity_expansion_bomb_in_xmp_is_not_expanded() -> None:
    packet = xmp_packet(
        "<photoshop:Credit>&lol9;</photoshop:Credit>"
        f"<dc:description>{alt(('en', '&lol9;'))}</dc:description>",
        prolog=BILLION_LAUGHS,
    )
    assert b"<!ENTITY lol9" in packet
    assert read(jpeg(xmp=packet)) == PhotoMetadata()


def test_an_external_entity_in_xmp_is_not_resolved() -> None:
    packet = xmp_packet(
        "<photoshop:Credit>&secret;</photoshop:Credit>",
        prolog='<!DOCTYPE x:xmpmeta [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
    )
    assert read(jpeg(xmp=packet)) == PhotoMetadata()


def test_an_xmp_packet_that_is_not_xml_is_ignored() -> None:
    found = read(
        jpeg(iptc=iptc_segment((110, b"Kazinform")), xmp=b"<x:xmpmeta><unclosed")
    )
    assert found == PhotoMetadata(credit="Kazinform")


@pytest.mark.parametrize(
    "segment",
    [
        pytest.param(app13(b"Photoshop 3.0\0" + b"8BIM\x04"), id="cut-in-header"),
        pytest.param(
            app13(b"Photoshop 3.0\0" + b"8BIM\x04\x04\0\0\0\0\x10\0" + b"\x1c\x02"),
            id="size-beyond-block",
        ),
        pytest.param(
            app13(b"Photoshop 3.0\0" + photoshop_resource(b"not IIM at all")),
            id="not-iim",
        ),
        pytest.param(
            app13(b"Photoshop 3.0\0" + photoshop_resource(b"\x1c\x02\x50\x00")),
            id="cut-dataset-header",
        ),
        pytest.param(
            app13(b"Photoshop 3.0\0" + photoshop_resource(b"\x1c\x02\x50\x8f\xff")),
            id="illegal-length",
        ),
        pytest.param(app13(bytes(range(256))), id="random-bytes"),
    ],
)
def test_a_broken_app13_block_gives_no_metadata_and_no_error(segment: bytes) -> None:
    assert read(jpeg(iptc=segment)) == PhotoMetadata()


def test_a_truncated_iim_record_keeps_the_datasets_before_the_cut() -> None:
    payload = iim((80, b"Complete Name")) + b"\x1c\x02"
    segment = app13(b"Photoshop 3.0\0" + photoshop_resource(payload))
    assert read(jpeg(iptc=segment)) == PhotoMetadata(creator="Complete Name")


def test_a_photo_without_metadata_gives_nothing() -> None:
    assert read(jpeg()) == PhotoMetadata()


def test_a_file_that_is_not_an_image_gives_nothing() -> None:
    assert read(b"plain text, not a photo") == PhotoMetadata()


def test_the_file_position_is_restored_after_reading() -> None:
    file = io.BytesIO(jpeg(xmp=FULL_XMP))
    assert photo_metadata(file).credit == "Press Service"
    assert file.tell() == 0


# --- Bugs the first version had -----------------------------------------------------


def test_an_iim_value_in_no_known_encoding_does_not_raise() -> None:
    found = read(jpeg(iptc=iptc_segment((110, b"Press\x98Service"))))
    assert found.credit.startswith("Press")


def test_a_broken_iim_block_does_not_hide_the_xmp_packet() -> None:
    segment = app13(b"Photoshop 3.0\0" + photoshop_resource(b"not IIM at all"))
    assert read(jpeg(iptc=segment, xmp=FULL_XMP)).credit == "Press Service"


def test_prefilled_values_fit_their_columns() -> None:
    long_url = "https://example.org/" + "t" * 220
    packet = xmp_packet(
        f"<xmpRights:WebStatement>{long_url}</xmpRights:WebStatement>"
        "<Iptc4xmpCore:AltTextAccessibility>"
        + alt(("en", "a" * 400))
        + "</Iptc4xmpCore:AltTextAccessibility>"
    )
    image = CustomImage(
        title="Long", file=ImageFile(io.BytesIO(jpeg(xmp=packet)), name="long.jpg")
    )
    image.metadata_prefill()
    for name in ("alt_en", "licence_url"):
        field = CustomImage._meta.get_field(name)
        assert len(getattr(image, name)) <= field.max_length, name


# --- The model and the admin upload -------------------------------------------------


def assert_full_xmp_fields(image: CustomImage, *, creator: str) -> None:
    """Every field FULL_XMP fills, as it fills them."""
    assert (image.credit, image.creator, image.source) == (
        "Press Service",
        creator,
        "Ministry archive",
    )
    assert image.copyright_notice == "© 2026 Press Service of the Ministry"
    assert image.licence_url == "https://example.org/photo-terms"
    assert (image.caption_kk, image.caption_ru, image.caption_en) == (
        KAZAKH_CAPTION,
        RUSSIAN_CAPTION,
        ENGLISH_CAPTION,
    )
    assert (image.alt_kk, image.alt_ru, image.alt_en) == (
        "Үстел басында отырған екі делегация",
        "Две делегации за столом переговоров",
        "Two delegations seated at a table",
    )


def image_saved(data: bytes, **fields: str) -> CustomImage:
    image = CustomImage(
        title="Photo", file=ImageFile(io.BytesIO(data), name="photo.jpg"), **fields
    )
    image.save()
    image.refresh_from_db()
    return image


def test_saving_a_new_image_fills_its_empty_fields_from_the_photo() -> None:
    image = image_saved(jpeg(xmp=FULL_XMP))
    assert_full_xmp_fields(image, creator="Aruzhan Sadykova")


def test_what_the_uploader_wrote_is_kept() -> None:
    image = image_saved(
        jpeg(xmp=FULL_XMP), credit="MFA", caption_ru="Своя подпись", alt_en="Own alt"
    )
    assert (image.credit, image.caption_ru, image.alt_en) == (
        "MFA",
        "Своя подпись",
        "Own alt",
    )
    assert (image.creator, image.caption_kk, image.alt_ru) == (
        "Aruzhan Sadykova",
        KAZAKH_CAPTION,
        "Две делегации за столом переговоров",
    )


def test_the_credit_falls_back_to_the_creator() -> None:
    image = image_saved(jpeg(iptc=iptc_segment((80, b"Dana Omarova"))))
    assert (image.credit, image.creator) == ("Dana Omarova", "Dana Omarova")


def test_an_existing_image_is_not_refilled_on_save() -> None:
    image = image_saved(jpeg(xmp=FULL_XMP))
    image.credit = ""
    image.caption_en = ""
    image.save()
    image.refresh_from_db()
    assert (image.credit, image.caption_en) == ("", "")


def upload(data: bytes, **fields: str) -> CustomImage:
    client = Client()
    client.force_login(administrator_build())
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Delegations",
            "collection": 1,
            "file": SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg"),
            **fields,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return CustomImage.objects.get()


def test_an_admin_upload_takes_rights_and_words_from_the_photo() -> None:
    data = jpeg(
        iptc=iptc_segment(
            (80, b"Dana Omarova"), (120, RUSSIAN_CAPTION.encode("cp1251"))
        ),
        xmp=FULL_XMP,
    )
    image = upload(data)
    assert_full_xmp_fields(image, creator="Dana Omarova")  # the IIM by-line wins
    with image.file.open("rb") as stored:
        assert stored.read() == data  # the stored file is the whole upload


def test_an_admin_upload_keeps_the_credit_the_form_gave() -> None:
    image = upload(jpeg(xmp=FULL_XMP, colour=(200, 30, 30)), credit="MFA")
    assert (image.credit, image.creator) == ("MFA", "Aruzhan Sadykova")


def test_an_admin_upload_of_an_xmp_bomb_succeeds_with_empty_fields() -> None:
    packet = xmp_packet(
        f"<dc:description>{alt(('en', '&lol9;'))}</dc:description>",
        prolog=BILLION_LAUGHS,
    )
    image = upload(jpeg(xmp=packet), credit="MFA", alt_ru="Делегации")
    assert (image.credit, image.creator, image.caption_en, image.alt_en) == (
        "MFA",
        "",
        "",
        "",
    )


def test_an_admin_upload_of_a_broken_app13_block_succeeds() -> None:
    segment = app13(b"Photoshop 3.0\0" + photoshop_resource(b"\x1c\x02\x50\x8f\xff"))
    image = upload(jpeg(iptc=segment), credit="MFA", alt_ru="Делегации")
    assert (image.credit, image.creator, image.caption_ru) == ("MFA", "", "")


def test_an_admin_upload_of_a_plain_photo_leaves_the_other_fields_empty() -> None:
    image = upload(jpeg(), credit="MFA", alt_en="Two delegations")
    names = (*RIGHTS_FIELDS, *WORDS_FIELDS)
    assert len(names) == 11
    assert [getattr(image, name) for name in names] == (
        ["MFA"] + [""] * 9 + ["Two delegations"]
    )


def test_an_upload_without_credit_or_alt_text_is_refused_with_the_form_kept() -> None:
    """Credit and alt text are required when the photo is uploaded, not only when
    an article is submitted: what the form and the file's metadata give counts."""
    client = Client()
    client.force_login(administrator_build())
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Delegations", "collection": 1, "caption_en": "Kept caption",
         "file": SimpleUploadedFile("photo.jpg", jpeg(), content_type="image/jpeg")},
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give the photo&#x27;s credit" in html
    assert "Describe the photo for readers who cannot see it" in html
    assert "Kept caption" in html
    assert not CustomImage.objects.exists()
    form = client.get(reverse("wagtailimages:add")).context["form"]
    assert form.fields["credit"].widget.attrs.get("aria-required") == "true"


def test_the_photos_metadata_satisfies_the_upload_form() -> None:
    image = upload(jpeg(xmp=FULL_XMP, colour=(20, 130, 30)))
    assert image.credit and image.alt_en


def test_the_multiple_uploader_asks_for_credit_before_making_the_image() -> None:
    """A plain photo dropped in the multiple uploader waits as an upload until its
    credit and alt text are given; one whose metadata has them becomes an image."""
    from wagtail.models import UploadedFile

    client = Client()
    client.force_login(administrator_build())
    url = reverse("wagtailimages:add_multiple")

    def drop(data: bytes) -> dict[str, Any]:
        file = SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg")
        response = client.post(url, {"collection": 1, "files[]": file})
        assert response.status_code == 200
        return dict(response.json())

    assert drop(jpeg())["success"] is True
    assert (CustomImage.objects.count(), UploadedFile.objects.count()) == (0, 1)
    drop(jpeg(xmp=FULL_XMP, colour=(20, 130, 30)))
    assert CustomImage.objects.get().credit == "Press Service"


# --- Bounded work on hostile packets ------------------------------------------------


def test_only_the_top_level_descriptions_are_read(monkeypatch: Any) -> None:
    """A packet of descriptions nested in each other's properties made every one of
    them search all below it (quadratic: seconds for a tiny photo); the properties
    of the packet's own descriptions are read at their explicit paths only."""
    nested = (
        "<rdf:Description><dc:creator>" * 1000
        + "</dc:creator></rdf:Description>" * 1000
    )
    packet = xmp_packet(
        "<photoshop:Credit>Press Service</photoshop:Credit>"
        "<dc:creator><rdf:Bag><rdf:li>Aruzhan Sadykova</rdf:li></rdf:Bag></dc:creator>"
        + nested
    )
    read_from: list[Any] = []
    real = metadata._simple

    def recorded(element: Any, name: str, limit: int = 255) -> str:
        read_from.append(element)
        return real(element, name, limit)

    monkeypatch.setattr(metadata, "_simple", recorded)
    found = read(jpeg(xmp=packet))
    assert found.credit == "Press Service"
    assert found.creator == "Aruzhan Sadykova"
    assert len({id(element) for element in read_from}) == 1  # one description


def test_a_packet_larger_than_a_jpeg_segment_is_not_parsed(monkeypatch: Any) -> None:
    parsed: list[int] = []
    real = metadata.ElementTree.fromstring

    def recorded(text: Any, *args: Any, **kwargs: Any) -> Any:
        parsed.append(len(text))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(metadata.ElementTree, "fromstring", recorded)
    padding = "<photoshop:Source>" + "x" * 70_000 + "</photoshop:Source>"
    big = xmp_packet("<photoshop:Credit>Press Service</photoshop:Credit>" + padding)
    found = PhotoMetadata()
    metadata._from_xmp(found, big)
    assert parsed == [] and found.credit == ""
    assert read(jpeg(xmp=FULL_XMP)).credit == "Press Service"  # an ordinary one is
    assert parsed
