# factlog's production image: the web app (gunicorn), the Celery worker and beat all run from it
# (docker-compose.yml says which). No secrets in here: every setting comes from the environment at run time.

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY factlog ./factlog
COPY workers ./workers
# factlog and every dependency as wheels (psycopg, rapidfuzz and friends ship binary ones): no compiler needed
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    FACTLOG_ENV=production \
    FACTLOG_INSTANCE_PATH=/var/lib/factlog \
    FACTLOG_MIGRATIONS_DIR=/app/migrations
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin factlog \
    && mkdir -p /app /var/lib/factlog \
    && chown factlog:factlog /var/lib/factlog
COPY --from=build /wheels /tmp/wheels
RUN pip install --no-cache-dir --no-index --find-links /tmp/wheels factlog \
    && rm -rf /tmp/wheels
COPY migrations /app/migrations
WORKDIR /app
USER factlog
EXPOSE 8000 9808
CMD ["gunicorn", "--config", "python:factlog.gunicorn_config", "factlog:create_app()"]
