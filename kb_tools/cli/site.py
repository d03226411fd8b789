"""Commands that make the website: ``build`` and ``serve``. They run the site engine
(ProperDocs or MkDocs, see ``kb_tools.cli.engine``); the plugin does the work.

kb checks what it can before the engine starts (the network, the port), so a mistake is a
Dutch usage error. ``kb bouw`` builds into a new folder beside the site and swaps it in at
the end: an error or Ctrl-C leaves the previous site as it was.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import shutil
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from kb_tools.cli import engine
from kb_tools.cli.shared import (
    EXIT_CONTENT,
    EXIT_OK,
    EXIT_USAGE,
    AddCommand,
    Commands,
    add_config_option,
    add_network_option,
    check_network,
    whole_number,
)
from kb_tools.load.registry import load_registry
from kb_tools.progress import number, seconds


def _engine_or_none() -> str | None:
    """The engine to run, or None after saying (in Dutch) why there is none."""
    try:
        return engine.select_engine()
    except engine.EngineError as error:
        print(f"kb: fout: {error}", file=sys.stderr)
        return None


def _require_config(parser: argparse.ArgumentParser, config: Path) -> None:
    if not config.is_file():
        parser.error(f"het bestand '{config}' bestaat niet. Start kb in de map van de kennisbank.")


class _SettingsLoader(yaml.SafeLoader):
    """mkdocs.yml as plain YAML: kb only needs two folder names, not the values of the
    engine's own tags (!ENV, !relative), which read as nothing here."""


_SettingsLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def _folders(config: Path) -> tuple[Path, Path]:
    """The content and site folders of ``config`` (docs_dir, site_dir), as MkDocs reads
    them: relative to the folder of the settings file."""
    try:
        settings = yaml.load(config.read_text(encoding="utf-8"), Loader=_SettingsLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        settings = None  # the engine says what is wrong with it
    settings = settings if isinstance(settings, dict) else {}
    docs, site = settings.get("docs_dir"), settings.get("site_dir")
    docs = docs if isinstance(docs, str) else "content"
    site = site if isinstance(site, str) else "site"
    return config.parent / docs, config.parent / site


def _check_network(parser: argparse.ArgumentParser, content: Path, network: str) -> None:
    """A network id that is not in netwerken.yml is a usage error, before the engine
    starts. A registry with errors is left to the build, which reports them as findings."""
    if not content.is_dir():
        return
    registry, findings = load_registry(content)
    if not any(f.severity == "error" for f in findings):
        check_network(parser, registry, network)


def _unsafe_site(site: Path, config: Path, content: Path) -> bool:
    """Would swapping ``site`` in replace the knowledge base itself (its settings file or
    its content folder are inside it, or it is inside the content folder)?"""
    target = Path(os.path.abspath(site))
    for inside in (config, content):
        path = Path(os.path.abspath(inside))
        if path == target or target in path.parents:
            return True
    # Inside content/ the site would be read as content by the next build.
    return Path(os.path.abspath(content)) in target.parents


def _not_a_website(site: Path) -> bool:
    """Is ``site`` a folder with files but no website (no index.html, no sitemap.xml)?
    The swap removes the old folder, so a mistyped --site must not be one of documents."""
    if not site.is_dir() or site.is_symlink():
        return False
    try:
        names = {entry.name for entry in site.iterdir()}
    except OSError:
        return True  # unreadable: it is not kb's to remove
    return bool(names) and not names & {"index.html", "sitemap.xml"}


def _remove(folder: Path) -> None:
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder, ignore_errors=True)
    elif folder.exists() or folder.is_symlink():
        folder.unlink()


def _sweep(site: Path) -> None:
    """Remove what a killed ``kb bouw`` left beside ``site`` (its new or old folder)."""
    for kind in (".kb-nieuw-", ".kb-oud-"):
        for folder in site.parent.glob(f"{glob.escape(site.name)}{kind}*"):
            pid = folder.name.rsplit("-", 1)[1]
            if pid.isdigit() and engine.gone(int(pid)):
                _remove(folder)


@contextlib.contextmanager
def _one_swap_at_a_time(folder: Path) -> Iterator[None]:
    """Two ``kb bouw`` runs into the same site build side by side but swap one after the
    other: an exclusive lock on the folder that holds the site (not on Windows)."""
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _swap(new: Path, site: Path) -> None:
    """Put ``new`` where ``site`` is, with renames: the old site is never half removed.
    Ctrl-C waits until the swap is done (a second or two to remove the old site)."""
    old = new.with_name(new.name.replace(".kb-nieuw-", ".kb-oud-"))
    held = {}
    if threading.current_thread() is threading.main_thread():
        held = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with _one_swap_at_a_time(site.parent):
            _rename_into_place(new, site, old)
    finally:
        for sig, handler in held.items():
            signal.signal(sig, handler)


def _rename_into_place(new: Path, site: Path, old: Path) -> None:
    _remove(old)
    if site.exists() or site.is_symlink():
        site.rename(old)
    new.rename(site)
    _remove(old)


# -- kb bouw -------------------------------------------------------------------------------


def add_build(commands: Commands) -> None:
    build = commands.add_parser(
        "bouw",
        help="Bouw de website in de map site/.",
        description="Controleer alle inhoud en bouw de website. Bij fouten in de inhoud\n"
        "wordt er niets gebouwd; u ziet dezelfde meldingen als bij 'kb controleer'.",
        epilog="Voorbeeld:\n  kb bouw\n  kb bouw --site /tmp/mijn-site\n"
        "  kb bouw --netwerk zorgzame-dorpen\n",
    )
    add_config_option(build)
    build.add_argument(
        "--site", type=Path, metavar="MAP", help="Bouw in deze map in plaats van site/."
    )
    add_network_option(
        build,
        "Bouw een eigen website met alleen de casussen van dit netwerk "
        "(standaard in de map site-<netwerk>/).",
    )
    build.set_defaults(handler=cmd_build)


def cmd_build(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    _require_config(parser, args.config)
    content, configured_site = _folders(args.config)
    if args.netwerk:
        _check_network(parser, content, args.netwerk)
    site = args.site or (Path(f"site-{args.netwerk}") if args.netwerk else configured_site)
    shown = site
    if _unsafe_site(site, args.config, content):
        parser.error(
            f"in de map '{site}' staat de kennisbank zelf. Kies met --site een andere map."
        )
    if site.exists() and not site.is_dir():
        parser.error(f"'{site}' is een bestand, geen map. Kies met --site een map.")
    if _not_a_website(site):
        parser.error(
            f"in de map '{site}' staan bestanden maar geen website; kb bouw zou ze "
            "weghalen. Kies met --site een lege map of een nieuwe naam."
        )
    name = _engine_or_none()
    if name is None:
        return EXIT_USAGE
    env = {"KB_NETWERK": args.netwerk} if args.netwerk else {}
    site = Path(os.path.abspath(site))
    # Built beside the site, swapped in at the end (_swap); removed on every other exit.
    new = site.with_name(f"{site.name}.kb-nieuw-{os.getpid()}")
    print("De website wordt gebouwd. Dit kan even duren.", flush=True)
    started = time.monotonic()
    command = ["build", "--clean", "--quiet", "--config-file", str(args.config)]
    try:
        _sweep(site)
        _remove(new)
        outcome = engine.run_engine(name, [*command, "--site-dir", str(new)], env)
        if outcome.interrupted:
            kept = "De vorige website is niet veranderd." if site.exists() else ""
            print(f"Afgebroken: de website is niet gebouwd. {kept}".rstrip(), file=sys.stderr)
            return engine.INTERRUPTED
        if outcome.code != 0 or not new.is_dir():
            _engine_failed(outcome, name, site.exists())
            return EXIT_CONTENT
        _swap(new, site)
    finally:
        _remove(new)
    print(engine.END_OF_LIFE, file=sys.stderr)
    took = seconds(time.monotonic() - started)
    print(f"Klaar: {_built(outcome.finished)} staat in {shown}/ ({took}).")
    return EXIT_OK


def _built(counts: dict[str, Any] | None) -> str:
    """What was built, from the plugin's counts: 'de website (34 casussen, ...)'."""
    if not counts:
        return "de website"
    parts = []
    for key, one, many in (
        ("cases", "casus", "casussen"),
        ("answers", "antwoord", "antwoorden"),
        ("pages", "pagina", "pagina's"),
    ):
        value = counts.get(key)
        if isinstance(value, int) and (value or key == "cases"):
            parts.append(f"{number(value)} {one if value == 1 else many}")
    return f"de website ({', '.join(parts)})" if parts else "de website"


def _engine_failed(outcome: engine.Outcome, name: str, kept: bool = False) -> None:
    """After a failed build: what the engine said that kb did not say already (a broken
    mkdocs.yml, a bug: in the engine's own words, often English)."""
    said = outcome.engine_says()
    if said and outcome.failed is None:
        print(f"{engine.NAMES[name]} meldt:", file=sys.stderr)
        for line in said[-40:]:
            print(f"  {line}", file=sys.stderr)
    if outcome.failed is None:
        print("De website is niet gebouwd. Lees de meldingen hierboven.", file=sys.stderr)
    elif kept:
        print("De vorige website is niet veranderd.", file=sys.stderr)


# -- kb bekijk -----------------------------------------------------------------------------


def add_serve(commands: Commands) -> None:
    serve = commands.add_parser(
        "bekijk",
        help="Bouw de website en bekijk hem in uw browser.",
        description="Bouw de website en start een kleine webserver op uw eigen computer.\n"
        "Als u een casus bewaart, wordt de pagina vanzelf ververst.",
        epilog="Voorbeeld:\n  kb bekijk\n  kb bekijk --poort 8001\n",
    )
    add_config_option(serve)
    serve.add_argument(
        "--poort",
        type=whole_number,
        default=8000,
        metavar="NUMMER",
        help="Poortnummer (standaard: 8000).",
    )
    serve.set_defaults(handler=cmd_serve)


def _port_problem(port: int) -> str | None:
    """Why the engine cannot serve on 127.0.0.1:``port`` (Dutch), or None when it can."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the engine's server does: a port that only lingers from a closed server is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except PermissionError:
            return f"poort {port} mag alleen de beheerder van deze computer gebruiken."
        except OSError:
            return f"poort {port} is al in gebruik, misschien door een andere 'kb bekijk'."
    return None


def _free_port(after: int) -> int | None:
    return next(
        (p for p in range(after + 1, min(after + 50, 65535) + 1) if _port_problem(p) is None), None
    )


def cmd_serve(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    _require_config(parser, args.config)
    if not 1 <= args.poort <= 65535:
        parser.error(f"poort {args.poort} bestaat niet. Kies een getal van 1 tot en met 65535.")
    name = _engine_or_none()
    if name is None:
        return EXIT_USAGE
    problem = _port_problem(args.poort)
    if problem is not None:
        other = _free_port(max(args.poort, 1024)) or 8001
        print(
            f"kb: fout: {problem}\nKies een andere poort, bijvoorbeeld: kb bekijk --poort {other}",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    address = f"http://127.0.0.1:{args.poort}/"
    print(f"De website wordt gebouwd en komt op {address} .", flush=True)
    builds = []
    ended = threading.Event()

    def announce() -> None:
        # "Ready" only once the engine's server answers: it starts after the first build.
        while not ended.wait(0.2):
            try:
                socket.create_connection(("127.0.0.1", args.poort), timeout=1).close()
            except OSError:
                continue
            print(f"De website staat klaar op {address} . Stoppen: Ctrl+C.", flush=True)
            return

    def on_report(report: dict[str, Any]) -> None:
        if "finished" in report:
            builds.append(report)
            if len(builds) > 1:
                print(f"De website is bijgewerkt op {address} .", flush=True)

    announcer = threading.Thread(target=announce, daemon=True)
    announcer.start()
    # --dirty: the engine keeps its site folder between builds and the plugin makes again
    # only the pages whose content changed (mkdocs_plugin/serving.py).
    command = ["serve", "--dirty", "--quiet", "--config-file", str(args.config)]
    outcome = engine.run_engine(
        name, [*command, "--dev-addr", f"127.0.0.1:{args.poort}"], on_report=on_report, live=True
    )
    ended.set()
    announcer.join()
    if outcome.interrupted:
        print("De webserver is gestopt.", file=sys.stderr)
        return EXIT_OK
    if outcome.code != 0:
        if any("Address already in use" in line for line in outcome.lines):
            print(
                f"kb: fout: poort {args.poort} is intussen in gebruik genomen. "
                "Kies een andere poort met --poort.",
                file=sys.stderr,
            )
        else:
            _engine_failed(outcome, name)
        return EXIT_CONTENT
    return EXIT_OK


COMMANDS: dict[str, AddCommand] = {"bouw": add_build, "bekijk": add_serve}
