"""State changes and readings of forwarding, one module per subject (`forwards`: a child's forwards to its
parent, withdrawals and the parent's window and quotas; `delegation`: the delegation to the level outside the
system; `summary`: the parent's view of its children; `lower`: an edition's own results), their public names
re-exported here (`from forwarding import services`). State changes record the audit log and flush; the caller (a
view) commits once."""

from forwarding.services._common import ForwardingError
from forwarding.services.delegation import (
    EXTERNAL_LEVELS,
    add_to_delegation,
    delegation,
    delegation_candidates,
    remove_from_delegation,
)
from forwarding.services.forwards import (
    CandidateRow,
    ForwardingState,
    Placement,
    candidates,
    forward_entries,
    forwarding_state,
    in_round,
    placement_in,
    set_child_quota,
    set_forwarding,
    withdraw_forward,
    withdraw_problems,
)
from forwarding.services.lower import LowerResult, award_tiers, lower_results
from forwarding.services.summary import ChildSummary, ForwardRow, child_summary, forwards_from

__all__ = [
    "EXTERNAL_LEVELS",
    "CandidateRow",
    "ChildSummary",
    "ForwardRow",
    "ForwardingError",
    "ForwardingState",
    "LowerResult",
    "Placement",
    "add_to_delegation",
    "award_tiers",
    "candidates",
    "child_summary",
    "delegation",
    "delegation_candidates",
    "forward_entries",
    "forwarding_state",
    "forwards_from",
    "in_round",
    "lower_results",
    "placement_in",
    "remove_from_delegation",
    "set_child_quota",
    "set_forwarding",
    "withdraw_forward",
    "withdraw_problems",
]
