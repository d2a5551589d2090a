"""``factlog users ...`` and ``factlog tokens ...``."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from factlog.accounts import tokens as token_store
from factlog.accounts import users as user_store
from factlog.accounts.tables import ROLES, SCOPES
from factlog.database import get_database

users_cli = AppGroup("users", help="Manage the people who use factlog.")
tokens_cli = AppGroup("tokens", help="Manage API tokens.")


def _fail(error: Exception) -> None:
    raise click.ClickException(str(error))


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--password", envvar="FACTLOG_USER_PASSWORD",
              help="Read from FACTLOG_USER_PASSWORD if set; otherwise asked for. Use --no-login to skip.")
@click.option("--no-login", is_flag=True, help="An API-only user without a password.")
def create_user_command(email: str, name: str, role: str, password: str | None, no_login: bool) -> None:
    """Create a user with a role (editor, fact_checker, admin)."""
    if not no_login and password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with get_database().session() as session:
        try:
            user = user_store.create_user(session, email, name, role, None if no_login else password)
        except user_store.AccountError as error:
            _fail(error)
        session.commit()
    click.echo(f"created {user.role} {user.email} (id {user.id})")


@users_cli.command("list")
def list_users_command() -> None:
    """List active users."""
    with get_database().session() as session:
        for user in user_store.list_users(session):
            click.echo(f"{user.id:>5}  {user.role:<12}  {user.email}  ({user.name})")


@tokens_cli.command("create")
@click.option("--user", "email", required=True, help="The token acts as this user.")
@click.option("--scope", type=click.Choice(SCOPES), required=True)
@click.option("--name", default="", help="What the token is for.")
def create_token_command(email: str, scope: str, name: str) -> None:
    """Create an API token and print it once; only its hash is kept."""
    with get_database().session() as session:
        try:
            info, secret = token_store.create_token(session, email, scope, name)
        except user_store.AccountError as error:
            _fail(error)
        session.commit()
    click.echo(secret)
    click.echo(f"token {info.id} ({info.scope}) for {info.user_email}: store it now, it is not shown again",
               err=True)


@tokens_cli.command("list")
@click.option("--user", "email", default=None)
def list_tokens_command(email: str | None) -> None:
    """List tokens (never their secrets)."""
    with get_database().session() as session:
        for token in token_store.list_tokens(session, email):
            state = "revoked" if token.revoked_at else "live"
            used = token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "never used"
            click.echo(f"{token.id:>5}  {token.prefix}…  {token.scope:<5}  {state:<7}  {token.user_email}  "
                       f"{token.name}  ({used})")


@tokens_cli.command("revoke")
@click.argument("token_id", type=int)
def revoke_token_command(token_id: int) -> None:
    """Revoke a token at once."""
    with get_database().session() as session:
        try:
            token_store.revoke_token(session, token_id)
        except user_store.AccountError as error:
            _fail(error)
        session.commit()
    click.echo(f"revoked token {token_id}")
