"""Users, passwords and API tokens, through the functions and the CLI."""
import pytest
import sqlalchemy as sa

from factlog.accounts import tokens, users
from factlog.accounts.tables import api_tokens
from factlog.accounts.users import AccountError


def test_passwords_and_tokens_are_stored_only_as_hashes(session):
    users.create_user(session, "Ed@Example.org", "Ed", "editor", "correct horse battery")
    _, secret = tokens.create_token(session, "ed@example.org", "write")
    session.commit()
    stored = session.execute(sa.text("SELECT password_hash FROM users")).scalar_one()
    assert "correct horse" not in stored and stored.startswith("scrypt:")
    assert secret not in str(session.execute(sa.select(api_tokens)).all())
    assert users.authenticate(session, "ed@example.org", "correct horse battery").role == "editor"
    assert users.authenticate(session, "ed@example.org", "wrong password!") is None
    assert users.authenticate(session, "nobody@example.org", "correct horse battery") is None


def test_a_revoked_token_stops_working_at_once(session):
    users.create_user(session, "ed@example.org", "Ed", "editor")
    info, secret = tokens.create_token(session, "ed@example.org", "read")
    session.commit()
    assert tokens.resolve_token(session, secret).user.email == "ed@example.org"
    tokens.revoke_token(session, info.id)
    session.commit()
    assert tokens.resolve_token(session, secret) is None
    with pytest.raises(AccountError, match=f"no live token with id {info.id}"):
        tokens.revoke_token(session, info.id)


@pytest.mark.parametrize("email, role, password, message", [
    ("not-an-email", "editor", None, "is not an email address"),
    ("a@example.org", "boss", None, "role must be one of editor, fact_checker, admin"),
    ("a@example.org", "editor", "short", "password must be at least 10 characters"),
])
def test_bad_user_input_is_refused_with_a_reason(session, email, role, password, message):
    with pytest.raises(AccountError, match=message):
        users.create_user(session, email, "A", role, password)


def test_the_cli_creates_users_and_tokens_and_revokes_them(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "fc@example.org", "--name", "Fact Checker",
                                 "--role", "fact_checker", "--password", "long enough password"])
    assert result.exit_code == 0, result.output
    assert "created fact_checker fc@example.org" in result.output
    result = runner.invoke(args=["users", "create", "--email", "fc@example.org", "--name", "Again",
                                 "--role", "editor", "--no-login"])
    assert result.exit_code != 0 and "already exists" in result.output

    result = runner.invoke(args=["tokens", "create", "--user", "fc@example.org", "--scope", "write"])
    assert result.exit_code == 0
    secret = result.stdout.splitlines()[0]
    assert secret.startswith("flk_")
    listing = runner.invoke(args=["tokens", "list"]).output
    assert "live" in listing and secret not in listing
    assert runner.invoke(args=["tokens", "revoke", "1"]).exit_code == 0
    assert "revoked" in runner.invoke(args=["tokens", "list"]).output
    result = runner.invoke(args=["tokens", "create", "--user", "ghost@example.org", "--scope", "read"])
    assert result.exit_code != 0 and "no user with email ghost@example.org" in result.output
