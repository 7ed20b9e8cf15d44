"""The sync: make the remote catalog equal to what trade staff selected, and nothing else.

Crash safety rests on three rules:
- an add is announced in the database (`Listing.add_started_at`, committed) before the call goes out;
  an announced add without a remote id is looked up by our model number before anything is re-added;
- a listing's content hash is stored only after the platform accepted that content, so an update lost
  to a crash is simply sent again (updates are full replaces: idempotent);
- one run at a time, by a lease that a killed worker cannot hold for ever.
"""
from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import timedelta
from operator import attrgetter
from typing import Callable

from django.db import connection, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext

from integrations.alibaba import (AlibabaError, BusinessRuleError, InvalidAppKey, InvalidSession, InvalidSignature,
                                  InvalidTimestamp, ProductNotFound, RetryableError)

from . import images as image_prep
from .conf import setting
from .mapping import Tier, build_listing, content_hash, exported_certificates, listing_diff, readiness
from .models import (CertificateUpload, ExportProfile, ImageUpload, Listing, ListingRestore, PriceTier,
                     PublishSnapshot, RemoteCategory, SyncAttempt, SyncLease, SyncRun)
from .ports import CatalogSource, ProductSnapshot, model_number_for
from .remote import B2BCatalog
from .selection import offline_reason
from .selectors import (JSON_TERM_COLUMNS, TERM_COLUMNS, cert_warn_days, category_rules, export_terms_of_values,
                        min_image_px)

log = logging.getLogger("catalog_sync")

ADD, UPDATE, ONLINE, OFFLINE, RECOVER = "add", "update", "online", "offline", "recover"
ROLLED_BACK = "rolled_back"  # the reason of a change that restores an earlier snapshot (or its absence)
NOOP, BLOCKED, WAIT = "none", "blocked", "wait"
WRITE_ACTIONS = (ADD, UPDATE, ONLINE, OFFLINE)
NOT_EDITABLE = "PUB_BIZCHECK_PRODUCT_NOT_EDITABLE"
CONFIG_ERRORS = (InvalidSession, InvalidSignature, InvalidAppKey, InvalidTimestamp)
Progress = Callable[[str, int, int], None]  # (phase, done, total)


class SyncBusy(Exception):
    """Another sync holds the lease."""


class LeaseLost(Exception):
    """Our lease expired and another worker took it: stop writing."""


class PlannedChange:
    """What a run does with one listing. `listing` and `profile` are model instances; a change planned from plain
    rows (on most runs nearly all are "nothing to do") loads them only when first asked for, together with every
    other change still waiting for its own, in one query."""

    __slots__ = ("_listing", "_profile", "_instances", "profile_pk", "action", "reason", "payload", "hash", "diff",
                 "diagnostics", "inputs", "outcome", "error", "restore", "answer")

    def __init__(self, listing: Listing | None = None, profile: ExportProfile | None = None, action: str = NOOP,
                 reason: str = "", payload: dict | None = None, hash: str = "", diff: list | None = None,
                 diagnostics: list | None = None, inputs: str = "", outcome: str = "", error: str = "", *,
                 instances: _Instances | None = None, profile_pk: int | None = None):
        if (listing is None or profile is None) and (instances is None or profile_pk is None):
            raise TypeError("a planned change needs its listing and profile, or where to load them from")
        self._listing, self._profile, self._instances = listing, profile, instances
        self.profile_pk = profile.pk if profile is not None else profile_pk
        self.action, self.reason, self.payload, self.hash = action, reason, payload, hash
        self.diff = diff if diff is not None else ()  # [(path, old, new)] of an add or update
        self.diagnostics = diagnostics if diagnostics is not None else ()  # why it is blocked
        self.inputs = inputs  # fingerprint of the inputs of `payload`
        self.outcome, self.error = outcome, error
        self.restore: tuple | None = None  # (ListingRestore id, snapshot id or None, requested by) when rolling back
        self.answer: dict = {}  # the platform's answer to a successful write

    @property
    def listing(self) -> Listing:
        if self._listing is None:
            self._load()
        return self._listing

    @property
    def profile(self) -> ExportProfile:
        if self._profile is None:
            self._load()
        return self._profile

    def _load(self) -> None:
        self._profile = self._instances.get(self.profile_pk)
        self._listing = self._profile.listing

    def __repr__(self) -> str:
        return f"<PlannedChange profile={self.profile_pk} {self.action}{' ' + self.reason if self.reason else ''}>"


class _Instances:
    """Export profiles (each with its `.listing`) of the rows a run acts on, loaded in bulk when first needed:
    building 10,000 model instances costs more than the rest of a no-op sync."""

    CHUNK = 2000  # ids per IN list

    def __init__(self):
        self.loaded: dict[int, ExportProfile] = {}
        self.wanted: set[int] = set()

    def want(self, pks) -> None:
        """Load these with the next one asked for."""
        self.wanted.update(pk for pk in pks if pk not in self.loaded)

    def bind(self, changes: list[PlannedChange]) -> None:
        """Give these changes their instances now, in bulk (and in this thread: sending threads must not query)."""
        self.want(c.profile_pk for c in changes if c._profile is None)
        for change in changes:
            if change._profile is None:
                change._load()

    def get(self, pk: int) -> ExportProfile:
        if pk not in self.loaded:
            self.wanted.add(pk)
            self._load()
        try:
            return self.loaded[pk]
        except KeyError:
            raise RuntimeError(f"export profile {pk} was deleted during the sync run") from None

    def _load(self) -> None:
        pks = sorted(self.wanted)
        self.wanted.clear()
        for start in range(0, len(pks), self.CHUNK):
            for profile in (ExportProfile.objects.filter(pk__in=pks[start:start + self.CHUNK])
                            .select_related("listing").defer("listing__published_payload")):
                listing = _listing_of(profile)
                if listing is None:  # a dry run does not create the missing listings
                    listing = profile.listing = Listing(profile=profile,
                                                        model_number=model_number_for(profile.product_id))
                # Keep `profile.listing` but drop the cached way back (`listing.profile` reads it again if ever
                # asked): as a reference cycle each pair, with its payloads, would wait for the cyclic collector,
                # whose pass after a 10,000-listing publish took 0.5 s of whatever ran next.
                listing._state.fields_cache.pop("profile", None)
                self.loaded[profile.pk] = profile


@dataclass
class SyncReport:
    run: SyncRun | None
    changes: list[PlannedChange]
    counts: Counter
    read_calls: int = 0
    write_calls: int = 0

    def by_action(self, action: str) -> list[PlannedChange]:
        return [c for c in self.changes if c.action == action]


def _setting(name: str, default):
    return setting(name, default)


# -- lease -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Lease:
    """The lease as one run took it: `generation` fences its writes (see SyncLease)."""

    holder: str
    generation: int


def _lease_seconds() -> float:
    return _setting("LEASE_SECONDS", 120)


def _lease_acquire(holder: str) -> Lease | None:
    """The lease, with a generation no earlier holder has, or None while someone else holds it. A compare-and-set
    on the generation read: of two runs racing for an expired lease, one wins."""
    now = timezone.now()
    lease, _ = SyncLease.objects.get_or_create(name="sync", defaults={"expires_at": now})
    if lease.holder and lease.holder != holder and lease.expires_at >= now:
        return None
    generation = lease.generation + 1
    taken = SyncLease.objects.filter(name="sync", generation=lease.generation).filter(
        Q(expires_at__lt=now) | Q(holder=holder) | Q(holder="")).update(
        holder=holder, generation=generation, expires_at=now + timedelta(seconds=_lease_seconds()))
    return Lease(holder, generation) if taken else None


def _lease_renew(lease: Lease) -> None:
    """Extend the lease before a write; LeaseLost when another run has taken it since (its generation moved on),
    even if that run has finished: what we were about to send is no longer ours to send."""
    if not SyncLease.objects.filter(name="sync", holder=lease.holder, generation=lease.generation).update(
            expires_at=timezone.now() + timedelta(seconds=_lease_seconds())):
        raise LeaseLost(lease.holder)


def _lease_release(lease: Lease) -> None:
    SyncLease.objects.filter(name="sync", holder=lease.holder, generation=lease.generation).update(
        holder="", expires_at=timezone.now())


# -- entry point -------------------------------------------------------------------------------------
def catalog_sync_run(*, source: CatalogSource, catalog: B2BCatalog | None = None, dry_run: bool = False,
                     full: bool = False, triggered_by: str = "", progress: Progress | None = None) -> SyncReport:
    """Publish what changed (or, with `dry_run`, only say what would change). `full` also lists the remote
    catalog and repairs drift either way."""
    own_catalog = catalog is None
    catalog = catalog or B2BCatalog()
    holder = f"{triggered_by or 'sync'}-{uuid.uuid4().hex[:12]}"
    lease = None if dry_run else _lease_acquire(holder)
    if not dry_run and lease is None:
        raise SyncBusy()
    kind = SyncRun.Kind.DRY_RUN if dry_run else (SyncRun.Kind.FULL if full else SyncRun.Kind.SYNC)
    run = SyncRun.objects.create(kind=kind, triggered_by=triggered_by[:64])
    reads0, writes0 = catalog.counts.reads, catalog.counts.writes
    report = SyncReport(run=run, changes=[], counts=Counter())
    try:
        engine = _Engine(source=source, catalog=catalog, run=run, dry_run=dry_run, lease=lease,
                         progress=progress or (lambda *a: None))
        engine.execute(full=full, report=report)
    except Exception as exc:
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        raise
    finally:
        report.read_calls = catalog.counts.reads - reads0
        report.write_calls = catalog.counts.writes - writes0
        c = report.counts
        run.added, run.updated, run.taken_offline = c[ADD], c[UPDATE], c[OFFLINE]
        run.brought_online, run.recovered, run.unchanged = c[ONLINE], c[RECOVER], c[NOOP]
        run.deferred, run.failed = c[WAIT] + c["deferred"], c["failed"]
        run.read_calls, run.write_calls = report.read_calls, report.write_calls
        run.finished_at = timezone.now()
        run.save()
        if lease is not None:
            _lease_release(lease)
        if own_catalog:
            catalog.close()
    return report


# Layout of a planning row (`_Engine._rows`): the profile's id, product and category, its TERM_COLUMNS (JSON
# columns as text), then the listing's columns that planning reads (`_NEW_LISTING`: those of a listing not created).
_ROW_COLUMNS = ("pk", "product_id", "remote_category_id",
                *(f"json_{name}" if name in JSON_TERM_COLUMNS else name for name in TERM_COLUMNS),
                "listing__id", "listing__state", "listing__remote_id", "listing__online", "listing__content_hash",
                "listing__input_hash", "listing__failed_hash", "listing__next_attempt_at")
_PK, _PRODUCT, _CATEGORY = 0, 1, 2
_TERMS = slice(3, 3 + len(TERM_COLUMNS))
_SELECTED = 3 + TERM_COLUMNS.index("selected")
_LISTING = 3 + len(TERM_COLUMNS)
_NEW_LISTING = (None, Listing.State.NEW, "", False, "", "", "", None)


class _Engine:
    def __init__(self, *, source, catalog, run, dry_run, lease, progress):
        self.source = source
        self.catalog = catalog
        self.run = run
        self.dry_run = dry_run
        self.lease = lease
        self.progress = progress
        self.now = timezone.now()
        self.extra_offline: list[str] = []  # remote products nobody links to (duplicates, drift)
        self.fingerprinted: list[PlannedChange] = []
        self.instances = _Instances()

    # -- orchestration ---------------------------------------------------------------------------------
    def execute(self, *, full: bool, report: SyncReport) -> None:
        rows = self._rows()
        snapshots = self.source.snapshots([row[_PRODUCT] for row in rows])
        if full:
            self.instances.want(row[_PK] for row in rows)
            self._reconcile([self.instances.get(row[_PK]) for row in rows], report)
        adding = []
        for row in rows:
            _, state, remote_id, *_ = self._listing_values(row)
            if state == Listing.State.ADDING and not remote_id:
                adding.append(row[_PK])
        if adding and not self.dry_run:
            self.instances.want(adding)
            self._recover([self.instances.get(pk).listing for pk in adding], report)
        self.restores = self._restores()
        changes = self._plan(rows, snapshots)
        report.changes = changes
        for change in changes:
            if change.action in (NOOP, BLOCKED, WAIT):
                report.counts[change.action] += 1
        if self.fingerprinted and not self.dry_run:
            self.instances.bind(self.fingerprinted)
            for change in self.fingerprinted:
                change.listing.input_hash = change.inputs
            _save_listings([c.listing for c in self.fingerprinted], ["input_hash"])
        if self.dry_run:
            for change in changes:
                if change.action in WRITE_ACTIONS or change.action == RECOVER:
                    report.counts[change.action] += 1
            report.counts["extra_offline"] = len(self.extra_offline)
            return
        self.instances.bind([c for c in changes if c.action in WRITE_ACTIONS])
        self._write(changes, report)
        if self.restores:
            self._settle_restores()

    def _rows(self) -> list[tuple]:
        """One plain row per export profile in scope (see `_ROW_COLUMNS`), JSON columns left as text: a no-op
        run compares fingerprints and needs neither model instances nor decoded JSON."""
        scope = ExportProfile.objects.filter(Q(selected=True) | Q(listing__isnull=False))
        query = (scope.annotate(**{f"json_{name}": Cast(name, TextField()) for name in JSON_TERM_COLUMNS})
                 .order_by("product_id").values_list(*_ROW_COLUMNS))
        rows = list(query)
        # Tiers and category rules in bulk: model instances per row cost seconds on 10,000 listings.
        self.tiers: dict[int, list[tuple]] = defaultdict(list)
        for profile_id, quantity, price in PriceTier.objects.filter(profile__in=scope.values("pk")).order_by(
                "profile_id", "min_quantity").values_list("profile_id", "min_quantity", "price_usd"):
            self.tiers[profile_id].append((quantity, price))
        self.categories = {c.pk: category_rules(c) for c in RemoteCategory.objects.all()}
        self.category_keys = {pk: repr(rules) for pk, rules in self.categories.items()}
        if any(row[_LISTING] is None for row in rows):
            if not self.dry_run:
                Listing.objects.bulk_create([Listing(profile_id=row[_PK], model_number=model_number_for(row[_PRODUCT]))
                                             for row in rows if row[_LISTING] is None], ignore_conflicts=True)
                rows = list(query.all())
                if any(row[_LISTING] is None for row in rows):
                    raise RuntimeError("listings of new export profiles could not be created (model number taken?)")
            else:  # as the listing the run would create
                rows = [row if row[_LISTING] is not None else row[:_LISTING] + _NEW_LISTING for row in rows]
        return rows

    def _listing_values(self, row: tuple) -> tuple:
        """The row's listing columns, from its instance once loaded: recovery and reconciliation change them."""
        profile = self.instances.loaded.get(row[_PK])
        if profile is None:
            return row[_LISTING:]
        lst = profile.listing
        return (lst.pk, lst.state, lst.remote_id, lst.online, lst.content_hash, lst.input_hash, lst.failed_hash,
                lst.next_attempt_at)

    def _change(self, pk: int, action: str, **kwargs) -> PlannedChange:
        profile = self.instances.loaded.get(pk)
        if profile is not None:
            return PlannedChange(profile.listing, profile, action, **kwargs)
        return PlannedChange(action=action, instances=self.instances, profile_pk=pk, **kwargs)

    # -- planning --------------------------------------------------------------------------------------
    def _plan(self, rows: list[tuple], snapshots: dict[int, ProductSnapshot]) -> list[PlannedChange]:
        wanted: list[tuple] = []
        changes: list[PlannedChange] = []
        min_px = min_image_px()
        today, warn_days = timezone.localdate(), cert_warn_days()
        tiers, categories, category_keys = self.tiers, self.categories, self.category_keys
        settled = (Listing.State.LIVE, Listing.State.OFFLINE, Listing.State.NEW)
        for row in rows:
            pk = row[_PK]
            listing_values = self._listing_values(row)
            _, state, remote_id, online, accepted_hash, input_hash, _, _ = listing_values
            snapshot = snapshots.get(row[_PRODUCT])
            reason = offline_reason(selected=row[_SELECTED], snapshot=snapshot)
            if state == Listing.State.ADDING and not remote_id:
                changes.append(self._change(pk, RECOVER if self.dry_run else WAIT, reason="add_unconfirmed"))
                continue
            if reason:
                changes.append(self._change(pk, OFFLINE if remote_id and online else NOOP, reason=reason))
                continue
            restore = self.restores.get(pk)
            if restore is not None and remote_id:
                changes.append(self._restore_change(pk, restore, listing_values))
                continue
            if restore is not None:  # the platform no longer has it: nothing to roll back
                self.gone_restores.append(restore)
            term_values = row[_TERMS]
            inputs = inputs_fingerprint(term_values, tiers.get(pk, ()), category_keys.get(row[_CATEGORY]), snapshot,
                                        min_px)
            if inputs == input_hash and remote_id and accepted_hash and state in settled:
                # Built from the very inputs of the content the platform holds: nothing to rebuild.
                changes.append(self._change(pk, NOOP if online else ONLINE, hash=accepted_hash, inputs=inputs))
                continue
            terms = export_terms_of_values(term_values, tiers=tuple(Tier(*t) for t in tiers.get(pk, ())),
                                           category=categories.get(row[_CATEGORY]), json_as_text=True)
            diagnostics = readiness(terms, snapshot, min_image_px=min_px, today=today, cert_warn_days=warn_days)
            if any(d.blocks for d in diagnostics):
                changes.append(self._change(pk, BLOCKED, reason="not_ready", diagnostics=diagnostics))
                continue
            wanted.append((pk, listing_values, snapshot, terms, inputs, diagnostics))
        urls = self._image_urls([snapshot for _, _, snapshot, _, _, _ in wanted])
        certificate_urls = self._certificate_urls([(terms, snapshot) for _, _, snapshot, terms, _, _ in wanted])
        updates: dict[int, PlannedChange] = {}
        for pk, listing_values, snapshot, terms, inputs, warnings in wanted:
            listing_id, state, remote_id, online, accepted_hash, input_hash, failed_hash, next_attempt_at = (
                listing_values)
            image_urls = [urls[i.content_hash] for i in snapshot.images[:6] if urls.get(i.content_hash)]
            if not image_urls:
                changes.append(self._change(pk, WAIT, reason="images_pending"))
                continue
            payload = build_listing(terms, snapshot, image_urls, certificate_urls)
            digest = content_hash(payload)
            change = self._change(pk, NOOP, payload=payload, hash=digest, inputs=inputs, diagnostics=warnings)
            if state == Listing.State.FAILED and failed_hash == digest:
                change.action, change.reason = BLOCKED, "failed"
            elif state == Listing.State.RETRYING and next_attempt_at and next_attempt_at > self.now:
                change.action, change.reason = WAIT, "backoff"
            elif not remote_id:
                change.action = ADD
                change.diff = listing_diff({}, payload)
            elif digest != accepted_hash:
                change.action = UPDATE
                updates[listing_id] = change
            elif not online:
                change.action = ONLINE
            if change.action in (NOOP, ONLINE) and input_hash != inputs:
                self.fingerprinted.append(change)  # same content from new inputs: remember them
            changes.append(change)
        # What the platform holds now, for the field-level diff of each update (one query, not one per listing).
        ids = list(updates)
        for start in range(0, len(ids), _Instances.CHUNK):
            for listing_id, published in Listing.objects.filter(pk__in=ids[start:start + _Instances.CHUNK]
                                                                ).values_list("pk", "published_payload"):
                change = updates[listing_id]
                change.diff = listing_diff(published or {}, change.payload)
        return changes

    # -- rollback ------------------------------------------------------------------------------------
    def _restores(self) -> dict[int, tuple]:
        """profile id -> (restore id, snapshot id or None, requested by, snapshot payload, snapshot hash) of the
        listings held at an earlier version (one small query on runs that have none)."""
        self.gone_restores: list[tuple] = []
        rows = list(ListingRestore.objects.filter(status__in=(ListingRestore.Status.PENDING,
                                                              ListingRestore.Status.HELD))
                    .values_list("listing__profile_id", "pk", "snapshot_id", "requested_by_id", "snapshot__payload",
                                 "snapshot__content_hash"))
        return {row[0]: row[1:] for row in rows}

    def _restore_change(self, pk: int, restore: tuple, listing_values: tuple) -> PlannedChange:
        restore_id, snapshot_id, requested_by, payload, digest = restore
        _, state, remote_id, online, accepted_hash, _, failed_hash, next_attempt_at = listing_values
        if snapshot_id is None:  # did not exist before the run that is rolled back: off the catalog
            change = self._change(pk, OFFLINE if online else NOOP, reason=ROLLED_BACK)
        elif state == Listing.State.FAILED and failed_hash == digest:  # refused for good: not resent every run
            change = self._change(pk, BLOCKED, reason="failed", payload=payload, hash=digest)
        elif state == Listing.State.RETRYING and next_attempt_at and next_attempt_at > self.now:
            change = self._change(pk, WAIT, reason="backoff", payload=payload, hash=digest)
        elif digest != accepted_hash:
            change = self._change(pk, UPDATE, reason=ROLLED_BACK, payload=payload, hash=digest)
            change.diff = listing_diff(self._published(pk), payload)
        else:
            change = self._change(pk, NOOP if online else ONLINE, reason=ROLLED_BACK, payload=payload, hash=digest)
        change.restore = (restore_id, snapshot_id, requested_by)
        return change

    def _published(self, pk: int) -> dict:
        return Listing.objects.filter(profile_id=pk).values_list("published_payload", flat=True).first() or {}

    def _settle_restores(self) -> None:
        """Mark restores done once the platform holds the restored content (or the listing is offline), and
        those whose product the platform deleted as such: whatever the faults of this run, the next run looks
        again."""
        now = timezone.now()
        for restore in ListingRestore.objects.filter(status=ListingRestore.Status.PENDING).select_related(
                "listing", "snapshot"):
            lst = restore.listing
            if (restore.snapshot is None and not lst.online) or (
                    restore.snapshot is not None and lst.remote_id and lst.content_hash == restore.snapshot.content_hash):
                restore.status, restore.done_at = ListingRestore.Status.HELD, now
                restore.save(update_fields=["status", "done_at"])
        for restore_id, snapshot_id, *_ in self.gone_restores:
            ListingRestore.objects.filter(pk=restore_id).update(
                status=ListingRestore.Status.GONE, done_at=now,
                message=gettext("Sản phẩm đã bị xóa trên sàn nên không thể khôi phục phiên bản cũ; "
                                "từ nay đồng bộ lại theo hồ sơ xuất khẩu hiện tại."))

    def _record_snapshots(self, changes: list[PlannedChange]) -> None:
        snapshots = []
        for c in changes:
            restore = c.restore
            snapshots.append(PublishSnapshot(
                listing=c.listing, run=self.run, action=PublishSnapshot.Action.ROLLBACK if restore else c.action,
                payload=c.payload, content_hash=c.hash, remote_id=c.listing.remote_id, response=c.answer,
                triggered_by=self.run.triggered_by,
                changed_by_id=restore[2] if restore else c.profile.updated_by_id,
                restored_from_id=restore[1] if restore else None))
        PublishSnapshot.objects.bulk_create(snapshots)

    # -- certificates --------------------------------------------------------------------------------
    def _certificate_urls(self, pairs) -> dict[str, str]:
        """Platform URL of each exported certificate scan, by content hash: each content is uploaded once."""
        refs = {}
        for terms, snapshot in pairs:
            for ref in exported_certificates(terms, snapshot):
                refs.setdefault(ref.file_hash, ref)
        if not refs:
            return {}
        known = dict(CertificateUpload.objects.filter(file_hash__in=list(refs)).values_list("file_hash", "url"))
        todo = [ref for digest, ref in refs.items() if digest not in known]
        if not todo:
            return known
        if self.dry_run:
            return {**known, **{ref.file_hash: f"(new upload of certificate {ref.number})" for ref in todo}}
        for ref in todo:  # few and rare (a certificate changes once a year): one at a time
            try:
                data = self.source.certificate_bytes(ref.certification_id)
                extension = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}.get(ref.file_type, "bin")
                uploaded = self.catalog.upload_certificate(
                    data, f"{ref.kind}-{ref.file_hash[:12]}.{extension}".replace(" ", "-"))
            except (OSError, AlibabaError) as exc:
                log.warning("certificate %s upload failed: %s", ref.certification_id, exc)
                continue
            CertificateUpload.objects.get_or_create(file_hash=ref.file_hash, defaults={
                "file_id": str(uploaded.file_id), "url": uploaded.url})
            known[ref.file_hash] = uploaded.url
        return known

    def _image_urls(self, snapshots: list[ProductSnapshot]) -> dict[str, str]:
        refs = {}
        for snap in snapshots:
            for ref in snap.images[:6]:
                refs.setdefault(ref.content_hash, ref)
        known = {u.source_hash: u.url for u in ImageUpload.objects.filter(source_hash__in=list(refs),
                                                                           recipe=image_prep.RECIPE)}
        todo = [ref for h, ref in refs.items() if h not in known]
        if not todo:
            return known
        if self.dry_run:
            return {**known, **{ref.content_hash: f"(new upload of image {ref.media_id})" for ref in todo}}
        prepared = []
        for ref in todo:  # file reads and Pillow in this thread: worker threads only talk HTTP
            try:
                prepared.append((ref, image_prep.prepare_image(self.source.image_bytes(ref.media_id))))
            except (OSError, ValueError) as exc:
                log.warning("image %s cannot be prepared: %s", ref.media_id, exc)
        if prepared:
            _lease_renew(self.lease)
        with ThreadPoolExecutor(max_workers=_setting("WORKERS", 8)) as pool:
            results = list(pool.map(self._upload_one, prepared))
        rows = []
        for (ref, image), result in zip(prepared, results):
            if isinstance(result, Exception):
                log.warning("image %s upload failed: %s", ref.media_id, result)
                continue
            rows.append(ImageUpload(source_hash=ref.content_hash, recipe=image_prep.RECIPE,
                                    prepared_hash=image.sha256, width=image.width, height=image.height,
                                    byte_size=len(image.data), file_id=str(result.file_id), url=result.url))
            known[ref.content_hash] = result.url
        ImageUpload.objects.bulk_create(rows, ignore_conflicts=True)
        for ref in todo:  # an image that could not be uploaded yet: keep its slot out of this run
            known.setdefault(ref.content_hash, "")
        return known

    def _upload_one(self, item):
        ref, image = item
        try:
            return self.catalog.upload_image(image.data, f"htx-{ref.media_id}-{image.sha256[:12]}.jpg")
        except AlibabaError as exc:
            return exc

    # -- recovery of unconfirmed adds ------------------------------------------------------------------
    def _recover(self, listings: list[Listing], report: SyncReport) -> None:
        # An add that timed out may still be running on the platform: only after this long is "not found"
        # proof that it never happened.
        settle = timedelta(seconds=_setting("SETTLE_SECONDS", float(self.catalog.read_timeout + 5)))
        skew = timedelta(minutes=_setting("CLOCK_SKEW_MINUTES", 10))
        since = min(lst.add_started_at or self.now for lst in listings) - skew
        wanted = {lst.model_number: lst for lst in listings}
        found: dict[str, list] = defaultdict(list)
        try:
            for brief in self.catalog.iter_products(modified_from=since):
                if brief.red_model in wanted:
                    found[brief.red_model].append(brief)
        except RetryableError as exc:
            # Without a complete lookup nothing may be re-added: these wait for the next run.
            log.warning("lookup of %d unconfirmed adds failed: %s", len(wanted), exc)
            report.counts["deferred"] += len(wanted)
            return
        for model, lst in wanted.items():
            matches = sorted(found.get(model, []), key=lambda b: b.id)
            if matches:
                keep, extra = matches[0], matches[1:]
                self.extra_offline.extend(b.product_id for b in extra if b.display == "Y")
                lst.remote_id = keep.product_id
                lst.remote_url = keep.pc_detail_url
                lst.online = keep.display == "Y"
                lst.state = Listing.State.LIVE if lst.online else Listing.State.OFFLINE
                lst.remote_status = keep.status
                lst.review = _review_of(keep.status)
                lst.content_hash, lst.pending_hash, lst.input_hash = lst.pending_hash, "", ""
                lst.add_started_at = None
                lst.last_error = lst.last_error_code = ""
                lst.last_synced_at = self.now
                fields = _RECOVERED_FIELDS
            elif lst.add_started_at and self.now - lst.add_started_at > settle:
                # The lost add never reached the platform (nothing carries our number): safe to add again.
                lst.state, lst.add_started_at, lst.pending_hash = Listing.State.NEW, None, ""
                fields = ("state", "add_started_at", "pending_hash")
            else:
                continue  # still unconfirmed: nothing learnt, nothing written
            # Only over a row still unconfirmed: the run that sent the add may have recorded its outcome while we
            # looked, and an old copy written over it would lose the remote id and add the product again.
            if not Listing.objects.filter(pk=lst.pk, state=Listing.State.ADDING, remote_id="").update(
                    **{name: getattr(lst, name) for name in fields}, updated_at=timezone.now()):
                lst.refresh_from_db()
                continue
            if matches:
                report.counts[RECOVER] += 1
                SyncAttempt.objects.create(listing=lst, run=self.run, action=RECOVER, outcome=SyncAttempt.Outcome.OK,
                                           message=f"found {keep.product_id} by model number {model}")

    # -- full reconciliation ---------------------------------------------------------------------------
    def _reconcile(self, profiles: list[ExportProfile], report: SyncReport) -> None:
        payloads = dict(Listing.objects.filter(profile__in=profiles).values_list("pk", "published_payload"))
        by_remote = {p.listing.remote_id: p.listing for p in profiles if p.listing.remote_id}
        by_model = {p.listing.model_number: p.listing for p in profiles}
        seen: set[str] = set()
        remote = list(self.catalog.iter_products())
        for brief in sorted(remote, key=lambda b: b.id):
            listing = by_remote.get(brief.product_id)
            if listing is None:
                candidate = by_model.get(brief.red_model)
                if candidate is not None and not candidate.remote_id:
                    listing = candidate  # ours, but we lost track of it (e.g. restored database)
                    listing.remote_id = brief.product_id
                    listing.content_hash = ""
                    listing.state = Listing.State.LIVE
                    listing.add_started_at = None
                    by_remote[brief.product_id] = listing
            if listing is None:
                if brief.display == "Y":
                    self.extra_offline.append(brief.product_id)
                continue
            seen.add(brief.product_id)
            listing.online = brief.display == "Y"
            listing.remote_status = brief.status
            published = payloads.get(listing.pk) or {}
            if published and (brief.subject != published.get("subject")
                              or list(brief.keywords) != list(published.get("keywords") or [])
                              or brief.category_id != published.get("category_id")
                              or brief.red_model != listing.model_number):
                listing.content_hash = ""  # edited outside HTX: send ours again
        for listing in by_remote.values():
            if listing.remote_id and listing.remote_id not in seen:
                # Gone from the platform: forget the id so the next plan adds it again if wanted.
                listing.remote_id, listing.content_hash, listing.online = "", "", False
                listing.state = Listing.State.NEW
        if not self.dry_run:
            _save_listings([p.listing for p in profiles],
                           ["remote_id", "content_hash", "online", "remote_status", "state", "add_started_at"])
        report.counts["remote_total"] = len(remote)

    # -- writing ---------------------------------------------------------------------------------------
    def _write(self, changes: list[PlannedChange], report: SyncReport) -> None:
        display_on = [c for c in changes if c.action == ONLINE]
        display_off = [c for c in changes if c.action == OFFLINE]
        writes = [c for c in changes if c.action in (ADD, UPDATE)]
        total = len(writes) + len(display_on) + len(display_off) + len(self.extra_offline)
        done = 0
        self.progress("write", done, total)
        if self.extra_offline and not self.dry_run:
            _lease_renew(self.lease)
            try:
                self.catalog.set_display(self.extra_offline, online=False)
                report.counts["extra_offline"] = len(self.extra_offline)
            except AlibabaError as exc:
                log.warning("could not take unknown remote products offline: %s", exc)
            done += len(self.extra_offline)
        done = self._display(display_off, online=False, report=report, done=done, total=total)
        chunk_size = _setting("CHUNK", 64)
        workers = _setting("WORKERS", 8)
        unknown_adds: list[Listing] = []
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for start in range(0, len(writes), chunk_size):
                chunk = writes[start:start + chunk_size]
                results, lost = self._send_fenced(pool, chunk, workers)
                attempts = []
                for change, result in zip(chunk, results):  # only what was sent: an overtaken run sends no more
                    attempts.append(self._apply(change, result, report, unknown_adds))
                    if change.outcome == "ok" and change.action == UPDATE and not change.listing.online:
                        display_on.append(PlannedChange(change.listing, change.profile, ONLINE))
                with transaction.atomic():
                    _save_listings([c.listing for c in chunk[:len(results)]])
                    SyncAttempt.objects.bulk_create([a for a in attempts if a is not None])
                    self._record_snapshots([c for c in chunk if c.outcome == "ok"])
                if lost is not None:
                    raise lost
                done += len(chunk)
                self.progress("write", done, total)
        if unknown_adds:
            self._recover(unknown_adds, report)
        self._display(display_on, online=True, report=report, done=done, total=total)

    def _send_fenced(self, pool: ThreadPoolExecutor, chunk: list[PlannedChange],
                     workers: int) -> tuple[list, LeaseLost | None]:
        """Send the chunk's writes, each only once a worker is free to send it at once and after renewing the
        lease (the fence: a run whose lease was taken over stops here). An add is announced (ADDING, with the
        time it goes out) just before it is sent, so that another run neither adds it again nor, judging by a
        stale time, takes it for lost. The results of what was sent, in order, and the LeaseLost that stopped it."""
        slots = threading.Semaphore(workers)
        futures = []
        lost = None
        for change in chunk:
            slots.acquire()
            try:
                _lease_renew(self.lease)
                if change.action == ADD:
                    listing = change.listing
                    listing.state, listing.add_started_at, listing.pending_hash = (
                        Listing.State.ADDING, timezone.now(), change.hash)
                    _save_listings([listing], ["state", "add_started_at", "pending_hash"])
            except LeaseLost as exc:
                slots.release()
                lost = exc
                break
            futures.append(pool.submit(self._send_in_slot, change, slots))
        return [f.result() for f in futures], lost

    def _send_in_slot(self, change: PlannedChange, slots: threading.Semaphore):
        try:
            return self._send(change)
        finally:
            slots.release()

    def _send(self, change: PlannedChange):
        try:
            if change.action == ADD:
                return self.catalog.add(change.payload)
            return self.catalog.update(change.listing.remote_id, change.payload)
        except AlibabaError as exc:
            return exc

    def _apply(self, change: PlannedChange, result, report: SyncReport, unknown_adds: list) -> SyncAttempt | None:
        listing = change.listing
        now = timezone.now()
        if not isinstance(result, Exception):
            if change.action == ADD:
                listing.remote_id = str(result)
                listing.online = True  # the platform adds with display=Y
                listing.remote_status = "new"
            else:
                listing.remote_status = "modified"
            change.answer = {"product_id": str(result), "status": listing.remote_status}
            listing.review = Listing.Review.PENDING
            listing.review_reasons = []
            listing.state = Listing.State.LIVE if listing.online else Listing.State.OFFLINE
            listing.content_hash, listing.published_payload = change.hash, change.payload
            listing.input_hash = change.inputs
            listing.add_started_at, listing.pending_hash, listing.failed_hash = None, "", ""
            listing.attempts, listing.next_attempt_at = 0, None
            listing.last_error = listing.last_error_code = listing.offline_reason = ""
            listing.last_synced_at = now
            change.outcome = "ok"
            report.counts[change.action] += 1
            return None
        exc: AlibabaError = result
        message = (exc.sub_msg or str(exc))[:2000]
        code = getattr(exc, "rule", "") or str(exc.sub_code or exc.code or type(exc).__name__)
        listing.last_error, listing.last_error_code = message, code[:128]
        change.error = message
        if change.action == ADD and exc.outcome_unknown:
            unknown_adds.append(listing)  # may exist remotely: look it up, never add blindly
            change.outcome = "unknown"
            report.counts["deferred"] += 1
            return SyncAttempt(listing=listing, run=self.run, action=ADD, outcome=SyncAttempt.Outcome.RETRY,
                               error_code=code[:128], message=message)
        if change.action == ADD:
            listing.state, listing.add_started_at, listing.pending_hash = Listing.State.NEW, None, ""
        if isinstance(exc, ProductNotFound):
            listing.remote_id, listing.content_hash, listing.online = "", "", False
            listing.state = Listing.State.NEW
            change.outcome = "gone"
            if change.restore:
                self.gone_restores.append(change.restore)
            report.counts["deferred"] += 1
            return SyncAttempt(listing=listing, run=self.run, action=change.action,
                               outcome=SyncAttempt.Outcome.RETRY, error_code=code[:128], message=message)
        if isinstance(exc, BusinessRuleError) and exc.rule == NOT_EDITABLE:
            change.outcome = "deferred"  # under review: the next run sends it
            report.counts["deferred"] += 1
            return None
        if isinstance(exc, RetryableError) or isinstance(exc, CONFIG_ERRORS):
            listing.attempts += 1
            delay = min(_setting("BACKOFF_BASE_SECONDS", 30) * 2 ** (listing.attempts - 1),
                        _setting("BACKOFF_MAX_SECONDS", 3600))
            listing.next_attempt_at = now + timedelta(seconds=delay)
            listing.state = Listing.State.RETRYING
            change.outcome = "retry"
            report.counts["deferred"] += 1
            return SyncAttempt(listing=listing, run=self.run, action=change.action,
                               outcome=SyncAttempt.Outcome.RETRY, error_code=code[:128], message=message)
        listing.state = Listing.State.FAILED
        listing.failed_hash = change.hash
        listing.attempts += 1
        change.outcome = "failed"
        report.counts["failed"] += 1
        return SyncAttempt(listing=listing, run=self.run, action=change.action, outcome=SyncAttempt.Outcome.FAILED,
                           error_code=code[:128], message=message)

    def _display(self, changes: list[PlannedChange], *, online: bool, report: SyncReport, done: int,
                 total: int) -> int:
        for start in range(0, len(changes), 50):
            batch = changes[start:start + 50]
            _lease_renew(self.lease)
            ids = [c.listing.remote_id for c in batch]
            action = ONLINE if online else OFFLINE
            try:
                result = self.catalog.set_display(ids, online=online)
                failed = result.failed
                error = None
            except AlibabaError as exc:
                failed, error = {i: str(exc.sub_code or exc.code or "") for i in ids}, exc
            attempts = []
            for c in batch:
                lst = c.listing
                code = failed.get(lst.remote_id)
                if code is None:
                    lst.online = online
                    lst.state = Listing.State.LIVE if online else Listing.State.OFFLINE
                    lst.offline_reason = "" if online else c.reason
                    lst.last_error = lst.last_error_code = ""
                    lst.last_synced_at = timezone.now()
                    report.counts[action] += 1
                elif code == "PRODUCT_NOT_FOUND":
                    lst.remote_id, lst.content_hash, lst.online = "", "", False
                    lst.state = Listing.State.NEW if online else Listing.State.OFFLINE
                    report.counts[action] += 0 if online else 1
                else:
                    lst.last_error_code = code[:128]
                    lst.last_error = (error.sub_msg or str(error)) if error else f"display {action}: {code}"
                    report.counts["deferred"] += 1
                    attempts.append(SyncAttempt(listing=lst, run=self.run, action=action,
                                                outcome=SyncAttempt.Outcome.RETRY, error_code=code[:128],
                                                message=lst.last_error[:2000]))
            with transaction.atomic():
                _save_listings([c.listing for c in batch])
                SyncAttempt.objects.bulk_create(attempts)
            done += len(batch)
            self.progress("write", done, total)
        return done


_RECOVERED_FIELDS = ("remote_id", "remote_url", "online", "state", "remote_status", "review", "content_hash",
                     "pending_hash", "input_hash", "add_started_at", "last_error", "last_error_code", "last_synced_at")
_LISTING_FIELDS = ["remote_id", "remote_url", "state", "online", "content_hash", "input_hash", "published_payload",
                   "review",
                   "remote_status", "review_reasons", "add_started_at", "pending_hash", "failed_hash",
                   "last_error_code", "last_error", "attempts", "next_attempt_at", "offline_reason",
                   "last_synced_at"]


def _save_listings(listings: list[Listing], names: list[str] | None = None) -> None:
    """One UPDATE per row through executemany: bulk_update's CASE WHEN over 18 columns costs more in
    Python than the whole HTTP round trip it records. Fields never loaded (deferred) are left alone."""
    groups: dict[tuple[str, ...], list[Listing]] = defaultdict(list)
    for lst in listings:
        deferred = lst.get_deferred_fields()
        groups[tuple(n for n in (names or _LISTING_FIELDS) if n not in deferred)].append(lst)
    now = timezone.now()
    quote = connection.ops.quote_name
    for names, rows in groups.items():
        fields = [Listing._meta.get_field(name) for name in names]
        columns = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        sql = f"UPDATE {quote(Listing._meta.db_table)} SET {columns}, {quote('updated_at')} = %s WHERE {quote('id')} = %s"
        params = [[f.get_db_prep_save(getattr(lst, f.attname), connection) for f in fields] + [now, lst.pk]
                  for lst in rows]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


# A snapshot's fields less those that do not shape a listing: stock (it only decides online/offline, which is
# planned before the fingerprint is looked at) and the product's edit time (set on edits that change nothing).
_SNAPSHOT_INPUTS = attrgetter(*(f.name for f in dataclass_fields(ProductSnapshot)
                                if f.name not in ("quantity_available", "updated_at")))


def inputs_fingerprint(term_values: tuple, tiers, category_key: str | None, snapshot: ProductSnapshot,
                       min_px: int) -> str:
    """Stable digest of everything a listing's content and readiness are built from: the profile's TERM_COLUMNS
    as read from the database (JSON as its text), its price tiers as (min quantity, price) pairs, the repr of its
    category's rules, the product snapshot less `_SNAPSHOT_INPUTS`' exclusions, and the image recipe and minimum
    size (they shape the upload and the readiness). Plain values, so that a no-op run builds no object per
    listing; a spurious mismatch only costs a rebuild, which finds the content hash unchanged."""
    return hashlib.blake2b(repr((image_prep.RECIPE, min_px, term_values, tuple(tiers), category_key,
                                 _SNAPSHOT_INPUTS(snapshot))).encode("utf-8"), digest_size=20).hexdigest()


def _listing_of(profile: ExportProfile) -> Listing | None:
    try:
        return profile.listing
    except Listing.DoesNotExist:
        return None


def _review_of(status: str) -> str:
    return {"new": Listing.Review.PENDING, "modified": Listing.Review.PENDING, "approved": Listing.Review.APPROVED,
            "tbd": Listing.Review.REJECTED}.get(status, Listing.Review.NONE)
