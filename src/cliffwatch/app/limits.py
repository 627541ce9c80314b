"""Defaults and safety limits of the dashboard server."""

from __future__ import annotations

DEFAULT_HOST: str = "127.0.0.1"
"""Bind address: loopback only, unless the user asks for another one."""
DEFAULT_PORT: int = 8050
DEFAULT_MAX_UPLOAD_MB: float = 50.0
"""Largest accepted upload, MB (2**20 bytes), summed over the files of one upload."""
BYTES_PER_MB: int = 2**20
BASE64_INFLATION: float = 4.0 / 3.0
"""Base64 encodes 3 bytes in 4 characters: an upload request is ~4/3 of the file size."""
REQUEST_OVERHEAD_BYTES: int = 2**20
"""Room for the JSON envelope of a Dash callback request around the upload, bytes."""
PROGRESS_POLL_MS: int = 700
"""How often the run page asks for job progress, milliseconds."""
MAX_PARALLEL_RUNS: int = 1
"""Runs executed at once; the rest wait visibly in the queue (the machine has few cores)."""
MAX_PATHS: int = 100_000
"""Largest path count the run form accepts per scenario."""
MAX_ISSUES_SHOWN: int = 500
"""Validation issues listed in the table (the count above it says how many there are)."""


def request_cap_bytes(max_upload_mb: float) -> int:
    """Hard cap on one HTTP request body, bytes: a base64 upload of the cap plus envelope."""
    return int(max_upload_mb * BYTES_PER_MB * BASE64_INFLATION) + REQUEST_OVERHEAD_BYTES
