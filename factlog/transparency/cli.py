"""``factlog verify``: check the log (or an NDJSON export of it) against every signed tree head."""
from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from factlog import eventstore
from factlog.backup import DumpError, read_lines
from factlog.database import get_database
from factlog.transparency import store
from factlog.transparency.signing import SigningKeyError, configured_key, parse_public_key
from factlog.transparency.verify import stored_leaves, verify


@click.command("verify")
@click.option("--ndjson", "dump", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Check this export (factlog export --ndjson) instead of the database's events.")
@click.option("--public-key", "public_keys", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A PEM public key heads may be signed with (repeatable); default: the configured key's.")
@with_appcontext
def verify_command(dump: Path | None, public_keys: tuple[str, ...]) -> None:
    """Recompute the log's Merkle tree and check it against every signed tree head; name the first event
    that differs and how. Exits 1 when anything does not verify."""
    try:
        keys = [parse_public_key(Path(path).read_bytes()) for path in public_keys]
        if not keys:
            keys = [configured_key(current_app.config, current_app.instance_path).public]
    except (SigningKeyError, ValueError) as error:
        raise click.ClickException(f"cannot read the public key: {error}") from None
    with get_database().session() as session, ExitStack() as stack:
        heads = store.all_heads(session)
        log = read_lines(stack.enter_context(open(dump, encoding="utf-8"))) if dump else eventstore.iter_stored(session)
        try:
            report = verify(log, heads, stored_leaves(session), keys)
        except DumpError as error:
            raise click.ClickException(f"cannot read {dump}: {error}") from None
        session.rollback()
    source = f"{dump}" if dump else "the database"
    latest = heads[-1] if heads else None
    if report.ok:
        signed = (f"{len(heads):,} signed tree heads (the latest: {latest.tree_size:,} events, signed at "
                  f"{latest.signed_at:%Y-%m-%d %H:%M:%S} UTC)" if latest else "no signed tree head yet")
        click.echo(f"verified: {report.events:,} events in {source} match the tree ({report.tree_size:,} leaves) "
                   f"and {signed}")
        return
    click.echo(f"NOT verified: {report.events:,} events in {source}, {report.tree_size:,} leaves in the tree, "
               f"{len(heads):,} signed tree heads", err=True)
    for problem in report.problems:
        click.echo(f"  - {problem}", err=True)
    sys.exit(1)
