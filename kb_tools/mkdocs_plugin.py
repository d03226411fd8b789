"""The MkDocs plugin: a thin adapter from MkDocs events to the pipeline stages.

on_config    add the safe-Markdown extension to every page
on_files     load + validate (once), enrich, build page specs; replace the raw content
             files by generated pages; stop the build on content errors; start the
             search index in the background (sitesearch)
on_page_markdown / on_page_context   hand each page its Markdown, template and data
on_post_build                        open data, feed and redirect pages; wait for the
                                     search index
on_build_error                       stop the search index
"""

from __future__ import annotations

import dataclasses
import gc
import html
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from kb_tools.enrich import build_corpus, ledger
from kb_tools.enrich.corpus import Corpus
from kb_tools.enrich.links import resolve_links
from kb_tools.enrich.similarity import TOP, Similarity
from kb_tools.index import pagefind as sitesearch
from kb_tools.layout import SCHEMA_FILE
from kb_tools.load.registry import load_registry
from kb_tools.markup import EXTENSION_CONFIGS, EXTENSIONS, SafeContentExtension
from kb_tools.render.opendata import write_feed, write_open_data, write_redirects
from kb_tools.render.pages import PageSpec, build_pages, case_markdown
from kb_tools.schema import json_schema
from kb_tools.urls import short_link
from kb_tools.validate import check_content, report

log = logging.getLogger("mkdocs.plugins.kb")
MAX_EXPLICIT = 3  # similar cases that are also explicit relations are shown once, there


class KbConfig(Config):
    content = c.Optional(c.Dir(exists=True))  # default: the MkDocs docs_dir


class KbPlugin(BasePlugin[KbConfig]):
    def __init__(self) -> None:
        self.rendered = 0
        self.in_menu: set[str] = set()
        self.fragments: dict[str, str] = {}
        self.timings: dict[str, float] = {}
        self.corpus: Corpus | None = None
        self.specs: dict[str, PageSpec] = {}
        self.redirects: dict[str, tuple[str, str]] = {}
        self.search_job: sitesearch.SiteIndexJob | None = None
        self.network: str | None = None

    def on_config(self, config: Any) -> Any:
        # The site's Markdown dialect is declared once (markup), for kb check and the site.
        for name in EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        for name, settings in EXTENSION_CONFIGS.items():
            config.mdx_configs.setdefault(name, {}).update(settings)
        config.markdown_extensions.append(SafeContentExtension())
        # `kb build --netwerk <id>`: a site with only that network's cases, under its name.
        self.network = os.environ.get("KB_NETWERK") or None
        if self.network:
            content = Path(self.config.content or config.docs_dir)
            registry, _ = load_registry(content)
            network = registry.networks.get(self.network)
            if network is None:
                raise PluginError(
                    f"Het netwerk '{self.network}' bestaat niet. Kies uit: "
                    f"{', '.join(registry.networks)}."
                )
            # The theme prints site_name without escaping it; the registry refuses HTML in
            # names, and this escapes whatever would still get through.
            config.site_name = Markup(html.escape(f"Kennisbank {network.name}"))
        return config

    # Priority 50: before other plugins (and Material's) see the file list, so they
    # see the generated pages, not the raw content files.
    @event_priority(50)
    def on_files(self, files: Files, config: Any) -> Files:
        content = Path(self.config.content or config.docs_dir)
        self.timings = {}
        with self._timed("load"):
            result = check_content(content)
            # The loaded cases live for the whole build: keep the garbage collector from
            # scanning them again and again while thousands of pages are rendered.
            gc.freeze()
        errors = result.errors
        for f in result.warnings:
            # Not log.warning: with strict: true MkDocs would fail the build on content
            # warnings, while kb check passes them. People still see them.
            print(report.format_finding(f).splitlines()[0], file=sys.stderr)
        if errors:
            for f in errors:
                log.error(report.format_finding(f))
            raise PluginError(
                f"De website is niet gebouwd: {len(errors)} "
                f"{'fout' if len(errors) == 1 else 'fouten'} in de inhoud. "
                "Los ze op; 'kb check' toont dezelfde meldingen."
            )
        with self._timed("enrich"):
            if self.network:
                # Everything is validated as usual; only this network's cases are published.
                # Links to other networks' cases become plain text (resolve_links). The
                # ledger is the main site's: a network site has no old addresses.
                registry = dataclasses.replace(
                    result.registry,
                    networks={self.network: result.registry.networks[self.network]},
                )
                cases = [c for c in result.cases if c.network == self.network]
                if not cases:
                    raise PluginError(
                        f"Het netwerk '{self.network}' heeft nog geen casussen. "
                        "Er is geen website te bouwen."
                    )
                corpus = build_corpus(registry, cases, [])
                redirects, problems = {}, []
            else:
                corpus = build_corpus(result.registry, result.cases, result.answers)
                _, redirects, problems = ledger.review(content, corpus)
        if problems:
            for f in problems:
                log.error(report.format_finding(f))
            raise PluginError(
                "De website is niet gebouwd: een gepubliceerd adres zou verdwijnen. "
                "Zie de meldingen hierboven."
            )
        self.corpus = corpus
        self.redirects = redirects
        with self._timed("search"):
            # The search index is made in a child process while we go on (sitesearch).
            markdown = case_markdown(corpus)
            self.search_job = sitesearch.start(corpus, markdown, Path(config.site_dir))
        with self._timed("similarity"):
            similar = Similarity(corpus).top(TOP + MAX_EXPLICIT)
        with self._timed("pages"):
            pages = build_pages(corpus, config.site_url or "", similar, markdown)
            self.specs = {p.src_uri: p for p in pages}
        self.rendered = 0
        _progress(
            f"Inhoud in orde: {len(corpus.cases)} casussen, {len(self.specs)} pagina's te maken."
        )

        with self._timed("pages"):
            # Of the files MkDocs found in content/ (it follows links), only checked guide
            # pages and images are published as they are; everything else is read by the
            # pipeline or refused by kb check (links, .html, .js, devices, ...).
            docs = Path(os.path.abspath(config.docs_dir))
            if docs == Path(os.path.abspath(content)):
                allowed = result.inventory.published_as_is()
                for file in list(files):
                    if _inside(file.abs_src_path, docs) and file.src_uri not in allowed:
                        files.remove(file)
            for spec in self.specs.values():
                existing = files.get_file_from_path(spec.src_uri)
                if existing is not None:
                    files.remove(existing)
                # The blank first line: MkDocs reads page settings from a page that starts
                # with '---' or 'key: value'; a story that does is only text.
                files.append(File.generated(config, spec.src_uri, content="\n" + spec.markdown))
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Files) -> str:
        # MkDocs reads page settings (template, hide, author, status, ...) from the top of a
        # page, and Material prints some of them unescaped. No page keeps any it brought:
        # generated pages get ours; guide pages only a title, escaped (kb check refuses a
        # guide page with settings). Material prints meta title and description into HTML
        # without escaping; Markup carries our escaped text through.
        spec = self.specs.get(page.file.src_uri)
        page.meta.clear()
        if spec is None:
            heading = next(
                (line[2:].strip(" #") for line in markdown.splitlines() if line.startswith("# ")),
                "",
            )
            if heading:
                page.meta["title"] = Markup(html.escape(heading))
            # Hand-written pages (the guide) may link to cases with [[id]] too.
            return (
                resolve_links(markdown, page.file.src_uri, self.corpus) if self.corpus else markdown
            )
        page.meta["template"] = spec.template
        page.meta["title"] = Markup(html.escape(spec.title))
        if spec.description:
            page.meta["description"] = Markup(html.escape(spec.description))
        if spec.data.get("hide"):
            page.meta["hide"] = list(spec.data["hide"])
        return markdown

    def on_nav(self, nav: Any, config: Any, files: Files) -> Any:
        self.in_menu = {page.file.src_uri for page in nav.pages}
        self.fragments = {}
        return nav

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        env.globals["kb_cached"] = self.fragments_get
        env.globals["kb_store"] = self.fragments_put
        return env

    def fragments_get(self, key: str) -> Any:
        return self.fragments.get(key)

    def fragments_put(self, key: str, html: str) -> str:
        self.fragments[key] = html
        return html

    def on_page_context(self, context: dict, page: Any, config: Any, nav: Any) -> dict:
        spec = self.specs.get(page.file.src_uri)
        context["kb"] = spec.data if spec else {}
        # Pages outside the menu at the same depth share menu, tabs and footer (main.html).
        off_menu = page.file.src_uri not in self.in_menu
        context["kb_cache_key"] = f"off-menu:{context['base_url']}" if off_menu else None
        self.rendered += 1
        if self.rendered % 1000 == 0:
            _progress(f"{self.rendered} van ongeveer {len(self.specs)} pagina's gemaakt.")
        return context

    def on_post_build(self, config: Any) -> None:
        if self.corpus is None:
            return
        site = Path(config.site_dir)
        with self._timed("opendata"):
            write_open_data(self.corpus, site, config.site_url or "")
            write_feed(self.corpus, site, config.site_url or "", html.unescape(config.site_name))
            # Made from the registry, as `kb schema` makes content/casus.schema.json: no file
            # from content/ is copied as it is.
            schema = json.dumps(json_schema(self.corpus.registry), ensure_ascii=False, indent=2)
            (site / "data" / SCHEMA_FILE).write_text(schema + "\n", encoding="utf-8")
            stable = {
                short_link(item.id): (self.corpus.urls[item.id], item.title)
                for item in (*self.corpus.cases, *self.corpus.answers)
            }
            write_redirects(site, {**self.redirects, **stable})
        if self.search_job is not None:
            job, self.search_job = self.search_job, None
            with self._timed("search"):
                try:
                    job.finish()
                except sitesearch.SiteIndexError as error:
                    raise PluginError(str(error)) from error
            # The child's own times (kb bench): it runs beside the other stages.
            self.timings["search_background"] = job.seconds or 0.0
            for step, seconds in (job.steps or {}).items():
                self.timings[f"search_{step}"] = seconds
        if os.environ.get("KB_TIMINGS"):  # set by `kb bench`
            Path(os.environ["KB_TIMINGS"]).write_text(json.dumps(self.timings), encoding="utf-8")

    def on_build_error(self, error: Exception) -> None:
        if self.search_job is not None:
            self.search_job.cancel()
            self.search_job = None

    @contextmanager
    def _timed(self, stage: str) -> Iterator[None]:
        """Add the wall time of a block to a pipeline stage, for `kb bench`."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - started


def _progress(message: str) -> None:
    """Progress for people running `kb build`, which sets KB_PROGRESS; MkDocs' log is quiet."""
    if os.environ.get("KB_PROGRESS"):
        print(f"  {message}", file=sys.stderr, flush=True)


def _inside(path: str | None, folder: Path) -> bool:
    """Is ``path`` (a File's source, None for generated pages) inside ``folder``?"""
    if not path:
        return False
    absolute = Path(os.path.abspath(path))
    return absolute == folder or folder in absolute.parents
