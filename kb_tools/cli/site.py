"""Commands that make the website: ``build`` and ``serve``. They run the site engine
(ProperDocs or MkDocs, see ``kb_tools.cli.engine``); the plugin does the work.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kb_tools.cli import engine
from kb_tools.cli.shared import (
    EXIT_CONTENT,
    EXIT_OK,
    EXIT_USAGE,
    AddCommand,
    Commands,
    add_config_option,
    add_network_option,
    whole_number,
)


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
    name = _engine_or_none()
    if name is None:
        return EXIT_USAGE
    env = {}
    site = args.site or Path("site")
    if args.netwerk:
        # The plugin checks the id against the registry and builds only this network.
        env["KB_NETWERK"] = args.netwerk
        site = args.site or Path(f"site-{args.netwerk}")
    print("De website wordt gebouwd. Dit kan even duren.", flush=True)
    started = time.monotonic()
    command = ["build", "--clean", "--quiet", "--config-file", str(args.config)]
    if args.site or args.netwerk:
        command += ["--site-dir", str(site)]
    code = engine.run_engine(name, command, env)
    if code != 0:
        print("De website is niet gebouwd. Lees de meldingen hierboven.", file=sys.stderr)
        return EXIT_CONTENT
    print(f"Klaar: de website staat in {site}/ ({time.monotonic() - started:.1f} s).")
    return EXIT_OK


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


def cmd_serve(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    _require_config(parser, args.config)
    name = _engine_or_none()
    if name is None:
        return EXIT_USAGE
    print(f"De website komt op http://127.0.0.1:{args.poort}/ . Stoppen: Ctrl+C.", flush=True)
    return engine.run_engine(
        name,
        ["serve", "--config-file", str(args.config), "--dev-addr", f"127.0.0.1:{args.poort}"],
    )


COMMANDS: dict[str, AddCommand] = {"bouw": add_build, "bekijk": add_serve}
