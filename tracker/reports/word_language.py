"""The Word document's language and direction (python-docx, on the finished document).

Every run is tagged with the export's language (w:lang in the document defaults: Latin
text in w:val, Chinese in w:eastAsia, Arabic in w:bidi), so Word picks the proofing tools
and the fonts (Noto, as the PDF). In Arabic every paragraph is right to left (w:bidi in
its pPr), its runs holding Arabic text are complex script, right to left (w:rtl), and
every table is laid out right to left (w:bidiVisual in its tblPr); the report's own
English text, marked with `english`, stays left to right.
"""

import re

from .languages import ARABIC_FONT, CHINESE_FONT, WORD_TAGS, is_rtl

ARABIC_TEXT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
ENGLISH_TAG = WORD_TAGS["en"]
# The elements that come after each one the module adds, in the schema's order (Word
# refuses a document whose properties are out of order).
AFTER = {
    ("w:pPr", "w:bidi"): ("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                          "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                          "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                          "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                          "w:pPrChange"),
    ("w:rPr", "w:rtl"): ("w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish",
                         "w:oMath"),
    ("w:rPr", "w:lang"): ("w:eastAsianLayout", "w:specVanish", "w:oMath"),
    ("w:rPr", "w:rFonts"): ("w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
                            "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
                            "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color",
                            "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs",
                            "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText",
                            "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang"),
    ("w:tblPr", "w:bidiVisual"): ("w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW",
                                  "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
                                  "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                  "w:tblCaption", "w:tblDescription", "w:tblPrChange"),
    ("w:sectPr", "w:bidi"): ("w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange"),
    ("w:styles", "w:docDefaults"): ("w:latentStyles", "w:style"),
    ("w:docDefaults", "w:rPrDefault"): ("w:pPrDefault",),
}  # fmt: skip


def _child(parent, tag: str):
    """`parent`'s child `tag` ("w:bidi"), added in its place if missing."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent_tag = "w:" + parent.tag.rsplit("}", 1)[-1]  # "{namespace}pPr" -> "w:pPr"
        parent.insert_element_before(found, *AFTER.get((parent_tag, tag), ()))
    return found


def _set(element, **attributes) -> None:
    from docx.oxml.ns import qn

    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)


def english(paragraph) -> None:
    """The report's verbatim English text: left to right, in English, whatever the
    document's language (call it on the paragraph once its runs are added)."""
    _set(_child(paragraph._p.get_or_add_pPr(), "w:bidi"), val="0")
    for run in paragraph.runs:
        if ARABIC_TEXT.search(run.text):  # the translated words beside it
            _child(run._r.get_or_add_rPr(), "w:rtl")
        else:
            _set(_child(run._r.get_or_add_rPr(), "w:lang"), val=ENGLISH_TAG)


def _defaults(document, language: str) -> None:
    """w:lang and the fonts of every script in the document's default run properties."""

    styles = document.styles.element
    defaults = _child(styles, "w:docDefaults")
    run_defaults = _child(_child(defaults, "w:rPrDefault"), "w:rPr")
    # Latin text is in the language, or English in Arabic and Chinese documents (codes,
    # names, the report's own text); Chinese and Arabic text are always in those languages.
    latin = ENGLISH_TAG if language in ("ar", "zh-hans") else WORD_TAGS.get(language, ENGLISH_TAG)
    _set(_child(run_defaults, "w:lang"), val=latin, eastAsia=WORD_TAGS["zh-hans"],
         bidi=WORD_TAGS["ar"])  # fmt: skip
    normal = document.styles["Normal"].element.get_or_add_rPr()
    _set(_child(normal, "w:rFonts"), eastAsia=CHINESE_FONT, cs=ARABIC_FONT)


def _right_to_left(document) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    parts = [document.element.body]
    parts += [rel.target_part.element for rel in document.part.rels.values()
              if rel.reltype in (RT.HEADER, RT.FOOTER)]  # fmt: skip
    for section in document.sections:
        _child(section._sectPr, "w:bidi")  # the section's pages, numbered right to left
    for part in parts:
        for paragraph in part.iter(qn("w:p")):
            properties = paragraph.get_or_add_pPr()
            if properties.find(qn("w:bidi")) is not None:
                continue  # set already: English text (`english`)
            _child(properties, "w:bidi")
            for run in paragraph.iter(qn("w:r")):
                text = "".join(t.text or "" for t in run.iter(qn("w:t")))
                if ARABIC_TEXT.search(text):
                    _child(run.get_or_add_rPr(), "w:rtl")
        for table in part.iter(qn("w:tbl")):
            _child(table.tblPr, "w:bidiVisual")


def apply(document, language: str) -> None:
    """The document in `language`: tagged with it and, in Arabic, right to left."""
    _defaults(document, language)
    if is_rtl(language):
        _right_to_left(document)
