"""State changes of the honors package; each commits once and writes the audit log.

- `campaigns`: create and edit a campaign, its categories and checklist, move it along its statuses, its
  nominating bodies with their nominator accounts, and its council (members and chair);
- `dossiers`: nominators draft, edit, upload evidence to, submit and withdraw dossiers; `nominees(campaign)` lists
  the eligible ones (what the council votes on);
- `screening`: the Secretariat finds a submitted dossier eligible or not, with a reason.
"""
