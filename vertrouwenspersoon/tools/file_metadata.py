# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hidden information taken out of a file before it is sealed into a case.

A photo tells the camera, the place and the moment; a PDF or an office file
tells its author, the company, the software and the editing history. The
reporter never meant to tell any of it. ``clean(data)`` returns the file
without it, and what was removed, as keys of ``REMOVED`` (the callers say them
in the reader's language); a file whose kind cannot be cleaned raises
``CannotClean`` (the reporter may then send it as it is, after being told).

- JPEG and PNG: the segments and chunks that carry metadata are dropped,
  byte for byte, without decoding the picture again (no loss, milliseconds
  for a 2 MB photo); Pillow then reads the result back to check it. A photo
  taken sideways keeps only its orientation, so it is not shown on its side.
- GIF, WebP, TIFF, BMP: decoded and written again by Pillow, without any
  metadata.
- PDF: pikepdf (QPDF) drops the info dictionary, every XMP stream, the
  private data of the authoring software and the names on comments, and
  writes the whole file anew: no earlier revision survives.
- Word, Excel, PowerPoint (Office Open XML) and OpenDocument: the document
  properties are emptied, names on comments and tracked changes blanked,
  tracked changes accepted (a deleted passage is gone, not hidden), revision
  ids and template paths removed, the preview image dropped; the ZIP is
  written again without its timestamps.
- Plain text has no metadata: kept as it is.
"""

import io
import re
import zipfile

from lxml import etree
from PIL import Image

try:
    import pikepdf
except ImportError:  # pragma: no cover - checked by the addon's external dependencies
    pikepdf = None

# What can be removed, as the callers name it to the reporter.
REMOVED = (
    "location",
    "device",
    "dates",
    "author",
    "software",
    "xmp",
    "properties",
    "comments",
    "revisions",
    "paths",
    "thumbnail",
    "colour_profile",
    "other",
)

MAX_ZIP_ENTRIES = 5000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class CannotClean(Exception):
    """This file's hidden information cannot be removed: ``kind`` says what it is
    ("unknown", "encrypted", "damaged", "animation", "embedded")."""

    def __init__(self, kind, detail=""):
        super().__init__(kind, detail)
        self.kind = kind
        self.detail = detail


class Cleaned:
    """The cleaned bytes, the kind of file and what was removed (keys of ``REMOVED``)."""

    __slots__ = ("data", "kind", "removed")

    def __init__(self, data, kind, removed=()):
        self.data = data
        self.kind = kind
        self.removed = tuple(key for key in REMOVED if key in set(removed))

    def __repr__(self):
        return f"Cleaned({self.kind}, {len(self.data)} bytes, removed={self.removed})"


def kind_of(data):
    """The kind of file by its content (never by its name): jpeg, png, gif,
    webp, tiff, bmp, pdf, ooxml, odf, zip, text or unknown."""
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:2] == b"BM":
        return "bmp"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "[Content_Types].xml" in names:
                    return "ooxml"
                if "mimetype" in names and archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument"):
                    return "odf"
        except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
            return "unknown"
        return "zip"
    if _is_text(data):
        return "text"
    return "unknown"


def _is_text(data):
    if b"\x00" in data[:8192]:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def clean(data):
    """``Cleaned`` for ``data``, or ``CannotClean``."""
    kind = kind_of(data)
    cleaner = {
        "jpeg": _clean_jpeg,
        "png": _clean_png,
        "gif": _clean_by_pillow,
        "webp": _clean_by_pillow,
        "tiff": _clean_by_pillow,
        "bmp": _clean_by_pillow,
        "pdf": _clean_pdf,
        "ooxml": _clean_ooxml,
        "odf": _clean_odf,
    }.get(kind)
    if kind == "text":
        return Cleaned(data, kind)
    if not cleaner:
        raise CannotClean("unknown", kind)
    try:
        cleaned, removed = cleaner(data)
    except CannotClean:
        raise
    except Exception as error:  # a damaged file of a known kind: whatever the parser raised
        raise CannotClean("damaged", f"{kind}: {type(error).__name__}") from error
    return Cleaned(cleaned, kind, removed)


# ----------------------------------------------------------------------
# Images
# ----------------------------------------------------------------------
EXIF_DEVICE = {
    0x010F,
    0x0110,
    0xA431,
    0xA433,
    0xA434,
    0xA435,
    0x927C,
    0xC614,
}  # make, model, serials, lens, maker notes
EXIF_DATES = {0x0132, 0x9003, 0x9004, 0x9010, 0x9011, 0x9290, 0x9291, 0x9292}
EXIF_AUTHOR = {0x013B, 0x8298, 0x9C9D, 0xA430, 0x9286, 0x9C9C}  # artist, copyright, XP author/comment, owner
EXIF_SOFTWARE = {0x0131}
ORIENTATION = 0x0112


def _exif_findings(exif_bytes):
    """(categories, orientation) of an EXIF block (b"Exif\\0\\0" + TIFF)."""
    exif = Image.Exif()
    exif.load(exif_bytes)
    found = set()
    tags = set(exif)
    for ifd in (0x8769, 0xA005):  # the Exif and interoperability sub-directories
        try:
            tags |= set(exif.get_ifd(ifd))
        except Exception:
            found.add("other")
    try:
        if exif.get_ifd(0x8825):
            found.add("location")
    except Exception:
        found.add("location")
    if tags & EXIF_DEVICE:
        found.add("device")
    if tags & EXIF_DATES:
        found.add("dates")
    if tags & EXIF_AUTHOR:
        found.add("author")
    if tags & EXIF_SOFTWARE:
        found.add("software")
    if b"\xff\xd8\xff" in exif_bytes[6:]:  # a preview picture (IFD1), possibly of the uncropped photo
        found.add("thumbnail")
    leftover = tags - EXIF_DEVICE - EXIF_DATES - EXIF_AUTHOR - EXIF_SOFTWARE - {ORIENTATION, 0x8769, 0x8825, 0xA005}
    if leftover:
        found.add("other")
    orientation = exif.get(ORIENTATION)
    return found, orientation if isinstance(orientation, int) and 2 <= orientation <= 8 else None


def _orientation_segment(orientation):
    """An APP1 segment with the orientation alone: the photo is shown upright,
    and tells nothing else."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    payload = exif.tobytes()
    return b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload


def _clean_jpeg(data):
    """Drop every APPn segment but the JFIF header and Adobe's colour transform,
    every comment, and anything after the end of the image (a second picture,
    a video): no re-encoding."""
    removed = set()
    out = [b"\xff\xd8"]
    orientation = None
    position = 2
    size = len(data)
    while True:
        if position + 4 > size or data[position] != 0xFF:
            raise CannotClean("damaged", "jpeg: no marker")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out.append(data[position : position + 2])
            position += 2
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        end = position + 2 + length
        if length < 2 or end > size:
            raise CannotClean("damaged", "jpeg: segment length")
        segment = data[position:end]
        payload = segment[4:]
        if marker == 0xDA:  # start of scan: the picture itself, up to the end of the image
            eoi = data.find(b"\xff\xd9", end)
            if eoi < 0:
                raise CannotClean("damaged", "jpeg: no end of image")
            if data[eoi + 2 :].strip(b"\x00"):
                removed.add("other")
            out.append(data[position : eoi + 2])
            break
        if marker == 0xE0 and payload.startswith(b"JFIF\x00"):
            # the JFIF header without its optional thumbnail
            out.append(b"\xff\xe0\x00\x10" + payload[:12] + b"\x00\x00")
            if len(payload) > 14:
                removed.add("thumbnail")
        elif marker == 0xEE and payload.startswith(b"Adobe"):
            out.append(segment)  # the colour transform a CMYK picture needs to be shown right
        elif 0xE0 <= marker <= 0xEF or marker == 0xFE:
            removed |= _jpeg_segment_findings(marker, payload)
            if marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
                orientation = _exif_findings(payload)[1] or orientation
        else:
            out.append(segment)  # tables, frame header: the picture
        position = end
    if orientation:
        out.insert(1, _orientation_segment(orientation))
    cleaned = b"".join(out)
    _check_image(cleaned, orientation)
    return cleaned, removed


def _jpeg_segment_findings(marker, payload):
    if marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
        try:
            return _exif_findings(payload)[0] or {"other"}
        except Exception:
            return {"other"}
    if marker == 0xE1 and b"ns.adobe.com/xap" in payload[:80]:
        return {"xmp"}
    if marker == 0xE2 and payload.startswith(b"ICC_PROFILE"):
        return {"colour_profile"}
    if marker == 0xED:  # Photoshop / IPTC: caption, byline, place
        return {"author", "properties"}
    if marker == 0xFE:
        return {"comments"}
    if marker == 0xE0 and payload.startswith(b"JFXX"):
        return {"thumbnail"}
    return {"other"}


def _check_image(data, orientation=None):
    """Pillow reads the result back: a picture, and no metadata left."""
    with Image.open(io.BytesIO(data)) as image:
        left = {
            key for key in ("exif", "xmp", "icc_profile", "comment", "photoshop", "dpi_exif") if image.info.get(key)
        }
        if orientation:
            left.discard("exif")
            if set(image.getexif()) - {ORIENTATION}:
                left.add("exif")
        if left:
            raise CannotClean("damaged", f"left: {sorted(left)}")


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Chunks that draw the picture; every other ancillary chunk is dropped.
PNG_KEEP = {
    b"IHDR",
    b"PLTE",
    b"IDAT",
    b"IEND",
    b"tRNS",
    b"gAMA",
    b"cHRM",
    b"sRGB",
    b"sBIT",
    b"bKGD",
    b"pHYs",
    b"acTL",
    b"fcTL",
    b"fdAT",
}


def _clean_png(data):
    removed = set()
    out = [PNG_SIGNATURE]
    position = len(PNG_SIGNATURE)
    while position < len(data):
        if position + 12 > len(data):
            raise CannotClean("damaged", "png: chunk")
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data):
            raise CannotClean("damaged", "png: chunk length")
        if kind in PNG_KEEP:
            out.append(data[position:end])
        elif kind[:1].isupper():
            raise CannotClean("unknown", f"png: critical chunk {kind!r}")
        else:
            removed |= _png_chunk_findings(kind, data[position + 8 : end - 4])
        position = end
        if kind == b"IEND":
            if data[position:].strip(b"\x00"):
                removed.add("other")
            break
    cleaned = b"".join(out)
    _check_image(cleaned)
    return cleaned, removed


def _png_chunk_findings(kind, body):
    if kind in (b"tEXt", b"zTXt", b"iTXt"):
        keyword = body.split(b"\x00", 1)[0].lower()
        if keyword.startswith(b"xml:com.adobe.xmp"):
            return {"xmp"}
        if keyword in (b"author", b"copyright", b"disclaimer"):
            return {"author"}
        if keyword in (b"software", b"source"):
            return {"software", "device"} if keyword == b"source" else {"software"}
        if keyword in (b"creation time", b"date:create", b"date:modify"):
            return {"dates"}
        if keyword == b"comment":
            return {"comments"}
        return {"properties"}
    if kind == b"eXIf":
        try:
            return _exif_findings(b"Exif\x00\x00" + body)[0] or {"other"}
        except Exception:
            return {"other"}
    if kind == b"tIME":
        return {"dates"}
    if kind == b"iCCP":
        return {"colour_profile"}
    return {"other"}


def _clean_by_pillow(data):
    """Decode and write again, in the same format, without any metadata."""
    with Image.open(io.BytesIO(data)) as image:
        if getattr(image, "n_frames", 1) > 1:
            raise CannotClean("animation", image.format)
        image_format = image.format
        removed = set()
        info = image.info
        if info.get("exif") or image.getexif():
            try:
                removed |= _exif_findings(image.getexif().tobytes())[0]
            except Exception:
                removed.add("other")
        if info.get("xmp") or info.get("XML:com.adobe.xmp"):
            removed.add("xmp")
        if info.get("icc_profile"):
            removed.add("colour_profile")
        if info.get("comment"):
            removed.add("comments")
        if image_format == "TIFF":
            # every TIFF tag beyond the picture's own (artist, software, dates, ...) goes
            removed.add("other")
        image.load()
        fresh = Image.new(image.mode, image.size)
        fresh.frombytes(image.tobytes())
        if image.mode == "P":
            fresh.putpalette(image.getpalette())
            if "transparency" in info:
                fresh.info["transparency"] = info["transparency"]
    buffer = io.BytesIO()
    options = {"lossless": True} if image_format == "WEBP" else {}
    if "transparency" in fresh.info:
        options["transparency"] = fresh.info["transparency"]
    fresh.save(buffer, image_format, **options)
    cleaned = buffer.getvalue()
    _check_image(cleaned)
    return cleaned, removed


# ----------------------------------------------------------------------
# PDF
# ----------------------------------------------------------------------
PDF_INFO = {
    "/Author": "author",
    "/Creator": "software",
    "/Producer": "software",
    "/CreationDate": "dates",
    "/ModDate": "dates",
    "/Title": "properties",
    "/Subject": "properties",
    "/Keywords": "properties",
}


def _clean_pdf(data):
    if pikepdf is None:
        raise CannotClean("unknown", "pdf: pikepdf is not installed")
    removed = set()
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as error:
        raise CannotClean("encrypted", "pdf") from error
    with pdf:
        if pdf.is_encrypted:
            raise CannotClean("encrypted", "pdf")
        names = pdf.Root.get("/Names")
        if names is not None and "/EmbeddedFiles" in names:
            raise CannotClean("embedded", "pdf: attached files")
        info = pdf.trailer.get("/Info")
        if info is not None:
            removed |= {PDF_INFO.get(str(key), "properties") for key in info.keys()}
            del pdf.trailer["/Info"]
        for obj in pdf.objects:
            if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                continue
            if "/Metadata" in obj:
                del obj["/Metadata"]
                removed.add("xmp")
            if "/PieceInfo" in obj:
                del obj["/PieceInfo"]
                removed.add("software")
            if obj.get("/Type") == "/Annot" or ("/Subtype" in obj and "/Rect" in obj):
                if obj.get("/Subtype") == "/FileAttachment":
                    raise CannotClean("embedded", "pdf: attached file")
                for key, category in (("/T", "comments"), ("/M", "dates"), ("/CreationDate", "dates")):
                    if key in obj:
                        del obj[key]
                        removed.add(category)
        buffer = io.BytesIO()
        # A new file identifier made from the content: nothing links it to the original file.
        pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue(), removed


# ----------------------------------------------------------------------
# Office Open XML and OpenDocument
# ----------------------------------------------------------------------
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CORE_EMPTY = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
APP_EMPTY = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
)
CUSTOM_EMPTY = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>'
)
CORE_FINDINGS = {
    "creator": "author",
    "lastModifiedBy": "author",
    "created": "dates",
    "modified": "dates",
    "lastPrinted": "dates",
    "revision": "revisions",
}
APP_FINDINGS = {
    "Company": "author",
    "Manager": "author",
    "Application": "software",
    "AppVersion": "software",
    "TotalTime": "revisions",
    "Template": "paths",
    "HyperlinkBase": "paths",
}
# Tracked changes: a deletion goes with its text, an insertion keeps its text.
DELETED = {"del", "moveFrom", "cellDel"}
UNWRAPPED = {"ins", "moveTo", "cellIns"}
CHANGE_RECORDS = {
    "rPrChange",
    "pPrChange",
    "sectPrChange",
    "tblPrChange",
    "tblGridChange",
    "trPrChange",
    "tcPrChange",
    "numberingChange",
    "moveFromRangeStart",
    "moveFromRangeEnd",
    "moveToRangeStart",
    "moveToRangeEnd",
    "customXmlInsRangeStart",
    "customXmlInsRangeEnd",
    "customXmlDelRangeStart",
    "customXmlDelRangeEnd",
}
PEOPLE_ATTRIBUTES = {"author", "initials", "userId", "providerId", "displayName"}
PEOPLE_ELEMENTS = {"cmAuthor", "author", "person"}
# The elements an OOXML part loses whole, with what each one told.
OOXML_REMOVED = {
    **dict.fromkeys(DELETED | CHANGE_RECORDS | {"rsids", "presenceInfo", "docVars"}, "revisions"),
    "attachedTemplate": "paths",
    "absPath": "paths",
}


def _local(name):
    return etree.QName(name).localname if isinstance(name, str) else ""


def _text_findings(root, findings):
    found = set()
    for element in root.iter():
        category = findings.get(_local(element.tag))
        if category and ((element.text or "").strip() or len(element)):
            found.add(category)
    return found or ({"properties"} if len(root) else set())


def _elements_kept(root, removals, removed):
    """The elements of ``root`` (and their local names and parents), but those that
    ``removals`` names, which are taken out whole, what each told added to ``removed``.
    The walk is over the elements as they were: what is taken out is walked too."""
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        local = _local(element.tag)
        parent = element.getparent()
        if local in removals and parent is not None:
            parent.remove(element)
            removed.add(removals[local])
            continue
        yield element, local, parent


def _scrub_ooxml_part(root):
    """Names, dates and revision ids out of one XML part; tracked changes accepted."""
    removed = set()
    for element, local, _parent in _elements_kept(root, OOXML_REMOVED, removed):
        for attribute in list(element.attrib):
            attr_local = _local(attribute)
            if attr_local.startswith("rsid"):
                del element.attrib[attribute]
                removed.add("revisions")
            elif attr_local == "date" and etree.QName(attribute).namespace == W:
                del element.attrib[attribute]
                removed.add("dates")
            elif attr_local in PEOPLE_ATTRIBUTES and (
                etree.QName(attribute).namespace == W or local in PEOPLE_ELEMENTS
            ):
                if element.attrib[attribute]:
                    element.attrib[attribute] = ""
                    removed.add("comments")
        if local == "author" and element.text and element.text.strip() and not len(element):
            element.text = ""  # a spreadsheet comment's author
            removed.add("comments")
    for element in [e for e in root.iter() if isinstance(e.tag, str) and _local(e.tag) in UNWRAPPED]:
        parent = element.getparent()
        if parent is None:
            continue
        index = parent.index(element)
        for offset, child in enumerate(list(element)):
            parent.insert(index + offset, child)
        parent.remove(element)
        removed.add("revisions")
    return removed


def _xml(payload):
    return etree.fromstring(payload, XML_PARSER)


def _xml_bytes(root):
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rewrite_zip(data, transform):
    """A new ZIP of ``data``'s entries through ``transform(name, bytes)`` (bytes,
    or None to leave the entry out), without timestamps, comments or extra fields."""
    source = zipfile.ZipFile(io.BytesIO(data))
    entries = source.infolist()
    if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_ZIP_UNCOMPRESSED:
        raise CannotClean("damaged", "zip: too large")
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise CannotClean("encrypted", "zip")
    buffer = io.BytesIO()
    with source, zipfile.ZipFile(buffer, "w") as target:
        for entry in entries:
            if entry.is_dir():
                continue
            payload = transform(entry.filename, source.read(entry))
            if payload is None:
                continue
            stored = entry.filename == "mimetype"
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, payload)
    return buffer.getvalue()


def _clean_ooxml(data):
    removed = set()
    dropped = set()

    def transform(name, payload):
        lowered = name.lower()
        if lowered == "docprops/core.xml":
            removed.update(_text_findings(_xml(payload), CORE_FINDINGS))
            return CORE_EMPTY
        if lowered == "docprops/app.xml":
            removed.update(_text_findings(_xml(payload), APP_FINDINGS) - {"properties"})
            return APP_EMPTY
        if lowered == "docprops/custom.xml":
            if len(_xml(payload)):
                removed.add("properties")
            return CUSTOM_EMPTY
        if lowered.startswith("docprops/thumbnail"):
            removed.add("thumbnail")
            dropped.add(name)
            return None
        if lowered.endswith(".xml") or lowered.endswith(".rels"):
            root = _xml(payload)
            if lowered.endswith(".rels"):
                return payload
            found = _scrub_ooxml_part(root)
            if not found:
                return payload
            removed.update(found)
            return _xml_bytes(root)
        if lowered.endswith((".jpeg", ".jpg", ".png")):
            return _clean_embedded_image(payload, removed)
        return payload

    cleaned = _rewrite_zip(data, transform)
    if dropped:
        cleaned = _rewrite_zip(cleaned, lambda name, payload: _drop_relations(name, payload, dropped))
    return cleaned, removed


def _drop_relations(name, payload, dropped):
    if name != "_rels/.rels":
        return payload
    root = _xml(payload)
    for relation in list(root):
        if relation.get("Target", "").lstrip("/") in dropped:
            root.remove(relation)
    return _xml_bytes(root)


def _clean_embedded_image(payload, removed):
    """A picture inside a document: its own EXIF goes too."""
    try:
        cleaned = clean(payload)
    except CannotClean:
        return payload
    removed.update(cleaned.removed)
    return cleaned.data


ODF_META_EMPTY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'office:version="1.2"><office:meta/></office:document-meta>'
)
ODF_META_FINDINGS = {
    "initial-creator": "author",
    "creator": "author",
    "creation-date": "dates",
    "date": "dates",
    "print-date": "dates",
    "printed-by": "author",
    "editing-cycles": "revisions",
    "editing-duration": "revisions",
    "generator": "software",
    "template": "paths",
    "user-defined": "properties",
    "title": "properties",
    "subject": "properties",
    "keyword": "properties",
    "description": "properties",
}


# The elements an ODF part loses whole: the tracked changes and their marks.
ODF_REMOVED = dict.fromkeys(("tracked-changes", "change-start", "change-end", "change"), "revisions")


def _clean_odf(data):
    removed = set()

    def transform(name, payload):
        if name == "meta.xml":
            removed.update(_text_findings(_xml(payload), ODF_META_FINDINGS))
            return ODF_META_EMPTY
        if name.startswith("Thumbnails/"):
            removed.add("thumbnail")
            return None
        if name == "META-INF/manifest.xml":
            root = _xml(payload)
            for entry in list(root):
                if any(value.startswith("Thumbnails/") for value in entry.attrib.values()):
                    root.remove(entry)
            return _xml_bytes(root)
        if name in ("content.xml", "styles.xml", "settings.xml"):
            root = _xml(payload)
            found = _scrub_odf_part(root)
            if not found:
                return payload
            removed.update(found)
            return _xml_bytes(root)
        if re.search(r"\.(jpe?g|png)$", name, re.IGNORECASE):
            return _clean_embedded_image(payload, removed)
        return payload

    return _rewrite_zip(data, transform), removed


def _scrub_odf_part(root):
    removed = set()
    for element, local, parent in _elements_kept(root, ODF_REMOVED, removed):
        if local in ("creator", "date") and parent is not None and _local(parent.tag) == "annotation":
            if (element.text or "").strip():
                element.text = ""
                removed.add("comments" if local == "creator" else "dates")
        elif local == "config-item" and element.get("{urn:oasis:names:tc:opendocument:xmlns:config:1.0}name", "") in (
            "PrinterName",
            "PrinterSetup",
            "PrinterPaperFromSetup",
        ):
            if (element.text or "").strip():
                element.text = ""
                removed.add("device")
    return removed
