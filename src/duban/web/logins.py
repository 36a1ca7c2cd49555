"""Login limits: growing delays counted per account, per address and per both, never a
shared lock-out; the client's address, with forwarded headers believed only from proxies.

Failures are counted under three keys, each with its own allowance before delays begin::

    pair     one account from one address      5 free, then 2 s, 4 s, 8 s, … at most 15 min
    address  every account from one address   30 free (an office behind one NAT address)
    account  one account from every address   20 free (guessing spread over many addresses)

A browser that has logged in to an account carries a signed device cookie for it (OWASP's
"device cookies"): its attempts on that account are counted under that cookie alone. So
five wrong passwords from one address delay that account from that address, not everyone
behind it, and guessing `admin`'s password from anywhere cannot keep the real administrator
out. A device cookie is signed with a key derived from the account's password hash: it
works across restarts and processes and dies when the password changes.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Callable, Iterable

from starlette.requests import Request

from ..settings import ProxyNetwork as Network

DEVICE_COOKIE = "duban_device"
DEVICE_DAYS = 180
DEVICES_PER_BROWSER = 4  # a shared office computer keeps the cookies of a few accounts

# kind of key -> failures allowed before the delays begin
ALLOWANCE = {"pair": 5, "device": 5, "address": 30, "account": 20}


@dataclass
class _Count:
    failures: int
    last: float


class LoginLimiter:
    """Failures per key; a key is open again ``delay`` seconds after its last failure, where
    the delay doubles with every failure past the key's allowance (``base`` … ``cap``)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, base: float = 2.0,
                 cap: float = 900.0, forget: float = 3600.0, max_keys: int = 100_000) -> None:
        self.clock, self.base, self.cap, self.forget, self.max_keys = clock, base, cap, forget, max_keys
        self._counts: dict[str, _Count] = {}
        self._lock = threading.Lock()

    @staticmethod
    def keys(username: str, address: str, device: str | None = None) -> tuple[str, ...]:
        """The keys an attempt is counted under: a trusted device's own, or the three."""
        if device:
            return (f"device\0{device}",)
        return (f"pair\0{username}\0{address}", f"address\0{address}", f"account\0{username}")

    def _delay(self, key: str, count: _Count) -> float:
        over = count.failures - ALLOWANCE[key.split("\0", 1)[0]]
        if over < 0:
            return 0.0
        return float(min(self.cap, self.base * 2 ** min(over, 30)))

    def _count(self, key: str, now: float) -> _Count | None:
        count = self._counts.get(key)
        if count is not None and now - count.last > self.forget:
            del self._counts[key]
            return None
        return count

    def wait(self, keys: Iterable[str]) -> float:
        """Seconds before another attempt under these keys is heard (0: now)."""
        now = self.clock()
        with self._lock:
            longest = 0.0
            for key in keys:
                count = self._count(key, now)
                if count is not None:
                    longest = max(longest, count.last + self._delay(key, count) - now)
            return longest

    def failed(self, keys: Iterable[str]) -> None:
        now = self.clock()
        with self._lock:
            if len(self._counts) >= self.max_keys:
                self._prune(now)
            for key in keys:
                count = self._count(key, now)
                if count is None:
                    self._counts[key] = _Count(1, now)
                else:
                    count.failures += 1
                    count.last = now

    def succeeded(self, keys: Iterable[str]) -> None:
        """A right password clears its own pair or device, never the address or the
        account: a guesser who also has a valid account must not reset them."""
        with self._lock:
            for key in keys:
                if key.startswith(("pair\0", "device\0")):
                    self._counts.pop(key, None)

    def _prune(self, now: float) -> None:
        for key in [k for k, c in self._counts.items() if now - c.last > self.forget]:
            del self._counts[key]
        if len(self._counts) >= self.max_keys:  # a flood of new keys: keep the newer half
            kept = sorted(self._counts.items(), key=lambda kv: kv[1].last)[len(self._counts) // 2:]
            self._counts = dict(kept)


# -- device cookies --------------------------------------------------------------------

def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _unb64(text: str) -> str:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()


def device_entries(cookie: str) -> list[tuple[str, str, str]]:
    """(user name, nonce, signature) of each entry of a device cookie; junk is skipped."""
    out = []
    for entry in cookie.split("~")[:DEVICES_PER_BROWSER]:
        parts = entry.split(".")
        if len(parts) != 3:
            continue
        try:
            out.append((_unb64(parts[0]), parts[1], parts[2]))
        except (ValueError, UnicodeDecodeError):
            continue
    return out


def _signature(key: bytes, username: str, nonce: str) -> str:
    return hmac.new(key, f"{username}\0{nonce}".encode(), hashlib.sha256).hexdigest()


def trusted_device(cookie: str, username: str, key: bytes | None) -> str | None:
    """The device's nonce when the cookie holds a valid entry for this account."""
    if key is None:
        return None
    for name, nonce, signature in device_entries(cookie):
        if name == username and hmac.compare_digest(signature, _signature(key, name, nonce)):
            return nonce
    return None


def add_device(cookie: str, username: str, key: bytes) -> str:
    """The cookie with a fresh entry for this account first (older ones of it dropped)."""
    nonce = secrets.token_urlsafe(12)
    entry = f"{_b64(username)}.{nonce}.{_signature(key, username, nonce)}"
    others = [e for e in cookie.split("~") if e and not e.startswith(f"{_b64(username)}.")]
    return "~".join([entry, *others][:DEVICES_PER_BROWSER])


# -- the client's address -------------------------------------------------------------

def _address(hop: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    hop = hop.strip().strip('"')
    if hop.startswith("["):  # [2001:db8::1]:4711
        hop = hop[1:hop.find("]")] if "]" in hop else hop[1:]
    elif hop.count(":") == 1:  # 192.0.2.1:4711
        hop = hop.split(":")[0]
    try:
        return ipaddress.ip_address(hop)
    except ValueError:
        return None


def _trusted(hop: str, proxies: tuple[Network, ...]) -> bool:
    address = _address(hop)
    return address is not None and any(address in net for net in proxies)


def _forwarded_hops(request: Request) -> list[str]:
    """The forwarded chain, client first: RFC 7239 Forwarded, else X-Forwarded-For."""
    forwarded = request.headers.get("forwarded", "")
    hops = []
    if forwarded:
        for element in forwarded.split(","):
            for pair in element.split(";"):
                name, _, value = pair.strip().partition("=")
                if name.lower() == "for" and value:
                    hops.append(value.strip().strip('"'))
        return hops
    return [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]


def client_address(request: Request, proxies: tuple[Network, ...]) -> str:
    """The address of whoever sent the request: the peer, unless the peer is one of the
    configured proxies; then the nearest hop of the forwarded chain that is no proxy of
    ours (everything left of it could be made up by the client)."""
    peer = request.client.host if request.client else "unknown"
    if not proxies or not _trusted(peer, proxies):
        return peer
    hops = _forwarded_hops(request)
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            address = _address(hop)
            return str(address) if address is not None else hop[:100]
    return str(_address(hops[0]) or peer) if hops else peer
