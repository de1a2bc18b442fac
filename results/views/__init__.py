"""Views of the results package: `manage_awards` (the plan, the proposal, changes with reasons, tie decisions, the
approving decision), `public` (publication, the public results page and its JSON, contestants' results),
`certificates` (numbered certificates, verification, bulk downloads, the official summary), `exports` (the scoring
workbook and CSV). `loaders` finds the records a URL names (404 when missing)."""
