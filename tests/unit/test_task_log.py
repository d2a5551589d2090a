"""Each task run logs one structured line and counts in the worker's metrics."""
from __future__ import annotations

import json
import logging
from types import SimpleNamespace

from factlog.logs import JsonFormatter
from workers import observability


def test_a_task_run_logs_its_name_id_state_runtime_and_events_applied(caplog):
    task = SimpleNamespace(name="factlog.projections.catch_up")
    runs = observability.TASK_RUNS.labels(task.name, "SUCCESS")
    before = runs._value.get()
    with caplog.at_level(logging.INFO, logger="factlog.tasks"):
        observability._task_started(task_id="t-1")
        observability._task_ended(task_id="t-1", task=task, retval=12, state="SUCCESS")
    [record] = [r for r in caplog.records if r.name == "factlog.tasks"]
    entry = json.loads(JsonFormatter().format(record))
    assert entry["task"] == "factlog.projections.catch_up" and entry["task_id"] == "t-1"
    assert entry["state"] == "SUCCESS" and entry["events_applied"] == 12 and entry["runtime_ms"] >= 0
    assert runs._value.get() == before + 1


def test_a_failed_run_is_a_warning_and_counts_as_a_failure(caplog):
    task = SimpleNamespace(name="factlog.projections.rebuild")
    with caplog.at_level(logging.INFO, logger="factlog.tasks"):
        observability._task_ended(task_id="t-2", task=task, retval=RuntimeError("boom"), state="FAILURE")
    [record] = [r for r in caplog.records if r.name == "factlog.tasks"]
    assert record.levelno == logging.WARNING and record.fields["events_applied"] is None
    assert observability.TASK_RUNS.labels(task.name, "FAILURE")._value.get() >= 1
