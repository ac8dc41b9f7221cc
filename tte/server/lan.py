"""The host's own addresses, for join URLs people on the LAN can actually use."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import struct
import sys

WILDCARDS = ("", "0.0.0.0", "::", "*")


def _interface_addresses() -> set[str]:
    """IPv4 address of every interface (Linux: SIOCGIFADDR ioctl; elsewhere: nothing)."""
    found: set[str] = set()
    if not sys.platform.startswith("linux"):
        return found
    try:
        import fcntl
    except ImportError:
        return found
    siocgifaddr = 0x8915
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for _, name in socket.if_nameindex():
            with contextlib.suppress(OSError):
                req = struct.pack("256s", name.encode()[:15])
                res = fcntl.ioctl(s.fileno(), siocgifaddr, req)
                found.add(socket.inet_ntoa(res[20:24]))
    return found


def _resolver_addresses() -> set[str]:
    found: set[str] = set()
    with contextlib.suppress(OSError):
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(str(info[4][0]))
    # The address the default route leaves from (connect() on UDP sends nothing).
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("192.0.2.1", 9))
        found.add(s.getsockname()[0])
    return found


def lan_addresses() -> list[str]:
    """Non-loopback IPv4 addresses of this host, private (LAN) ones first."""
    addrs = set()
    for a in _interface_addresses() | _resolver_addresses():
        with contextlib.suppress(ValueError):
            ip = ipaddress.ip_address(a)
            if not ip.is_loopback and not ip.is_unspecified and not ip.is_link_local:
                addrs.add(ip)
    return [str(ip) for ip in sorted(addrs, key=lambda ip: (not ip.is_private, ip))]


def join_urls(host: str | None, port: int, tls: bool = False) -> list[str]:
    scheme = "wss" if tls else "ws"
    if host is None or host in WILDCARDS:
        hosts = [*lan_addresses(), "127.0.0.1"]
    else:
        hosts = [host]
    return [f"{scheme}://{f'[{h}]' if ':' in h else h}:{port}/" for h in hosts]
