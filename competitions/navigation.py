"""Tabs other packages add to an edition's set-up pages (judging adds "Judging"), so that the contests package
links to them without importing them: a package registers its tab when its blueprint is registered, and
`_setup_nav.html` shows every registered tab whose endpoint the application has."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for


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


def init_app(state) -> None:
    """The template global, registered when the blueprint is."""
    state.app.jinja_env.globals["contest_tabs"] = contest_tabs
