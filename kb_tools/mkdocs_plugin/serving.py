"""`kb bekijk`: after a save, only the pages whose content changed are made again.

`kb bekijk` runs the engine's ``serve --dirty``. The engine then keeps the site folder between
builds and skips every page whose file says it is not modified; this plugin object lives for
the whole session (it has ``on_startup``), and ``Live`` remembers what each generated page
was made from (its ``PageSpec``: Markdown, template, title, description and template data).
After a save the pipeline runs as always, and a generated page counts as modified only when
its spec differs from the one it was last rendered from. So whatever a case's edit touches
(its own page, the term and network lists it is in, the similar-case lists that show it,
the answers that cite it, counts on the home page) is made again, and nothing else, whatever
the templates show. To find those specs cheaply, the case views a save did not touch are taken
over from the last build (render.reuse, with its rules of what a view shows); the content is
checked again file by file (validate.Rechecker) and the similar lists row by row
(Similarity.update). tests/test_serve_incremental.py holds every step to a fresh build.

Everything else is made again when something outside the content changed: mkdocs.yml or a
template in overrides/ (the fingerprint). Pages in the menu are always made again: every
page's menu shows their titles, and the engine knows a title only of a page it read.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from kb_tools.enrich.corpus import Corpus
from kb_tools.enrich.similarity import Match, Similarity
from kb_tools.index.pagefind import SiteIndexError, SiteIndexJob
from kb_tools.mkdocs_plugin.theme import CompiledTemplates
from kb_tools.render.pages import PageSpec, build_pages, case_cards, url_of
from kb_tools.render.reuse import Memory
from kb_tools.urls import item_src
from kb_tools.validate import CheckResult, Rechecker
from kb_tools.validate.recheck import GUIDE_CHANGED

#: The engine's warning for every ``--dirty`` build (it counts as a failure under strict:
#: true); the plugin keeps every page right, so the warning does not apply.
DIRTY_WARNING = "A 'dirty' build is being performed"


class QuietDirty(logging.Filter):
    """Drops the engine's dirty-build warning, only in a `kb bekijk` session."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(DIRTY_WARNING)


QUIET_DIRTY = QuietDirty()


def _unmodified() -> bool:
    return False


def _modified() -> bool:
    return True


def mark(file: Any, modified: bool) -> None:
    """Tell the engine whether to read and render ``file`` in a dirty build."""
    file.is_modified = _modified if modified else _unmodified


def fingerprint(config_file: str | None, folders: Iterable[str | None]) -> tuple:
    """What the look of every page depends on besides its spec: mkdocs.yml and the files
    of the template folders (path, size, modification time)."""
    seen: list[tuple] = []
    for name in [config_file, *folders]:
        if not name or not os.path.exists(name):
            continue
        # Absolute: the engine hands the first build a relative mkdocs.yml, later ones not.
        root = Path(os.path.abspath(name))
        paths = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in paths:
            try:
                info = path.stat()
            except OSError:
                continue
            seen.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(seen)


class Live:
    """The pages of the last build of one `kb bekijk` session."""

    def __init__(self) -> None:
        self.specs: dict[str, PageSpec] = {}
        self.fingerprint: tuple | None = None
        self.modified: set[str] = set()
        self.removed: set[str] = set()
        self.short: dict[str, str] = {}  # short address -> long address, as last written
        self.search: SiteIndexJob | None = None
        self.compiled = CompiledTemplates()  # the theme's templates, compiled once per session
        self.memory = Memory()  # the case views of the last build (render.reuse)
        self.checker = Rechecker()  # reads again only the files that changed
        self.similarity: Similarity | None = None  # kept for the session (Similarity.update)
        #: Ids of the cases and answers changed since the last build that made its pages
        #: (None: everything); builds that stopped on a content error add to it.
        self.changed: set[str] | None = None
        self.rendering = False  # this build has handed pages to the engine
        self.top: dict[str, list[Match]] = {}
        self.waiter: threading.Thread | None = None
        self.lock = threading.Lock()
        self.stopping = False

    def check(self, content: Path) -> CheckResult:
        """Check the content again, reading only the files that changed, and add what
        changed to ``changed``. A guide page does not change a case page or a similar list.
        The collector gets back what earlier builds froze while the files are read (so what
        they left is freed, not frozen again), and the content is frozen after: the stages
        that follow run with the collector on (a session has no pause) and must not scan
        it again and again."""
        gc.unfreeze()
        result = self.checker.run(content)
        gc.freeze()
        changes = self.checker.changes
        if changes.everything and set(changes.reasons) - {GUIDE_CHANGED}:
            self.changed = None
        elif self.changed is not None:
            self.changed |= changes.cases_added | changes.cases_modified | changes.cases_removed
            self.changed |= changes.answers_added | changes.answers_modified
            self.changed |= changes.answers_removed
        return result

    def similar(self, corpus: Corpus, k: int) -> dict[str, list[Match]]:
        """The similar cases after this save: only the lists it can change are worked out
        again (``Similarity.update``), all of them on the first build or after the
        registry changed."""
        if self.similarity is None or self.changed is None:
            self.similarity = Similarity(corpus)
            self.top = self.similarity.top(k)
        elif self.changed:
            present = {c.id for c in corpus.cases}
            changed, removed = self.changed & present, self.changed - present
            self.top, _ = self.similarity.update(self.top, corpus, changed, removed, k)
        return self.top

    def pages(
        self,
        corpus: Corpus,
        site_url: str,
        similar: dict[str, list[Match]],
        markdown: dict[str, str],
    ) -> list[PageSpec]:
        """Every generated page, with the case views of the last build that this save
        did not touch."""
        reuse = self.memory.reuse(corpus, similar, site_url, self.changed)
        cards = case_cards(corpus, reuse)
        pages = build_pages(corpus, site_url, similar, markdown, cards, reuse)
        by_src = {p.src_uri: p for p in pages}
        views = {c.id: by_src[item_src(c)].data["case"] for c in corpus.cases}
        self.memory.remember(similar, site_url, views, cards)
        return pages

    def after(
        self,
        data: Callable[[], None],
        search: Callable[[], SiteIndexJob],
        on_error: Callable[[str], None],
    ) -> None:
        """After the build, in the background: write the open data (``data``), then make
        the search index (``search`` starts its child). Errors are reported when they happen;
        the next build first ``settle``s this."""
        self.stopping = False

        def run() -> None:
            try:
                data()
                with self.lock:
                    if self.stopping:
                        return
                    self.search = job = search()
                job.finish()
            except (SiteIndexError, OSError) as error:
                if not self.stopping:  # not when a newer save stopped it
                    on_error(str(error))

        self.waiter = threading.Thread(target=run, name="kb-na-de-bouw", daemon=True)
        self.waiter.start()

    def wait(self) -> None:
        """Wait until the background work of the last build is done."""
        if self.waiter is not None:
            self.waiter.join()

    def settle(self) -> None:
        """Stop the previous build's background work: its search index is outdated."""
        with self.lock:
            self.stopping = True
            if self.search is not None:
                self.search.cancel()
        self.wait()
        self.waiter = self.search = None

    def update(self, specs: dict[str, PageSpec], print_: tuple) -> set[str]:
        """Take this build's specs; returns the generated pages to make again (all of them
        on the first build and after a template or mkdocs.yml changed)."""
        if print_ != self.fingerprint:
            self.modified = set(specs)
        else:
            self.modified = {uri for uri, spec in specs.items() if self.specs.get(uri) != spec}
        self.removed = set(self.specs) - set(specs)
        self.specs, self.fingerprint = dict(specs), print_
        self.rendering = True
        return self.modified

    def built(self) -> None:
        """The build made its pages: the next one counts changes from here."""
        self.changed, self.rendering = set(), False

    def failed(self) -> None:
        """A build stopped. Before it handed pages to the engine (a content error) nothing on
        disk changed, and its changes wait for the next build. After that nothing on disk is
        trusted: the next build makes everything."""
        if self.rendering:
            self.specs, self.fingerprint, self.changed = {}, None, None
            self.memory.forget()
            self.similarity = None
        self.rendering = False

    def remove_stale(self, site_dir: Path, short: dict[str, str]) -> None:
        """Delete the pages of removed cases and answers, and short-address copies that no
        longer belong to a page; ``short`` is this build's map."""
        for url in {url_of(uri) for uri in self.removed}:
            _remove_page(site_dir, url)
        for short_url in set(self.short) - set(short):
            _remove_page(site_dir, short_url)
        self.short = dict(short)


def _remove_page(site_dir: Path, url: str) -> None:
    if ".." in url.split("/"):
        return
    page = site_dir / url / "index.html"
    if page.is_file() and not page.is_symlink():
        page.unlink()
        try:
            page.parent.rmdir()
        except OSError:
            pass  # other files (an image, a deeper page) stay
