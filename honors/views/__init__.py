"""The honors pages."""
