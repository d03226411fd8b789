"""One Markdown parser for kb controleer and the site: they agree on what a link is, and the
renderer never breaks on a link it refuses (MkDocs asserts that every link it sees has an
address)."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

from kb_tools.markup import EXTENSION_CONFIGS, EXTENSIONS, LinkParser, SafeContentExtension
from kb_tools.urls import unsafe_scheme

TRICKY = """\
Begin [klein en
dichtbij](javascript:alert(1)).

> Zie [het verslag][v].
>
> [v]: javascript:alert(2)

- Een lijst

    [w]: vbscript:msgbox(3)

Lees [de [mooie] tips](java\tscript:alert(4)) en [bel ons](tel:112) en [dit][w].

Ook [[ams-0901]](javascript:alert(5)) ![plaatje](https://tracker.example/p.png)
<javascript:alert(6)> <https://example.org> [gewoon](https://example.org/a)
"""


class _LikeMkDocs(Treeprocessor):
    """What MkDocs' link processor demands, at its priority (0)."""

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.tag == "a":
                assert element.get("href") is not None
                assert not unsafe_scheme(element.get("href") or "")
            elif element.tag == "img":
                assert element.get("src") is not None


def render(text: str) -> str:
    md = Markdown(
        extensions=[*EXTENSIONS, SafeContentExtension()], extension_configs=EXTENSION_CONFIGS
    )
    md.treeprocessors.register(_LikeMkDocs(md), "like_mkdocs", 0)
    return md.convert(text)


def test_the_parser_finds_links_a_regex_would_miss() -> None:
    links = LinkParser().links(TRICKY)
    unsafe = [link.target for link in links if unsafe_scheme(link.target)]
    assert len(unsafe) == 6  # 1-5 and tel:; <javascript:...> is no autolink, only text
    assert any(link.image and link.target.startswith("https://tracker") for link in links)


def test_refused_links_render_as_text() -> None:
    html = render(TRICKY)
    assert "javascript" not in html.lower().replace("javascript:alert(6)", "")
    assert "tracker.example" not in html and "<span>plaatje</span>" in html
    assert '<a href="https://example.org/a">gewoon</a>' in html


TOKENS = st.sampled_from(
    [
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "!",
        "\n",
        "\n\n",
        " ",
        "> ",
        "- ",
        "    ",
        "\t",
        ":",
        "`",
        "*",
        "javascript:",
        "java&#x73;cript:",
        "tel:1",
        "data:x",
        "https://a.nl",
        "x",
        "[x]: ",
        "[[ams-0001]]",
        "<mailto:a@b.nl>",
        "\\",
    ]  # fmt: skip
)


@given(st.lists(TOKENS, max_size=80).map("".join))
def test_check_and_site_agree_on_every_link(text: str) -> None:
    """Whatever the text, the site renders it, and every link the site refuses is one
    that kb controleer reports (both come from the same parse)."""
    render(text)  # no assertion error from the MkDocs-like processor, no exception
    found = LinkParser().links(text)
    md = Markdown(
        extensions=[*EXTENSIONS, SafeContentExtension()], extension_configs=EXTENSION_CONFIGS
    )
    html = md.convert(text)
    refused = sum(1 for link in found if not link.image and unsafe_scheme(link.target))
    kept = html.count("<a ")
    links = sum(1 for link in found if not link.image)
    assert kept == links - refused


def test_mkdocs_itself_renders_refused_links_as_text(tmp_path: Path) -> None:
    """The real engine, with only the site's dialect (no kb plugin, no kb controleer): before,
    MkDocs stopped on `assert url is not None`."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(TRICKY, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Test\ntheme: mkdocs\nmarkdown_extensions:\n"
        + "".join(f"  - {name}\n" for name in EXTENSIONS)
        + "  - kb_tools.markup\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(tmp_path / "s")],
        cwd=tmp_path,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    assert "alert(1)" not in page and "vbscript" not in page
