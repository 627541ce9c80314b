"""Errors the results store raises: each names the store file and what went wrong."""

from __future__ import annotations


class StoreError(Exception):
    """A store operation failed; the message names the store path and the cause."""


class StoreLockedError(StoreError):
    """Another process kept the store's write lock past the wait timeout."""


class RunNotFoundError(StoreError):
    """The requested run id is not in the store."""
