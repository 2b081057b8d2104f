"""Real files that carry the metadata a reporter never meant to send: made here
with the libraries that make such files (Pillow, reportlab, pikepdf, openpyxl)
or written as their formats prescribe (Word and OpenDocument are ZIPs of XML)."""

import io
import random
import zipfile

import openpyxl
import pikepdf
from PIL import Image, PngImagePlugin
from reportlab.pdfgen import canvas

# What the files give away; none of it may be left after cleaning.
SECRETS = (
    b"Jan Jansen",
    b"Camera maker",
    b"Camera model",
    b"Linde Zorg BV",
    b"SERIAL-4471",
    b"C:\\Users\\jjansen",
    b"Office suite of the employer",
    b"2024:03:01",
)
XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jan Jansen</dc:creator>'
    b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def photo_exif(orientation=None):
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x0110] = "Camera model"
    exif[0x0131] = "Office suite of the employer"
    exif[0x0132] = "2024:03:01 10:00:00"
    exif[0x013B] = "Jan Jansen"
    if orientation:
        exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (52.0, 22.0, 7.0), 3: "E", 4: (4.0, 53.0, 9.0)}
    exif[0x8769] = {0x9003: "2024:03:01 10:00:00", 0xA431: "SERIAL-4471", 0x927C: b"Camera maker notes"}
    return exif


def saved(save, *args, **kwargs):
    """The bytes ``save(file, *args, **kwargs)`` writes (an image's, a document's, a workbook's save)."""
    buffer = io.BytesIO()
    save(buffer, *args, **kwargs)
    return buffer.getvalue()


def jpeg(size=(320, 240), orientation=None, noise=False):
    """A JPEG with EXIF (camera, GPS, dates, serial, maker notes), XMP, an ICC
    profile and a comment."""
    if noise:
        rng = random.Random(3)
        image = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (200, 120, 40))
        image.paste((20, 40, 200), (0, 0, size[0] // 2, size[1] // 3))
    data = saved(image.save, "JPEG", quality=90, exif=photo_exif(orientation).tobytes(), comment=b"Jan Jansen")
    xmp = b"http://ns.adobe.com/xap/1.0/\x00" + XMP
    icc = b"ICC_PROFILE\x00\x01\x01" + b"Camera maker profile"
    segments = b"".join(
        marker + (len(payload) + 2).to_bytes(2, "big") + payload
        for marker, payload in ((b"\xff\xe1", xmp), (b"\xff\xe2", icc))
    )
    # after SOI, and a trailing second picture as some phones append
    return data[:2] + segments + data[2:] + b"Camera maker trailer"


def png():
    image = Image.new("RGB", (64, 48), (10, 200, 30))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jan Jansen")
    info.add_text("Software", "Office suite of the employer")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    return saved(image.save, "PNG", pnginfo=info, exif=photo_exif().tobytes())


def tiff():
    """A scanner's TIFF: EXIF with the device, GPS and dates in its tags."""
    image = Image.new("RGB", (40, 30), (90, 90, 200))
    return saved(image.save, "TIFF", exif=photo_exif().tobytes())


def pdf(pages=2):
    """A PDF with an info dictionary (author, creator, title), XMP and a comment signed by its author."""
    buffer = io.BytesIO()
    pdf_canvas = canvas.Canvas(buffer)
    pdf_canvas.setAuthor("Jan Jansen")
    pdf_canvas.setCreator("Office suite of the employer")
    pdf_canvas.setTitle("Verslag van Linde Zorg BV")
    for page in range(pages):
        pdf_canvas.drawString(72, 720, f"Wat er gebeurde, pagina {page + 1}.")
        pdf_canvas.showPage()
    pdf_canvas.save()
    document = pikepdf.open(io.BytesIO(buffer.getvalue()))
    document.Root.Metadata = document.make_stream(XMP, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
    annotation = document.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Text,
            Rect=[72, 600, 92, 620],
            T=pikepdf.String("Jan Jansen"),
            Contents=pikepdf.String("zie pagina 2"),
            M=pikepdf.String("D:20240301100000"),
        )
    )
    document.pages[0].Annots = document.make_indirect(pikepdf.Array([annotation]))
    document.pages[0].obj.PieceInfo = pikepdf.Dictionary(
        Office=pikepdf.Dictionary(Private=pikepdf.String("C:\\Users\\jjansen"))
    )
    return saved(document.save)


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="jpeg" ContentType="image/jpeg"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/comments.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
    '<Override PartName="/word/settings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" '
    'Target="docProps/app.xml"/>'
    '<Relationship Id="rId4" '
    'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail" '
    'Target="docProps/thumbnail.jpeg"/>'
    "</Relationships>"
)
CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>Verslag</dc:title><dc:creator>Jan Jansen</dc:creator><cp:lastModifiedBy>Jan Jansen</cp:lastModifiedBy>"
    "<cp:revision>7</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2024:03:01T10:00:00Z</dcterms:created>'
    "</cp:coreProperties>"
)
APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Template>C:\\Users\\jjansen\\Normal.dotm</Template><TotalTime>42</TotalTime>"
    "<Application>Office suite of the employer</Application><Company>Linde Zorg BV</Company></Properties>"
)
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOCUMENT = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W_NS}><w:body>'
    '<w:p w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3">'
    '<w:r><w:t xml:space="preserve">Het gebeurde op maandag. </w:t></w:r>'
    '<w:del w:id="1" w:author="Jan Jansen" w:date="2024-03-01T10:00:00Z">'
    "<w:r><w:delText>Geschrapte zin.</w:delText></w:r></w:del>"
    '<w:ins w:id="2" w:author="Jan Jansen" w:date="2024-03-01T10:00:00Z">'
    "<w:r><w:t>Toegevoegde zin.</w:t></w:r></w:ins>"
    '<w:commentRangeStart w:id="0"/><w:r><w:t>Met opmerking.</w:t></w:r><w:commentRangeEnd w:id="0"/>'
    "</w:p></w:body></w:document>"
)
COMMENTS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments {W_NS}>'
    '<w:comment w:id="0" w:author="Jan Jansen" w:initials="JJ" w:date="2024-03-01T10:00:00Z">'
    "<w:p><w:r><w:t>Klopt dit?</w:t></w:r></w:p></w:comment></w:comments>"
)
SETTINGS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings {W_NS}>'
    '<w:attachedTemplate w:val="C:\\Users\\jjansen\\Normal.dotm"/>'
    '<w:rsids><w:rsidRoot w:val="00A1B2C3"/><w:rsid w:val="00A1B2C3"/></w:rsids></w:settings>'
)


def docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("docProps/core.xml", CORE)
        archive.writestr("docProps/app.xml", APP)
        archive.writestr("docProps/thumbnail.jpeg", jpeg((32, 24)))
        archive.writestr("word/document.xml", DOCUMENT)
        archive.writestr("word/comments.xml", COMMENTS)
        archive.writestr("word/settings.xml", SETTINGS)
    return buffer.getvalue()


def xlsx():
    workbook = openpyxl.Workbook()
    workbook.properties.creator = "Jan Jansen"
    workbook.properties.lastModifiedBy = "Jan Jansen"
    workbook.properties.title = "Roosters van Linde Zorg BV"
    sheet = workbook.active
    sheet["A1"] = "Dienst"
    sheet["A1"].comment = openpyxl.comments.Comment("Klopt dit?", "Jan Jansen")
    return saved(workbook.save)


ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)


def odt():
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ODF_NS} office:version="1.2"><office:meta>'
        "<meta:initial-creator>Jan Jansen</meta:initial-creator><dc:creator>Jan Jansen</dc:creator>"
        "<meta:creation-date>2024-03-01T10:00:00</meta:creation-date><meta:editing-cycles>7</meta:editing-cycles>"
        "<meta:generator>Office suite of the employer</meta:generator>"
        '<meta:user-defined meta:name="Afdeling">Linde Zorg BV</meta:user-defined>'
        "</office:meta></office:document-meta>"
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS} office:version="1.2">'
        "<office:body><office:text>"
        '<text:tracked-changes><text:changed-region text:id="ct1"><text:deletion><office:change-info>'
        "<dc:creator>Jan Jansen</dc:creator><dc:date>2024-03-01T10:00:00</dc:date></office:change-info>"
        "<text:p>Geschrapte zin.</text:p></text:deletion></text:changed-region></text:tracked-changes>"
        '<text:p>Het gebeurde op maandag.<text:change text:change-id="ct1"/>'
        "<office:annotation><dc:creator>Jan Jansen</dc:creator><dc:date>2024-03-01T10:00:00</dc:date>"
        "<text:p>Klopt dit?</text:p></office:annotation></text:p>"
        "</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="Thumbnails/thumbnail.png" manifest:media-type="image/png"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("meta.xml", meta, zipfile.ZIP_DEFLATED)
        archive.writestr("Thumbnails/thumbnail.png", png(), zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def all_text_of_zip(data):
    """Every entry of an office file, uncompressed, to look for what was left."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"\n".join(archive.read(name) for name in archive.namelist())


def all_text_of_pdf(data):
    """Every object of a PDF, streams decompressed, to look for what was left."""
    with pikepdf.open(io.BytesIO(data)) as document:
        parts = [bytes(repr(document.trailer), "utf-8")]
        for obj in document.objects:
            parts.append(bytes(repr(obj), "utf-8"))
            if isinstance(obj, pikepdf.Stream):
                try:
                    parts.append(obj.read_bytes())
                except pikepdf.PdfError:
                    parts.append(obj.read_raw_bytes())
        return b"\n".join(parts) + data
