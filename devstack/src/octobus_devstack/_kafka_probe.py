"""A synchronous Kafka Metadata request, used to tell when a broker is ready.

A listening socket is not enough: the broker is ready when it answers a Metadata request
and advertises itself. The request is small enough to encode by hand (Metadata v1 with a
null topic list, which asks for every topic), so readiness needs no event loop.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass

__all__ = ["AdvertisedBroker", "KafkaProbeError", "request_metadata"]

_METADATA_API_KEY = 3
_METADATA_VERSION = 1
_CORRELATION_ID = 0x0C7B
_CLIENT_ID = b"octobus-devstack"


class KafkaProbeError(Exception):
    """The peer did not answer a Kafka Metadata request as a Kafka broker would."""


@dataclass(frozen=True)
class AdvertisedBroker:
    """One broker listed in a Metadata response.

    Parameters
    ----------
    node_id
        The broker's node id.
    host
        The host it advertises.
    port
        The port it advertises.
    """

    node_id: int
    host: str
    port: int


def request_metadata(host: str, port: int, timeout: float = 1.0) -> list[AdvertisedBroker]:
    """Send one Metadata v1 request and return the brokers the answer advertises.

    Parameters
    ----------
    host
        Broker host.
    port
        Broker port.
    timeout
        Seconds allowed for connecting and for the answer.

    Returns
    -------
    list of AdvertisedBroker
        The brokers in the answer.

    Raises
    ------
    OSError
        The connection failed or was closed early.
    KafkaProbeError
        The answer is not a Metadata v1 response to this request.
    """
    header = struct.pack(
        ">hhih", _METADATA_API_KEY, _METADATA_VERSION, _CORRELATION_ID, len(_CLIENT_ID)
    )
    request = header + _CLIENT_ID + struct.pack(">i", -1)  # -1: a null array, all topics
    with socket.create_connection((host, port), timeout=timeout) as connection:
        connection.sendall(struct.pack(">i", len(request)) + request)
        (size,) = struct.unpack(">i", _read_exactly(connection, 4))
        return _parse_brokers(_read_exactly(connection, size))


def _read_exactly(connection: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = connection.recv(size - len(chunks))
        if not chunk:
            msg = f"connection closed after {len(chunks)} of {size} bytes"
            raise KafkaProbeError(msg)
        chunks += chunk
    return bytes(chunks)


def _parse_brokers(response: bytes) -> list[AdvertisedBroker]:
    try:
        correlation_id, count = struct.unpack_from(">ii", response, 0)
        if correlation_id != _CORRELATION_ID:
            msg = f"correlation id {correlation_id}, expected {_CORRELATION_ID}"
            raise KafkaProbeError(msg)
        offset = 8
        brokers = []
        for _ in range(count):
            (node_id, host_length) = struct.unpack_from(">ih", response, offset)
            offset += 6
            host = response[offset : offset + host_length].decode()
            offset += host_length
            (port, rack_length) = struct.unpack_from(">ih", response, offset)
            offset += 6 + max(rack_length, 0)
            brokers.append(AdvertisedBroker(node_id, host, port))
    except (struct.error, UnicodeDecodeError) as error:
        msg = f"malformed Metadata response ({len(response)} bytes): {error}"
        raise KafkaProbeError(msg) from error
    return brokers
