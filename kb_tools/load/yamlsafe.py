"""Safe YAML parsing that keeps the file line of every key and refuses tricks.

python-frontmatter reports YAML errors against ``<unicode string>``; editors need the
real file line. We compose the node tree once (libyaml when available), reject anchors
and aliases (alias bombs), cap the size, and construct plain values ourselves.
Dates stay text here: the validator parses them so it can say *why* a date is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from kb_tools.load.yamlerrors import GENERIC, explain, reader_line
from kb_tools.model import KeyPath

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

try:  # libyaml is ~10x faster; the pure-Python loader gives the same result.
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseLoader = yaml.SafeLoader

MAX_NODES = 5000  # a case's frontmatter
MAX_REGISTRY_NODES = 400_000  # a registry: gepubliceerd.yml holds ~4 nodes per case
MAX_DEPTH = 20


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader without the timestamp resolver: dates are validated as text."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        # The same answers as yaml.resolver.Resolver.resolve for documents without path
        # resolvers, without its generic bookkeeping: it runs for every scalar of every case.
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    # There are no path resolvers; libyaml still calls these for every node.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# YAML 1.1 reads yes/no/on/off as booleans; editors mean words ("actief: ja" stays text).
_BOOL_WORDS = re.compile(r"^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N)$")
for _first in "yYnNoO":
    _Loader.yaml_implicit_resolvers[_first] = [
        (tag, rx)
        for tag, rx in _Loader.yaml_implicit_resolvers.get(_first, [])
        if tag != "tag:yaml.org,2002:bool"
    ]
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass(frozen=True)
class YamlProblem:
    """Why a YAML text could not be read; ``line`` and ``column`` are 0-based in the text."""

    code: str
    message: str
    hint: str
    line: int
    column: int


@dataclass(frozen=True)
class ParsedYaml:
    value: Any
    lines: dict[KeyPath, tuple[int, int]]
    duplicate_keys: tuple[tuple[KeyPath, int, int], ...]


_BRACKETS = re.compile(r"[\[\]{}]")
_LINE_START = re.compile(r"^ *(?:[-?](?: +[-?])*(?= |$))?", re.M)


def _nesting_bound(text: str) -> int:
    """A cheap upper bound on nesting depth, in one pass.

    Block nesting needs more indent or another "- " / "? " marker at the start of a line;
    flow nesting needs an unclosed bracket. So depth is at most the largest indent plus
    markers of a line, plus the deepest bracket nesting (comments and quoted text count
    too: an overestimate only refuses what no real file has).
    """
    lines = max((len(m.group(0)) for m in _LINE_START.finditer(text)), default=0)
    if "[" not in text and "{" not in text:
        return lines
    depth = deepest = 0
    for match in _BRACKETS.finditer(text):
        depth = depth + 1 if match.group(0) in "[{" else max(0, depth - 1)
        deepest = max(deepest, depth)
    return lines + deepest


def parse(text: str, max_nodes: int = MAX_NODES, part: str = "De kop") -> ParsedYaml | YamlProblem:
    """Parse one YAML document; lines and columns in the result are 0-based. ``part``
    names the text in messages: a case's "kop", or a whole registry file."""
    if _nesting_bound(text) >= 200:
        # libyaml recurses in C and can crash on deep input; the pure-Python loader is
        # safe but slow on a large file. Nothing real nests this deep (MAX_DEPTH is 20).
        return YamlProblem(
            "yaml-te-groot",
            f"{part} is te diep genest.",
            "Haal overbodige haakjes en inspringing weg.",
            0,
            0,
        )
    try:
        loader = _Loader(text)  # the pure-Python reader checks the characters here
    except yaml.reader.ReaderError as exc:
        return _reader_problem(exc, text, part)
    try:
        node = loader.get_single_node()
        if node is None:
            return ParsedYaml(None, {}, ())
        builder = _Builder(loader, text, max_nodes, part)
        value = builder.build(node, (), 0)
        return ParsedYaml(value, builder.lines, tuple(builder.duplicates))
    except _Refused as refused:
        return refused.problem
    except yaml.MarkedYAMLError as exc:
        what, hint, mark = explain(exc, text)
        return YamlProblem(
            "yaml-syntax",
            f"{part} is geen geldige YAML: {what}.",
            hint,
            mark.line if mark else 0,
            mark.column if mark else 0,
        )
    except RecursionError:
        return YamlProblem(
            "yaml-te-groot",
            f"{part} is te diep genest.",
            "Haal overbodige haakjes en inspringing weg.",
            0,
            0,
        )
    except yaml.reader.ReaderError as exc:  # libyaml reads the characters while parsing
        return _reader_problem(exc, text, part)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        return YamlProblem(
            "yaml-syntax", f"{part} is geen geldige YAML: {GENERIC[0]}.", GENERIC[1], 0, 0
        )
    finally:
        loader.dispose()


def _reader_problem(exc: yaml.reader.ReaderError, text: str, part: str) -> YamlProblem:
    """A control character that PyYAML's reader refuses."""
    line, column = reader_line(text, exc.position)
    return YamlProblem(
        "yaml-syntax",
        f"{part} is geen geldige YAML: er staat een onzichtbaar stuurteken in de tekst.",
        "Haal het teken weg; het komt vaak mee bij kopiëren uit Word of een pdf.",
        line,
        column,
    )


MAX_NUMBER_TEXT = 30
_NUMBER_TAGS = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")
)


class _Refused(Exception):
    def __init__(self, problem: YamlProblem) -> None:
        self.problem = problem


class _Builder:
    """Builds plain values from the node tree in one walk, recording the line of every key.

    It refuses aliases (a node reached twice), explicit tags, merge keys, deep nesting
    and huge trees, so nothing an editor writes can make the build slow or unsafe.
    """

    def __init__(
        self, loader: Any, text: str, max_nodes: int = MAX_NODES, part: str = "De kop"
    ) -> None:
        self.loader = loader
        self.part = part
        self.max_nodes = max_nodes
        # Without & and * in the text there can be no alias, so no node can repeat.
        self.track = "*" in text or "&" in text
        self.seen: set[int] = set()
        self.count = 0
        self.lines: dict[KeyPath, tuple[int, int]] = {}
        self.duplicates: list[tuple[KeyPath, int, int]] = []

    def refuse(self, node: yaml.Node, code: str, message: str, hint: str) -> _Refused:
        mark = node.start_mark
        return _Refused(YamlProblem(code, message, hint, mark.line, mark.column))

    def build(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        if self.track:
            if id(node) in self.seen:  # libyaml hands out the anchored node again per alias
                raise self.refuse(
                    node,
                    "yaml-alias",
                    f"{self.part} gebruikt ankers of verwijzingen (& of *).",
                    "Schrijf elke waarde gewoon uit. Ankers en verwijzingen zijn niet toegestaan.",
                )
            self.seen.add(id(node))
        self.count += 1
        if self.count > self.max_nodes or depth > MAX_DEPTH:
            raise self.refuse(
                node,
                "yaml-te-groot",
                f"{self.part} is te groot of te diep genest.",
                "Haal overbodige gegevens en inspringing weg.",
            )
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_TEXT:
            # int("0x" + "f" * 4000) works, but str() of it fails, and float() of a long
            # integer overflows: no number in a case is longer than this.
            raise self.refuse(
                node,
                "yaml-syntax",
                f"Er staat een getal van {len(node.value)} tekens; hoogstens "
                f"{MAX_NUMBER_TEXT} mag.",
                "Schrijf een gewoon getal, of zet de tekst tussen aanhalingstekens.",
            )
        if tag not in _PLAIN_TAGS:
            raise self.refuse(
                node,
                "yaml-syntax",
                f"{self.part} is geen geldige YAML: er staat een onbekende !-code of <<.",
                "Haal de code die met ! begint (of <<) weg en schrijf alleen de waarde.",
            )
        lines = self.lines
        fast = not self.track
        if tag == _MAP:
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if fast and key_node.tag == _STR:  # the common case, without a call
                    key = key_node.value
                    self.count += 1
                else:
                    key = self.build(key_node, path, depth + 1)
                    key = key if isinstance(key, str) else str(key)
                child = (*path, key)
                mark = key_node.start_mark
                if key in result:
                    self.duplicates.append((child, mark.line, mark.column))
                lines[child] = (mark.line, mark.column)
                if fast and value_node.tag == _STR:
                    result[key] = value_node.value
                    self.count += 1
                else:
                    result[key] = self.build(value_node, child, depth + 1)
            return result
        if tag == _SEQ:
            items = []
            for index, item in enumerate(node.value):
                child = (*path, index)
                mark = item.start_mark
                lines[child] = (mark.line, mark.column)
                if fast and item.tag == _STR:
                    items.append(item.value)
                    self.count += 1
                else:
                    items.append(self.build(item, child, depth + 1))
            return items
        return self.loader.construct_object(node)
