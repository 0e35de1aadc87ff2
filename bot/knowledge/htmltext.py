"""Turn HTML into the Markdown knowledge is made of, keeping headings, paragraphs and lists.

markdownify does the conversion (ATX `#` headings, `-` bullets, numbered
lists). Around it: page chrome (scripts, styles, navigation, headers,
footers, forms) is dropped so only the content remains, a link keeps its
address in brackets so an answer can quote it, emphasis is dropped (quotes
are compared as plain text), and a paragraph that is nothing but a short bold
phrase ("<p><strong>What you will do</strong></p>", the way careers sites
mark their sections) becomes a heading, so chunking keeps sections apart.
No words are added or removed.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

CHROME = ("script", "style", "noscript", "template", "svg", "nav", "header", "footer", "form", "iframe", "head")
EMPHASIS = ("b", "strong", "i", "em", "u", "span", "font", "mark", "small")
MAX_PSEUDO_HEADING_WORDS = 9
HEADING = re.compile(r"^h[1-6]$")
PSEUDO = "data-bold-heading"
_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


class _Converter(MarkdownConverter):
    """markdownify with links written as "text (address)" and images dropped."""

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """Keep a link's address next to its text, so the address can be quoted."""
        href = str(el.get("href") or "").strip()
        text = (text or "").strip()
        if not href.startswith(("http://", "https://", "mailto:")):
            return text
        address = href.removeprefix("mailto:")
        if not text or text in (address, href):
            return address
        return f"{text} ({address})"

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """Drop images: an answer cannot quote them."""
        return ""


def _level_after(paragraph: Tag) -> int:
    """Return the heading level a bold-only paragraph stands for.

    It is one below the heading before it, or the same as a bold-only heading
    before it (two such paragraphs in a row are sections of the same level).
    """
    previous = paragraph.find_previous(HEADING)
    if not isinstance(previous, Tag):
        return 2
    level = int(previous.name[1])
    return level if previous.has_attr(PSEUDO) else min(level + 1, 6)


def _mark_pseudo_headings(soup: BeautifulSoup) -> None:
    """Make a paragraph that is only a short bold phrase a heading."""
    for paragraph in soup.find_all(["p", "div"]):
        children = [c for c in paragraph.contents if not (isinstance(c, str) and not c.strip())]
        if len(children) != 1 or not isinstance(children[0], Tag) or children[0].name not in ("b", "strong"):
            continue
        text = paragraph.get_text(" ", strip=True).rstrip(":")
        if text and len(text.split()) <= MAX_PSEUDO_HEADING_WORDS and not text.endswith((".", "!", "?")):
            heading = soup.new_tag(f"h{_level_after(paragraph)}", attrs={PSEUDO: ""})
            heading.string = text
            paragraph.replace_with(heading)


class MarkupTooDeepError(ValueError):
    """The HTML nests elements deeper than the converter can follow."""


def html_to_markdown(html: str) -> str:
    """Return the Markdown of an HTML page or fragment (its `main` or `article` when it has one).

    Raise MarkupTooDeepError for markup nested hundreds deep, which the converter walks recursively.
    """
    try:
        return _markdown(html)
    except RecursionError as exc:
        raise MarkupTooDeepError("the HTML is nested too deeply to convert; paste its text instead") from exc


def _markdown(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(CHROME):
        tag.decompose()
    content = soup.find("main") or soup.find("article") or soup.find("body") or soup
    _mark_pseudo_headings(soup)
    markdown = _Converter(
        heading_style="ATX",
        bullets="-",
        strip=list(EMPHASIS),
        escape_asterisks=False,
        escape_underscores=False,
        escape_misc=False,
    ).convert(str(content))
    markdown = _TRAILING_SPACE.sub("\n", markdown)
    return _BLANK_LINES.sub("\n\n", markdown).strip() + "\n"
