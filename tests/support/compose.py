"""Run docker-compose.yml's services without Docker: their exact command lines, on this machine.

What the containers would get is rebuilt from the files: the image's ``ENV`` lines from the Dockerfile, then
the service's ``environment`` from docker-compose.yml, interpolated as compose does (``${VAR:?msg}``,
``${VAR:-default}``, ``$$``). Only what names the containers' world is rewritten: the hostnames ``postgres``
and ``redis`` (and the database name) become the local test servers, published ports become free ports, and
container paths become folders of the test.
"""
from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"

_VARIABLE = re.compile(r"\$(?:(?P<escaped>\$)|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])"
                       r"(?P<arg>[^}]*))?\}|(?P<named>[A-Za-z_][A-Za-z0-9_]*))")


class MissingVariable(ValueError):
    pass


def interpolate(text: str, variables: Mapping[str, str]) -> str:
    """Compose's variable substitution."""

    def substitute(match: re.Match) -> str:
        if match["escaped"]:
            return "$"
        name = match["braced"] or match["named"]
        value, op, arg = variables.get(name), match["op"], match["arg"]
        unset_or_empty = value is None or (op is not None and op.startswith(":") and value == "")
        if op and op.endswith("-") and unset_or_empty:
            return arg
        if op and op.endswith("?") and unset_or_empty:
            raise MissingVariable(f"{name}: {arg}")
        return value or ""

    return _VARIABLE.sub(substitute, text)


def _interpolated(value, variables):
    if isinstance(value, str):
        return interpolate(value, variables)
    if isinstance(value, list):
        return [_interpolated(item, variables) for item in value]
    if isinstance(value, dict):
        return {key: _interpolated(item, variables) for key, item in value.items()}
    return value


def load_compose(variables: Mapping[str, str]) -> dict:
    """docker-compose.yml with YAML anchors merged and variables substituted."""
    return _interpolated(yaml.safe_load(COMPOSE_FILE.read_text()), variables)


def image_environment() -> dict[str, str]:
    """The ``ENV`` of the Dockerfile's last stage (``KEY=value`` forms, with line continuations)."""
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    last_stage = text[text.rindex("\nFROM "):]
    env: dict[str, str] = {}
    for line in last_stage.splitlines():
        if line.startswith("ENV "):
            for pair in shlex.split(line[4:]):
                key, _, value = pair.partition("=")
                env[key] = value
    return env


def as_argv(command) -> list[str]:
    return list(command) if isinstance(command, list) else shlex.split(command)


def healthcheck_argv(test: list[str]) -> list[str]:
    kind, *rest = test
    if kind == "CMD-SHELL":
        return ["sh", "-c", rest[0]]
    assert kind == "CMD", f"unsupported healthcheck {test}"
    return rest


@dataclass
class Localizer:
    """The rewrites from the containers' world to this machine's."""

    database_url: str  # the test database (postgresql://...)
    broker_url: str  # the test Redis
    paths: dict[str, str]  # container path prefix -> local folder
    ports: dict[int, int] = field(default_factory=dict)  # container port -> a free port here

    def url(self, value: str) -> str:
        parts = urlsplit(value)
        if parts.hostname == "postgres":
            local = urlsplit(self.database_url)
            netloc = parts.netloc.rsplit("@", 1)
            userinfo = netloc[0] + "@" if len(netloc) == 2 else ""
            return urlunsplit((parts.scheme, userinfo + local.netloc.rsplit("@", 1)[-1], local.path, "", ""))
        if parts.hostname == "redis":
            return self.broker_url
        return value

    def value(self, text: str) -> str:
        text = self.url(text) if "://" in text else text
        for container_port, port in self.ports.items():
            if text == str(container_port):
                return str(port)
            for host in ("0.0.0.0", "127.0.0.1"):
                text = text.replace(f"{host}:{container_port}", f"127.0.0.1:{port}")
        for prefix, local in sorted(self.paths.items(), key=lambda item: -len(item[0])):
            if text == prefix or text.startswith(prefix + "/"):
                return local + text[len(prefix):]
        return text

    def environment(self, env: Mapping[str, object]) -> dict[str, str]:
        return {key: self.value(str(value)) for key, value in env.items()}


def process_environment(container_env: Mapping[str, str]) -> dict[str, str]:
    """This machine's basics (PATH with the virtualenv first, HOME) plus what the container would have."""
    base = {key: value for key, value in os.environ.items()
            if not key.startswith(("FACTLOG_", "PROMETHEUS_", "CELERY_"))}
    base["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{base.get('PATH', '')}"
    return base | dict(container_env)


@dataclass
class ServiceProcess:
    name: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    cwd: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd, stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 20) -> int | None:
        """SIGTERM the process group (as ``docker compose stop`` would), then wait; SIGKILL if it hangs."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        return self.process.returncode
