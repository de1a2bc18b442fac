"""Publishing an edition's results: a frozen, versioned snapshot (canonical JSON with its SHA-256), a correction
being a new version with a change note; reading what was published; checking a stored snapshot against its hash.

For other parts of results (certificates, the official summary): `latest_publication(contest)` is the edition's
current published version (None before the first), `snapshot_of(publication)` its snapshot as a dict (see
`results.snapshot.build` for the keys: "contest", "decision", "entries" with "authors", "awards"...), and
`publication_version(contest_id, version)` an earlier one."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, literal_column, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer

from app.audit.service import record
from app.extensions import db
from app.orgs.models import AdministrativeUnit
from app.remembered import Remembered
from app.timefmt import utcnow
from competitions.models import AgeGroup, Contest, Entry, EntryPerson
from judging.services.standings_cache import remembered_standings
from results import snapshot as snap
from results.models import Award, AwardDecision, AwardPlan, Publication, TieDecision
from results.services.plans import criterion_key
from results.services.scores import propose

__all__ = [
    "ERROR_CODES",
    "Checked",
    "Preview",
    "PublicationError",
    "Reading",
    "Shown",
    "checked_versions",
    "feedback_for",
    "gather",
    "latest_publication",
    "preview",
    "publication_version",
    "publish",
    "read_published",
    "readable_snapshot",
    "snapshot_of",
    "verify",
    "versions",
]

#: Why publishing was refused (`PublicationError.code`).
ERROR_CODES = (
    "no_round",  # the edition has no judging round whose scores could rank the entries
    "no_decision",  # no approving decision (number, date, signer) is recorded
    "no_awards",  # no award is recorded
    "note_required",  # a correction (version 2 and later) needs a change note
    "note_too_long",  # a change note is at most NOTE_MAX characters
    "version_taken",  # someone published the same version at the same moment: reload and publish again
)
NOTE_MAX = 2000


class PublicationError(Exception):
    """Publishing was refused; `code` is one of `ERROR_CODES`."""

    def __init__(self, code: str):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown publication error {code!r}")
        super().__init__(code)
        self.code = code


def latest_decision(contest: Contest) -> AwardDecision | None:
    """The approving decision recorded last."""
    return db.session.scalar(
        select(AwardDecision).where(AwardDecision.contest_id == contest.id).order_by(AwardDecision.id.desc()).limit(1)
    )


def gather(contest: Contest) -> snap.Results | None:
    """Everything the snapshot is built from, read in a bounded number of queries (the proposal's, the round's
    standings', and six more); None when the edition has no ranking round."""
    proposal = propose(contest)
    round_ = proposal.round
    if round_ is None:
        return None
    standings = remembered_standings(round_)  # (the proposal worked them out too: remembered while unchanged)
    ranked = proposal.rank_of()
    scores = proposal.by_entry()
    award_rows = db.session.execute(
        select(
            Award.entry_id,
            Award.tier_code,
            Award.tier_name,
            Award.special,
            Award.rank,
            Award.score,
            Award.source,
            EntryPerson.full_name,
            Award.unit_name,
        )
        .outerjoin(EntryPerson, EntryPerson.id == Award.person_id)
        .where(Award.contest_id == contest.id)
    ).all()
    # Awarded entries outside the ranking round (a prize given by hand) are published too.
    extra_ids = {row.entry_id for row in award_rows if row.entry_id is not None} - set(scores)
    extra = {}
    if extra_ids:
        extra = {
            row.id: row
            for row in db.session.execute(
                select(Entry.id, Entry.code, Entry.title, Entry.field_id, Entry.unit_name, AgeGroup.name.label("age"))
                .outerjoin(AgeGroup, AgeGroup.id == Entry.age_group_id)
                .where(Entry.id.in_(extra_ids))
            )
        }
    entry_ids = set(scores) | set(extra)
    authors: dict[int, list[snap.AuthorInfo]] = {}
    if entry_ids:
        people = db.session.execute(
            select(
                EntryPerson.entry_id,
                EntryPerson.full_name,
                EntryPerson.unit,
                EntryPerson.position,
                AdministrativeUnit.name,
            )
            .outerjoin(AdministrativeUnit, AdministrativeUnit.id == EntryPerson.admin_unit_id)
            .where(EntryPerson.entry_id.in_(entry_ids), EntryPerson.role == "author")
        )
        for entry_id, name, unit, position, locality in people:
            authors.setdefault(entry_id, []).append(snap.AuthorInfo(name, unit or "", locality or "", position))

    entries = []
    for entry_id, s in scores.items():
        r = ranked.get(entry_id)
        entries.append(
            snap.EntryInfo(
                id=entry_id,
                code=s.code,
                title=s.title,
                field_id=s.field_id,
                age_group=s.age_group_name,
                unit=s.unit_name,
                authors=tuple(authors.get(entry_id, ())),
                score=s.score,
                raw=s.raw,
                normalised=s.normalised,
                rank=r.rank if r else None,
                tied=bool(r and r.tied),
                judges=s.judges,
                criteria=dict(s.criteria),
            )
        )
    for entry_id, row in extra.items():
        entries.append(
            snap.EntryInfo(
                id=entry_id,
                code=row.code or "",
                title=row.title,
                field_id=row.field_id,
                age_group=row.age or "",
                unit=row.unit_name or "",
                authors=tuple(authors.get(entry_id, ())),
            )
        )
    decision = latest_decision(contest)
    board = db.session.execute(
        select(TieDecision.id, TieDecision.entry_ids, TieDecision.reason).where(TieDecision.contest_id == contest.id)
    ).all()
    plan = proposal.plan
    return snap.Results(
        contest=snap.ContestInfo(
            id=contest.id,
            name=contest.name,
            kind=contest.kind,
            year=contest.year,
            number=contest.number,
            level=contest.level,
            organisation=contest.organisation.name if contest.organisation else "",
        ),
        round=snap.RoundInfo(
            id=round_.id,
            name=round_.name,
            kind=round_.kind,
            method=standings.method,
            normalise=standings.normalise,
            min_sheets=standings.min_sheets,
            divergence_threshold=standings.threshold,
        ),
        scope=plan.scope,
        criteria=[
            snap.CriterionInfo(criterion_key(c.id), c.name, Decimal(c.max_points), c.position) for c in round_.criteria
        ],
        chain=list(proposal.chain),
        judges=[snap.JudgeInfo(j.judge_id, j.count, j.mean, j.spread, j.normalised) for j in standings.judges],
        fields=[snap.FieldInfo(f.id, f.code, f.name, f.position) for f in contest.fields],
        entries=entries,
        tiers=[snap.TierInfo(t.code, t.name, t.position, t.special, t.quota, t.min_score, t.rule) for t in plan.tiers],
        awards=[
            snap.AwardInfo(
                entry_id=row.entry_id,
                tier_code=row.tier_code,
                tier_name=row.tier_name,
                special=row.special,
                rank=row.rank,
                score=row.score,
                source=row.source,
                person=row.full_name or "",
                unit=row.unit_name or "" if row.entry_id is None else "",
            )
            for row in award_rows
        ],
        decision=None
        if decision is None
        else snap.DecisionInfo(decision.number, decision.signed_on, decision.signer, decision.signer_title or ""),
        board_decisions=[snap.BoardDecisionInfo(i, tuple(int(e) for e in ids), reason) for i, ids, reason in board],
    )


def _problems(results: snap.Results | None) -> list[str]:
    if results is None:
        return ["no_round"]
    problems = []
    if results.decision is None:
        problems.append("no_decision")
    if not results.awards:
        problems.append("no_awards")
    return problems


def versions(contest: Contest | int) -> list[Publication]:
    """The edition's published versions, newest first (their payloads not loaded)."""
    contest_id = contest if isinstance(contest, int) else contest.id
    return list(
        db.session.scalars(
            select(Publication)
            .options(defer(Publication.payload))
            .where(Publication.contest_id == contest_id)
            .order_by(Publication.version.desc())
        )
    )


def latest_publication(contest: Contest | int) -> Publication | None:
    """The edition's current published version (the highest), or None before the first publication."""
    contest_id = contest if isinstance(contest, int) else contest.id
    return db.session.scalar(
        select(Publication).where(Publication.contest_id == contest_id).order_by(Publication.version.desc()).limit(1)
    )


def publication_version(contest_id: int, version: int) -> Publication | None:
    return db.session.scalar(
        select(Publication).where(Publication.contest_id == contest_id, Publication.version == version)
    )


def snapshot_of(publication: Publication) -> dict:
    """The published snapshot as a dict (decimals as strings "77.50", dates as ISO strings)."""
    return snap.load(publication.payload)


def readable_snapshot(publication: Publication) -> dict | None:
    """The snapshot, or None when the payload is not a snapshot this code wrote (not JSON, another format)."""
    try:
        data = snapshot_of(publication)
    except ValueError:
        return None
    return data if data.get("format") == snap.FORMAT else None


def verify(publication: Publication) -> bool:
    """Whether the stored payload is canonical and still hashes to the stored hash (False: it was tampered with)."""
    return snap.verify(publication.payload, publication.content_hash)


# --- Reading a version for the public page (remembered) --------------------------------------------------------


@dataclass(frozen=True, eq=False)  # compared (and hashed) by identity: one object per stored row version read
class Reading:
    """A published version as the public page shows it: the snapshot (None when the payload is not a snapshot
    this code wrote), whether the payload still matches its hash, and the snapshot by field (`snap.by_field`).
    Shared by every request that reads the same stored row: read only."""

    snapshot: dict | None
    intact: bool
    groups: list[snap.FieldGroup]
    specials: list[dict]


#: Readings by (publication id, stored hash, stamp of the stored payload); the newest last. A version's payload
#: is 6 MB of JSON for a national edition (about 30 MB parsed): checking it against its hash and parsing it took
#: seconds a view, so a worker remembers the few versions read last.
READINGS_KEPT = 4
_readings: Remembered[Reading] = Remembered(READINGS_KEPT)
#: Whether a version still matches its hash, by the same keys as the readings: the organizers' page lists every
#: version with its check, which costs a second a national version, so a worker checks each stored row once.
CHECKS_KEPT = 256
_checks: Remembered[bool] = Remembered(CHECKS_KEPT)


def _read(key: tuple, payload: str, expected_hash: str) -> Reading:
    try:
        data = snap.load(payload)
    except ValueError:
        return Reading(None, _checks.get(key, lambda: False), [], [])
    intact = _checks.get(key, lambda: snap.verify(payload, expected_hash, data))
    if data.get("format") != snap.FORMAT:
        return Reading(None, intact, [], [])
    groups, specials = snap.by_field(data)
    return Reading(data, intact, groups, specials)


def _stamped(contest_id: int, *, payloads: bool = False) -> list[tuple[Publication, tuple]]:
    """The edition's versions, newest first, each with what its stored row's key is made of besides its id and
    hash (`_key`), in one query: on PostgreSQL the row version's `xmin` (the transaction that wrote it; any UPDATE
    writes a new one) and the payload's size, both read without fetching nor decompressing the payload; elsewhere
    nothing (the key is then the SHA-256 of the payload itself, loaded with the rows when `payloads`, else
    deferred)."""
    postgres = db.session.get_bind().dialect.name == "postgresql"
    stamps = (literal_column("result_publications.xmin::text"), func.octet_length(Publication.payload))
    rows = db.session.execute(
        select(Publication, *(stamps if postgres else ()))
        .options(*(() if payloads and not postgres else (defer(Publication.payload),)))
        .where(Publication.contest_id == contest_id)
        .order_by(Publication.version.desc())
    ).all()
    return [(row[0], tuple(row[1:])) for row in rows]


def _key(publication: Publication, stamp: tuple) -> tuple:
    """The key a stored row's reading and check are remembered under: it changes whenever the stored row does
    (`_stamped`), so what is remembered is never stale. Without PostgreSQL's stamp, it loads the payload."""
    return (publication.id, publication.content_hash, *(stamp or (snap.content_hash(publication.payload),)))


@dataclass(frozen=True)
class Shown:
    """What the public page of a version reads: the version, every version of the edition (newest first, their
    payloads not loaded) and the version's reading."""

    publication: Publication
    versions: list[Publication]
    reading: Reading


def read_published(contest_id: int, version: int | None = None) -> Shown | None:
    """The edition's version `version` (None: the latest) with the list of versions and its reading, in one query
    once the reading is remembered; None when there is no such version.

    The reading is remembered under a key that changes whenever the stored row does, so it is never stale (see
    `_stamped`): the payload is loaded only the first time on PostgreSQL; elsewhere each time, to hash it. A
    payload changed in the database after publishing therefore gets a new key, is checked again, and shows as not
    intact."""
    rows = _stamped(contest_id)
    found = next(((p, stamp) for p, stamp in rows if version is None or p.version == version), None)
    if found is None:
        return None
    publication, stamp = found
    key = _key(publication, stamp)
    # (PostgreSQL: reading the payload loads the deferred column, the first time only)
    reading = _readings.get(key, lambda: _read(key, publication.payload, publication.content_hash))
    return Shown(publication, [p for p, _stamp in rows], reading)


@dataclass(frozen=True)
class Checked:
    """A published version (its payload not loaded on PostgreSQL) and whether it still matches its hash."""

    publication: Publication
    intact: bool


def checked_versions(contest_id: int) -> list[Checked]:
    """Every version of the edition, newest first, each checked against its hash once per worker and stored row
    (the check the public page's reading made, when it was read there first). One query once every version is
    checked on PostgreSQL; elsewhere the payloads come with it, to hash them."""
    postgres = db.session.get_bind().dialect.name == "postgresql"
    out = []
    for publication, stamp in _stamped(contest_id, payloads=not postgres):
        key = _key(publication, stamp)
        out.append(Checked(publication, _checks.get(key, lambda p=publication: verify(p))))
    return out


@dataclass
class Preview:
    """What publishing now would publish: the snapshot (version and time as they would be), why it cannot be
    published yet, the last version (its payload not loaded on PostgreSQL), and the entries whose award or score
    changed since it; `previous` is the last version's snapshot (None: none, or not one this code reads), shared
    with the public page's reading: read only."""

    version: int
    snapshot: dict | None
    problems: list[str]
    last: Publication | None
    changes: list[snap.Change]
    previous: dict | None = None

    @property
    def unchanged(self) -> bool:
        """The content (without version, time and note) is the last version's."""
        if self.previous is None or self.snapshot is None:
            return False
        return _content(self.previous) == _content(self.snapshot)


def _content(snapshot: dict) -> dict:
    return {k: v for k, v in snapshot.items() if k not in ("version", "published_at", "change_note")}


def _next_version(contest: Contest) -> int:
    current = db.session.scalar(select(func.max(Publication.version)).where(Publication.contest_id == contest.id))
    return (current or 0) + 1


def preview(contest: Contest) -> Preview:
    """The snapshot publishing would freeze now, compared with the last version (read as the public page reads
    it: parsed and checked once per worker). Reads only (the plan may be created with its defaults, flushed)."""
    results = gather(contest)
    shown = read_published(contest.id)
    last = shown.publication if shown is not None else None
    version = (last.version if last else 0) + 1
    built = snap.build(results, version=version, published_at=utcnow()) if results is not None else None
    previous = shown.reading.snapshot if shown is not None else None
    found = snap.changes(previous, built) if built is not None else []
    return Preview(version, built, _problems(results), last, found, previous)


def publish(contest: Contest, change_note: str, *, by) -> Publication:
    """Freeze the edition's results as the next version (1, 2, ...): the snapshot's canonical JSON and its SHA-256,
    with the approving decision. A correction (version 2 and later) needs a change note, shown with it. Refused
    (`PublicationError`) without a ranking round, a recorded decision or any award. Audited
    ("results.publish", with the version and the hash); flushed, not committed: on a `PublicationError` the
    caller rolls the session back."""
    note = (change_note or "").strip()
    if len(note) > NOTE_MAX:
        raise PublicationError("note_too_long")
    results = gather(contest)
    problems = _problems(results)
    if problems:
        raise PublicationError(problems[0])
    version = _next_version(contest)
    if version > 1 and not note:
        raise PublicationError("note_required")
    published_at = utcnow().replace(microsecond=0)
    payload, digest = snap.freeze(snap.build(results, version=version, published_at=published_at, change_note=note))
    decision = latest_decision(contest)
    publication = Publication(
        contest_id=contest.id,
        version=version,
        published_at=published_at,
        published_by_id=getattr(by, "id", None),
        decision_id=decision.id if decision else None,
        change_note=note,
        payload=payload,
        content_hash=digest,
    )
    db.session.add(publication)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same version published at the same moment: the caller rolls back
        raise PublicationError("version_taken") from exc
    record(
        "results.publish",
        publication,
        after={
            "contest_id": contest.id,
            "version": version,
            "content_hash": digest,
            "change_note": note,
            "decision": decision.number if decision else "",
            "awards": len(results.awards),
            "entries": len(results.entries),
        },
        actor=by,
    )
    return publication


@dataclass(frozen=True)
class JudgeFeedback:
    """One judge's sheet as the contestant sees it: a number ("Giám khảo 1"), never a name."""

    number: int
    total: Decimal | None
    comment: str


def feedback_for(round_id: int, entry_id: int) -> list[JudgeFeedback]:
    """The submitted sheets of the entry in the ranking round, judges numbered 1..n in the order they were
    assigned (one query)."""
    from judging.models import Assignment, ScoreSheet

    rows = db.session.execute(
        select(ScoreSheet.total, ScoreSheet.comment)
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .where(Assignment.round_id == round_id, Assignment.entry_id == entry_id, ScoreSheet.status == "submitted")
        .order_by(Assignment.id)
    )
    return [JudgeFeedback(n, total, comment or "") for n, (total, comment) in enumerate(rows, start=1)]


def shows_feedback(contest_id: int) -> bool:
    """Whether the edition's plan lets contestants read their judges' totals and comments (once published)."""
    return bool(db.session.scalar(select(AwardPlan.show_feedback).where(AwardPlan.contest_id == contest_id)))
