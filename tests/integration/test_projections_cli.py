"""``factlog projections status | catch-up | rebuild`` and the progress a rebuild shows."""
from __future__ import annotations

import io
import json

from tests.support.newsroom import Newsroom
from tests.support.projections import wait_until_visible
from workers.cli import projections_cli
from workers.progress import Progress


def run(app, *args):
    return app.test_cli_runner().invoke(cli=projections_cli, args=list(args))  # stdout and stderr apart


def seed(session):
    room = Newsroom(session)
    room.source("Reuters")
    room.person("Matthew Miller")
    room.claim("Miller could not confirm", "Matthew Miller", room.chain(("Reuters", "quoting")))
    wait_until_visible(session, max(room.positions))


def test_status_lists_every_projection_before_and_after_a_catch_up(app, session):
    seed(session)
    before = run(app, "status", "--json")
    assert before.exit_code == 0, before.output
    rows = {row["name"]: row for row in json.loads(before.stdout)["projections"]}
    assert set(rows) == {"timelines", "attribution", "search", "links"}
    assert rows["timelines"]["version"] is None and rows["timelines"]["code_version"] >= 1

    caught_up = run(app, "catch-up")
    assert caught_up.exit_code == 0 and "timelines: 4 events applied" in caught_up.stdout
    rows = {row["name"]: row for row in json.loads(run(app, "status", "--json").stdout)["projections"]}
    assert all(row["lag_events"] == 0 for row in rows.values())
    assert rows["timelines"]["position"] == rows["timelines"]["head_position"]
    assert rows["links"]["position"] == 0 and rows["links"]["events_applied"] == 0  # no links in the log yet
    table = run(app, "status").stdout
    assert table.splitlines()[0].split() == ["NAME", "VERSION", "CHECKPOINT", "HEAD", "LAG", "LAG", "S",
                                             "LAST", "ERROR"]
    assert "timelines" in table and "never run" not in table


def test_rebuild_switches_fresh_tables_in_and_reports_its_rate(app, session):
    seed(session)
    run(app, "catch-up")
    result = run(app, "rebuild", "timelines")
    assert result.exit_code == 0, result.output
    assert "rebuilt timelines: 4 events in" in result.stdout and "events/s" in result.stdout
    assert "every projection is up to date" in run(app, "rebuild", "--outdated").stdout


def test_rebuild_needs_names_or_a_flag_and_knows_its_projections(app):
    assert "name the projections" in run(app, "rebuild").output
    unknown = run(app, "rebuild", "nope")
    assert unknown.exit_code != 0 and "unknown projection(s) nope" in unknown.output


def test_on_a_terminal_progress_shows_a_bar_with_rate_and_eta():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    meter = Progress("rebuild timelines", 1000, screen, redraw_every=0)
    meter.update(250)
    meter.finish()
    drawn = screen.getvalue()
    assert "\r" in drawn and "events/s" in drawn and "ETA" in drawn and "#" in drawn


def test_elsewhere_progress_logs_plain_lines(caplog):
    pipe = io.StringIO()
    with caplog.at_level("INFO"):
        meter = Progress("rebuild timelines", 10, pipe, log_every=0)
        meter.update(5)
        meter.finish()
    assert pipe.getvalue() == "" and "rebuild timelines" in caplog.text and "events/s" in caplog.text
