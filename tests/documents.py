"""Small real PDF and Word files for upload tests, written with pypdf and python-docx."""

from __future__ import annotations

import io

import docx
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

LINE_HEIGHT = 14


def pdf_bytes(lines: list[str]) -> bytes:
    """Return a one-page PDF with the lines in Helvetica (an empty string is a blank line)."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    operations = ["BT", "/F1 11 Tf", f"{LINE_HEIGHT} TL", "72 740 Td"]
    for line in lines:
        text = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        operations.append(f"({text}) Tj T*" if line else "T*")
    operations.append("ET")
    content = DecodedStreamObject()
    content.set_data("\n".join(operations).encode("cp1252"))
    page[NameObject("/Contents")] = writer._add_object(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(title: str, sections: dict[str, list[str]], bullets: dict[str, list[str]] | None = None) -> bytes:
    """Return a Word document: a Title, then per section a Heading 1, its paragraphs and its bullet list."""
    document = docx.Document()
    document.add_heading(title, 0)
    for heading, paragraphs in sections.items():
        document.add_heading(heading, 1)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
        for item in (bullets or {}).get(heading, []):
            document.add_paragraph(item, style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
