"""Errors raised by flashpoint.

Every message says what was wrong, where (file:line or field) and how to fix it. The CLI prints the
message as one line and exits with status 1; the API returns it in its JSON error shape.

    FlashpointError                 base of everything flashpoint raises on purpose
    ├── ConfigError                 bad configuration, unknown stage or registry name
    ├── InputError                  an input file, line or field cannot be read (carries .origin)
    │   ├── UnreadableInput         the file cannot be opened or decoded at all
    │   └── MalformedRecord         one line/row/entry is malformed; the rest of the file goes on
    ├── DictionaryError             an actor dictionary or lexicon file is invalid
    ├── StoreError                  the event store cannot be opened or written
    ├── QueryError                  a filter or query argument is invalid
    └── MissingDependency           an optional extra is not installed (names the pip line)

Codes: E0xx configuration, E1xx input, E2xx dictionaries, E3xx store, E4xx queries, E5xx extras.
"""

from __future__ import annotations

import difflib


class FlashpointError(Exception):
    """Base class. ``code`` is a stable, greppable error code."""

    code = "E000"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        if code:
            self.code = code
        super().__init__(message)

    def __str__(self) -> str:  # "[E101] file.jsonl line 3: ..."
        return f"[{self.code}] {self.args[0]}"


class ConfigError(FlashpointError):
    code = "E001"


class InputError(FlashpointError):
    """Input that cannot be read. ``origin`` is "path:line" or "path"."""

    code = "E100"

    def __init__(self, message: str, *, origin: str = "", code: str | None = None) -> None:
        self.origin = origin
        super().__init__(f"{origin}: {message}" if origin else message, code=code)

    @property
    def reason(self) -> str:
        msg = self.args[0]
        prefix = f"{self.origin}: "
        return msg[len(prefix):] if self.origin and msg.startswith(prefix) else msg


class UnreadableInput(InputError):
    code = "E101"


class MalformedRecord(InputError):
    code = "E102"


class DictionaryError(FlashpointError):
    code = "E200"


class StoreError(FlashpointError):
    code = "E300"


class QueryError(FlashpointError):
    code = "E400"


class MissingDependency(FlashpointError):
    code = "E500"

    def __init__(self, feature: str, extra: str) -> None:
        super().__init__(
            f"{feature} needs an optional extra that is not installed. Install it with: "
            f"pip install 'flashpoint[{extra}]'"
        )


def did_you_mean(value: str, choices: list[str] | tuple[str, ...]) -> str:
    """Return ' Did you mean "x"?' for the closest choice, or ''."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f' Did you mean "{close[0]}"?' if close else ""
