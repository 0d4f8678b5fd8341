"""Subject naming strategies (case 10) and compatibility levels."""

from __future__ import annotations

import pytest
from octobus_schemas.avro import (
    AvroCodec,
    CompatibilityLevel,
    SubjectNameStrategy,
    subject_name,
)
from octobus_schemas.errors import InvalidSchemaError
from octobus_schemas.testing import InMemorySchemaRegistry

from .support.codec_models import NoNamespace, Paid

RECORD = "shop.events.OrderPlaced"


@pytest.mark.parametrize(
    ("strategy", "is_key", "expected"),
    [
        (SubjectNameStrategy.TOPIC_NAME, False, "orders-value"),
        (SubjectNameStrategy.TOPIC_NAME, True, "orders-key"),
        (SubjectNameStrategy.RECORD_NAME, False, "shop.events.OrderPlaced"),
        (SubjectNameStrategy.RECORD_NAME, True, "shop.events.OrderPlaced"),
        (SubjectNameStrategy.TOPIC_RECORD_NAME, False, "orders-shop.events.OrderPlaced"),
        (SubjectNameStrategy.TOPIC_RECORD_NAME, True, "orders-shop.events.OrderPlaced"),
    ],
)
def test_each_strategy_names_subjects_like_confluent(
    strategy: SubjectNameStrategy, is_key: bool, expected: str
) -> None:
    assert (
        subject_name(strategy, topic="orders", record_full_name=RECORD, is_key=is_key) == expected
    )


def test_a_suffix_keeps_a_staging_lineage_apart() -> None:
    assert (
        subject_name(
            SubjectNameStrategy.RECORD_NAME, topic=None, record_full_name=RECORD, suffix="-staging"
        )
        == "shop.events.OrderPlaced-staging"
    )


@pytest.mark.parametrize(
    "strategy", [SubjectNameStrategy.RECORD_NAME, SubjectNameStrategy.TOPIC_RECORD_NAME]
)
def test_a_record_without_namespace_is_refused_by_the_record_strategies(
    strategy: SubjectNameStrategy,
) -> None:
    with pytest.raises(InvalidSchemaError, match="'OrderPlaced' has no namespace"):
        subject_name(strategy, topic="orders", record_full_name="OrderPlaced")


def test_the_topic_strategy_accepts_a_record_without_namespace() -> None:
    assert (
        subject_name(SubjectNameStrategy.TOPIC_NAME, topic="orders", record_full_name="X")
        == "orders-value"
    )


def test_a_topic_strategy_without_a_topic_is_refused() -> None:
    with pytest.raises(ValueError, match="needs a topic"):
        subject_name(SubjectNameStrategy.TOPIC_NAME, topic=None, record_full_name=RECORD)


def test_there_are_the_seven_registry_levels() -> None:
    assert sorted(CompatibilityLevel) == sorted(
        [
            "BACKWARD",
            "BACKWARD_TRANSITIVE",
            "FORWARD",
            "FORWARD_TRANSITIVE",
            "FULL",
            "FULL_TRANSITIVE",
            "NONE",
        ]
    )


async def test_the_codec_registers_under_the_subject_its_strategy_names() -> None:
    async with InMemorySchemaRegistry(
        catalog={"shop.events.Paid": Paid},
        strategy=SubjectNameStrategy.TOPIC_NAME,
        subject_suffix="-staging",
    ) as registry:
        codec: AvroCodec = registry.codec
        await codec.encode(
            Paid.model_validate({"order_id": "1", "at": "2026-12-03T12:00Z"}), topic="orders"
        )
        found = await registry.client.lookup(Paid, "orders-value-staging")
        assert found.version == 1


async def test_the_codec_refuses_a_record_without_namespace_before_registering() -> None:
    async with InMemorySchemaRegistry(catalog={}) as registry:
        with pytest.raises(InvalidSchemaError, match="no namespace"):
            await registry.frame(NoNamespace(x=1))
