"""The plugin's options in mkdocs.yml (``plugins: - kb:``): typed, also when they come from
``!ENV``, and a misspelt option is an error."""

from __future__ import annotations

from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ConfigErrors, ConfigWarnings, ValidationError


class EnvText(c.BaseConfigOption[Any]):
    """Text from ``!ENV``, which reads a variable as YAML: '' is unset, and a value such as
    '2024' or 'on' arrives as a number or a truth value, kept for the plugin to match."""

    def __init__(self) -> None:
        super().__init__()
        self.default = None

    def run_validation(self, value: object) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, (str, int, float, bool)):
            return value
        raise ValidationError(f"Verwacht een tekst, niet {type(value).__name__}.")


class Switch(c.BaseConfigOption[bool]):
    """On or off, also from ``!ENV``: true/false, 1/0, or '' (off)."""

    def __init__(self, default: bool = False) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> bool:
        if isinstance(value, bool):
            return value
        if value in (0, 1, "", None):
            return bool(value)
        raise ValidationError(f"Verwacht aan of uit (true of false, 1 of 0), niet {value!r}.")


class Workers(c.BaseConfigOption[int | None]):
    """How many processes render pages: a whole number from 1 to 64, also from ``!ENV``;
    unset ('') is one per core."""

    def __init__(self) -> None:
        super().__init__()
        self.default = None

    def run_validation(self, value: object) -> int | None:
        if value is None or value == "":
            return None
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 64:
            return value
        raise ValidationError(
            f"Verwacht een heel getal van 1 tot en met 64, niet {value!r}. "
            "Bijvoorbeeld: KB_WERKERS=2 (of laat het weg: één per processorkern)."
        )


class KbConfig(Config):
    """The options of the kb plugin, under ``plugins: - kb:`` in mkdocs.yml."""

    content = c.Optional(c.Dir(exists=True))  # default: the MkDocs docs_dir
    network = EnvText()  # KB_NETWERK, `kb bouw --netwerk`: build only this network's site
    timings = c.Optional(c.Type(str))  # KB_TIMINGS, `kb meten`: write stage times here (JSON)
    progress = Switch()  # KB_PROGRESS, `kb bouw`/`serve`: stages and findings for kb
    workers = Workers()  # KB_WERKERS: processes that render pages (default: one per core)

    def validate(self) -> tuple[ConfigErrors, ConfigWarnings]:
        # MkDocs only warns about an unknown option (an error under strict: true); a
        # misspelt option would silently build the wrong site, so it is always an error.
        failed, warnings = super().validate()
        known = {key for key, _ in self._schema}
        for key in sorted(set(self) - known):
            failed.append(
                (
                    key,
                    ValidationError(
                        f"De plugin kb kent de optie '{key}' niet. "
                        f"Wel bekend: {', '.join(sorted(known))}."
                    ),
                )
            )
        return failed, [(key, message) for key, message in warnings if key in known]
