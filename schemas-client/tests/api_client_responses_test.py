"""The client parses each answer into its model, or raises the typed error it stands for."""

from uuid import UUID

import pytest
from octobus_schemas.api import (
    DeliveryAccepted,
    ErrorBody,
    Health,
    PingAnswer,
    TopicCatalog,
    TopicInfo,
)
from octobus_schemas.api.client import (
    BadDelivery,
    BodyReadTimeout,
    DeliveryConflict,
    GatewayConnectionError,
    GatewayError,
    GatewayResponse,
    GatewayUnavailable,
    MockGatewayClient,
    PayloadTooLarge,
    RouteNotFound,
    SignatureRejected,
    SyncMockGatewayClient,
    UnexpectedResponse,
    UnsupportedMediaType,
    no_answer,
)
from octobus_schemas.errors import OctobusSchemasError

DELIVERY_ID = UUID("72d3162e-cc78-11e3-81ab-4c9367dc0958")
ACCEPTED = DeliveryAccepted(
    delivery_id=DELIVERY_ID, event="push", topic="github.push", partition=2, offset=9
)


async def test_an_accepted_delivery_is_parsed_into_delivery_accepted() -> None:
    client = MockGatewayClient([GatewayResponse.of(202, ACCEPTED)])
    assert await client.deliver("push", {}, "s", delivery_id=DELIVERY_ID) == ACCEPTED


async def test_the_catalog_is_parsed_into_topic_infos() -> None:
    info = TopicInfo(
        topic="github.push",
        record="octobus.events.PushEvent",
        subject="octobus.events.PushEvent-staging",
        schema_id=4,
        version=2,
        github_event="push",
    )
    client = MockGatewayClient([GatewayResponse.of(200, TopicCatalog(topics=[info]))])
    assert (await client.topics()).topics == [info]


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadDelivery),
        (401, SignatureRejected),
        (404, RouteNotFound),
        (408, BodyReadTimeout),
        (409, DeliveryConflict),
        (413, PayloadTooLarge),
        (415, UnsupportedMediaType),
        (422, BadDelivery),
        (503, GatewayUnavailable),
        (500, UnexpectedResponse),
        (302, UnexpectedResponse),
    ],
)
async def test_each_error_status_raises_its_class_naming_request_status_and_detail(
    status: int, error_class: type[GatewayError]
) -> None:
    detail = "X-GitHub-Event header is missing"
    client = MockGatewayClient([GatewayResponse.of(status, ErrorBody(detail=detail))])
    with pytest.raises(error_class) as caught:
        await client.deliver("push", {}, "s")
    error = caught.value
    assert type(error) is error_class
    assert (error.status, error.detail) == (status, detail)
    assert error.request.method == "POST"
    assert str(error).startswith(f"POST http://gateway.test/webhooks/github answered {status}")
    assert str(error).endswith(f": {detail}")


async def test_a_signature_rejection_message_reads_naturally() -> None:
    body = ErrorBody(detail="X-Hub-Signature-256 does not match the body")
    client = MockGatewayClient([GatewayResponse.of(401, body)])
    with pytest.raises(SignatureRejected) as caught:
        await client.deliver("push", {}, "wrong")
    assert str(caught.value) == (
        "POST http://gateway.test/webhooks/github answered 401 Unauthorized: "
        "X-Hub-Signature-256 does not match the body"
    )


async def test_unavailable_carries_the_retry_after_delay() -> None:
    answer = GatewayResponse.of(503, ErrorBody(detail="kafka is down"), {"Retry-After": "5"})
    client = MockGatewayClient([answer])
    with pytest.raises(GatewayUnavailable) as caught:
        await client.deliver("push", {}, "s")
    assert caught.value.retry_after == 5.0


async def test_unavailable_without_a_usable_retry_after_has_none() -> None:
    dated = {"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}
    client = MockGatewayClient(
        [GatewayResponse.of(503, {"detail": "x"}), GatewayResponse.of(503, {"detail": "x"}, dated)]
    )
    for _ in range(2):
        with pytest.raises(GatewayUnavailable) as caught:
            await client.deliver("push", {}, "s")
        assert caught.value.retry_after is None


async def test_a_non_json_error_body_becomes_the_detail_cut_to_a_readable_length() -> None:
    page = b"<html>" + b"x" * 2000 + b"</html>"
    client = MockGatewayClient([GatewayResponse(502, {"content-type": "text/html"}, page)])
    with pytest.raises(UnexpectedResponse) as caught:
        await client.health()
    assert caught.value.detail.startswith("<html>xxx")
    assert caught.value.detail.endswith(f"... ({len(page)} bytes)")
    assert "502 Bad Gateway" in str(caught.value)


async def test_an_empty_error_body_is_named_as_such() -> None:
    client = MockGatewayClient([GatewayResponse(500)])
    with pytest.raises(UnexpectedResponse, match=r"500 Internal Server Error: \(empty body\)"):
        await client.topics()


async def test_a_json_error_of_another_shape_is_shown_on_one_line() -> None:
    client = MockGatewayClient([GatewayResponse.of(400, {"error": {"code": 7}})])
    with pytest.raises(BadDelivery) as caught:
        await client.deliver("push", {}, "s")
    assert caught.value.detail == '{"error": {"code": 7}}'


async def test_a_success_whose_body_is_not_the_model_is_an_unexpected_response() -> None:
    client = MockGatewayClient([GatewayResponse.of(202, {"delivery_id": "not-a-uuid"})])
    with pytest.raises(UnexpectedResponse, match="body is not a DeliveryAccepted") as caught:
        await client.deliver("push", {}, "s")
    assert caught.value.status == 202
    assert "delivery_id" in caught.value.detail


async def test_readiness_returns_the_health_body_of_a_503_instead_of_raising() -> None:
    down = Health.model_validate(
        {
            "status": "unavailable",
            "dependencies": {"kafka": {"status": "unavailable", "detail": "refused"}},
        }
    )
    client = MockGatewayClient([GatewayResponse.of(503, down)])
    health = await client.ready()
    assert not health.ok
    assert health.dependencies["kafka"].detail == "refused"


async def test_a_503_from_readiness_without_a_health_body_still_raises() -> None:
    client = MockGatewayClient([GatewayResponse.of(503, {"detail": "starting up"})])
    with pytest.raises(GatewayUnavailable, match="starting up"):
        await client.ready()


async def test_liveness_does_not_swallow_a_503() -> None:
    client = MockGatewayClient([GatewayResponse.of(503, {"status": "unavailable"})])
    with pytest.raises(GatewayUnavailable):
        await client.health()


async def test_no_answer_is_a_connection_error_with_no_status() -> None:
    client = MockGatewayClient([no_answer("connection refused")])
    with pytest.raises(GatewayConnectionError) as caught:
        await client.topics()
    assert caught.value.status is None
    assert (
        str(caught.value) == "GET http://gateway.test/v1/topics got no answer: connection refused"
    )


async def test_replay_answers_a_ping_with_its_answer_and_any_other_event_with_the_ack() -> None:
    ping = PingAnswer(delivery_id=DELIVERY_ID, zen="Z")
    client = MockGatewayClient([GatewayResponse.of(200, ping), GatewayResponse.of(202, ACCEPTED)])
    assert await client.replay("ping", b'{"zen": "Z"}', "s", delivery_id=DELIVERY_ID) == ping
    assert await client.replay("push", {}, "s", delivery_id=DELIVERY_ID) == ACCEPTED
    assert [request.header("X-GitHub-Event") for request in client.requests] == ["ping", "push"]


def test_the_sync_replay_parses_the_same_way() -> None:
    client = SyncMockGatewayClient([GatewayResponse.of(202, ACCEPTED)])
    assert client.replay("push", {}, "s") == ACCEPTED


def test_gateway_errors_belong_to_the_packages_one_error_hierarchy() -> None:
    assert issubclass(GatewayError, OctobusSchemasError)
