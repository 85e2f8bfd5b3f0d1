"""What an uploaded file is, by its content: never by its name or the browser's word.

PDF and the four image formats are told by their signatures (the first bytes each format's
specification fixes). Office documents are containers and are opened: an OOXML package
(docx, xlsx, pptx) by the content type of its main part in `[Content_Types].xml`, an
OpenDocument file (odt, ods, odp) by its `mimetype` member, a Word or Excel 97-2003 file
by its streams (olefile). Macro-enabled content is refused whatever the name says: an
OOXML package with a macro-enabled main part or a `vbaProject.bin`, an OpenDocument file
with Basic or scripts, a 97-2003 file with a VBA project. SVG (which can carry scripts)
and everything else is refused. Neither libmagic nor the `filetype` package tells a docx
from a docm (both call a macro-enabled package a Word document), hence the containers are
opened here.

The file's name must end as its content is (a PDF named .png is refused): the name is
what a reader's computer opens the download with.
"""

import zipfile

from django.utils.translation import gettext as _

from .models import EXTENSIONS, Kind

HEAD_BYTES = 4096
SIGNATURES = [
    (b"%PDF-", Kind.PDF),
    (b"\x89PNG\r\n\x1a\n", Kind.PNG),
    (b"\xff\xd8\xff", Kind.JPEG),
    (b"GIF87a", Kind.GIF),
    (b"GIF89a", Kind.GIF),
]
ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OOXML_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": Kind.DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": Kind.XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (
        Kind.PPTX
    ),
}
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": Kind.ODT,
    "application/vnd.oasis.opendocument.spreadsheet": Kind.ODS,
    "application/vnd.oasis.opendocument.presentation": Kind.ODP,
}
# A package is opened only this far: more members, or more unpacked, is not a document
# anyone attaches as evidence (and is how zip bombs look).
MAX_MEMBERS = 10_000
MAX_CONTENT_TYPES_BYTES = 1024 * 1024


class ContentRefused(Exception):
    """The file is not one the app accepts; the message says why, for the user."""


def identify(file, name: str) -> Kind:
    """The kind of an uploaded file (a seekable binary file), or ContentRefused."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    if not head:
        raise ContentRefused(_("The file is empty."))
    kind = _kind(file, head)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in EXTENSIONS[kind]:
        return kind
    words = {"kind": kind.label, "ext": extension, "right": EXTENSIONS[kind][0]}
    if not extension:
        raise ContentRefused(
            _("It is a %(kind)s, but its name has no ending: rename it to end in “.%(right)s”.")
            % words
        )
    raise ContentRefused(
        _(
            "It is a %(kind)s, but its name ends in “.%(ext)s”: rename it to end in "
            "“.%(right)s”, or attach the file you meant."
        )
        % words
    )


def _kind(file, head: bytes) -> Kind:
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Kind.WEBP
    if head.startswith(ZIP_SIGNATURE):
        return _package_kind(file)
    if head.startswith(OLE_SIGNATURE):
        return _ole_kind(file)
    if _looks_like_svg(head):
        raise ContentRefused(_("SVG images are not accepted (they can carry scripts)."))
    raise ContentRefused(_not_accepted())


def _not_accepted() -> str:
    return _(
        "This type of file is not accepted. Attach a PDF, a Word, Excel, PowerPoint or "
        "OpenDocument file, or a PNG, JPEG, GIF or WebP image."
    )


def _macros() -> str:
    return _(
        "Documents with macros are not accepted (macros can run code on the reader's "
        "computer). Save it without macros (as .docx, .xlsx or .pptx) and attach it again."
    )


def _looks_like_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<svg", b"<?xml")) and b"<svg" in text


def _package_kind(file) -> Kind:
    try:
        archive = zipfile.ZipFile(file)
        names = archive.namelist()
        if len(names) > MAX_MEMBERS:
            raise ContentRefused(_("This archive has too many parts to be a document."))
        lowered = {name.lower() for name in names}
        if "[content_types].xml" in lowered:
            return _ooxml_kind(archive, names, lowered)
        if "mimetype" in names:
            return _odf_kind(archive, lowered)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise ContentRefused(_("The file is damaged: it cannot be opened.")) from exc
    raise ContentRefused(_("Zip archives are not accepted: attach the documents themselves."))


def _read_small(archive, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        raise ContentRefused(_("The file is damaged: it cannot be opened."))
    return archive.read(name)


def _ooxml_kind(archive, names, lowered) -> Kind:
    if any(name.rsplit("/", 1)[-1] == "vbaproject.bin" for name in lowered):
        raise ContentRefused(_macros())
    [types_name] = [name for name in names if name.lower() == "[content_types].xml"]
    types = _read_small(archive, types_name).decode("utf-8", "replace").lower()
    if "macroenabled" in types or "vbaproject" in types:
        raise ContentRefused(_macros())
    found = {kind for main, kind in OOXML_MAIN_TYPES.items() if main in types}
    if len(found) != 1:
        raise ContentRefused(_not_accepted())
    return found.pop()


def _odf_kind(archive, lowered) -> Kind:
    mimetype = _read_small(archive, "mimetype").decode("ascii", "replace").strip()
    if mimetype not in ODF_TYPES:
        raise ContentRefused(_not_accepted())
    # Macros live in Basic/ (LibreOffice Basic) or Scripts/ (other languages).
    if any(name.startswith(("basic/", "scripts/")) for name in lowered):
        raise ContentRefused(_macros())
    return ODF_TYPES[mimetype]


def _ole_kind(file) -> Kind:
    import olefile

    file.seek(0)
    try:
        with olefile.OleFileIO(file) as ole:
            entries = ["/".join(path).lower() for path in ole.listdir(streams=True, storages=True)]
    except (OSError, ValueError, IndexError) as exc:
        raise ContentRefused(_("The file is damaged: it cannot be opened.")) from exc
    finally:
        file.seek(0)
    top = {entry.split("/", 1)[0] for entry in entries}
    # Word keeps a VBA project under Macros/, Excel under _VBA_PROJECT_CUR/.
    if top & {"macros", "_vba_project_cur", "_vba_project"} or any(
        part == "vba" for entry in entries for part in entry.split("/")
    ):
        raise ContentRefused(_macros())
    if "worddocument" in top:
        return Kind.DOC
    if top & {"workbook", "book"}:
        return Kind.XLS
    raise ContentRefused(_not_accepted())
