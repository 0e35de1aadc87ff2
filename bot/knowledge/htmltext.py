"""Turn HTML into the Markdown knowledge is made of, keeping headings, paragraphs and lists.

markdownify does the conversion (ATX `#` headings, `-` bullets, numbered
lists). Around it: page chrome (scripts, styles, navigation, headers,
footers, forms, and cookie banners, breadcrumbs and share rows marked by
their role or class) is dropped so only the content remains, a link keeps its
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
# Page furniture that careers sites mark by ARIA role, class or id rather than by tag: a cookie banner
# (a <div role="dialog">, "onetrust-consent-sdk"), breadcrumbs, "Share this job" rows, and other jobs
# ("Similar jobs", with their pay). A class or id is furniture when any of its words is a cookie or
# breadcrumb word, when it opens with a sharing word and goes on with a widget word ("share-job",
# "social-links"), or when it names other jobs ("related-jobs"); "social-care-description",
# "share-scheme" and "related-experience" are content.
CHROME_ROLES = frozenset({"dialog", "alertdialog", "banner", "navigation", "contentinfo", "search"})
CHROME_WORDS = frozenset({"cookie", "cookies", "gdpr", "onetrust", "breadcrumb", "breadcrumbs"})
SHARING_WORDS = frozenset({"share", "sharing", "social", "consent"})
WIDGET_WORDS = frozenset(
    {"banner", "bar", "buttons", "button", "links", "icons", "share", "sharing", "media", "tools", "widget"}
    | {"popup", "modal", "notice", "container", "box", "job", "this", "post", "page", "row"}
)
OTHER_JOBS = re.compile(r"^(?:related|similar|recommended|more|other)[-_](?:jobs?|positions?|roles?|openings?|vacanc)")
NEVER_FURNITURE = frozenset({"html", "body", "main", "article"})
MAX_FURNITURE_SHARE = 0.5  # a cookie or sharing word never drops more than this share of the page's text
_NAME_PARTS = re.compile(r"[-_]+")
EMPHASIS = ("b", "strong", "i", "em", "u", "span", "font", "mark", "small")
MAX_PSEUDO_HEADING_WORDS = 9
HEADING = re.compile(r"^h[1-6]$")
PSEUDO = "data-bold-heading"
_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_BREAK = "\ue000"  # a <br> while converting: a paragraph break, or a line break before a list line
_BREAK_BEFORE_ITEM = re.compile("\ue000[ \t]*\n?[ \t]*(?=(?:[-*+•]|\\d+[.)])\\s)")
TITLE_OVERLAP = 0.6  # share of a heading's words the page's <title> must contain for the heading to be the title


class _Converter(MarkdownConverter):
    """markdownify with links written as "text (address)" and images dropped."""

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """Keep a link's address next to its text, so the address can be quoted."""
        href = str(el.get("href") or "").strip()
        text = (text or "").strip()
        if not href.startswith(("http://", "https://", "mailto:")):
            return text
        address = href.removeprefix("mailto:").split("?")[0] if href.startswith("mailto:") else href
        if not address:
            return text  # "mailto:?subject=…" shares the page by email: no address to quote
        if not text or text in (address, href):
            return address
        return f"{text} ({address})"

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """Drop images: an answer cannot quote them."""
        return ""

    def convert_br(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """Mark a line break, which ends a line of its own ("Step 1: …<br>Step 2: …"), for `_markdown`."""
        if "_inline" in parent_tags or "li" in parent_tags or "td" in parent_tags or "th" in parent_tags:
            return " " + text
        return _BREAK + text


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
    """Make a short bold phrase a heading when it is a paragraph of its own or the first line of one.

    "<p><strong>The role</strong></p>" and "<div><strong>Key
    responsibilities:</strong><br>- …</div>" are how careers sites mark sections.
    """
    for paragraph in soup.find_all(["p", "div"]):
        children = [c for c in paragraph.contents if not (isinstance(c, str) and not c.strip())]
        if not children or not isinstance(children[0], Tag) or children[0].name not in ("b", "strong"):
            continue
        first_line = len(children) > 1 and isinstance(children[1], Tag) and children[1].name == "br"
        if len(children) != 1 and not first_line:
            continue
        text = children[0].get_text(" ", strip=True).rstrip(":")
        if text and len(text.split()) <= MAX_PSEUDO_HEADING_WORDS and not text.endswith((".", "!", "?")):
            heading = soup.new_tag(f"h{_level_after(paragraph)}", attrs={PSEUDO: ""})
            heading.string = text
            if first_line:
                children[1].decompose()
                children[0].decompose()
                paragraph.insert_before(heading)
            else:
                paragraph.replace_with(heading)


def _furniture_kind(element: Tag) -> str | None:
    """Return "layout" for furniture by role or other jobs, "named" by a cookie or sharing word, else None."""
    names = [n.lower() for n in [*(element.get("class") or []), str(element.get("id") or "")] if n]
    if str(element.get("role") or "").lower() in CHROME_ROLES or any(OTHER_JOBS.match(n) for n in names):
        return "layout"
    for parts in (_NAME_PARTS.split(n) for n in names):
        if CHROME_WORDS.intersection(parts) or (parts[0] in SHARING_WORDS and WIDGET_WORDS.intersection(parts[1:])):
            return "named"
    return None


def _title_heading(soup: BeautifulSoup) -> Tag | None:
    found = soup.find("h1") or soup.find(HEADING)
    return found if isinstance(found, Tag) else None


def _drop_furniture(soup: BeautifulSoup) -> None:
    """Drop furniture, but never the page's frame or what holds its title.

    A body class from a cookie plugin ("cookies-not-set") or a posting opened in a dialog is no
    furniture; nor is an element a cookie or sharing word names that holds most of the page's text.
    """
    title = _title_heading(soup)
    keep = {id(tag) for tag in title.parents} if title is not None else set()
    total = len(soup.get_text(" ", strip=True)) or 1
    for element in soup.find_all(True):
        if element.decomposed or element.name in NEVER_FURNITURE or id(element) in keep:
            continue
        kind = _furniture_kind(element)
        if kind == "layout" or (kind and len(element.get_text(" ", strip=True)) <= MAX_FURNITURE_SHARE * total):
            element.decompose()


def _drop_buttons(content: Tag) -> None:
    """Drop buttons and links styled as buttons ("Apply", "Save job"): page controls, not the posting's text.

    A styled link goes only where its parent holds nothing but such controls
    (and icons); a link inside a sentence stays, whatever its style ("Please
    <a class="btn-link">read the policy</a>.").
    """
    for button in content.find_all("button"):
        button.decompose()
    controls = [a for a in content.find_all("a") if _looks_like_button(a)]
    for parent in {id(a.parent): a.parent for a in controls if isinstance(a.parent, Tag)}.values():
        own = [a for a in controls if a.parent is parent]
        rest = parent.get_text(" ", strip=True)
        for a in own:
            rest = rest.replace(a.get_text(" ", strip=True), " ", 1)
        if not re.sub(r"\W+", "", rest):
            for a in own:
                a.decompose()


def _looks_like_button(link: Tag) -> bool:
    classes = {c.lower() for c in link.get("class") or []}
    styled = bool(classes & {"btn", "button"}) or any(
        c.startswith(("btn-", "button-")) and c != "btn-link" for c in classes
    )
    return (styled or link.get("role") == "button") and not str(link.get("href") or "").startswith("mailto:")


def _promote_title(content: Tag, page_title: str) -> None:
    """Make the first heading the page's title (h1) when the page has none and its <title> names that heading.

    Careers sites often put the job title in an <h2>; without an h1 the posting would be named after its id.
    """
    if content.find("h1") is not None or not page_title:
        return
    first = content.find(HEADING)
    if not isinstance(first, Tag):
        return
    heading_words = set(re.findall(r"\w+", first.get_text(" ").lower()))
    title_words = set(re.findall(r"\w+", page_title.lower()))
    if heading_words and len(heading_words & title_words) >= TITLE_OVERLAP * len(heading_words):
        first.name = "h1"


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
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.find_all(CHROME):
        tag.decompose()
    _drop_furniture(soup)
    content = soup.find("main") or soup.find("article") or soup.find("body") or soup
    _drop_buttons(content)
    _promote_title(content, page_title)
    _mark_pseudo_headings(soup)
    markdown = _Converter(
        heading_style="ATX",
        bullets="-",
        strip=list(EMPHASIS),
        escape_asterisks=False,
        escape_underscores=False,
        escape_misc=False,
    ).convert(str(content))
    markdown = _BREAK_BEFORE_ITEM.sub("\n", markdown)  # a lead's list stays one block with it
    markdown = _TRAILING_SPACE.sub("\n", markdown.replace(_BREAK, "\n\n"))
    return _BLANK_LINES.sub("\n\n", markdown).strip() + "\n"
