"""Rights and descriptions embedded in a photo by the camera, agency or photo desk:
IPTC IIM (the APP13 block) and XMP (the Adobe packet, IPTC Core and Photoshop
namespaces). Read on upload to pre-fill the media library's fields.

Pillow finds the blocks; the XMP packet is parsed with defusedxml (it is untrusted
XML). No library maps both standards onto the fields a newsroom needs, so the
mapping is written here, following the IPTC Photo Metadata Standard's field names.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import IO, Any

from defusedxml import ElementTree
from PIL import Image, IptcImagePlugin

from aqparat.translit.slugs import cyrillic_language

logger = logging.getLogger(__name__)

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGES = ("kk", "ru", "en")
# IPTC IIM record 2 datasets.
IIM_CREATOR, IIM_CREDIT, IIM_SOURCE, IIM_COPYRIGHT, IIM_CAPTION = (
    (2, 80), (2, 110), (2, 115), (2, 116), (2, 120),
)  # fmt: skip


URL_MAX = 200  # the licence URL field's length
# A JPEG carries its XMP packet in one APP1 segment: at most 65,502 bytes.
XMP_MAX_BYTES = 65_502
CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")


@dataclass
class PhotoMetadata:
    creator: str = ""
    credit: str = ""
    source: str = ""
    copyright_notice: str = ""
    licence_url: str = ""
    captions: dict[str, str] = field(default_factory=dict)  # language → text
    alt_texts: dict[str, str] = field(default_factory=dict)


def photo_metadata(file: IO[bytes]) -> PhotoMetadata:
    """What the photo says about itself; empty where it says nothing or unreadable."""
    metadata = PhotoMetadata()
    position = file.tell()
    iptc: dict[tuple[int, int], Any] = {}
    xmp = None
    try:
        with Image.open(file) as image:
            xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
            try:  # a broken IIM block must not cost the XMP
                iptc = IptcImagePlugin.getiptcinfo(image) or {}
            except Exception:
                logger.info("IPTC block unreadable", exc_info=True)
    except Exception:  # a photo whose metadata cannot be read still uploads
        logger.info("Photo metadata unreadable", exc_info=True)
    finally:
        file.seek(position)
    _from_iptc(metadata, iptc)
    if xmp:
        _from_xmp(metadata, xmp)
    return metadata


def _from_iptc(metadata: PhotoMetadata, iptc: dict[tuple[int, int], Any]) -> None:
    def text(key: tuple[int, int], limit: int = 255) -> str:
        value = iptc.get(key)
        if isinstance(value, list):
            value = value[0] if value else b""
        if not isinstance(value, bytes):
            return ""
        if utf8:
            return _clean(value.decode("utf-8", errors="replace"), limit)
        try:
            return _clean(value.decode("utf-8"), limit)
        except UnicodeDecodeError:
            # Not UTF-8: Windows-1251, the usual encoding of Cyrillic IIM captions.
            return _clean(value.decode("cp1251", errors="replace"), limit)

    # Dataset 1:90 "ESC % G" declares UTF-8.
    utf8 = iptc.get((1, 90)) == b"\x1b%G"

    metadata.creator = text(IIM_CREATOR)
    metadata.credit = text(IIM_CREDIT)
    metadata.source = text(IIM_SOURCE)
    metadata.copyright_notice = text(IIM_COPYRIGHT)
    if caption := text(IIM_CAPTION, limit=500):
        metadata.captions[language_of(caption)] = caption


def _from_xmp(metadata: PhotoMetadata, packet: bytes | str) -> None:
    """Bounded in size and in work: a packet larger than a JPEG segment holds is
    not read, and only the properties of the packet's top-level descriptions, at
    their explicit paths (a descendant search from every node of a deeply nested
    packet was quadratic: seconds for a tiny photo)."""
    if len(packet) > XMP_MAX_BYTES:
        logger.info("XMP packet of %s bytes not read (at most %s)", len(packet),
                    XMP_MAX_BYTES)  # fmt: skip
        return
    try:
        root = ElementTree.fromstring(packet)
    except Exception:
        logger.info("XMP packet unreadable", exc_info=True)
        return
    rdf = root if root.tag == f"{{{NS['rdf']}}}RDF" else root.find("rdf:RDF", NS)
    if rdf is None:
        return
    for description in rdf.findall("rdf:Description", NS):
        metadata.creator = metadata.creator or _first(description, "dc:creator")
        metadata.credit = metadata.credit or _simple(description, "photoshop:Credit")
        metadata.source = metadata.source or _simple(description, "photoshop:Source")
        metadata.copyright_notice = metadata.copyright_notice or _first(
            description, "dc:rights"
        )
        url = _simple(description, "xmpRights:WebStatement", limit=1000)
        # A cut URL is a broken one: longer than the field holds is left out.
        if url.startswith(("https://", "http://")) and len(url) <= URL_MAX:
            metadata.licence_url = metadata.licence_url or url
        captions = _alternatives(description, "dc:description", limit=500)
        for language, text in captions.items():
            metadata.captions.setdefault(language, text)
        alt = _alternatives(description, "Iptc4xmpCore:AltTextAccessibility")
        for language, text in alt.items():
            metadata.alt_texts.setdefault(language, text)


def _qualified(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _simple(element: Any, name: str, limit: int = 255) -> str:
    """A simple property, written as an attribute or as an element."""
    value = element.get(_qualified(name))
    if value is None:
        child = element.find(name, NS)
        value = child.text if child is not None else ""
    return _clean(value or "", limit)


def _first(element: Any, name: str) -> str:
    """The first item of a Seq/Bag/Alt property (dc:creator, dc:rights)."""
    for container in ("rdf:Seq", "rdf:Bag", "rdf:Alt"):
        item = element.find(f"{name}/{container}/rdf:li", NS)
        if item is not None:
            return _clean(item.text or "")
    return _simple(element, name)


def _alternatives(element: Any, name: str, limit: int = 255) -> dict[str, str]:
    """A language alternative: {"kk": …, "ru": …}; x-default goes by its script."""
    found: dict[str, str] = {}
    for item in element.findall(f"{name}/rdf:Alt/rdf:li", NS):
        text = _clean(item.text or "", limit)
        if not text:
            continue
        language = (item.get(XML_LANG) or "x-default").lower().split("-")[0]
        if language not in LANGUAGES:
            language = language_of(text)
        found.setdefault(language, text)
    return found


def language_of(text: str) -> str:
    if re.search(r"[\u0400-\u04ff]", text):
        return cyrillic_language(text)
    return "en"


def _clean(value: str, limit: int = 255) -> str:
    """One line, no control, line-separator or direction-override characters, at
    most what the field holds."""
    return CONTROLS.sub(" ", value).strip()[:limit]
