"""Events, invitees and their passes, check-ins and the scan log."""
