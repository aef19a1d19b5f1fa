"""What the HTTP API is configured with: size limits, cookie and long-poll settings, and the
event that tells long-running responses the server is stopping."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field

__all__ = ["ApiSettings"]


@dataclass(frozen=True, slots=True)
class ApiSettings:
    max_json_bytes: int = 1024 * 1024
    max_upload_bytes: int = 10 * 1024 * 1024
    session_lifetime: dt.timedelta = dt.timedelta(hours=12)
    secure_cookies: bool = False  # set behind HTTPS so that browsers send cookies only there
    max_long_poll: dt.timedelta = dt.timedelta(seconds=60)
    poll_interval: float = 0.5  # how often waiting requests and the event stream look again
    event_heartbeat: float = 15.0
    # Set when the server stops, so that long polls and event streams end promptly.
    stopping: threading.Event = field(default_factory=threading.Event)
