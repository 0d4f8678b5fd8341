"""The registry client over TLS: trusts exactly the CA it is given, and names a refusal."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
import uvicorn
from octobus_devstack.registry import create_app
from octobus_schemas.avro import SchemaRegistryClient, SchemaRegistrySettings, avro_schema
from octobus_schemas.errors import SchemaRegistryError

from .support.codec_models import Paid


@pytest.fixture(scope="module")
def certificate_authority() -> trustme.CA:
    """A throwaway CA, trusted by nothing but these tests."""
    return trustme.CA()


@pytest.fixture(scope="module")
def https_registry(
    certificate_authority: trustme.CA, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """devstack's registry served over HTTPS on 127.0.0.1 with a certificate of that CA."""
    directory = tmp_path_factory.mktemp("tls")
    certificate = certificate_authority.issue_cert("127.0.0.1")
    cert_file, key_file = directory / "server.pem", directory / "server.key"
    certificate.cert_chain_pems[0].write_to_path(str(cert_file))
    certificate.private_key_pem.write_to_path(str(key_file))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(":memory:"),
            log_level="warning",
            ssl_certfile=str(cert_file),
            ssl_keyfile=str(key_file),
        )
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the HTTPS registry did not start"
        time.sleep(0.01)
    yield f"https://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    listener.close()


@pytest.fixture(scope="module")
def ca_file(certificate_authority: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CA's certificate as a PEM file, as an operator would configure it."""
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    certificate_authority.cert_pem.write_to_path(str(path))
    return path


async def test_a_client_given_the_ca_talks_to_the_registry(
    https_registry: str, ca_file: Path
) -> None:
    async with SchemaRegistryClient(https_registry, ca_file=ca_file) as client:
        registered = await client.register(Paid, "shop.events.Paid")
        assert await client.get_schema(registered.id) == avro_schema(Paid)


async def test_settings_carry_the_ca_file(
    https_registry: str, ca_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCHEMA_REGISTRY_URL", https_registry)
    monkeypatch.setenv("SCHEMA_REGISTRY_CA_FILE", str(ca_file))
    async with SchemaRegistrySettings().make_client() as client:
        registered = await client.register(Paid, "shop.events.Paid")
    assert registered.version == 1


async def test_without_the_ca_the_certificate_is_refused_naming_the_url(
    https_registry: str,
) -> None:
    async with SchemaRegistryClient(https_registry) as client:
        with pytest.raises(SchemaRegistryError) as raised:
            await client.get_schema(1)
    assert f"cannot reach the Schema Registry at {https_registry}" in str(raised.value)
    assert "CERTIFICATE_VERIFY_FAILED" in str(raised.value)
