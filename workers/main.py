"""Entry module for ``celery -A workers.main worker`` and ``celery -A workers.main beat``."""
from factlog import create_app
from workers.celery_app import celery_init_app

flask_app = create_app()
celery_app = celery_init_app(flask_app)
