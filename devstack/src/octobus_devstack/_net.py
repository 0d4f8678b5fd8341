"""Loopback networking helpers shared by the broker and the registry server."""

from __future__ import annotations

import socket

__all__ = ["LOOPBACK", "free_port", "port_accepts"]

#: Every service of the devstack listens here, and only here.
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """Return a TCP port on the loopback interface that nothing listens on right now.

    Returns
    -------
    int
        A port chosen by the kernel. Another process may take it before the caller binds
        it, so callers that start a server on it retry with a fresh port when binding fails.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


def port_accepts(port: int, timeout: float = 0.2) -> bool:
    """Say whether something accepts TCP connections on ``127.0.0.1:port``.

    Parameters
    ----------
    port
        The loopback port to try.
    timeout
        Seconds to wait for the connection.

    Returns
    -------
    bool
        ``True`` when a connection was accepted.
    """
    try:
        with socket.create_connection((LOOPBACK, port), timeout=timeout):
            return True
    except OSError:
        return False
