"""Webhooks: subscriptions to the log, delivered by the workers with HMAC-signed, retried, ordered POSTs.

Where things are: tables (``tables``), which events reach whom and what they carry (``notices``), where
they may go (``addresses``), signing (``signing``), retries (``backoff``), one HTTP attempt (``sender``),
registering and listing (``subscriptions``, ``schemas``). The dispatcher that stages and sends deliveries
runs in the workers (``workers/webhooks.py``). docs/webhooks.md describes the contract for receivers.
"""
