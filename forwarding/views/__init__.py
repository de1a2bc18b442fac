"""Forwarding pages: a child edition's forwards to its parent (`child`), the parent's children (`parent`), the
delegation to the national level and its package (`delegation`), and what forwarding adds to other packages' pages
(`panels`)."""
