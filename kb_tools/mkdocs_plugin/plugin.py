"""The MkDocs plugin: a thin adapter from MkDocs events to the pipeline stages.

Every event only hands data from MkDocs to a stage and back; the work is in the stages:

on_startup   `kb bekijk` (serve --dirty): one plugin object and its state for the session
on_config    the site's Markdown dialect (markup); for ``kb bouw --netwerk`` the network
on_files     load + validate (once), enrich, page specs (render); generated pages replace
             the raw content files; stop on content errors; start the search index
on_nav       the pages outside the menu go to the workers (workers.py)
on_page_markdown / on_page_context / on_template_context   each page's Markdown and data
on_env       the template environment (theme.py); fork the workers
on_post_page / on_post_template   mend the theme's markup (render.themefix); short copies
on_post_build    wait for the workers; open data, feed and redirects; wait for the search
on_build_error   stop the workers and the search index

Options (``KbConfig``, options.py) come from mkdocs.yml, set by `kb bouw` and `kb meten`
through ``!ENV``. Stages, counts and findings go through ``kb_tools.progress.Reports``."""

from __future__ import annotations

import html
import json
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from kb_tools.enrich import publish as published_site
from kb_tools.enrich.corpus import Corpus
from kb_tools.enrich.links import resolve_links
from kb_tools.enrich.similarity import TOP, Similarity
from kb_tools.index import pagefind as sitesearch
from kb_tools.load.registry import load_registry
from kb_tools.machine import cores
from kb_tools.markup import EXTENSION_CONFIGS, EXTENSIONS, SafeContentExtension
from kb_tools.mkdocs_plugin import serving, theme, workers
from kb_tools.mkdocs_plugin.options import KbConfig
from kb_tools.progress import Reports, number
from kb_tools.render.opendata import write_site_data
from kb_tools.render.pages import PageSpec, build_pages, case_markdown, not_found
from kb_tools.render.shortlinks import short_pages, write_short_page
from kb_tools.render.themefix import valid_html
from kb_tools.render.views import helpdesk_view
from kb_tools.validate import check_content, report

log = logging.getLogger("mkdocs.plugins.kb")
MAX_EXPLICIT = 3  # similar cases that are also explicit relations are shown once, there
STEP = 25  # report the count of pages read or made every STEP pages


class KbPlugin(BasePlugin[KbConfig]):
    def __init__(self) -> None:
        self.rendered = self.read = self.pages = 0  # pages made, read, and to read and make
        self.reports = Reports(False, log)
        self.in_menu: set[str] = set()
        self.fragments = theme.Fragments()
        self.timings: dict[str, float] = {}
        self.corpus: Corpus | None = None
        self.specs: dict[str, PageSpec] = {}
        self.redirects: dict[str, tuple[str, str]] = {}
        self.search_job: sitesearch.SiteIndexJob | None = None
        self.network: str | None = None
        self.not_found: dict[str, Any] = {}
        self.farmed: set[str] = set()  # generated pages that workers render (workers.py)
        self.workers = 1  # processes that render pages in this build
        self.pool: workers.Pool | None = None
        self.in_worker = False
        self.nav: Any = None
        self.skipped = workers.QuietSkips(self.farmed)
        self.short_of: dict[str, str] = {}  # page address -> its short address
        self.markdown: dict[str, str] = {}  # case and answer id -> page Markdown
        self.live: serving.Live | None = None  # `kb bekijk` (serve --dirty): serving.py

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # With this method the engine keeps one plugin object for a whole serve session.
        self.live = serving.Live() if command == "serve" and dirty else None
        if self.live is not None:
            logging.getLogger("mkdocs.commands.build").addFilter(serving.QUIET_DIRTY)

    def on_shutdown(self) -> None:
        if self.live is not None:
            self.live.settle()
        self.live = None
        logging.getLogger("mkdocs.commands.build").removeFilter(serving.QUIET_DIRTY)

    # Priority 0 (the default): no other plugin depends on what this adds.
    @event_priority(0)
    def on_config(self, config: Any) -> Any:
        # The site's Markdown dialect is declared once (markup), for kb controleer and the site.
        for name in EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        for name, settings in EXTENSION_CONFIGS.items():
            config.mdx_configs.setdefault(name, {}).update(settings)
        config.markdown_extensions.append(SafeContentExtension())
        # kb bouw and kb bekijk show stages and findings in their own form (kb_tools.progress).
        self.reports = Reports(self.config.progress, log)
        # `kb bouw --netwerk <id>`: a site with only that network's cases, under its name.
        self.network = None
        if self.config.network is None and os.environ.get("KB_NETWERK"):
            # Only a check, the option is what counts: a mkdocs.yml without the line would
            # quietly build the whole site where `kb bouw --netwerk` asked for one network.
            raise self._fail(
                "kb bouw --netwerk werkt alleen als mkdocs.yml bij de plugin kb de regel "
                "'network: !ENV KB_NETWERK' heeft."
            )
        if self.config.network is not None:
            registry, _ = load_registry(Path(self.config.content or config.docs_dir))
            self.network = published_site.network_named(self.config.network, registry.networks)
            try:
                network = published_site.network(registry, self.network)
            except published_site.NetworkError as error:
                raise self._fail(str(error)) from error
            # The theme prints site_name without escaping it; the registry refuses HTML in
            # names, and this escapes whatever would still get through.
            config.site_name = Markup(html.escape(published_site.network_site_name(network)))
        return config

    # Priority 50: before other plugins (and Material's) see the file list, so they
    # see the generated pages, not the raw content files.
    @event_priority(50)
    def on_files(self, files: Files, config: Any) -> Files:
        with workers.lasting(pause=self.live is None):  # no collector on the corpus
            return self._files(files, config)

    def _files(self, files: Files, config: Any) -> Files:
        content = Path(self.config.content or config.docs_dir)
        self.timings = {}
        (reports := self.reports).stage("Inhoud lezen en controleren")
        with self._timed("load"):
            # kb bekijk reads again only the files that changed (validate.Rechecker).
            result = self.live.check(content) if self.live else check_content(content)
        errors = result.errors
        for f in result.warnings:
            # kb controleer passes content warnings; strict: true would fail on them in the log.
            reports.warning(report.format_finding(f).splitlines()[0])
        if errors:
            for f in errors:
                reports.error(report.format_finding(f))
            raise self._fail(
                f"De website is niet gebouwd: {len(errors)} "
                f"{'fout' if len(errors) == 1 else 'fouten'} in de inhoud. "
                "Los ze op; 'kb controleer' toont dezelfde meldingen."
            )
        reports.stage("Verbanden en vaste adressen bepalen")
        with self._timed("enrich"):
            try:
                site = published_site.published(
                    content, result.registry, result.cases, result.answers, self.network
                )
            except published_site.NetworkError as error:
                raise self._fail(str(error)) from error
        if site.problems:
            for f in site.problems:
                reports.error(report.format_finding(f))
            raise self._fail(
                "De website is niet gebouwd: een gepubliceerd adres zou verdwijnen. "
                "Zie de meldingen hierboven."
            )
        corpus = self.corpus = site.corpus
        self.redirects = site.redirects
        self.short_of = {long: short for short, long in short_pages(corpus).items()}
        with self._timed("search"):
            # The search index is made in a child process while we go on (sitesearch).
            markdown = self.markdown = case_markdown(corpus)
            if self.live is not None:
                self.live.settle()  # the previous save's data and index, if still being made
            else:
                self.search_job = sitesearch.start(corpus, markdown, Path(config.site_dir))
        reports.stage(f"Vergelijkbare casussen zoeken ({number(len(corpus.cases))} casussen)")
        with self._timed("similarity"):
            live, k = self.live, TOP + MAX_EXPLICIT
            similar = live.similar(corpus, k) if live else Similarity(corpus).top(k)
        reports.stage("Pagina's voorbereiden")
        with self._timed("pages"):
            site_url = config.site_url or ""
            build = live.pages if live else build_pages
            pages = build(corpus, site_url, similar, markdown)
            self.specs = {p.src_uri: p for p in pages}
            self.not_found = not_found(corpus)
        self.rendered = self.read = self.pages = 0

        with self._timed("pages"):
            # Of the files MkDocs found in content/ (it follows links), only checked guide
            # pages and images are published as they are; everything else is read by the
            # pipeline or refused by kb controleer (links, .html, .js, devices, ...).
            docs = Path(os.path.abspath(config.docs_dir))
            if docs == Path(os.path.abspath(content)):
                allowed = result.inventory.published_as_is()
                for file in list(files):
                    if _inside(file.abs_src_path, docs) and file.src_uri not in allowed:
                        files.remove(file)
            live = self.live
            if live is not None:
                folders = [config.theme.custom_dir]
                live.update(self.specs, serving.fingerprint(config.config_file_path, folders))
            for spec in self.specs.values():
                existing = files.get_file_from_path(spec.src_uri)
                if existing is not None:
                    files.remove(existing)
                # The blank first line: MkDocs reads page settings from a page that starts
                # with '---' or 'key: value'; a story that does is only text.
                file = File.generated(config, spec.src_uri, content="\n" + spec.markdown)
                if live is not None:
                    serving.mark(file, spec.src_uri in live.modified)
                files.append(file)
        return files

    # Priority 0 (the default): no other plugin reads page settings or changes Markdown.
    @event_priority(0)
    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Files) -> str:
        # MkDocs reads page settings (template, hide, author, status, ...) from the top of a
        # page, and Material prints some of them unescaped. No page keeps any it brought:
        # generated pages get ours; guide pages only a title, escaped (kb controleer refuses a
        # guide page with settings). Material prints meta title and description into HTML
        # without escaping; Markup carries our escaped text through.
        spec = self.specs.get(page.file.src_uri)
        page.meta.clear()
        self.read += 1
        if self.read % STEP == 0:
            self.reports.advance(self.read)
        if page.file.src_uri in self.farmed and not self.in_worker:
            # A worker reads and renders this page; the parent renders nothing for it.
            page.meta["template"] = workers.ELSEWHERE
            page.meta["title"] = Markup(html.escape(spec.title))
            workers.elsewhere(page)
            return ""
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

    # Priority 0 (the default): reads the finished menu; changes nothing.
    @event_priority(0)
    def on_nav(self, nav: Any, config: Any, files: Files) -> Any:
        self.in_menu = {page.file.src_uri for page in nav.pages}
        self.fragments.reset(page.url for page in nav.pages)
        self.nav = nav
        for page in nav.pages if self.live else ():
            serving.mark(page.file, True)  # every page's menu shows their titles
        # Generated pages outside the menu go to workers, one per core (workers.py); pages in
        # the menu stay with MkDocs, which reads their titles for every page's menu.
        self.workers = self.config.workers or cores()
        self.farmed.clear()
        if self.workers > 1 and workers.can_fork():
            todo = self.live.modified if self.live else self.specs
            self.farmed.update(uri for uri in todo if uri not in self.in_menu)
        pages = files.documentation_pages()
        self.pages = sum(1 for f in pages if f.is_modified()) if self.live else len(pages)
        self.reports.stage("Pagina's lezen", self.pages)
        return nav

    # Priority 0 (the default): no other plugin changes the template environment.
    @event_priority(0)
    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        self.reports.stage("Pagina's maken", self.pages)
        compiled = self.live.compiled if self.live else None
        theme.prepare(env, config.theme, self.fragments, {workers.ELSEWHERE: ""}, compiled)
        # The helpdesk of mkdocs.yml (extra: helpdesk), checked: only safe links reach pages.
        env.globals["kb_helpdesk"] = helpdesk_view(config.extra.get("helpdesk"))
        if self.farmed:
            self._start_workers(env, config, files)
        return env

    def _start_workers(self, env: Any, config: Any, files: Files) -> None:
        def in_worker() -> None:
            # The parent reports the workers' counts; a worker's own lines would mix with them.
            self.in_worker, self.reports = True, Reports(False, log)

        farmed = [uri for uri in self.specs if uri in self.farmed]
        logging.getLogger("mkdocs.commands.build").addFilter(self.skipped)
        self.pool = workers.render_pages(
            workers.shares(farmed, self.workers), (env, config, files, self.nav), in_worker, STEP
        )

    # Priority 0 (the default): adds our data; no other plugin reads it.
    @event_priority(0)
    def on_page_context(self, context: dict, page: Any, config: Any, nav: Any) -> dict:
        spec = self.specs.get(page.file.src_uri)
        context["kb"] = spec.data if spec else {}
        # Pages outside the menu at the same depth share menu, tabs and footer (main.html,
        # partials/nav.html).
        off_menu = page.file.src_uri not in self.in_menu
        context["kb_cache_key"] = self.fragments.key(page.url) if off_menu else None
        if page.file.src_uri in self.farmed and not self.in_worker:
            return context  # a worker renders and counts it
        self.rendered += 1
        if self.rendered % STEP == 0:
            self.reports.advance(self.rendered + (self.pool.poll() if self.pool else 0))
        return context

    # Priority 0 (the default): adds our data; no other plugin reads it.
    @event_priority(0)
    def on_template_context(self, context: dict, template_name: str, config: Any) -> dict:
        # MkDocs renders 404.html without a page, with links from the site root (its
        # base_url is site_url's path), so it works at any missing address.
        if template_name == "404.html":
            context["kb"] = self.not_found
        return context

    # Priority 0 (the default): mends the theme's own invalid markup in the finished page.
    @event_priority(0)
    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        output = valid_html(output)
        # c/<id>/ and a/<id>/ are copies of the page (render.shortlinks), written as it is made.
        if (short := self.short_of.get(page.url)) is not None and output.strip():
            write_short_page(Path(config.site_dir), short, page.url, output, config.site_url or "")
        return output

    # Priority 0 (the default): the same for the theme's own pages (404.html).
    @event_priority(0)
    def on_post_template(self, output_content: str, template_name: str, config: Any) -> str:
        return valid_html(output_content) if template_name.endswith(".html") else output_content

    # Priority 0 (the default): after all pages are written, whatever the order of plugins;
    # short-address copies and redirect pages never overwrite a real page.
    @event_priority(0)
    def on_post_build(self, config: Any) -> None:
        if self.corpus is None:
            return
        if self.pool is not None:
            pool, self.pool = self.pool, None
            try:
                self.rendered += pool.wait(lambda done: self.reports.advance(self.rendered + done))
            except workers.WorkerError as error:
                raise self._fail(str(error)) from error
            finally:
                logging.getLogger("mkdocs.commands.build").removeFilter(self.skipped)
            self.timings["cpu_workers"] = pool.cpu  # kb meten: the workers' processor time
        site, corpus, site_url = Path(config.site_dir), self.corpus, config.site_url or ""
        self.reports.stage("Open data, feed en korte adressen schrijven")
        with self._timed("opendata"):
            # Old addresses from the ledger are redirect pages, never over a short address.
            short, live = short_pages(corpus), self.live
            if live is not None:
                live.remove_stale(site, short)
            redirects = {k: v for k, v in self.redirects.items() if k not in short}
            args = (corpus, site, site_url, html.unescape(config.site_name), redirects)
            if live is None:
                write_site_data(*args)
            else:  # kb bekijk: the page is on screen first; data and search follow
                markdown = self.markdown
                search = partial(sitesearch.start, corpus, markdown, site)
                live.after(partial(write_site_data, *args), search, self.reports.error)
        if self.search_job is not None:
            job, self.search_job = self.search_job, None
            self.reports.stage("Zoekindex afmaken")
            with self._timed("search"):
                try:
                    job.finish()
                except sitesearch.SiteIndexError as error:
                    raise self._fail(str(error)) from error
            # The child's own times (kb meten): it runs beside the other stages.
            self.timings["search_background"] = job.seconds or 0.0
            for step, seconds in (job.steps or {}).items():
                self.timings[f"search_{step}"] = seconds
        if self.config.timings:
            Path(self.config.timings).write_text(json.dumps(self.timings), encoding="utf-8")
        if self.live is not None:
            self.live.built()
        cases, answers = len(self.corpus.cases), len(self.corpus.answers)
        self.reports.finished(cases=cases, answers=answers, pages=self.rendered)

    # Priority 0 (the default): only stops our own child process.
    @event_priority(0)
    def on_build_error(self, error: Exception) -> None:
        if self.live is not None:
            self.live.failed()
        if self.search_job is not None:
            self.search_job.cancel()
            self.search_job = None
        if self.pool is not None:
            self.pool.cancel()
            self.pool = None
        logging.getLogger("mkdocs.commands.build").removeFilter(self.skipped)

    def _fail(self, message: str) -> PluginError:
        """The error that stops the build; kb bouw shows ``message`` in its own form."""
        return PluginError(self.reports.failed(message))

    @contextmanager
    def _timed(self, stage: str) -> Iterator[None]:
        """Add the wall time of a block to a pipeline stage, for `kb meten`."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - started


def _inside(path: str | None, folder: Path) -> bool:
    """Is ``path`` (a File's source, None for generated pages) inside ``folder``?"""
    if not path:
        return False
    absolute = Path(os.path.abspath(path))
    return absolute == folder or folder in absolute.parents
