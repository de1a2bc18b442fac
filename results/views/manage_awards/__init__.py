"""Organizers decide an edition's awards: `plan` (the award plan), `awards` (the proposal with the ties the Board
must decide, storing it as awards, changing, giving and removing an award with a written reason), `decision` (the
approving decision). State changes are in `results.services.awards` and `results.services.plan_edit`, what the
pages read in `results.services.review`; `_common` holds the audit labels and refusal messages."""

from results.views.manage_awards import awards, decision, plan  # noqa: F401  (their routes)
