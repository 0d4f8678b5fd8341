"""The mock gateway records what was sent and answers from its script, as the gateway would."""

from uuid import UUID

import pytest
from octobus_schemas.api import DeliveryAccepted, PingAnswer
from octobus_schemas.api.client import (
    GatewayRequest,
    GatewayResponse,
    MockGatewayClient,
    MockScriptExhausted,
    SignatureRejected,
    SyncMockGatewayClient,
)

SECRET = "s3cret"
DELIVERY_ID = UUID("0f6b6a3e-4f9c-4e3a-9d8e-0c1d2e3f4a5b")


def accepted(offset: int) -> GatewayResponse:
    return GatewayResponse.of(
        202,
        DeliveryAccepted(
            delivery_id=DELIVERY_ID, event="push", topic="github.push", partition=0, offset=offset
        ),
    )


async def test_it_records_every_request_in_order_with_its_body() -> None:
    client = MockGatewayClient([accepted(0), accepted(1)])
    await client.deliver("push", {"n": 1}, SECRET)
    await client.deliver("push", {"n": 2}, SECRET, content_type="form")
    assert [request.payload() for request in client.requests] == [{"n": 1}, {"n": 2}]


async def test_answers_come_in_script_order_and_can_be_added_later() -> None:
    client = MockGatewayClient([accepted(0)])
    client.add(accepted(1))
    offsets = [(await client.deliver("push", {}, SECRET)).offset for _ in range(2)]
    assert offsets == [0, 1]


async def test_an_answer_can_be_computed_from_the_request() -> None:
    def echo_ping(request: GatewayRequest) -> GatewayResponse:
        payload = request.payload()
        answer = PingAnswer(
            delivery_id=UUID(request.header("X-GitHub-Delivery") or ""),
            zen=payload["zen"],
            hook_id=payload["hook_id"],
        )
        return GatewayResponse.of(200, answer)

    client = MockGatewayClient([echo_ping])
    answer = await client.ping(
        SECRET, delivery_id=DELIVERY_ID, hook_id=3, zen="Design for failure."
    )
    assert answer == PingAnswer(delivery_id=DELIVERY_ID, zen="Design for failure.", hook_id=3)


async def test_running_out_of_answers_fails_the_test_naming_the_request() -> None:
    client = MockGatewayClient()
    with pytest.raises(MockScriptExhausted, match=r"request #1: GET http://gateway.test/healthz"):
        await client.health()


async def test_with_a_secret_it_rejects_bad_signatures_as_the_gateway_does() -> None:
    client = MockGatewayClient([accepted(0)], secret=SECRET)
    with pytest.raises(SignatureRejected, match="X-Hub-Signature-256 does not match the body"):
        await client.deliver("push", {}, "another secret")
    with pytest.raises(SignatureRejected, match="X-Hub-Signature-256 header is missing"):
        await client.deliver("push", {}, None)
    # Rejections use up no scripted answer: the right secret still gets the scripted 202.
    assert (await client.deliver("push", {}, SECRET)).offset == 0
    assert len(client.requests) == 3


def test_the_sync_mock_behaves_like_the_async_one() -> None:
    client = SyncMockGatewayClient([accepted(5)], secret=SECRET, base_url="http://other:8080/")
    assert client.deliver("push", {"a": 1}, SECRET).offset == 5
    assert client.requests[0].url == "http://other:8080/webhooks/github"
    with pytest.raises(SignatureRejected):
        client.deliver("push", {"a": 1}, "wrong")
    with pytest.raises(MockScriptExhausted):
        client.topics()
