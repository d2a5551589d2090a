"""Configuration read from the environment, with defaults that need no server.

Every setting has a ``FACTLOG_`` environment variable; the README's configuration table lists them all.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

SQLITE_DB_FILE = "factlog.sqlite"
BROKER_DB_FILE = "celery-broker.sqlite"
SECRET_KEY_FILE = "secret_key"
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_READY_MAX_LAG_SECONDS = 60.0
DEFAULT_LOG_SIGN_INTERVAL = 60.0
DEFAULT_LOG_TREE_BATCH_SIZE = 2000


class ConfigError(RuntimeError):
    """The configuration cannot be used to start factlog."""


def normalize_database_url(url: str) -> str:
    """Accept the plain ``postgresql://`` (and legacy ``postgres://``) forms and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _count(name: str, value: str | None) -> int:
    try:
        count = int(value or 0)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None
    if count < 0:
        raise ConfigError(f"{name} must not be negative")
    return count


def load_secret_key(instance_path: Path) -> str:
    """Return the secret kept in the instance folder, creating it (mode 0600) on first use."""
    path = instance_path / SECRET_KEY_FILE
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _log_signing_key(env: Mapping[str, str]) -> str | None:
    """The signing key's text: FACTLOG_LOG_SIGNING_KEY itself, or the file FACTLOG_LOG_SIGNING_KEY_FILE names."""
    path = env.get("FACTLOG_LOG_SIGNING_KEY_FILE")
    if path:
        try:
            return Path(path).read_text()
        except OSError as error:
            raise ConfigError(f"FACTLOG_LOG_SIGNING_KEY_FILE: cannot read {path}: {error.strerror}") from None
    return env.get("FACTLOG_LOG_SIGNING_KEY") or None


def from_environment(instance_path: Path, environ: Mapping[str, str] | None = None) -> dict:
    """Build the Flask config mapping from ``FACTLOG_*`` variables.

    Raises ConfigError when ``FACTLOG_ENV=production`` is combined with an unsafe setting.
    """
    env = os.environ if environ is None else environ
    production = env.get("FACTLOG_ENV", "development").strip().lower() == "production"
    allow_sqlite = _truthy(env.get("FACTLOG_ALLOW_SQLITE_IN_PRODUCTION"))

    database_url = normalize_database_url(
        env.get("FACTLOG_DATABASE_URL") or f"sqlite:///{instance_path / SQLITE_DB_FILE}"
    )
    broker_url = env.get("FACTLOG_BROKER_URL") or f"sqla+sqlite:///{instance_path / BROKER_DB_FILE}"

    secret_key = env.get("FACTLOG_SECRET_KEY")
    log_signing_key = _log_signing_key(env)
    if production:
        problems = []
        if not secret_key:
            problems.append("FACTLOG_SECRET_KEY must be set in production")
        if is_sqlite(database_url) and not allow_sqlite:
            problems.append(
                "FACTLOG_DATABASE_URL points at SQLite; use PostgreSQL in production "
                "or set FACTLOG_ALLOW_SQLITE_IN_PRODUCTION=1"
            )
        if not log_signing_key:
            problems.append("FACTLOG_LOG_SIGNING_KEY or FACTLOG_LOG_SIGNING_KEY_FILE must be set in production "
                            "(docs/transparency.md says how to make one)")
        if problems:
            raise ConfigError("; ".join(problems))
    if not secret_key:
        secret_key = load_secret_key(instance_path)
    from factlog.transparency.signing import SigningKeyError, load_or_create_key_file, parse_private_key

    if not log_signing_key:
        log_signing_key = load_or_create_key_file(instance_path)
    try:
        parse_private_key(log_signing_key)
    except SigningKeyError as error:
        raise ConfigError(f"FACTLOG_LOG_SIGNING_KEY: {error}") from None

    return {
        "FACTLOG_ENV": "production" if production else "development",
        "SECRET_KEY": secret_key,
        "DATABASE_URL": database_url,
        "BROKER_URL": broker_url,
        # Tasks go to this queue; give each deployment sharing a broker its own.
        "TASK_QUEUE": env.get("FACTLOG_TASK_QUEUE") or "factlog",
        # How often (seconds) beat runs the projections' periodic catch-up that heals missed nudges.
        "CATCH_UP_INTERVAL": float(env.get("FACTLOG_CATCH_UP_INTERVAL") or 5.0),
        # Webhooks (docs/webhooks.md): where they may go, timeouts, retries, when a subscription is disabled.
        "WEBHOOKS_ALLOW_PRIVATE_NETWORKS": _truthy(env.get("FACTLOG_WEBHOOKS_ALLOW_PRIVATE_NETWORKS")),
        "WEBHOOKS_ALLOW_LOOPBACK": _truthy(env.get("FACTLOG_WEBHOOKS_ALLOW_LOOPBACK")),
        "WEBHOOKS_TIMEOUT_SECONDS": float(env.get("FACTLOG_WEBHOOKS_TIMEOUT_SECONDS") or 5.0),
        "WEBHOOKS_MAX_ATTEMPTS": int(env.get("FACTLOG_WEBHOOKS_MAX_ATTEMPTS") or 8),
        "WEBHOOKS_DISABLE_AFTER": int(env.get("FACTLOG_WEBHOOKS_DISABLE_AFTER") or 10),
        "WEBHOOKS_RETRY_BASE_SECONDS": float(env.get("FACTLOG_WEBHOOKS_RETRY_BASE_SECONDS") or 10.0),
        "WEBHOOKS_RETRY_MAX_SECONDS": float(env.get("FACTLOG_WEBHOOKS_RETRY_MAX_SECONDS") or 3600.0),
        "WEBHOOKS_INTERVAL": float(env.get("FACTLOG_WEBHOOKS_INTERVAL") or 5.0),
        # The Ed25519 key that signs the log's tree heads, and how often a new head is due (docs/transparency.md).
        "LOG_SIGNING_KEY": log_signing_key,
        "LOG_SIGN_INTERVAL": float(env.get("FACTLOG_LOG_SIGN_INTERVAL") or DEFAULT_LOG_SIGN_INTERVAL),
        # Events the tree takes per worker task run (then the task queues itself again; workers/log_tasks.py).
        "LOG_TREE_BATCH_SIZE": _count("FACTLOG_LOG_TREE_BATCH_SIZE", env.get("FACTLOG_LOG_TREE_BATCH_SIZE")
                                      or str(DEFAULT_LOG_TREE_BATCH_SIZE)),
        "DATABASE_ECHO": _truthy(env.get("FACTLOG_DATABASE_ECHO")),
        "MAX_CONTENT_LENGTH": int(env.get("FACTLOG_MAX_BODY_BYTES") or DEFAULT_MAX_BODY_BYTES),
        "LOG_FORMAT": (env.get("FACTLOG_LOG_FORMAT") or "json").strip().lower(),
        "LOG_LEVEL": (env.get("FACTLOG_LOG_LEVEL") or "INFO").strip().upper(),
        # /readyz fails when a projection's oldest unapplied event is older than this (seconds).
        "READY_MAX_LAG_SECONDS": float(env.get("FACTLOG_READY_MAX_LAG_SECONDS")
                                       or DEFAULT_READY_MAX_LAG_SECONDS),
        # The worker warns when an open transaction has held committed events from the log's readers longer.
        "HELD_BACK_WARN_SECONDS": float(env.get("FACTLOG_HELD_BACK_WARN_SECONDS") or 10.0),
        # How many reverse proxies in front of factlog set X-Forwarded-For/-Proto/-Host (0: none, trust no
        # such header). The login throttle and the logs then see the client's address, not the proxy's.
        "TRUSTED_PROXIES": _count("FACTLOG_TRUSTED_PROXIES", env.get("FACTLOG_TRUSTED_PROXIES")),
        # Megabytes of encoded timeline pages each web process keeps (factlog/api/page_cache.py; 0: none).
        "PAGE_CACHE_MB": _count("FACTLOG_PAGE_CACHE_MB", env.get("FACTLOG_PAGE_CACHE_MB") or "64"),
        # How many events after a past moment a view may re-fold to answer "as of" it (docs/as-of.md).
        "AS_OF_MAX_EVENTS": _count("FACTLOG_AS_OF_MAX_EVENTS", env.get("FACTLOG_AS_OF_MAX_EVENTS") or "50000"),
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Who publishes the ClaimReview markup and feeds (docs/exports.md).
        "ORGANIZATION_NAME": (env.get("FACTLOG_ORGANIZATION_NAME") or "factlog").strip(),
        "ORGANIZATION_URL": (env.get("FACTLOG_ORGANIZATION_URL") or "").strip() or None,
    }
