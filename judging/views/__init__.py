"""Views of the judging package: `manage_setup` (organizers set up rounds, rubrics, sub-panels, conflicts),
`manage_assign` (assignment, progress board, reminders, reopening sheets), `manage_results` (aggregation with its
working, divergence and re-scoring, advancement), `judge` (judges' assignments, score sheets, declared conflicts).
`loaders` finds the records a URL names (404 when missing)."""
