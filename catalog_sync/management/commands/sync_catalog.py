"""python manage.py sync_catalog [--dry-run] [--full]: one sync from the shell, with progress and a summary."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from catalog_sync.source import shop_source
from catalog_sync.sync import WRITE_ACTIONS, LeaseLost, SyncBusy, catalog_sync_run


class Command(BaseCommand):
    help = "Publish the selected products to the B2B catalog (or preview with --dry-run)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
        parser.add_argument("--full", action="store_true", help="list the remote catalog and repair drift")
        parser.add_argument("--diff", action="store_true", help="with --dry-run: print field-level diffs")

    def handle(self, *args, dry_run=False, full=False, diff=False, **options):
        console = Console(file=self.stdout, force_terminal=False, width=120)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, transient=False) as progress:
            task = progress.add_task("sync", total=None)

            def on_progress(phase: str, done: int, total: int) -> None:
                progress.update(task, description=phase, completed=done, total=total or None)

            try:
                report = catalog_sync_run(source=shop_source(), dry_run=dry_run, full=full,
                                          triggered_by="command", progress=on_progress)
            except SyncBusy:
                raise CommandError("another sync is running; try again later") from None
            except LeaseLost:
                raise CommandError("the platform was too slow for the lease: another sync took it over and "
                                   "finishes the work (raise CATALOG_SYNC_LEASE_SECONDS)") from None
        table = Table(title="Dry run: nothing was written" if dry_run else f"Sync run #{report.run.pk}")
        table.add_column("what")
        table.add_column("count", justify="right")
        for key in ("add", "update", "offline", "online", "recover", "none", "blocked", "wait", "deferred", "failed",
                    "extra_offline", "remote_total"):
            if report.counts.get(key) or key in ("add", "update", "offline"):
                table.add_row(key, str(report.counts.get(key, 0)))
        table.add_row("read calls", str(report.read_calls))
        table.add_row("write calls", str(report.write_calls))
        console.print(table)
        if dry_run:
            for change in report.changes:
                if change.action in WRITE_ACTIONS or change.action == "blocked":
                    detail = change.reason or ", ".join(d.message for d in change.diagnostics)
                    console.print(f"{change.action:8} {change.listing.model_number} {detail}")
                    if diff:
                        for path, old, new in change.diff:
                            console.print(f"    {path}: {old!r} -> {new!r}")
