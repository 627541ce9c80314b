"""The error a user's news input raises: it names the file and what is wrong."""

from __future__ import annotations


class NewsError(ValueError):
    """Unreadable or malformed news input (the message names the file)."""
