"""Responses the API serializes itself, once: pages whose parts are already JSON text (``orjson.Fragment``).

flask-smorest would dump the data through the schema, encode it with sorted keys, and encode it again for
the ETag; for a feed page of 1,000 events or a timeline page of 50 cards that was most of the request. The
view builds the document in exactly its response schema's shape (the schema still documents it) and this
writes it out with an ETag taken from the body (a matching If-None-Match gets 304).
"""
from __future__ import annotations

import hashlib
from typing import Any

import orjson
from flask import Response
from flask_smorest import Blueprint


def encode(document: Any) -> tuple[bytes, str]:
    """The document's JSON body and its ETag (the body's SHA-1)."""
    body = orjson.dumps(document)
    return body, hashlib.sha1(body).hexdigest()


def json_response(blp: Blueprint, document: Any) -> Response:
    return body_response(blp, *encode(document))


def etag_header(etag: str) -> str:
    """The ETag header value ``body_response`` ends up sending for ``etag``: flask-smorest hashes the data
    given to ``set_etag`` once more (its JSON, through the app's JSON provider; call within the app)."""
    return f'"{Blueprint._generate_etag(etag)}"'


def body_response(blp: Blueprint, body: bytes, etag: str) -> Response:
    """A response for a body already encoded, with its ETag."""
    blp.set_etag(etag)
    return Response(body, mimetype="application/json")
