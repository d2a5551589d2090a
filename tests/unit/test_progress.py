"""Long work shows progress: a bar with rate and ETA on a terminal, plain log lines anywhere else."""
from __future__ import annotations

import io
import logging

from factlog.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_a_bar_with_rate_and_eta_is_redrawn_in_place():
    screen = Terminal()
    progress = Progress("export", 200, screen, unit="events", redraw_every=0)
    progress.update(50)
    drawn = screen.getvalue()
    assert drawn.startswith("\rexport [#######") and " 25% 50/200 events " in drawn
    assert "events/s ETA 0:00:" in drawn
    summary = progress.finish()
    assert screen.getvalue().endswith("\n") and summary.startswith("export: 50 events in ")


def test_elsewhere_plain_log_lines_and_a_summary_instead_of_a_bar(caplog):
    pipe = io.StringIO()
    with caplog.at_level(logging.INFO, logger="factlog.progress"):
        progress = Progress("import seed.yaml", 10, pipe, unit="records", log_every=0)
        progress.update(4)
        progress.finish()
    assert pipe.getvalue() == ""
    lines = [record.getMessage() for record in caplog.records]
    assert lines[0].startswith("import seed.yaml [") and "4/10 records" in lines[0] and "ETA" in lines[0]
    assert lines[-1].startswith("import seed.yaml: 4 records in ")


def test_an_unknown_total_shows_the_count_and_the_rate():
    progress = Progress("restore stdin", None, Terminal(), unit="events")
    progress.update(7)
    assert progress.line().startswith("restore stdin: 7 events ") and "ETA" not in progress.line()
