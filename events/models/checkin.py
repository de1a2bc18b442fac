"""Check-ins and the log of every scan at the door."""
