"""Long select lists (hundreds of units or places) rendered to HTML once.

A template loop over 900 options escapes and compares each one on every request: most of the time of a filtered
table. `Choices` renders the options once (callers cache it, keyed by the data it shows) and marks the chosen one
by replacing a single tag."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape


def _tag(value: object) -> str:
    return f'<option value="{escape(value)}">'


@dataclass(frozen=True)
class Choices:
    """The `<option>` tags of a select, in order; `values` are the option values as text."""

    values: frozenset[str]
    html: str

    @classmethod
    def of(cls, options: Iterable[tuple[object, str]]) -> Choices:
        """Options from (value, text) pairs; text is escaped unless it is already `Markup`."""
        pairs = [(str(value), text) for value, text in options]
        return cls(frozenset(v for v, _ in pairs), "".join(f"{_tag(v)}{escape(text)}</option>" for v, text in pairs))

    def render(self, chosen: object = None) -> Markup:
        """The options, `chosen` (a value, or None) selected."""
        if chosen is None or str(chosen) not in self.values:
            return Markup(self.html)
        tag = _tag(str(chosen))
        return Markup(self.html.replace(tag, f"{tag[:-1]} selected>", 1))
