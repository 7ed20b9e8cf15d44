"""Progress bars (rich) for long commands: seeding the demo, seeding and running the benchmarks.

Drawn only for a person watching: on standard error when it is a terminal, and not when the
command was asked to be quiet (`-v0`). Logs, CI and pipes see the commands' usual lines only.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


def progress_wanted(*, verbosity: int = 1, stream=None) -> bool:
    stream = sys.stderr if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    return verbosity >= 1 and bool(isatty and isatty())


@contextmanager
def progress_bar(description: str, *, total: int | None, verbosity: int = 1,
                 stream=None) -> Iterator[Callable[..., None]]:
    """Yields `advance(steps=1, description=None, total=None)` (`total` once it is known); it draws
    nothing when no one is watching."""
    stream = sys.stderr if stream is None else stream
    if not progress_wanted(verbosity=verbosity, stream=stream):
        yield lambda steps=1, description=None, total=None: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(file=stream), transient=True) as bar:
        task = bar.add_task(description, total=total)

        def advance(steps: int = 1, description: str | None = None, total: int | None = None) -> None:
            extra = {"description": description} if description else {}
            if total is not None:
                extra["total"] = total
            bar.update(task, advance=steps, **extra)

        yield advance
