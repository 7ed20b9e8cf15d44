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
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Callable

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from integrations.alibaba import (AlibabaError, BusinessRuleError, InvalidAppKey, InvalidSession, InvalidSignature,
                                  InvalidTimestamp, ProductNotFound, RetryableError)

from . import images as image_prep
from .conf import setting
from .mapping import Tier, build_listing, content_hash, listing_diff, readiness
from .models import ExportProfile, ImageUpload, Listing, PriceTier, RemoteCategory, SyncAttempt, SyncLease, SyncRun
from .ports import CatalogSource, ProductSnapshot, model_number_for
from .remote import B2BCatalog
from .selection import offline_reason
from .selectors import category_rules, export_terms, min_image_px

log = logging.getLogger("catalog_sync")

ADD, UPDATE, ONLINE, OFFLINE, RECOVER = "add", "update", "online", "offline", "recover"
NOOP, BLOCKED, WAIT = "none", "blocked", "wait"
WRITE_ACTIONS = (ADD, UPDATE, ONLINE, OFFLINE)
NOT_EDITABLE = "PUB_BIZCHECK_PRODUCT_NOT_EDITABLE"
CONFIG_ERRORS = (InvalidSession, InvalidSignature, InvalidAppKey, InvalidTimestamp)
Progress = Callable[[str, int, int], None]  # (phase, done, total)


class SyncBusy(Exception):
    """Another sync holds the lease."""


class LeaseLost(Exception):
    """Our lease expired and another worker took it: stop writing."""


@dataclass
class PlannedChange:
    listing: Listing
    profile: ExportProfile
    action: str
    reason: str = ""
    payload: dict | None = None
    hash: str = ""
    diff: list = field(default_factory=list)
    diagnostics: list = field(default_factory=list)
    inputs: str = ""  # fingerprint of the inputs of `payload`
    outcome: str = ""
    error: str = ""


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
def _lease_acquire(holder: str) -> bool:
    now = timezone.now()
    SyncLease.objects.get_or_create(name="sync", defaults={"expires_at": now})
    taken = SyncLease.objects.filter(name="sync").filter(
        Q(expires_at__lt=now) | Q(holder=holder) | Q(holder="")).update(
        holder=holder, expires_at=now + timedelta(seconds=_setting("LEASE_SECONDS", 120)))
    return taken == 1


def _lease_renew(holder: str) -> None:
    now = timezone.now()
    if not SyncLease.objects.filter(name="sync", holder=holder).update(
            expires_at=now + timedelta(seconds=_setting("LEASE_SECONDS", 120))):
        raise LeaseLost(holder)


def _lease_release(holder: str) -> None:
    SyncLease.objects.filter(name="sync", holder=holder).update(holder="", expires_at=timezone.now())


# -- entry point -------------------------------------------------------------------------------------
def catalog_sync_run(*, source: CatalogSource, catalog: B2BCatalog | None = None, dry_run: bool = False,
                     full: bool = False, triggered_by: str = "", progress: Progress | None = None) -> SyncReport:
    """Publish what changed (or, with `dry_run`, only say what would change). `full` also lists the remote
    catalog and repairs drift either way."""
    own_catalog = catalog is None
    catalog = catalog or B2BCatalog()
    holder = f"{triggered_by or 'sync'}-{uuid.uuid4().hex[:12]}"
    if not dry_run and not _lease_acquire(holder):
        raise SyncBusy()
    kind = SyncRun.Kind.DRY_RUN if dry_run else (SyncRun.Kind.FULL if full else SyncRun.Kind.SYNC)
    run = SyncRun.objects.create(kind=kind, triggered_by=triggered_by[:64])
    reads0, writes0 = catalog.counts.reads, catalog.counts.writes
    report = SyncReport(run=run, changes=[], counts=Counter())
    try:
        engine = _Engine(source=source, catalog=catalog, run=run, dry_run=dry_run, holder=holder,
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
        if not dry_run:
            _lease_release(holder)
        if own_catalog:
            catalog.close()
    return report


class _Engine:
    def __init__(self, *, source, catalog, run, dry_run, holder, progress):
        self.source = source
        self.catalog = catalog
        self.run = run
        self.dry_run = dry_run
        self.holder = holder
        self.progress = progress
        self.now = timezone.now()
        self.extra_offline: list[str] = []  # remote products nobody links to (duplicates, drift)
        self.fingerprinted: list[PlannedChange] = []

    # -- orchestration ---------------------------------------------------------------------------------
    def execute(self, *, full: bool, report: SyncReport) -> None:
        profiles = self._profiles()
        snapshots = self.source.snapshots([p.product_id for p in profiles])
        if full:
            self._reconcile(profiles, report)
        adding = [p.listing for p in profiles if p.listing.state == Listing.State.ADDING and not p.listing.remote_id]
        if adding and not self.dry_run:
            self._recover(adding, report)
        changes = self._plan(profiles, snapshots)
        report.changes = changes
        for change in changes:
            if change.action in (NOOP, BLOCKED, WAIT):
                report.counts[change.action] += 1
        if self.fingerprinted and not self.dry_run:
            for change in self.fingerprinted:
                change.listing.input_hash = change.inputs
            _save_listings([c.listing for c in self.fingerprinted], ["input_hash"])
        if self.dry_run:
            for change in changes:
                if change.action in WRITE_ACTIONS or change.action == RECOVER:
                    report.counts[change.action] += 1
            report.counts["extra_offline"] = len(self.extra_offline)
            return
        self._write(changes, report)

    def _profiles(self) -> list[ExportProfile]:
        scope = ExportProfile.objects.filter(Q(selected=True) | Q(listing__isnull=False))
        profiles = list(
            scope
            .select_related("listing").defer("listing__published_payload").order_by("product_id"))
        # Tiers and category rules in bulk: model instances per row cost seconds on 10,000 listings.
        self.tiers: dict[int, list[Tier]] = defaultdict(list)
        for profile_id, quantity, price in PriceTier.objects.filter(profile__in=scope.values("pk")).order_by(
                "profile_id", "min_quantity").values_list("profile_id", "min_quantity", "price_usd"):
            self.tiers[profile_id].append(Tier(quantity, price))
        self.categories = {c.pk: category_rules(c) for c in RemoteCategory.objects.all()}
        missing = [p for p in profiles if _listing_of(p) is None]
        if missing and not self.dry_run:
            Listing.objects.bulk_create([Listing(profile=p, model_number=model_number_for(p.product_id))
                                         for p in missing], ignore_conflicts=True)
            by_profile = {lst.profile_id: lst for lst in Listing.objects.filter(profile__in=missing)}
            for p in missing:
                p.listing = by_profile[p.pk]
        elif missing:
            for p in missing:
                p.listing = Listing(profile=p, model_number=model_number_for(p.product_id))
        return profiles

    # -- planning --------------------------------------------------------------------------------------
    def _plan(self, profiles: list[ExportProfile], snapshots: dict[int, ProductSnapshot]) -> list[PlannedChange]:
        wanted: dict[int, tuple] = {}
        changes: list[PlannedChange] = []
        min_px = min_image_px()
        for profile in profiles:
            listing = profile.listing
            snapshot = snapshots.get(profile.product_id)
            reason = offline_reason(selected=profile.selected, snapshot=snapshot)
            if listing.state == Listing.State.ADDING and not listing.remote_id:
                changes.append(PlannedChange(listing, profile, RECOVER if self.dry_run else WAIT,
                                             reason="add_unconfirmed"))
                continue
            if reason:
                if listing.remote_id and listing.online:
                    changes.append(PlannedChange(listing, profile, OFFLINE, reason=reason))
                else:
                    changes.append(PlannedChange(listing, profile, NOOP, reason=reason))
                continue
            terms = export_terms(profile, tiers=tuple(self.tiers.get(profile.pk, ())),
                                 category=self.categories.get(profile.remote_category_id))
            inputs = inputs_fingerprint(terms, snapshot, min_px)
            if (inputs == listing.input_hash and listing.remote_id and listing.content_hash
                    and listing.state in (Listing.State.LIVE, Listing.State.OFFLINE, Listing.State.NEW)):
                # Built from the very inputs of the content the platform holds: nothing to rebuild.
                changes.append(PlannedChange(listing, profile, NOOP if listing.online else ONLINE,
                                             hash=listing.content_hash, inputs=inputs))
                continue
            diagnostics = readiness(terms, snapshot, min_image_px=min_px)
            if diagnostics:
                changes.append(PlannedChange(listing, profile, BLOCKED, reason="not_ready", diagnostics=diagnostics))
                continue
            wanted[profile.pk] = (profile, snapshot, terms, inputs)
        urls = self._image_urls([snap for _, snap, _, _ in wanted.values()])
        for profile, snapshot, terms, inputs in wanted.values():
            listing = profile.listing
            image_urls = [urls[i.content_hash] for i in snapshot.images[:6] if urls.get(i.content_hash)]
            if not image_urls:
                changes.append(PlannedChange(listing, profile, WAIT, reason="images_pending"))
                continue
            payload = build_listing(terms, snapshot, image_urls)
            digest = content_hash(payload)
            change = PlannedChange(listing, profile, NOOP, payload=payload, hash=digest, inputs=inputs)
            if listing.state == Listing.State.FAILED and listing.failed_hash == digest:
                change.action, change.reason = BLOCKED, "failed"
            elif (listing.state == Listing.State.RETRYING and listing.next_attempt_at
                  and listing.next_attempt_at > self.now):
                change.action, change.reason = WAIT, "backoff"
            elif not listing.remote_id:
                change.action = ADD
                change.diff = listing_diff({}, payload)
            elif digest != listing.content_hash:
                change.action = UPDATE
                change.diff = listing_diff(listing.published_payload or {}, payload)
            elif not listing.online:
                change.action = ONLINE
            if change.action in (NOOP, ONLINE) and listing.input_hash != inputs:
                self.fingerprinted.append(change)  # same content from new inputs: remember them
            changes.append(change)
        return changes

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
                report.counts[RECOVER] += 1
                SyncAttempt.objects.create(listing=lst, run=self.run, action=RECOVER, outcome=SyncAttempt.Outcome.OK,
                                           message=f"found {keep.product_id} by model number {model}")
            elif lst.add_started_at and self.now - lst.add_started_at > settle:
                # The lost add never reached the platform (nothing carries our number): safe to add again.
                lst.state, lst.add_started_at, lst.pending_hash = Listing.State.NEW, None, ""
            lst.save()

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
            try:
                self.catalog.set_display(self.extra_offline, online=False)
                report.counts["extra_offline"] = len(self.extra_offline)
            except AlibabaError as exc:
                log.warning("could not take unknown remote products offline: %s", exc)
            done += len(self.extra_offline)
        done = self._display(display_off, online=False, report=report, done=done, total=total)
        chunk_size = _setting("CHUNK", 64)
        unknown_adds: list[Listing] = []
        with ThreadPoolExecutor(max_workers=_setting("WORKERS", 8)) as pool:
            for start in range(0, len(writes), chunk_size):
                chunk = writes[start:start + chunk_size]
                _lease_renew(self.holder)
                adds = [c for c in chunk if c.action == ADD]
                if adds:
                    stamp = timezone.now()
                    for c in adds:
                        c.listing.state, c.listing.add_started_at, c.listing.pending_hash = (
                            Listing.State.ADDING, stamp, c.hash)
                    _save_listings([c.listing for c in adds], ["state", "add_started_at", "pending_hash"])
                results = list(pool.map(self._send, chunk))
                attempts = []
                for change, result in zip(chunk, results):
                    attempts.append(self._apply(change, result, report, unknown_adds))
                    if change.outcome == "ok" and change.action == UPDATE and not change.listing.online:
                        display_on.append(PlannedChange(change.listing, change.profile, ONLINE))
                with transaction.atomic():
                    _save_listings([c.listing for c in chunk])
                    SyncAttempt.objects.bulk_create([a for a in attempts if a is not None])
                done += len(chunk)
                self.progress("write", done, total)
        if unknown_adds:
            self._recover(unknown_adds, report)
        self._display(display_on, online=True, report=report, done=done, total=total)

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
            _lease_renew(self.holder)
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


def inputs_fingerprint(terms, snapshot: ProductSnapshot, min_px: int) -> str:
    """Stable digest of everything a listing's content and readiness are built from. Stock and the product's
    edit time are left out (they do not shape the listing); the image recipe is in (it shapes the upload)."""
    stable = replace(snapshot, quantity_available=0, updated_at=None)
    return hashlib.blake2b(repr((image_prep.RECIPE, min_px, terms, stable)).encode("utf-8"),
                           digest_size=20).hexdigest()


def _listing_of(profile: ExportProfile) -> Listing | None:
    try:
        return profile.listing
    except Listing.DoesNotExist:
        return None


def _review_of(status: str) -> str:
    return {"new": Listing.Review.PENDING, "modified": Listing.Review.PENDING, "approved": Listing.Review.APPROVED,
            "tbd": Listing.Review.REJECTED}.get(status, Listing.Review.NONE)
