"""The Markdown dialect of the site, declared once, and its parser.

MkDocs renders every page with these extensions (the plugin installs them), and
``kb controleer`` parses bodies with the very same ``Markdown`` instance to find their links
and images: there is one parser, so the check and the site always agree on what a link
is, however it is written (over two lines, in a blockquote, with nested brackets or a
reference definition).

Raw HTML is never passed through: it is shown as text. At render time a link whose
target is not http(s), mailto or a path inside the site loses its address and becomes
plain text (``kb controleer`` already refused it); an image from another host is shown as
its description.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from kb_tools.urls import unsafe_scheme

#: The extensions of mkdocs.yml's markdown_extensions, with their settings.
EXTENSIONS: tuple[str, ...] = ("toc", "tables", "admonition")
EXTENSION_CONFIGS: dict[str, dict] = {"toc": {"permalink": False}}

_REMOTE = re.compile(r"(?:[a-z][a-z0-9+.-]*:)?//", re.I)


@dataclass(frozen=True)
class Link:
    """A link or image as the site's Markdown parser sees it."""

    image: bool
    target: str  # href of a link, src of an image ("" when it has none)
    text: str  # the link text, or the image's description (alt)


_ESCAPED = re.compile("\x02([0-9]+)\x03")


def _address(element: ET.Element, attribute: str) -> str:
    """An address as the browser will get it: Markdown keeps "&" and backslash escapes
    ("\\\\" in "[x](\\\\evil.example/)", which a browser reads as "//") as placeholders
    until it writes the page."""
    value = (element.get(attribute) or "").replace(AMP_SUBSTITUTE, "&")
    if "\x02" in value:
        value = _ESCAPED.sub(lambda m: chr(int(m.group(1)[:7]) % 0x110000), value)
    return value


def is_blocked(element: ET.Element) -> bool:
    """Would the site refuse this link or image (a scheme other than http(s)/mailto, or an
    image from another host)?"""
    if element.tag == "a":
        return bool(unsafe_scheme(_address(element, "href")))
    src = _address(element, "src")
    return bool(unsafe_scheme(src)) or bool(_REMOTE.match(src))


class _SafeLinks(Treeprocessor):
    """The last tree processor: refused links become text, nothing keeps an event handler
    or a style attribute."""

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.tag in ("a", "img") and is_blocked(element):
                alt = element.get("alt") or ""
                element.attrib.clear()
                if element.tag == "img":
                    element.text = alt  # the description instead of the picture
                element.tag = "span"
            for attribute in list(element.attrib):
                if attribute.lower().startswith("on") or attribute.lower() == "style":
                    del element.attrib[attribute]


class _Collect(Treeprocessor):
    """Records every link and image before _SafeLinks sees them (for kb controleer)."""

    def __init__(self, md: Markdown, found: list[Link]) -> None:
        super().__init__(md)
        self.found = found

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.tag == "a":
                text = "".join(element.itertext()).replace(AMP_SUBSTITUTE, "&")
                self.found.append(Link(False, _address(element, "href"), text))
            elif element.tag == "img":
                alt = (element.get("alt") or "").replace(AMP_SUBSTITUTE, "&")
                self.found.append(Link(True, _address(element, "src"), alt))


class SafeContentExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API name
        # Without these, raw HTML is not passed through but escaped by the serializer.
        if "html_block" in md.preprocessors:
            md.preprocessors.deregister("html_block")
        if "html" in md.inlinePatterns:
            md.inlinePatterns.deregister("html")
        # Priority 7: after the inline patterns (20) and attribute lists (8), which can set
        # attributes, and before MkDocs' own link processor (0), which expects every link
        # it sees to have an address.
        md.treeprocessors.register(_SafeLinks(md), "kb_safe_links", 7)


def makeExtension(**kwargs: object) -> SafeContentExtension:  # noqa: N802 - Markdown's API
    return SafeContentExtension(**kwargs)


class LinkParser:
    """The site's parser, used to list the links and images of a body. Reuse one per
    process: building a Markdown instance costs more than parsing a case."""

    def __init__(self) -> None:
        self.found: list[Link] = []
        self.md = Markdown(
            extensions=[*EXTENSIONS, SafeContentExtension()], extension_configs=EXTENSION_CONFIGS
        )
        self.md.treeprocessors.register(_Collect(self.md, self.found), "kb_collect", 7.5)

    def links(self, text: str) -> list[Link]:
        """Every link and image of ``text`` in document order (empty without any
        link syntax: the parser is only run when there can be one)."""
        if not might_link(text):
            return []
        self.found.clear()
        self.md.reset()
        self.md.convert(text)
        return list(self.found)


def might_link(text: str) -> bool:
    """Can Markdown make a link or image of this text? Inline links need "](", reference
    links a definition with "]:", autolinks "<". Without any of them it cannot."""
    return "](" in text or "]:" in text or "<" in text
