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

from .model import KeyPath

try:  # libyaml is ~10x faster; the pure-Python loader gives the same result.
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseLoader = yaml.SafeLoader

MAX_NODES = 5000
MAX_DEPTH = 20


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader without the timestamp resolver: dates are validated as text."""


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


class _PureLoader(yaml.SafeLoader):
    """Pure-Python twin of ``_Loader``: deep nesting ends in RecursionError, not a crash."""


_PureLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def _nesting_bound(text: str) -> int:
    """A cheap upper bound on nesting depth; libyaml recurses in C and can crash on deep input."""
    bound = 0
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        depth = len(line) - len(stripped) + stripped.count("- ") + stripped.count("? ")
        bound = max(bound, depth)
    return bound + text.count("[") + text.count("{")


def parse(text: str) -> ParsedYaml | YamlProblem:
    """Parse one YAML document; lines and columns in the result are 0-based."""
    loader = _Loader(text) if _nesting_bound(text) < 200 else _PureLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return ParsedYaml(None, {}, ())
        problem = _check_tree(node)
        if problem:
            return problem
        lines: dict[KeyPath, tuple[int, int]] = {}
        duplicates: list[tuple[KeyPath, int, int]] = []
        value = _construct(loader, node, (), lines, duplicates)
        return ParsedYaml(value, lines, tuple(duplicates))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "onleesbare YAML"
        return YamlProblem(
            "yaml-syntax",
            f"De kop is geen geldige YAML: {_dutch_problem(what)}.",
            "Kijk op deze regel naar dubbele punten, aanhalingstekens en inspringing. "
            "Zet tekst met een dubbele punt tussen aanhalingstekens.",
            mark.line if mark else 0,
            mark.column if mark else 0,
        )
    except RecursionError:
        return YamlProblem(
            "yaml-te-groot",
            "De kop is te diep genest.",
            "Een casus heeft een korte kop met losse velden. Haal overbodige haakjes weg.",
            0,
            0,
        )
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        return YamlProblem(
            "yaml-syntax",
            f"De kop is geen geldige YAML ({type(exc).__name__}).",
            "Controleer de kop tussen de twee regels met ---.",
            0,
            0,
        )
    finally:
        loader.dispose()


_PROBLEMS = {
    "mapping values are not allowed": "hier mag geen dubbele punt staan",
    "could not determine a constructor": "er staat een onbekende !-code",
    "did not find expected node content": "er ontbreekt een waarde of een haakje",
    "did not find expected ',' or ']'": "een lijst met [ wordt niet goed afgesloten met ]",
    "did not find expected key": "de inspringing klopt niet",
    "merge keys": "samenvoegen met << is niet toegestaan",
    "could not find expected ':'": "er ontbreekt een dubbele punt",
    "found character '\\t' that cannot start any token": "er staat een tab; gebruik spaties",
    "found undefined alias": "er staat een verwijzing (*) die niet bestaat",
    "expected <block end>, but found": "de inspringing klopt niet",
    "found unexpected end of stream": "de tekst houdt onverwacht op",
    "found unknown escape character": "er staat een onbekende \\-code in de tekst",
    "while scanning a quoted scalar": "een aanhalingsteken wordt niet afgesloten",
}


def _dutch_problem(problem: str) -> str:
    for english, dutch in _PROBLEMS.items():
        if problem.startswith(english) or english in problem:
            return dutch
    return f"'{problem}'"


_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")
)


def _check_tree(root: yaml.Node) -> YamlProblem | None:
    """Refuse aliases (a node reached twice), deep nesting and huge trees, before building."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    count = 0
    while stack:
        node, depth = stack.pop()
        if id(node) in seen or getattr(node, "anchor", None):
            return YamlProblem(
                "yaml-alias",
                "De kop gebruikt ankers of verwijzingen (& of *).",
                "Schrijf elke waarde gewoon uit. Ankers en verwijzingen zijn niet toegestaan.",
                node.start_mark.line,
                node.start_mark.column,
            )
        seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            return YamlProblem(
                "yaml-syntax",
                "De kop is geen geldige YAML: er staat een onbekende !-code.",
                "Haal de code die met ! begint weg en schrijf alleen de waarde.",
                node.start_mark.line,
                node.start_mark.column,
            )
        count += 1
        if count > MAX_NODES or depth > MAX_DEPTH:
            return YamlProblem(
                "yaml-te-groot",
                "De kop is te groot of te diep genest.",
                "Een casus heeft een korte kop met losse velden. Haal overbodige gegevens weg.",
                node.start_mark.line,
                node.start_mark.column,
            )
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
    return None


def _construct(
    loader: Any,
    node: yaml.Node,
    path: KeyPath,
    lines: dict[KeyPath, tuple[int, int]],
    duplicates: list[tuple[KeyPath, int, int]],
) -> Any:
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.constructor.ConstructorError(
                    None, None, "merge keys (<<) are not allowed", key_node.start_mark
                )
            key = _construct(loader, key_node, path, {}, [])
            if not isinstance(key, str):
                key = str(key)
            child = (*path, key)
            mark = (key_node.start_mark.line, key_node.start_mark.column)
            if key in result:
                duplicates.append((child, *mark))
            lines[child] = mark
            result[key] = _construct(loader, value_node, child, lines, duplicates)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines[child] = (item.start_mark.line, item.start_mark.column)
            items.append(_construct(loader, item, child, lines, duplicates))
        return items
    return loader.construct_object(node, deep=True)
