"""Exports of claims for other tools: ClaimReview (JSON-LD), TimelineJS, Atom, CSV and NDJSON.

Every format is a pure function over the records of ``records`` (built from read-model rows or, for one
claim, the claim page's state); the API (factlog/api/exports.py) and the pages (factlog/web/exports.py)
serve them. docs/exports.md has the URLs.
"""
