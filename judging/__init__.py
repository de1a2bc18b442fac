"""Judging: rubrics, rounds, panels, conflicts, assignment, scores and aggregation."""
