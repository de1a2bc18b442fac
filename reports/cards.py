"""Cards of the organizers' dashboard that other domains add (honoring campaigns, coming events): a record with its
stage, its coming deadlines and a few figures, each figure linked to the page behind it.

Pure: no Flask, no database; texts come in already translated."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Figure:
    label: str
    value: int
    link: str | None = None
    #: "warning" draws attention to the figure (something waits for the organizers).
    tone: str = ""


@dataclass(frozen=True)
class Card:
    title: str
    link: str
    subtitle: str = ""
    stage: str = ""
    #: (what, naive UTC time), soonest first.
    deadlines: tuple[tuple[str, datetime], ...] = ()
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Section:
    """A heading of the dashboard and its cards; `empty` says why there is none."""

    key: str
    title: str
    cards: tuple[Card, ...] = field(default_factory=tuple)
    empty: str = ""
