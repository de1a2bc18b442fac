"""State changes of the events package; each commits once and writes the audit log."""
