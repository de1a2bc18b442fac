"""Tabs other packages add to an edition's set-up pages (judging adds "Judging"), so that the contests package
links to them without importing them: a package registers its tab when its blueprint is registered, and
`_setup_nav.html` shows every registered tab whose endpoint the application has.

In the same way, a package adds links to an edition's public page (`register_contest_link`: results links its
published results) and panels to an entry's page (`register_entry_panel`: results shows the entry's published
result to its authors)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, url_for
from markupsafe import Markup


@dataclass(frozen=True)
class ContestTab:
    key: str
    #: A lazy string, shown in the visitor's language.
    label: object
    #: An endpoint taking `contest_id`.
    endpoint: str


#: The registered tabs, in the order they were registered; a key registered again replaces its tab.
CONTEST_TABS: dict[str, ContestTab] = {}


def register_contest_tab(key: str, label: object, endpoint: str) -> None:
    """Add a tab to the edition's set-up pages, linking `endpoint(contest_id=...)`."""
    CONTEST_TABS[key] = ContestTab(key, label, endpoint)


def contest_tabs(contest) -> list[tuple[str, str, str]]:
    """(key, URL, label) of the registered tabs this application has the endpoint of, for `contest`."""
    return [
        (tab.key, url_for(tab.endpoint, contest_id=contest.id), str(tab.label))
        for tab in CONTEST_TABS.values()
        if tab.endpoint in current_app.view_functions
    ]


#: Links on an edition's public page: key -> a function of the contest giving (label, URL), or None to show none.
CONTEST_LINKS: dict[str, Callable[[object], tuple[str, str] | None]] = {}
#: Panels on an entry's page: key -> a function of the entry giving its HTML (empty to show nothing). The function
#: decides who sees what (the page is shown to the entry's authors, the organizers and its judges).
ENTRY_PANELS: dict[str, Callable[[object], str]] = {}


def register_contest_link(key: str, link: Callable[[object], tuple[str, str] | None]) -> None:
    """Add a link to the edition's public page; `link(contest)` gives (label, URL) or None."""
    CONTEST_LINKS[key] = link


def register_entry_panel(key: str, render: Callable[[object], str]) -> None:
    """Add a panel to the entry's page; `render(entry)` gives its HTML, or "" for nothing."""
    ENTRY_PANELS[key] = render


def contest_links(contest) -> list[tuple[str, str, str]]:
    """(key, URL, label) of the registered links that apply to `contest`."""
    out = []
    for key, link in CONTEST_LINKS.items():
        found = link(contest)
        if found is not None:
            label, url = found
            out.append((key, url, str(label)))
    return out


def entry_panels(entry) -> list[Markup]:
    """The registered panels' HTML for `entry` (empty ones left out)."""
    return [Markup(html) for html in (render(entry) for render in ENTRY_PANELS.values()) if html]


def init_app(state) -> None:
    """The template globals, registered when the blueprint is."""
    state.app.jinja_env.globals["contest_tabs"] = contest_tabs
    state.app.jinja_env.globals["contest_links"] = contest_links
    state.app.jinja_env.globals["entry_panels"] = entry_panels
