"""Did-you-mean suggestions for misspelt field names and vocabulary values."""

from __future__ import annotations

import difflib

from kb_tools.textscan import fold


def normalise(text: str) -> str:
    """Lower case, no diacritics, words joined by hyphens: 'Coöperatie Zorg' -> 'cooperatie-zorg'."""
    plain = fold(text)
    return "-".join(plain.replace("_", " ").replace("-", " ").split())


class Suggester:
    """Maps what people type (ids, labels, synonyms) to the id they probably meant."""

    def __init__(self, aliases: dict[str, str]) -> None:
        self._aliases = {normalise(alias): target for alias, target in aliases.items()}

    def exact(self, value: str) -> str | None:
        return self._aliases.get(normalise(value))

    def close(self, value: str, limit: int = 3) -> list[str]:
        found = self.exact(value)
        if found:
            return [found]
        matches = difflib.get_close_matches(
            normalise(value), self._aliases, n=limit * 2, cutoff=0.6
        )
        result: list[str] = []
        for match in matches:
            target = self._aliases[match]
            if target not in result:
                result.append(target)
        return result[:limit]


def did_you_mean(options: list[str]) -> str:
    if not options:
        return ""
    quoted = " of ".join(f"'{o}'" for o in options)
    return f"Bedoelt u {quoted}?"
