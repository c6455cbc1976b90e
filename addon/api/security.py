"""Who may talk to the server: Host (DNS rebinding), Origin (CORS) and the API key."""

from __future__ import annotations

import hmac
import re

from ..core.config import Config

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")

# Origins only a browser extension, a page served from this machine, or the Obsidian
# app can send: browsers set Origin themselves and no web page can claim these.
# AnkiConnect accepts the same ones by default, so its clients work unchanged.
_LOCAL_CLIENT = re.compile(
    r"(?:chrome|moz|safari-web|safari|ms-browser)-extension://[a-z0-9._-]+"
    r"|https?://(?:127\.0\.0\.1|localhost|\[::1\])(?::[0-9]{1,5})?"
    r"|app://obsidian\.md"
)


def host_allowed(host_header: str | None, config: Config) -> bool:
    """A page on evil.example that rebinds its name to 127.0.0.1 still sends its own
    name as Host; only our own names, with our port, are accepted."""
    if not host_header:
        return False
    names = set(LOOPBACK_NAMES)
    if not config.is_loopback:
        # The user chose to listen on another address: accept that name too.
        names.add(f"[{config.host}]" if ":" in config.host else config.host)
    allowed = {f"{name}:{config.port}" for name in names}
    return host_header.strip().lower() in allowed


def origin_allowed(origin: str | None, config: Config) -> bool:
    """Requests without an Origin come from programs, not web pages, and pass; so do
    our own status page's requests."""
    if origin is None:
        return True
    origin = origin.rstrip("/").lower()
    own = {f"http://{name}:{config.port}" for name in LOOPBACK_NAMES}
    if origin in own or "*" in config.cors_origins or origin in config.cors_origins:
        return True
    return config.allow_extensions and _LOCAL_CLIENT.fullmatch(origin) is not None


def origin_refusal(origin: str | None) -> str:
    return f"origin {origin!r} is not allowed: add it to cors_origins in the add-on's config"


def key_matches(given: str | None, config: Config) -> bool:
    if config.api_key is None:
        return True
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), config.api_key.encode("utf-8"))


def key_from_headers(authorization: str | None, x_api_key: str | None) -> str | None:
    if x_api_key:
        return x_api_key.strip()
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None
