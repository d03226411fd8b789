"""The template environment that overrides/ relies on: Material's own templates under
``theme/``, the fragment cache for pages outside the menu, and ``kb_insert_before``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    DictLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
)
from jinja2.bccache import Bucket
from mkdocs.exceptions import PluginError

#: Templates may include the theme's own file under this prefix ("theme/partials/nav.html"),
#: also where overrides/ has a file of the same name that wraps it.
THEME_PREFIX = "theme"


class Fragments:
    """Menu, tabs and footer rendered once and reused by every page outside the menu that
    would render them the same (overrides/main.html, overrides/partials/nav.html)."""

    def __init__(self) -> None:
        self.store: dict[str, str] = {}
        self.menu_folders: set[tuple[str, ...]] = set()

    def reset(self, menu_urls: Iterable[str]) -> None:
        """A new build with this menu (the URLs of its pages)."""
        self.store = {}
        self.menu_folders = {
            tuple(url.split("/")[:i]) for url in menu_urls for i in range(url.count("/") + 1)
        }

    def key(self, url: str) -> str:
        """The cache key of a page outside the menu. The engine writes each menu link
        relative to the page: "../../nieuw/" from any page two folders deep, but "../" from
        a page inside netwerken/ to netwerken/. So two pages share a menu when they are as
        deep and their deepest folder shared with a menu page is the same."""
        folders = url.split("/")[:-1]
        for depth in range(len(folders), -1, -1):
            if tuple(folders[:depth]) in self.menu_folders:
                return f"off-menu:{len(folders)}:{'/'.join(folders[:depth])}"
        return f"off-menu:{len(folders)}"

    def get(self, key: str) -> Any:
        return self.store.get(key)

    def put(self, key: str, html: str) -> str:
        self.store[key] = html
        return html


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory between the builds of one `kb bekijk` session: the
    engine makes a new template environment per build, and compiling the theme's templates
    again took ~0.7 s per save. Jinja checks each template's source before it reuses one."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self.store.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def prepare(
    env: Environment,
    theme: Any,
    fragments: Fragments,
    extra: dict[str, str],
    compiled: BytecodeCache | None = None,
) -> None:
    """Give ``env`` the theme's own templates under ``theme/``, the ``extra`` templates
    (name: source), the functions overrides/ calls and, when given, compiled templates."""
    if compiled is not None:
        env.bytecode_cache = compiled
    # overrides/ may wrap a theme template: {% include "theme/partials/nav.html" %}.
    theme_dirs = [d for d in theme.dirs if d != theme.custom_dir]
    own = PrefixLoader({THEME_PREFIX: FileSystemLoader(theme_dirs)})
    env.loader = ChoiceLoader([env.loader, own, DictLoader(extra)])
    env.globals["kb_cached"] = fragments.get
    env.globals["kb_store"] = fragments.put
    env.globals["kb_insert_before"] = insert_before


def insert_before(text: str, marker: str, addition: str) -> str:
    """``text`` with ``addition`` before the first ``marker``, for templates that add to a
    theme partial instead of copying it. Fails the build when the theme changed."""
    before, found, after = str(text).partition(marker)
    if not found:
        raise PluginError(
            f"Het thema heeft geen '{marker}' meer waar overrides/ iets aan toevoegt. "
            "Pas de sjabloon in overrides/partials/ aan de nieuwe versie van het thema aan."
        )
    return before + addition + found + after
