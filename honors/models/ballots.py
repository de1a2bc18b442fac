"""Council ballots, votes and the honorees they make."""
