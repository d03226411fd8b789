"""The Dutch argparse parser of ``kb``: every message argparse can show, in Dutch with an
example; did-you-mean for commands and options; the usage of the command at hand; old
command names as hidden aliases. Usage errors always exit with 2.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from kb_tools.suggest import Suggester, did_you_mean

EXIT_USAGE = 2
#: The namespace attribute that holds the parser of the command at hand (innermost).
PARSER_ATTR = "kb_parser"

# argparse's user-facing messages (3.11 to 3.13), by their English template, in Dutch.
# ``{name}`` is the option or value the message is about. A translation that ends in a
# value error gets an example of correct use appended (see DutchParser._explain).
ARGUMENT_MESSAGES = {
    "expected one argument": "hier hoort een waarde bij.",
    "expected at most one argument": "hier hoort hoogstens één waarde bij.",
    "expected at least one argument": "hier hoort minstens één waarde bij.",
    "expected %s argument": "hier hoort precies %s waarde bij.",
    "expected %s arguments": "hier horen precies %s waarden bij.",
    "invalid %(type)s value: %(value)r": "%(value)s is geen geldige waarde.",
    "invalid choice: %(value)r (choose from %(choices)s)": "%(value)s kan hier niet.",
    "not allowed with argument %s": "dit gaat niet samen met %s. Kies een van de twee.",
    "ignored explicit argument %r": "hier hoort geen waarde bij (%s); laat die weg.",
    "can't open '%(filename)s': %(error)s": "het bestand '%(filename)s' gaat niet open.",
    'argument "-" with mode %r': "'-' (invoer of uitvoer) kan hier niet.",
}
MESSAGES = {
    "the following arguments are required: %s": "dit ontbreekt: %s.",
    "one of the arguments %s is required": "kies een van deze opties: %s.",
    "unrecognized arguments: %s": "dit begrijpt kb niet: %s.",
    "ambiguous option: %(option)s could match %(matches)s": "%(option)s kan meer dan één "
    "optie zijn: %(matches)s. Typ de hele naam.",
    "unexpected option string: %s": "de optie %s hoort hier niet.",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "%(parser_name)s is geen opdracht.",
}
#: Headings and help texts that argparse writes itself; DutchParser and DutchFormatter
#: replace each with Dutch text of their own.
REPLACED = {
    "usage: ": "DutchFormatter: 'Gebruik: '",
    "%(prog)s: error: %(message)s\n": "DutchParser.error",
    "argument %(argument_name)s: %(message)s": "DutchParser.error",
    "positional arguments": "DutchParser: 'Argumenten'",
    "options": "DutchParser: 'Opties'",
    "show this help message and exit": "DutchParser: 'Toon deze hulp en stop.'",
    "show program's version number and exit": "kb --version has a help text",
    "subcommands": "add_subcommands: 'Opdrachten'",
    "%(heading)s:": "the headings are Dutch",
}
#: Messages that no user can cause: they are about how kb declares its options (a test
#: builds the parser), or about features kb does not use (deprecation, default in help).
NOT_FOR_USERS = (
    ".__call__() not defined",
    "conflicting subparser: %s",
    "conflicting subparser alias: %s",
    "cannot merge actions - two groups are named %r",
    "'required' is an invalid argument for positionals",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "dest= is required for options like %r",
    "invalid conflict_resolution value: %r",
    "conflicting option string: %s",
    "conflicting option strings: %s",
    "mutually exclusive arguments must be optional",
    "cannot have multiple subparser arguments",
    "%r is not callable",
    " (default: %(default)s)",
    "command '%(parser_name)s' is deprecated",
    "option '%(option)s' is deprecated",
    "argument '%(argument_name)s' is deprecated",
    "%(prog)s: warning: %(message)s\n",
)


def shown(text: str, limit: int = 40) -> str:
    """What a person typed, safe to print: short, with control characters (a terminal's
    escape sequences) written as escapes."""
    short = text if len(text) <= limit else text[:limit] + "…"
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in short)


@functools.cache
def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression that matches what ``template % values`` gives."""
    parts = re.split(r"(%\(\w+\)[sr]|%[sr])", template)
    regex = ""
    for i, part in enumerate(parts):
        if i % 2 == 0:
            regex += re.escape(part)
        else:
            name = re.match(r"%\((\w+)\)", part)
            regex += f"(?P<{name.group(1)}>.+?)" if name else "(.+?)"
    return re.compile(regex + r"\Z", re.S)


def _translate(message: str, table: dict[str, str]) -> str | None:
    for english, dutch in table.items():
        found = _pattern(english).match(message)
        if found:
            if found.groupdict():
                return dutch % found.groupdict()
            # A translation may leave out a value: use as many as it names.
            return dutch % found.groups()[: len(re.findall(r"%[sr]", dutch))]
    return None


_ARGUMENT_ERROR = _pattern("argument %(argument_name)s: %(message)s")


# -- type functions with Dutch messages ----------------------------------------------------


# Digits 0-9 only: int() and float() also take other scripts' digits ('١٢٣') and '8_000'.
_WHOLE = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)([eE][+-]?[0-9]+)?")


def whole_number(text: str) -> int:
    """A whole number, for options like ``--aantal``."""
    if not _WHOLE.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(f"'{shown(text)}' is geen heel getal.")
    return int(text.strip())


def decimal_number(text: str) -> float:
    """A number that may have decimals (a comma or a point), for ``--tijd``."""
    if not _DECIMAL.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(f"'{shown(text)}' is geen getal.")
    value = float(text.strip().replace(",", "."))
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"'{shown(text)}' is geen gewoon getal.")
    return value


# -- the parser ----------------------------------------------------------------------------


class DutchFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001 - argparse API
        # argparse passes prefix="" when it builds a subcommand's prog: keep that empty.
        super().add_usage(usage, actions, groups, "Gebruik: " if prefix is None else prefix)

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        # argparse forgets that command names are indented once more than options: without
        # this, a long name (vergelijkbaar) pushes its help text onto the next line.
        if isinstance(action, argparse._SubParsersAction) and action.help != argparse.SUPPRESS:
            longest = max(map(len, action.choices), default=0) + self._current_indent + 2
            self._action_max_length = max(self._action_max_length, longest)


class Commands(argparse._SubParsersAction):
    """The subcommands of a parser. Names in ``hidden`` (old name -> name) work but are not
    listed; the chosen parser is kept in the namespace so errors show its usage."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hidden: dict[str, str] = {}

    def __call__(self, parser, namespace, values, option_string=None):  # noqa: ANN001
        name = self.hidden.get(values[0], values[0])
        if name in self._name_parser_map:
            # Set before parsing the rest: a nested command then puts its own parser here.
            setattr(namespace, PARSER_ATTR, self._name_parser_map[name])
        super().__call__(parser, namespace, [name, *values[1:]], option_string)

    def suggest(self, typed: str) -> list[str]:
        names = {n: n for n in self.choices} | self.hidden
        return Suggester(names).close(typed)


class DutchParser(argparse.ArgumentParser):
    """argparse with Dutch headings, help and error messages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", DutchFormatter)
        kwargs.setdefault("add_help", False)
        # No abbreviated options (--aan for --aantal): a script that uses one would break the
        # day another option starts the same; did-you-mean names the full option instead.
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "Argumenten"
        self._optionals.title = "Opties"
        self.add_argument("-h", "--help", action="help", help="Toon deze hulp en stop.")

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]
        namespace, extras = self.parse_known_args(args, namespace)
        if extras:
            at_hand = getattr(namespace, PARSER_ATTR, None) or self
            at_hand.error(at_hand._unknown(extras))
        return namespace

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if isinstance(action, Commands) and value in action.hidden:
            return  # an old command name
        super()._check_value(action, value)

    def error(self, message: str) -> NoReturn:  # type: ignore[override]
        self.print_usage(sys.stderr)
        head, text = f"{self.prog}: fout", message
        found = _ARGUMENT_ERROR.match(message)
        if found:
            action = self._action_named(found["argument_name"])
            text = self._explain(action, found["message"])
            if action is not None and not isinstance(action, Commands):
                head = f"{self.prog}: fout bij {found['argument_name']}"
        else:
            dutch = _translate(message, MESSAGES)
            text = message if dutch is None else self._complete(message, dutch)
        # A handler's message may quote what was typed as it is: escape it here, once.
        text = "".join(c if c.isprintable() or c == "\n" else repr(c)[1:-1] for c in text)
        self.exit(EXIT_USAGE, f"{head}: {text}\nKijk bij '{self.prog} --help' voor uitleg.\n")

    # -- how each message is completed -----------------------------------------------------

    def _action_named(self, name: str) -> argparse.Action | None:
        for action in self._actions:
            names = {"/".join(action.option_strings), str(action.metavar), action.dest}
            if name in names:
                return action
        return None

    def _explain(self, action: argparse.Action | None, message: str) -> str:
        """The Dutch text of an error about one option or value, with an example."""
        typed = _typed_choice(message)
        if isinstance(action, Commands):
            return self._unknown_command(action, message if typed is None else typed)
        text = _translate(message, ARGUMENT_MESSAGES) or message
        if action is None or "Voorbeeld" in text or message.startswith("not allowed"):
            return text
        if action.choices is not None:
            choices = [str(c) for c in action.choices]
            hint = did_you_mean(Suggester({c: c for c in choices}).close(typed or ""))
            text = f"{text} Kies uit: {', '.join(choices)}. {hint}".rstrip()
        return f"{text} Voorbeeld: {self.example(action)}"

    def _complete(self, english: str, text: str) -> str:
        """A message about the whole command: name the commands, or add an example."""
        if english.startswith("the following arguments are required"):
            for action in self._actions:
                if isinstance(action, Commands) and str(action.metavar) in english:
                    names = ", ".join(action.choices)
                    return f"noem een opdracht: {names}. Voorbeeld: {self.example()}"
        if english.startswith("ambiguous option"):
            return text
        return f"{text} Voorbeeld: {self.example()}"

    def _unknown_command(self, action: Commands, typed: str) -> str:
        hint = did_you_mean([f"{self.prog} {name}" for name in action.suggest(typed)])
        return f"'{shown(typed)}' is geen opdracht van {self.prog}. {hint}".rstrip()

    def _unknown(self, extras: list[str]) -> str:
        options = [e for e in extras if e.startswith("-") and len(e) > 1]
        if options:
            typed = options[0].split("=", 1)[0]
            known = [o for a in self._actions for o in a.option_strings]
            hint = did_you_mean(Suggester({o: o for o in known}).close(typed))
            return f"de optie {shown(typed)} bestaat niet bij {self.prog}. {hint}".rstrip()
        extra = shown(" ".join(extras), 80)
        return f"dit begrijpt {self.prog} niet: {extra}. Voorbeeld: {self.example()}"

    def example(self, action: argparse.Action | None = None) -> str:
        """A correct use: of ``action`` (an option), or else of this command. It comes
        from the examples under the command's help when one uses it."""
        lines = [line.strip() for line in (self.epilog or "").splitlines()]
        uses = [line for line in lines if line.startswith(self.prog)]
        if action is None or not action.option_strings:
            return uses[0] if uses else self.prog
        option = max(action.option_strings, key=len)
        if action.nargs == 0:
            return option
        names = "|".join(re.escape(o) for o in action.option_strings)
        for line in uses:
            found = re.search(rf"(?<!\S)({names}) ([^\s-]\S*)", line)
            if found:
                return f"{found[1]} {found[2]}"
        return f"{option} {_sample(action)}"


def _typed_choice(message: str) -> str | None:
    """The value in argparse's "invalid choice" message, without its quotes."""
    found = _pattern("invalid choice: %(value)r (choose from %(choices)s)").match(message)
    if not found:
        return None
    value = found["value"]
    return value[1:-1] if len(value) > 1 and value[0] == value[-1] in "'\"" else value


def _sample(action: argparse.Action) -> str:
    if action.choices:
        return str(next(iter(action.choices)))
    default = action.default
    if isinstance(default, list | tuple):
        default = default[0] if default else None
    if isinstance(default, float) and default.is_integer():
        default = int(default)
    if default not in (None, False, True, argparse.SUPPRESS):
        return str(default)
    if action.type in (whole_number, decimal_number):
        return "5"
    return str(action.metavar or action.dest.upper())


def add_subcommands(
    parser: argparse.ArgumentParser, dest: str, hidden: dict[str, str] | None = None
) -> Commands:
    """The subcommands of ``parser``, with Dutch headings; the chosen name goes to ``dest``,
    and names in ``hidden`` (old name -> name) work without being listed."""
    commands = parser.add_subparsers(
        dest=dest,
        title="Opdrachten",
        metavar="OPDRACHT",
        parser_class=DutchParser,
        action=Commands,
        required=True,
    )
    commands.hidden = dict(hidden or {})
    return commands
