"""factlog's Celery workers: projectors that turn the event log into read models.

``workers`` imports ``factlog``; ``factlog`` never imports ``workers`` (it sends tasks by name).
Start a worker with ``celery -A workers.main worker --loglevel=INFO`` and beat with ``celery -A workers.main beat``.
"""
