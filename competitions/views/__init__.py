"""Views of the contests package: `public` (visitors and contestants), `manage_contests` (organizers set up
editions), `manage_entries` (organizers follow and screen entries, export), `imports` (paper dossiers)."""
