"""State changes and read models of results: `plans` (an edition's award plan), `scores` (the ranking round's
scores and the proposed awards). Later modules: awards review and decisions, publication, certificates, exports."""
