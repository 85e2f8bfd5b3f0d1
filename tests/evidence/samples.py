"""Small files of every kind the evidence upload accepts or refuses, made here: real
containers (python-docx, openpyxl, zip packages, compound files), minimal images and
PDFs, and the hostile look-alikes (macro-enabled packages, SVG, renamed files)."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

# The EICAR test file: every virus scanner reports it, and it is harmless.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def pdf() -> bytes:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    body += b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    return body + b"trailer << /Root 1 0 R >>\n%%EOF\n"


def png() -> bytes:
    def chunk(kind, data):
        return (
            struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data))
        )

    header = struct.pack("!IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    return (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + bytes(64)
        + b"\xff\xd9"
    )


def gif() -> bytes:
    return (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00"
        b"!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )


def webp() -> bytes:
    data = b"WEBPVP8L" + struct.pack("<I", 10) + b"\x2f\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    return b"RIFF" + struct.pack("<I", len(data)) + data


def svg() -> bytes:
    return b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def docx() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("The hotline's first annual report.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "Calls answered"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite(package: bytes, replace=(), add=()) -> bytes:
    """A copy of a zip package with bytes replaced in its members and members added."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            for old, new in replace:
                data = data.replace(old, new)
            target.writestr(info, data)
        for name, data in add:
            target.writestr(name, data)
    return out.getvalue()


def docm() -> bytes:
    """A Word package with a macro-enabled main part and a VBA project."""
    return _rewrite(
        docx(),
        replace=[
            (
                b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                b"application/vnd.ms-word.document.macroEnabled.main+xml",
            )
        ],
        add=[("word/vbaProject.bin", compound_file({"VBA/dir": b"x"}))],
    )


def xlsm() -> bytes:
    """An Excel package whose main part is macro-enabled (no VBA project needed to refuse)."""
    return _rewrite(xlsx(), replace=[(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )])  # fmt: skip


def pptm() -> bytes:
    return _rewrite(pptx(), replace=[(
        b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        b"application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
    )])  # fmt: skip


def xlsx_with_vba_project() -> bytes:
    """An .xlsx whose content types still say xlsx but which carries xl/vbaProject.bin."""
    return _rewrite(xlsx(), add=[("xl/vbaProject.bin", compound_file({"VBA/dir": b"x"}))])


def pptx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/ppt/presentation.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>',
        )
        package.writestr("ppt/presentation.xml", "<p:presentation/>")
    return out.getvalue()


def opendocument(mimetype: str, extra=()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        package.writestr("content.xml", "<office:document-content/>")
        for name, data in extra:
            package.writestr(name, data)
    return out.getvalue()


def odt() -> bytes:
    return opendocument("application/vnd.oasis.opendocument.text")


def odt_with_basic_macros() -> bytes:
    return opendocument(
        "application/vnd.oasis.opendocument.text", extra=[("Basic/Standard/Module1.xml", "x")]
    )


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("report.pdf", pdf())
    return out.getvalue()


# ---------------------------------------------------------------- compound files (97-2003)

SECTOR = 512
FREE, END, FAT_SECTOR, NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _entry(name, kind, child=NONE, right=NONE, start=END, size=0) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)  # length, type, black
        + struct.pack("<III", NONE, right, child)  # left sibling, right sibling, child
        + bytes(16 + 4 + 8 + 8)  # class id, state bits, creation and modification times
        + struct.pack("<IQ", start, size)
    )


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A version 3 compound file holding these streams ("Storage/Stream" paths make the
    storages), each padded to 4 KiB so that none sits in the mini stream."""
    # The tree: a node per path part; siblings chained through their right pointers.
    tree: dict = {}
    for path, data in streams.items():
        node = tree
        parts = path.split("/")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = data.ljust(4096, b"\0")
    entries: list = [None]  # the root first
    sectors: list[bytes] = []
    first_stream_sector = 2  # after the FAT and the first directory sector, fixed below

    def add(children: dict) -> int:
        ids = []
        for name, value in children.items():
            ids.append(len(entries))
            entries.append([name, value])
        for index, (entry_id, (name, value)) in enumerate(zip(ids, children.items(), strict=True)):
            right = ids[index + 1] if index + 1 < len(ids) else NONE
            if isinstance(value, dict):
                entries[entry_id] = ("storage", name, add(value) if value else NONE, right, value)
            else:
                entries[entry_id] = ("stream", name, NONE, right, value)
        return ids[0] if ids else NONE

    root_child = add(tree)
    directory_sectors = (len(entries) * 128 + SECTOR - 1) // SECTOR
    first_stream_sector = 1 + directory_sectors
    chains, next_sector, directory = [], first_stream_sector, []
    directory.append(_entry("Root Entry", 5, child=root_child))
    for kind, name, child, right, value in entries[1:]:
        if kind == "storage":
            directory.append(_entry(name, 1, child=child, right=right, start=0))
        else:
            count = len(value) // SECTOR
            chains.append((next_sector, count))
            directory.append(_entry(name, 2, right=right, start=next_sector, size=len(value)))
            sectors.extend(value[i : i + SECTOR] for i in range(0, len(value), SECTOR))
            next_sector += count
    fat = [FAT_SECTOR, *range(2, 1 + directory_sectors), END]
    for start, count in chains:
        fat += [*range(start + 1, start + count), END]
    assert len(fat) <= SECTOR // 4, "a test file this large needs a second FAT sector"
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat).ljust(SECTOR, b"\xff")
    directory_bytes = b"".join(directory).ljust(directory_sectors * SECTOR, b"\0")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
        + struct.pack("<I", 0) + b"\xff" * (108 * 4)
    )  # fmt: skip
    return header + fat_bytes + directory_bytes + b"".join(sectors)


def doc() -> bytes:
    return compound_file({"WordDocument": b"\xec\xa5" + bytes(100), "1Table": bytes(100)})


def doc_with_macros() -> bytes:
    return compound_file(
        {"WordDocument": b"\xec\xa5" + bytes(100), "Macros/VBA/dir": b"Attribute VB_Name"}
    )


def xls() -> bytes:
    return compound_file({"Workbook": b"\x09\x08" + bytes(100)})


def xls_with_macros() -> bytes:
    return compound_file({"Workbook": b"\x09\x08" + bytes(100), "_VBA_PROJECT_CUR/VBA/dir": b"x"})


def upload(name: str, data: bytes, content_type="application/octet-stream"):
    """What the browser sends: a name and bytes (its content type is never believed)."""
    return SimpleUploadedFile(name, data, content_type=content_type)
