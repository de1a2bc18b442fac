"""What the forwarding services share: the refusal error, the audit field lists, small helpers."""

from __future__ import annotations

from forwarding.rules import Problem

#: What a forward moves and a withdrawal puts back, as the audit log shows it.
ENTRY_MOVE_FIELDS = (
    "contest_id",
    "seq",
    "status",
    "field_id",
    "age_group_id",
    "screening_note",
    "screened_by_id",
    "screened_at",
)
FORWARDING_FIELDS = ("forward_opens_at", "forward_closes_at", "forward_quota")


class ForwardingError(Exception):
    """A forward, withdrawal or setting refused, with every reason (`forwarding.rules.Problem`); nothing changed."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__(", ".join(p.code for p in self.problems))

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


def actor_id(by) -> int | None:
    return getattr(by, "id", None)
