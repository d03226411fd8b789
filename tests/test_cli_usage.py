"""Usage errors of kb, for every command (found by walking the parser, so a new command is
covered without a new test): Dutch, exit 2, the usage of the command at hand, a
did-you-mean; the old English command names work as hidden aliases."""

from __future__ import annotations

import argparse
import ast
import inspect
import re
from pathlib import Path

import pytest

from kb_tools.cli import ALIASES, ORDER, build_parser, usage
from kb_tools.cli.usage import Commands, DutchParser
from kb_tools.facets import FACETS, SEARCH_FILTERS
from kb_tools.load.registry import load_registry

from .conftest import CONTENT
from .conftest import run_kb as run

#: Words of argparse's English messages that must never reach a user.
ENGLISH = (
    "usage:",
    "error:",
    "invalid",
    "argument",
    "expected",
    "required",
    "choose from",
    "unrecognized",
    "ambiguous",
    "not allowed",
    "traceback",
)


def walk(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(command words, parser) of every command and nested command."""
    for action in parser._actions:
        if isinstance(action, Commands):
            for name, sub in action.choices.items():
                yield (*path, name), sub
                yield from walk(sub, (*path, name))


COMMANDS = list(walk(build_parser()))
LEAVES = [(path, p) for path, p in COMMANDS if not any(isinstance(a, Commands) for a in p._actions)]
GROUPS = [(path, p) for path, p in COMMANDS if (path, p) not in LEAVES]
IDS = [" ".join(path) for path, _ in COMMANDS]


def required_values(parser: argparse.ArgumentParser) -> list[str]:
    """A value for each positional the command needs, so that parsing gets past them."""
    return [
        "x"
        for a in parser._actions
        if not a.option_strings and a.nargs in (None, "+") and not isinstance(a, Commands)
    ]


def assert_dutch_usage_error(err: str, path: tuple[str, ...]) -> None:
    command = " ".join(("kb", *path))
    assert err.startswith(f"Gebruik: {command} "), err[:200]
    assert f"{command}: fout" in err, err
    assert f"Kijk bij '{command} --help' voor uitleg." in err, err
    lowered = err.lower()
    assert not [w for w in ENGLISH if w in lowered], err


def test_the_walk_finds_every_command_and_the_nested_ones() -> None:
    assert {path[0] for path, _ in COMMANDS} == set(ORDER)
    assert ("bronnen", "bijwerken") in [path for path, _ in COMMANDS]


@pytest.mark.parametrize(("path", "parser"), COMMANDS, ids=IDS)
def test_an_unknown_option_is_a_dutch_usage_error_of_the_command(path, parser, capsys) -> None:
    args = [*path, *required_values(parser), "--onzin-optie"]
    code, out, err = run(args, capsys)
    assert code == 2 and out == ""
    assert_dutch_usage_error(err, path)
    if (path, parser) in LEAVES:
        assert "de optie --onzin-optie bestaat niet" in err
    else:  # a group without its subcommand: it says which subcommands there are
        assert "noem een opdracht" in err


@pytest.mark.parametrize(("path", "parser"), COMMANDS, ids=IDS)
def test_help_of_every_command_is_dutch(path, parser, capsys) -> None:
    code, out, err = run([*path, "--help"], capsys)
    assert code == 0 and err == ""
    assert out.startswith(f"Gebruik: kb {' '.join(path)}"), out[:80]
    assert "Opties:" in out and "Voorbeeld" in out
    for english in ("usage:", "show this help", "positional arguments", "options:"):
        assert english not in out


def typed_options() -> list[tuple[tuple[str, ...], argparse.Action]]:
    """Every option whose value is converted (a number), in every command."""
    found = []
    for path, parser in LEAVES:
        for action in parser._actions:
            if action.option_strings and action.type is not None:
                try:
                    action.type("x")
                except (argparse.ArgumentTypeError, TypeError, ValueError):
                    found.append((path, action))
    return found


TYPED = typed_options()


def test_the_typed_options_are_found_and_use_a_dutch_type() -> None:
    names = {(" ".join(path), a.option_strings[-1]) for path, a in TYPED}
    assert {("zoek", "--aantal"), ("bekijk", "--poort"), ("linkcontrole", "--tijd")} <= names
    # int and float fail with argparse's English "invalid int value"
    builtin = [(path, a.option_strings[-1]) for path, a in TYPED if a.type in (int, float)]
    assert not builtin


@pytest.mark.parametrize(
    ("path", "action"), TYPED, ids=[f"{' '.join(p)} {a.option_strings[-1]}" for p, a in TYPED]
)
def test_a_wrong_value_for_a_typed_option(path, action, capsys) -> None:
    parser = dict(COMMANDS)[path]
    option = action.option_strings[-1]
    code, out, err = run([*path, *required_values(parser), option, "x"], capsys)
    assert code == 2 and out == ""
    assert_dutch_usage_error(err, path)
    assert f"fout bij {'/'.join(action.option_strings)}: 'x' is geen" in err, err
    example = re.search(r"Voorbeeld: (\S+) (\S+)", err)
    assert example and example[1] in action.option_strings, err
    action.type(example[2])  # the example is a correct value


def test_aantal_says_it_wants_a_number(capsys) -> None:
    code, _, err = run(["zoek", "pgb", "--aantal", "vijf"], capsys)
    assert code == 2
    assert "kb zoek: fout bij --aantal: 'vijf' is geen heel getal. Voorbeeld: --aantal" in err


def test_did_you_mean_for_a_command(capsys) -> None:
    code, out, err = run(["chek"], capsys)
    assert code == 2 and out == ""
    assert_dutch_usage_error(err, ())
    assert "'chek' is geen opdracht van kb." in err and "Bedoelt u 'kb controleer'" in err
    code, _, err = run(["zoe", "pgb"], capsys)
    assert code == 2 and "Bedoelt u 'kb zoek'" in err
    code, _, err = run(["bronnen", "bijwerk"], capsys)
    assert code == 2 and "Bedoelt u 'kb bronnen bijwerken'?" in err
    assert_dutch_usage_error(err, ("bronnen",))


def test_did_you_mean_for_an_option(capsys) -> None:
    code, _, err = run(["zoek", "pgb", "--aantl", "3"], capsys)
    assert code == 2
    assert_dutch_usage_error(err, ("zoek",))
    assert "de optie --aantl bestaat niet bij kb zoek. Bedoelt u '--aantal'?" in err
    code, _, err = run(["check", "--strikt"], capsys)
    assert code == 2 and "Bedoelt u '--strict'?" in err
    assert_dutch_usage_error(err, ("controleer",))


def test_a_wrong_choice_lists_the_choices_with_a_suggestion(capsys) -> None:
    code, _, err = run(["zoek", "vervoer", "--soort", "casu"], capsys)
    assert code == 2
    assert_dutch_usage_error(err, ("zoek",))
    assert "Kies uit: casus, antwoord. Bedoelt u 'casus'?" in err


def test_an_error_in_a_command_shows_that_commands_usage(capsys, content: Path) -> None:
    code, _, err = run(["link", "bestaat-niet-0001", "--content", str(content)], capsys)
    assert code == 2
    assert_dutch_usage_error(err, ("webadres",))  # raised by the handler, not by argparse
    code, _, err = run(["link"], capsys)
    assert code == 2 and "dit ontbreekt: NUMMER. Voorbeeld: kb webadres ams-0001" in err
    code, _, err = run(["link", "ams-0001", "te-veel"], capsys)
    assert code == 2 and "dit begrijpt kb webadres niet: te-veel" in err
    assert_dutch_usage_error(err, ("webadres",))


def test_bronnen_alone_shows_its_own_usage(capsys) -> None:
    code, out, err = run(["bronnen"], capsys)
    assert code == 2 and out == ""
    assert_dutch_usage_error(err, ("bronnen",))
    assert "noem een opdracht: bijwerken. Voorbeeld: kb bronnen bijwerken" in err


def test_kb_alone_shows_the_help_and_exits_2(capsys) -> None:
    code, out, _ = run([], capsys)
    assert code == 2
    assert out.startswith("Gebruik: kb ") and "Opdrachten:" in out


def listed_commands(help_text: str) -> list[str]:
    section = help_text.split("Opdrachten:", 1)[1].split("\n\n", 1)[0]
    return re.findall(r"^    (\S+)", section, re.M)


def test_kb_help_lists_each_dutch_name_once_and_no_alias(capsys) -> None:
    code, out, _ = run(["--help"], capsys)
    assert code == 0
    listed = listed_commands(out)
    assert listed == list(ORDER)
    assert len(set(listed)) == len(listed) and not set(ALIASES) & set(listed)
    assert not [old for old in ALIASES if re.search(rf"kb {old}\b", out)]


@pytest.mark.parametrize(("old", "new"), sorted(ALIASES.items()))
def test_every_old_name_still_works(old: str, new: str, capsys) -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, Commands))
    assert old not in sub.choices  # hidden: not a listed choice
    code, out, _ = run([old, "--help"], capsys)
    assert code == 0 and out.startswith(f"Gebruik: kb {new} ")
    args = parser.parse_args([old, *required_values(sub.choices[new])])
    assert args.command == new and args.handler is sub.choices[new].get_default("handler")
    code, _, err = run([old, *required_values(sub.choices[new]), "--onzin-optie"], capsys)
    assert code == 2
    assert_dutch_usage_error(err, (new,))


def test_did_you_mean_knows_the_old_names(capsys) -> None:
    _, _, err = run(["simlar"], capsys)
    assert "Bedoelt u 'kb vergelijkbaar'" in err
    _, _, err = run(["from-isue"], capsys)
    assert "Bedoelt u 'kb uit-issue'" in err


# -- unknown vocabulary terms and networks ------------------------------------------------

REGISTRY = load_registry(CONTENT)[0]
VOCABULARY_OPTIONS = [f.name for f in FACETS if f.search_filter]


def test_wet_ww2_is_a_usage_error_with_a_suggestion(capsys, content: Path) -> None:
    code, out, err = run(["zoek", "vervoer", "--wet", "ww2", "--content", str(content)], capsys)
    assert code == 2 and out == ""
    assert_dutch_usage_error(err, ("zoek",))
    assert "'ww2' staat niet in de lijst 'Wetten en regels'. Bedoelt u 'ww'" in err
    assert "Niets gevonden" not in err


@pytest.mark.parametrize("name", VOCABULARY_OPTIONS)
def test_every_vocabulary_filter_refuses_an_unknown_term(name: str, capsys, content) -> None:
    term = REGISTRY.vocabularies[name].terms[0]
    typo = term.id[:-1] + "q" + term.id[-1]
    code, _, err = run(["zoek", f"--{name}", typo, "--content", str(content)], capsys)
    assert code == 2
    assert_dutch_usage_error(err, ("zoek",))
    assert f"'{typo}' staat niet in de lijst" in err and f"'{term.id}'" in err
    # the right id still searches
    assert run(["zoek", f"--{name}", term.id, "--content", str(content), "--json"], capsys)[0] == 0


def test_the_search_filters_are_the_vocabulary_options_and_the_network() -> None:
    assert [name for name, _ in SEARCH_FILTERS] == [*VOCABULARY_OPTIONS, "netwerk"]


# Commands that read the content folder and take a network id. `kb bouw --netwerk` hands the
# id to the site engine, which checks it there (issue 17, item 8).
NETWORK_COMMANDS = [
    (path, parser)
    for path, parser in LEAVES
    if {"--netwerk", "--content"} <= {o for a in parser._actions for o in a.option_strings}
]


def test_the_network_commands_are_found() -> None:
    found = {" ".join(path) for path, _ in NETWORK_COMMANDS}
    assert found == {"zoek", "nieuw", "uit-issue", "bronnen bijwerken"}


@pytest.mark.parametrize(
    ("path", "parser"), NETWORK_COMMANDS, ids=[" ".join(p) for p, _ in NETWORK_COMMANDS]
)
def test_an_unknown_network_is_a_usage_error_with_a_suggestion(path, parser, capsys, content):
    args = [*path, *required_values(parser), "--netwerk", "amsterdamse-stadsdorp"]
    code, out, err = run([*args, "--content", str(content)], capsys)
    assert code == 2 and out == ""
    assert_dutch_usage_error(err, path)
    assert "het netwerk 'amsterdamse-stadsdorp' bestaat niet. Bedoelt u " in err
    assert "'amsterdamse-stadsdorpen'" in err


# -- every message argparse has ------------------------------------------------------------


def argparse_messages() -> set[str]:
    """The texts of argparse's _() and ngettext() calls, in the Python that runs the tests."""
    tree = ast.parse(inspect.getsource(argparse))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "ngettext"):
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
    return found


def test_every_argparse_message_is_translated_or_replaced() -> None:
    known = (
        set(usage.ARGUMENT_MESSAGES)
        | set(usage.MESSAGES)
        | set(usage.REPLACED)
        | set(usage.NOT_FOR_USERS)
    )
    assert argparse_messages() <= known, sorted(argparse_messages() - known)


def sample(template: str) -> str:
    """What argparse makes of ``template`` with made-up values."""
    names = re.findall(r"%\((\w+)\)[sr]", template)
    if names:
        return template % {n: "--voorbeeld" for n in names}
    return template % tuple("--voorbeeld" for _ in re.findall(r"%[sr]", template))


@pytest.mark.parametrize("english", [*usage.ARGUMENT_MESSAGES, *usage.MESSAGES])
def test_each_translation_reads_as_dutch(english: str) -> None:
    table = usage.ARGUMENT_MESSAGES if english in usage.ARGUMENT_MESSAGES else usage.MESSAGES
    dutch = usage._translate(sample(english), table)
    assert dutch and not [w for w in ENGLISH if w in dutch.lower()], dutch


def tool_parser() -> DutchParser:
    """A parser with the kinds of options kb's commands do not have (yet); with abbreviations,
    which kb's own parsers refuse, so that the 'ambiguous option' message is covered too."""
    parser = DutchParser(
        prog="kb proef", epilog="Voorbeeld:\n  kb proef --paar 1 2 --a\n", allow_abbrev=True
    )
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--a", action="store_true")
    group.add_argument("--b", action="store_true")
    parser.add_argument("--paar", nargs=2, type=usage.whole_number)
    parser.add_argument("--hoogstens", nargs="?", const=1, type=usage.whole_number)
    parser.add_argument("--verplicht", required=False)
    parser.add_argument("--verplichte-optie", dest="must", required=True)
    return parser


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--a", "--b"], "dit gaat niet samen met --a"),
        (["--verplichte-optie", "1"], "kies een van deze opties: --a --b"),
        (["--a"], "dit ontbreekt: --verplichte-optie."),
        (["--a", "--verplichte-optie", "1", "--paar", "1"], "hier horen precies 2 waarden bij"),
        (["--a", "--verplichte-optie", "1", "--paar", "1", "x"], "'x' is geen heel getal"),
        (["--a", "--verplichte-optie", "1", "--verpl", "1"], "kan meer dan één optie zijn"),
        (["--a=1", "--verplichte-optie", "1"], "hier hoort geen waarde bij"),
    ],
)
def test_the_messages_kb_has_no_command_for_yet(args, expected, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        tool_parser().parse_args(args)
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert expected in err, err
    assert not [w for w in ENGLISH if w in err.lower()], err
    assert err.startswith("Gebruik: kb proef ") and "Kijk bij 'kb proef --help'" in err


@pytest.mark.parametrize(
    "args",
    [
        ["zoek", "--aantal", ""],
        ["zoek", "--aantal", "1e999999"],
        ["links", "--tijd", "nan"],
        ["links", "--tijd", "inf"],
        ["✓"],
        ["zoek", "--" + "a" * 5000],
        ["zoek", "--soort", "\x1b[2J"],
        ["zoek", "--aantal", "\x1b[2J"],
        ["\x1b[2J"],
        ["zoek", "--\x1b[2J"],
        ["zoek", "pgb", "--thema", "\x1b[2J", "--content", str(CONTENT)],
        ["zoek", "pgb", "--netwerk", "\x1b[2J", "--content", str(CONTENT)],
        ["--"],
        ["-"],
        # handlers' own usage errors quote the argument too
        ["webadres", "\x1b[2J", "--content", str(CONTENT)],
        ["vergelijkbaar", "\x1b]0;titel\x07", "--content", str(CONTENT)],
    ],
)
def test_hostile_arguments_give_a_usage_error_not_a_traceback(args, capsys) -> None:
    code, _, err = run(args, capsys)
    assert code == 2
    assert not [w for w in ENGLISH if w in err.lower()], err
    assert len(err) < 3000 and "\x1b" not in err and "\x07" not in err


@pytest.mark.parametrize("text", ["١٢٣", "8_000", "８０", "1_0.5", "٣,٥", "0x50"])
def test_numbers_are_plain_digits_only(text: str, capsys) -> None:
    # Python's int() and float() take other scripts' digits and underscores: '--poort ١٢٣'
    # served on port 123 and '--poort 8_000' said 'poort 8000' to someone who typed 8_000.
    code, _, err = run(["bekijk", "--poort", text], capsys)
    assert code == 2 and "geen heel getal" in err, err
    code, _, err = run(["linkcontrole", "--tijd", text], capsys)
    assert code == 2 and "geen getal" in err, err
    assert usage.whole_number(" -12 ") == -12 and usage.decimal_number("2,5") == 2.5


def test_abbreviated_options_are_refused_with_the_full_name(capsys) -> None:
    # A script with --aan would break the day another option starts with 'aan'.
    code, _, err = run(["zoek", "pgb", "--aan", "3", "--content", str(CONTENT)], capsys)
    assert code == 2 and "de optie --aan bestaat niet bij kb zoek" in err
    assert "Bedoelt u '--aantal'?" in err
