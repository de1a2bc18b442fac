"""Labels the honors templates show (statuses, titles, degrees) and the extra tabs of a campaign's pages, as Jinja
globals."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.audit.labels import register_labels
from honors import bp, messages

register_labels(
    {
        "honors.campaign.create": _l("Created an honoring campaign"),
        "honors.campaign.update": _l("Changed an honoring campaign's rules"),
        "honors.campaign.lists": _l("Changed a campaign's categories and checklist"),
        "honors.campaign.status": _l("Moved an honoring campaign to another stage"),
        "honors.body.add": _l("Added a nominating body"),
        "honors.body.quota": _l("Changed a nominating body's quota"),
        "honors.body.remove": _l("Removed a nominating body"),
        "honors.nominator.add": _l("Named a nominator for a body"),
        "honors.nominator.remove": _l("Removed a body's nominator"),
        "honors.council.add": _l("Added a council member"),
        "honors.council.remove": _l("Removed a council member"),
        "honors.council.chair": _l("Named the council's chair"),
        "honors.dossier.create": _l("Drafted a nomination dossier"),
        "honors.dossier.update": _l("Changed a nomination dossier"),
        "honors.dossier.submit": _l("Submitted a nomination dossier"),
        "honors.dossier.withdraw": _l("Withdrew a nomination dossier"),
        "honors.dossier.file_add": _l("Uploaded an evidence file"),
        "honors.dossier.file_delete": _l("Removed an evidence file"),
        "honors.dossier.screen": _l("Screened a nomination dossier"),
        "honors.dossier.reopen": _l("Reopened the screening of a dossier"),
    },
    {"honor_campaigns": _l("Honoring campaign"), "honor_dossiers": _l("Nomination dossier")},
)


def honors_labels() -> dict:
    return {
        "campaign_status_label": lambda s: messages.CAMPAIGN_STATUS_LABELS.get(s, s),
        "dossier_status_label": lambda s: messages.DOSSIER_STATUS_LABELS.get(s, s),
        "dossier_status_badge": lambda s: messages.DOSSIER_STATUS_BADGES.get(s, "secondary"),
        "gender_label": lambda s: messages.GENDER_LABELS.get(s, s),
        "title_label": lambda s: messages.TITLE_LABELS.get(s, s),
        "degree_label": lambda s: messages.DEGREE_LABELS.get(s, s),
        "ballot_mode_label": lambda s: messages.BALLOT_MODE_LABELS.get(s, s),
    }


#: Functions giving more tabs of a campaign's management pages: each takes the campaign and returns
#: (key, url, label) or None. The ballot pages register theirs with `register_campaign_tab`.
CAMPAIGN_TABS: list = []


def register_campaign_tab(function):
    CAMPAIGN_TABS.append(function)
    return function


def extra_campaign_tabs(campaign) -> list:
    return [tab for function in CAMPAIGN_TABS if (tab := function(campaign))]


def _init_app(state) -> None:
    """Jinja globals (not a context processor): the macros of imported templates see them too."""
    state.app.jinja_env.globals.update(honors_labels(), extra_campaign_tabs=extra_campaign_tabs)


bp.record_once(_init_app)
