"""State changes of the honors package; each commits once and writes the audit log."""
