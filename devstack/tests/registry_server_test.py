"""RegistryServer: the registry over HTTP in a background thread."""

from __future__ import annotations

import socket

import httpx
import pytest
from octobus_devstack import RegistryStartError
from octobus_devstack._net import port_accepts
from octobus_devstack.registry import RegistryServer


def test_the_listener_turns_nagle_off_for_every_connection() -> None:
    # asyncio sets TCP_NODELAY only on sockets whose proto is TCP; without it each answer
    # waits for a delayed ACK (about 40 ms) on the plain asyncio loop
    with RegistryServer() as server:
        with httpx.Client(base_url=server.url) as client:
            assert client.get("/").json() == {}
        assert server._server is not None
        # accepted connections inherit the listener's TCP_NODELAY on Linux
        [listener] = [sock for srv in server._server.servers for sock in srv.sockets]
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1


def test_a_taken_port_is_refused_with_the_port_named() -> None:
    with RegistryServer() as first, pytest.raises(RegistryStartError, match=str(first.port)):
        RegistryServer(port=first.port).start()


def test_stop_closes_the_port_and_a_new_server_can_take_it() -> None:
    server = RegistryServer().start()
    port = server.port
    server.stop()
    assert not port_accepts(port)
    with RegistryServer(port=port) as again:
        assert httpx.get(again.url + "/").json() == {}
