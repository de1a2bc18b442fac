"""What the honors services share: the error that refuses a change with the rules' codes."""

from __future__ import annotations


class HonorsError(ValueError):
    """A change the rules refuse; `problems` are codes of `honors.eligibility` or of the service, turned into
    words by `honors.messages.problem_messages`."""

    def __init__(self, *problems: str) -> None:
        super().__init__(", ".join(problems))
        self.problems = list(problems)
