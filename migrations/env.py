"""Alembic environment: the URL comes from factlog's configuration (``factlog db ...``)."""
from alembic import context
from sqlalchemy import create_engine, pool

from factlog.schema import metadata
import factlog.tables  # noqa: F401  (registers every table on the metadata, for autogenerate)

config = context.config
target_metadata = metadata


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave SQLite's FTS5 shadow tables (search_fts*), made by a migration's raw SQL, out of autogenerate."""
    return not (type_ == "table" and name.startswith("search_fts"))


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    # render_as_batch lets ALTER-style migrations work on SQLite, which rebuilds tables to alter them.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
