"""Who may use the review app: anyone on this machine, others only with its token.

The app edits translations files and shows every document, so listening beyond the loopback
interface without a token hands both to whoever reaches the port.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets


def is_loopback(address: str) -> bool:
    """Whether ``address`` (an IP or host name) is only reachable from this machine."""
    if address in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def new_token() -> str:
    return secrets.token_urlsafe(18)


def token_accepted(expected: str | None, given: str | None) -> bool:
    """No token set: everyone on the allowed address; otherwise an exact match, compared in
    constant time."""
    if not expected:
        return True
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())
