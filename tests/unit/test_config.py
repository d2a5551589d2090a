"""Configuration from the environment: safe defaults, and a production mode that refuses unsafe ones."""
import stat

import pytest

from factlog.config import ConfigError, from_environment, normalize_database_url


def test_defaults_need_no_server_and_keep_everything_in_the_instance_folder(tmp_path):
    config = from_environment(tmp_path, {})
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'factlog.sqlite'}"
    assert config["BROKER_URL"].startswith("sqla+sqlite:///") and str(tmp_path) in config["BROKER_URL"]
    assert config["FACTLOG_ENV"] == "development"


def test_an_unset_secret_is_generated_once_kept_private_and_reused(tmp_path):
    first = from_environment(tmp_path, {})["SECRET_KEY"]
    assert len(first) >= 40
    assert from_environment(tmp_path, {})["SECRET_KEY"] == first
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


@pytest.mark.parametrize("url", ["postgresql://u@db/factlog", "postgres://u@db/factlog",
                                 "postgresql+psycopg://u@db/factlog"])
def test_plain_postgresql_urls_use_the_psycopg_driver(url):
    assert normalize_database_url(url) == "postgresql+psycopg://u@db/factlog"


SIGNING_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="  # base64 of a 32-byte Ed25519 seed


def test_production_refuses_an_unset_secret_and_sqlite(tmp_path):
    with pytest.raises(ConfigError) as caught:
        from_environment(tmp_path, {"FACTLOG_ENV": "production"})
    assert "FACTLOG_SECRET_KEY must be set in production" in str(caught.value)
    assert "points at SQLite" in str(caught.value)
    assert not (tmp_path / "secret_key").exists()


def test_production_accepts_sqlite_only_when_told_explicitly(tmp_path):
    config = from_environment(tmp_path, {"FACTLOG_ENV": "production", "FACTLOG_SECRET_KEY": "s" * 40,
                                         "FACTLOG_LOG_SIGNING_KEY": SIGNING_KEY,
                                         "FACTLOG_ALLOW_SQLITE_IN_PRODUCTION": "1"})
    assert config["SESSION_COOKIE_SECURE"] is True


def test_production_with_postgresql_and_a_secret_starts(tmp_path):
    config = from_environment(tmp_path, {"FACTLOG_ENV": "production", "FACTLOG_SECRET_KEY": "s" * 40,
                                         "FACTLOG_LOG_SIGNING_KEY": SIGNING_KEY,
                                         "FACTLOG_DATABASE_URL": "postgresql://factlog@db/factlog",
                                         "FACTLOG_BROKER_URL": "redis://redis:6379/0"})
    assert config["DATABASE_URL"] == "postgresql+psycopg://factlog@db/factlog"
    assert config["BROKER_URL"] == "redis://redis:6379/0"


def test_trusted_proxies_is_a_count_and_defaults_to_none(tmp_path):
    assert from_environment(tmp_path, {})["TRUSTED_PROXIES"] == 0
    assert from_environment(tmp_path, {"FACTLOG_TRUSTED_PROXIES": "2"})["TRUSTED_PROXIES"] == 2
    for wrong in ("two", "-1"):
        with pytest.raises(ConfigError, match="FACTLOG_TRUSTED_PROXIES"):
            from_environment(tmp_path, {"FACTLOG_TRUSTED_PROXIES": wrong})


def test_production_refuses_an_unset_log_signing_key_and_development_makes_one_once(tmp_path):
    with pytest.raises(ConfigError, match="FACTLOG_LOG_SIGNING_KEY or FACTLOG_LOG_SIGNING_KEY_FILE must be set"):
        from_environment(tmp_path, {"FACTLOG_ENV": "production", "FACTLOG_SECRET_KEY": "s" * 40,
                                    "FACTLOG_ALLOW_SQLITE_IN_PRODUCTION": "1"})
    assert not (tmp_path / "log_signing_key.pem").exists()
    first = from_environment(tmp_path, {})["LOG_SIGNING_KEY"]
    assert first.startswith("-----BEGIN PRIVATE KEY-----")
    assert (tmp_path / "log_signing_key.pem").stat().st_mode & 0o777 == 0o600
    assert from_environment(tmp_path, {})["LOG_SIGNING_KEY"] == first


def test_the_log_signing_key_comes_from_the_variable_or_a_file_and_must_be_ed25519(tmp_path):
    assert from_environment(tmp_path, {"FACTLOG_LOG_SIGNING_KEY": SIGNING_KEY})["LOG_SIGNING_KEY"] == SIGNING_KEY
    pem = from_environment(tmp_path / "dev", {})["LOG_SIGNING_KEY"]
    (tmp_path / "key.pem").write_text(pem)
    assert from_environment(tmp_path, {"FACTLOG_LOG_SIGNING_KEY_FILE": str(tmp_path / "key.pem")})[
        "LOG_SIGNING_KEY"] == pem
    with pytest.raises(ConfigError, match="cannot read"):
        from_environment(tmp_path, {"FACTLOG_LOG_SIGNING_KEY_FILE": str(tmp_path / "missing.pem")})
    with pytest.raises(ConfigError, match="neither an Ed25519 PEM private key nor the base64"):
        from_environment(tmp_path, {"FACTLOG_LOG_SIGNING_KEY": "not a key"})
