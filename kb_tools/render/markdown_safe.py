"""A Python-Markdown extension that keeps contributed text from becoming markup.

``kb check`` already refuses raw HTML and unsafe links; this is the second line of
defence at render time. Raw HTML is escaped (shown as text), and links or images
with a scheme other than http(s)/mailto, or images from other hosts, lose their
address. Every page of the site is rendered with it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from ..validate.text import unsafe_url

_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)


class _SafeLinks(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is None:
                    continue
                if unsafe_url(value) or (attribute == "src" and _REMOTE.match(value)):
                    del element.attrib[attribute]
            for attribute in list(element.attrib):
                if attribute.lower().startswith("on") or attribute.lower() == "style":
                    del element.attrib[attribute]


class SafeContentExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API name
        # Without these, raw HTML is not passed through but escaped by the serializer.
        for name in ("html_block",):
            if name in md.preprocessors:
                md.preprocessors.deregister(name)
        for name in ("html",):
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)
        # Priority 0: after every other tree processor, including attribute lists.
        md.treeprocessors.register(_SafeLinks(md), "kb_safe_links", 0)


def makeExtension(**kwargs: object) -> SafeContentExtension:  # noqa: N802 - Markdown's API
    return SafeContentExtension(**kwargs)
