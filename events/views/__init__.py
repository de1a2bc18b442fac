"""The events pages."""
