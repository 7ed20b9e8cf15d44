"""Progress bars on the long commands: drawn for a person at a terminal, never with -v0 or into a pipe."""
import io
import sys

import pytest
from django.core.management import call_command

from storefront.core.progress import progress_bar, progress_wanted


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_is_drawn_on_a_terminal_only():
    terminal, pipe = Terminal(), io.StringIO()
    assert progress_wanted(stream=terminal) and not progress_wanted(stream=pipe)
    assert not progress_wanted(stream=terminal, verbosity=0)
    with progress_bar("Seeding", total=3, stream=terminal) as advance:
        advance(2)
        advance(1, description="Seeding: done")
    assert "Seeding" in terminal.getvalue()
    for stream, verbosity in ((pipe, 1), (Terminal(), 0)):
        with progress_bar("Seeding", total=3, stream=stream, verbosity=verbosity) as advance:
            advance(3)
        assert stream.getvalue() == ""


@pytest.mark.django_db
def test_seed_demo_is_silent_with_v0_and_shows_its_bar_on_a_terminal(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", "--no-images", verbosity=0, stdout=out, stderr=err)
    assert (out.getvalue(), err.getvalue(), terminal.getvalue()) == ("", "", "")
    call_command("seed_demo", "--no-images", stdout=out, stderr=err)
    assert "Demo data" in terminal.getvalue()  # the bar, on the terminal
    assert "Demo data already present" in out.getvalue()
