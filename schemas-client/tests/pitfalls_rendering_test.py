"""Cases 1-12 of the Avro pitfalls (schema rendering and time), each with its right value.

The models here are neutral (a shop), written only for these tests; every one derives from
``OctobusModel``, the base every shipped event uses, so what holds here holds there.
"""

import datetime as dt
import enum
import io
import json
import os
import subprocess
import sys
import textwrap
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal, Optional, Union

import fastavro
import pydantic
import pytest
from octobus_schemas.errors import InvalidSchemaError, RecordValidationError
from octobus_schemas.events import (
    OctobusModel,
    SchemaRuleError,
    UtcDatetime,
    check_schema,
)
from octobus_schemas.events._base import render_schema_text
from octobus_schemas.testing import InMemorySchemaRegistry
from pydantic import UUID4, Field, condecimal

NS = "shop.events"


def fields_of(model: type[OctobusModel]) -> dict[str, dict[str, Any]]:
    return {field["name"]: field for field in model.avro_schema_to_python()["fields"]}


def write(model: OctobusModel) -> bytes:
    buffer = io.BytesIO()
    schema = fastavro.parse_schema(type(model).avro_schema_to_python())
    fastavro.schemaless_writer(buffer, schema, model.asdict())
    return buffer.getvalue()


def read(data: bytes, model: type[OctobusModel]) -> Any:
    schema = fastavro.parse_schema(model.avro_schema_to_python())
    return fastavro.schemaless_reader(io.BytesIO(data), schema)


def run_python(code: str, tz: str) -> str:
    """Run ``code`` in a fresh interpreter under time zone ``tz``; return its stdout."""
    env = {**os.environ, "TZ": tz, "PYTHONHASHSEED": "random"}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


# -- 1. Nullable spelling ---------------------------------------------------------------


class Nullables(OctobusModel):
    """Every spelling of a nullable string."""

    optional_required: Optional[str]  # noqa: UP045 - the spelling under test
    pipe_required: str | None
    none_first_required: None | str  # noqa: RUF036 - the spelling under test
    optional_defaulted: Optional[str] = None  # noqa: UP045 - the spelling under test
    pipe_defaulted: str | None = None
    none_first_defaulted: None | str = None  # noqa: RUF036 - the spelling under test
    union_defaulted: Union[str, None] = None  # noqa: UP007 - the spelling under test

    class Meta:
        namespace = NS
        schema_name = "Nullables"


def test_1_every_nullable_spelling_renders_null_first_and_none_adds_default_null() -> None:
    fields = fields_of(Nullables)
    for name in ("optional_required", "pipe_required", "none_first_required"):
        assert fields[name] == {"name": name, "type": ["null", "string"]}
    for name in ("optional_defaulted", "pipe_defaulted", "none_first_defaulted"):
        assert fields[name] == {"name": name, "type": ["null", "string"], "default": None}
    assert fields["union_defaulted"]["type"] == ["null", "string"]


def test_1_a_required_nullable_has_no_default_and_must_be_given() -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        Nullables(pipe_required=None, none_first_required=None)  # type: ignore[call-arg]
    assert [error["loc"] for error in caught.value.errors()] == [("optional_required",)]


# -- 2. Union defaults -------------------------------------------------------------------


class UnionDefaults(OctobusModel):
    """Unions whose default is not null."""

    count: Optional[int] = 0  # noqa: UP045 - the spelling under test
    label: Union[int, str] = "n/a"  # noqa: UP007 - the spelling under test
    none_first_count: None | int = 3  # noqa: RUF036 - the spelling under test

    class Meta:
        namespace = NS
        schema_name = "UnionDefaults"


def test_2_a_union_default_goes_with_its_branch_first() -> None:
    fields = fields_of(UnionDefaults)
    assert fields["count"] == {"name": "count", "type": ["long", "null"], "default": 0}
    assert fields["label"] == {"name": "label", "type": ["string", "long"], "default": "n/a"}
    assert fields["none_first_count"]["type"] == ["long", "null"]
    assert UnionDefaults.model_validate(read(write(UnionDefaults()), UnionDefaults)) == (
        UnionDefaults()
    )


class Size(enum.Enum):
    """A box size."""

    SMALL = "SMALL"
    LARGE = "LARGE"


class Box(OctobusModel):
    """An enum used twice, the second time in a union with a non-null default."""

    size: Size = Size.SMALL
    upgrade: Size | None = Size.LARGE
    sender: str = Field(default="shop", alias="from", validation_alias="from")

    class Meta:
        namespace = NS
        schema_name = "Box"


def test_2_a_union_default_goes_first_even_when_its_branch_is_a_named_reference() -> None:
    # The enum's later reference is written in full, like every reference.
    fields = fields_of(Box)
    assert fields["size"]["type"] == {
        "type": "enum",
        "name": "Size",
        "doc": "A box size.",
        "symbols": ["SMALL", "LARGE"],
    }
    assert fields["upgrade"] == {
        "name": "upgrade",
        "type": ["shop.events.Size", "null"],
        "default": "LARGE",
    }
    assert fields["sender"]["aliases"] == ["from"]
    assert Box.model_validate(read(write(Box()), Box)) == Box()


def test_2_a_union_default_off_the_first_branch_is_refused_before_registration() -> None:
    # A schema written by hand (or by another tool) is checked too, not only our models.
    schema = {
        "type": "record",
        "name": "Paid",
        "namespace": NS,
        "fields": [{"name": "note", "type": ["long", "string"], "default": "n/a"}],
    }
    with pytest.raises(SchemaRuleError, match=r"field 'note' of record shop\.events\.Paid"):
        check_schema(schema)
    with pytest.raises(InvalidSchemaError, match="first branch"):
        check_schema(schema)


def test_2_a_default_that_is_not_a_value_of_the_field_type_is_refused_naming_it() -> None:
    # dataclasses-avroschema would widen the union to ["string","long","null"] to fit it.
    with pytest.raises(SchemaRuleError, match=r"field 'count' of .*Broken: default 'none'"):

        class Broken(OctobusModel):
            count: int | None = "none"  # type: ignore[assignment]

            class Meta:
                namespace = NS
                schema_name = "Broken"


# -- 3. Decimals -------------------------------------------------------------------------


class Priced(OctobusModel):
    """Money, as Avro decimals."""

    amount: Annotated[Decimal, Field(max_digits=9, decimal_places=2)]
    tax: condecimal(max_digits=9, decimal_places=2) = Decimal("0.00")  # type: ignore[valid-type]

    class Meta:
        namespace = NS
        schema_name = "Priced"


def test_3_decimals_render_precision_and_scale_and_keep_the_scale() -> None:
    decimal_type = {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}
    assert fields_of(Priced)["amount"]["type"] == decimal_type
    assert fields_of(Priced)["tax"]["type"] == decimal_type
    decoded = Priced.model_validate(read(write(Priced(amount=Decimal("12.5"))), Priced))
    assert str(decoded.amount) == "12.50"
    assert decoded.amount == Decimal("12.50")


@pytest.mark.parametrize("amount", ["12.345", "1234567890.12"])
def test_3_a_decimal_beyond_precision_or_scale_is_refused_naming_the_field(amount: str) -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        Priced(amount=Decimal(amount))
    assert caught.value.errors()[0]["loc"] == ("amount",)


def test_3_a_bare_decimal_is_refused_when_the_class_is_defined() -> None:
    with pytest.raises(SchemaRuleError, match=r"field 'price' of .*Bare is a Decimal without"):

        class Bare(OctobusModel):
            price: Decimal

            class Meta:
                namespace = NS
                schema_name = "Bare"


# -- 4. Reused record types --------------------------------------------------------------


class Address(OctobusModel):
    """A postal address."""

    street: str

    class Meta:
        namespace = NS
        schema_name = "Address"


class Phone(OctobusModel):
    """A phone number."""

    number: str

    class Meta:
        namespace = NS
        schema_name = "Phone"


class Branch(OctobusModel):
    """A record that holds an address one level down."""

    address: Address

    class Meta:
        namespace = NS
        schema_name = "Branch"


class Customer(OctobusModel):
    """Address used in two fields, sibling lists, two unions and two depths."""

    home: Address
    work: Address | None = None
    past: list[Address] = Field(default_factory=list)
    billing: list[Address] = Field(default_factory=list)
    primary: Address | Phone
    secondary: Phone | Address | None = None
    branch: Branch

    class Meta:
        namespace = NS
        schema_name = "Customer"


def test_4_a_reused_record_is_defined_once_and_referenced_by_name_after() -> None:
    text = Customer.avro_schema()
    assert text.count('"name": "Address"') == 1
    fields = fields_of(Customer)
    assert fields["work"]["type"] == ["null", "shop.events.Address"]
    assert fields["billing"]["type"] == {"type": "array", "items": "shop.events.Address"}
    assert fields["primary"]["type"][0] == "shop.events.Address"
    assert fields["secondary"]["type"][0] == "null"
    fastavro.parse_schema(Customer.avro_schema_to_python())


def test_4_round_trips_keep_every_union_branch_class() -> None:
    customer = Customer(
        home=Address(street="1 Main St"),
        work=Address(street="2 Side St"),
        past=[Address(street="0 Old Rd")],
        billing=[],
        primary=Phone(number="555"),
        secondary=Address(street="3 Back Ln"),
        branch=Branch(address=Address(street="4 Deep Dr")),
    )
    decoded = Customer.model_validate(read(write(customer), Customer))
    assert decoded == customer
    assert type(decoded.primary) is Phone
    assert type(decoded.secondary) is Address


# -- 5. Same-shape union branches --------------------------------------------------------


class Product(OctobusModel):
    """A product."""

    id: int

    class Meta:
        namespace = NS
        schema_name = "Product"


class Bundle(OctobusModel):
    """A bundle: the same fields as a product."""

    id: int

    class Meta:
        namespace = NS
        schema_name = "Bundle"


class LineItem(OctobusModel):
    """A line: a product or a bundle."""

    item: Product | Bundle

    class Meta:
        namespace = NS
        schema_name = "LineItem"


async def test_5_a_same_shape_branch_decodes_to_the_class_that_was_written() -> None:
    # Raw fastavro cannot tell the branches apart by shape; the codec reads the branch's
    # record name and builds exactly that class.
    catalog = {"shop.events.LineItem": LineItem}
    async with InMemorySchemaRegistry(catalog=catalog) as registry:
        for item in (Bundle(id=1), Product(id=1)):
            decoded = await registry.decode_as(await registry.frame(LineItem(item=item)), LineItem)
            assert type(decoded.item) is type(item)
            assert decoded == LineItem(item=item)


# -- 6. Factories ------------------------------------------------------------------------


class Stamped(OctobusModel):
    """Fields with every kind of factory."""

    order_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    at: UtcDatetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))
    tags: list[str] = Field(default_factory=list)
    attributes: dict[str, str] = Field(default_factory=dict)

    class Meta:
        namespace = NS
        schema_name = "Stamped"


def test_6_dynamic_factories_render_no_default_and_containers_render_empty() -> None:
    fields = fields_of(Stamped)
    assert "default" not in fields["order_id"]
    assert "default" not in fields["at"]
    assert fields["tags"]["default"] == []
    assert fields["attributes"]["default"] == {}


STAMPED_IN_SUBPROCESS = """
    import datetime as dt, uuid
    from pydantic import Field
    from octobus_schemas.events import OctobusModel, UtcDatetime
    from octobus_schemas.events._base import render_schema_text

    class Stamped(OctobusModel):
        \"\"\"Fields with every kind of factory.\"\"\"

        order_id: uuid.UUID = Field(default_factory=uuid.uuid4)
        at: UtcDatetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))
        tags: list[str] = Field(default_factory=list)
        attributes: dict[str, str] = Field(default_factory=dict)

        class Meta:
            namespace = "shop.events"
            schema_name = "Stamped"

    print(render_schema_text(Stamped))
"""


@pytest.mark.slow
def test_6_a_factory_model_renders_byte_identical_text_in_two_processes() -> None:
    first = run_python(STAMPED_IN_SUBPROCESS, "UTC")
    second = run_python(STAMPED_IN_SUBPROCESS, "Asia/Kolkata")
    assert first == second == render_schema_text(Stamped).strip()


# -- 7. Inheritance ----------------------------------------------------------------------


class OrderBase(OctobusModel):
    """What every order event has."""

    order_id: int
    at: UtcDatetime

    class Meta:
        namespace = NS
        schema_name = "OrderBase"
        field_order = ["order_id", "at"]  # noqa: RUF012 - dataclasses-avroschema's Meta


class OrderCreated(OrderBase):
    """An order was created."""

    total: int
    note: str | None = None

    class Meta:
        namespace = NS
        schema_name = "OrderCreated"


def test_7_a_child_has_its_parents_fields_first_and_leaves_the_parent_unchanged() -> None:
    parent_before = OrderBase.avro_schema()
    assert list(fields_of(OrderCreated)) == ["order_id", "at", "total", "note"]
    assert OrderBase.avro_schema() == parent_before
    assert list(fields_of(OrderBase)) == ["order_id", "at"]
    assert OrderBase.Meta.field_order == ["order_id", "at"]


def test_7_a_record_class_without_its_own_meta_is_refused_naming_it() -> None:
    class Renamed(OrderCreated):
        """Inherits Meta, so it would silently take its parent's record name."""

    with pytest.raises(SchemaRuleError, match=r"record class .*Renamed must declare its own"):
        Renamed.avro_schema()


# -- 8. UUID -----------------------------------------------------------------------------


class Identified(OctobusModel):
    """Both UUID spellings."""

    plain: uuid.UUID
    version4: UUID4

    class Meta:
        namespace = NS
        schema_name = "Identified"


def test_8_uuids_render_the_uuid_logical_type_with_no_library_keys() -> None:
    uuid_type = {"type": "string", "logicalType": "uuid"}
    assert fields_of(Identified)["plain"]["type"] == uuid_type
    # pydantic-class is left out on purpose: it names a Python annotation, not the data, and
    # would make a Python-only edit (UUID4 -> UUID) a new registered schema version.
    assert fields_of(Identified)["version4"]["type"] == uuid_type
    value = Identified(plain=uuid.uuid1(), version4=uuid.uuid4())
    decoded = Identified.model_validate(read(write(value), Identified))
    assert decoded == value
    assert type(decoded.plain) is uuid.UUID
    assert type(decoded.version4) is uuid.UUID


# -- 9. Literal --------------------------------------------------------------------------


class PlainShirt(OctobusModel):
    """A Literal without enum conversion."""

    color: Literal["RED", "BLUE"]

    class Meta:
        namespace = NS
        schema_name = "PlainShirt"


class Shirt(OctobusModel):
    """A Literal converted to an Avro enum."""

    color: Literal["RED", "BLUE"]

    class Meta:
        namespace = NS
        schema_name = "Shirt"
        convert_literal_to_enum = True


class Hat(OctobusModel):
    """Another record with a ``color`` Literal."""

    color: Literal["RED", "GREEN"] = "GREEN"

    class Meta:
        namespace = NS
        schema_name = "Hat"
        convert_literal_to_enum = True


class Outfit(OctobusModel):
    """Two records that each have a color."""

    shirt: Shirt
    hat: Hat

    class Meta:
        namespace = NS
        schema_name = "Outfit"


def test_9_a_literal_without_conversion_is_a_string_and_the_model_still_checks_it() -> None:
    # The schema loses the constraint (any string is valid Avro); the model keeps it, on
    # construction and on decode. That is why the shipped events use no Literal at all.
    assert fields_of(PlainShirt)["color"]["type"] == "string"
    with pytest.raises(pydantic.ValidationError):
        PlainShirt.model_validate({"color": "GREEN"})


class AnyShirt(OctobusModel):
    """The same record as PlainShirt, written by a producer that allows any color."""

    color: str

    class Meta:
        namespace = NS
        schema_name = "PlainShirt"


async def test_9_and_12_a_value_the_reader_model_refuses_is_a_typed_error_with_the_record() -> None:
    async with InMemorySchemaRegistry(catalog={"shop.events.PlainShirt": PlainShirt}) as registry:
        message = await registry.frame(AnyShirt(color="GREEN"))
        with pytest.raises(RecordValidationError) as caught:
            await registry.decode_as(message, PlainShirt)
    assert caught.value.record == {"color": "GREEN"}
    assert "color" in str(caught.value)


def test_9_converted_literals_get_one_enum_name_per_record() -> None:
    schema = Outfit.avro_schema_to_python()
    shirt_color = schema["fields"][0]["type"]["fields"][0]["type"]
    hat_color = schema["fields"][1]["type"]["fields"][0]["type"]
    assert shirt_color == {"type": "enum", "name": "ShirtColor", "symbols": ["RED", "BLUE"]}
    assert hat_color == {"type": "enum", "name": "HatColor", "symbols": ["RED", "GREEN"]}
    fastavro.parse_schema(schema)
    outfit = Outfit(shirt=Shirt(color="BLUE"), hat=Hat())
    assert Outfit.model_validate(read(write(outfit), Outfit)) == outfit


# -- 10. Subject names: the record full name ---------------------------------------------


class OrderPlaced(OctobusModel):
    """An order was placed."""

    order_id: int

    class Meta:
        namespace = NS
        schema_name = "OrderPlaced"


def test_10_the_record_full_name_is_namespace_and_explicit_name() -> None:
    assert OrderPlaced.get_fullname() == "shop.events.OrderPlaced"
    assert OrderPlaced.avro_schema_to_python()["namespace"] == "shop.events"


def test_10_a_record_without_a_namespace_is_refused() -> None:
    class Nameless(OctobusModel):
        """No namespace: no record-name subject."""

        order_id: int

        class Meta:
            schema_name = "Nameless"

    with pytest.raises(SchemaRuleError, match="Nameless must declare its own `class Meta`"):
        Nameless.avro_schema_to_python()


# -- 11. Naive datetimes -----------------------------------------------------------------


class Paid(OctobusModel):
    """An order was paid at an instant."""

    order_id: int
    at: UtcDatetime

    class Meta:
        namespace = NS
        schema_name = "Paid"


def test_11_a_naive_datetime_is_refused_naming_the_field() -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        Paid(order_id=1, at=dt.datetime(2026, 1, 1, 12, 30))  # naive on purpose
    (error,) = caught.value.errors()
    assert error["loc"] == ("at",)
    assert error["type"] == "timezone_aware"


def test_11_a_plain_datetime_annotation_is_refused_when_the_class_is_defined() -> None:
    with pytest.raises(SchemaRuleError, match=r"field 'at' of .*Loose is a plain datetime"):

        class Loose(OctobusModel):
            at: dt.datetime

            class Meta:
                namespace = NS
                schema_name = "Loose"


ENCODE_IN_SUBPROCESS = """
    import datetime as dt, io, fastavro, pydantic
    from octobus_schemas.events import OctobusModel, UtcDatetime
    from pydantic import NaiveDatetime

    class Paid(OctobusModel):
        at: UtcDatetime
        local: NaiveDatetime

        class Meta:
            namespace = "shop.events"
            schema_name = "Paid"

    schema = fastavro.parse_schema(Paid.avro_schema_to_python())
    buffer = io.BytesIO()
    at = dt.datetime(2026, 1, 1, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    fastavro.schemaless_writer(
        buffer, schema, Paid(at=at, local=dt.datetime(2026, 1, 1, 12, 30)).asdict()
    )
    decoded = Paid.model_validate(fastavro.schemaless_reader(io.BytesIO(buffer.getvalue()), schema))
    try:
        Paid(at=dt.datetime(2026, 1, 1, 12, 30), local=dt.datetime(2026, 1, 1, 12, 30))
        refused = "accepted"
    except pydantic.ValidationError as error:
        refused = ",".join(str(e["loc"][0]) for e in error.errors())
    print(buffer.getvalue().hex(), decoded.at.isoformat(), decoded.local.isoformat(), refused)
"""


@pytest.mark.slow
def test_11_the_same_model_writes_the_same_bytes_in_every_host_time_zone() -> None:
    in_utc = run_python(ENCODE_IN_SUBPROCESS, "UTC")
    in_new_york = run_python(ENCODE_IN_SUBPROCESS, "America/New_York")
    assert in_utc == in_new_york
    _, at, local, refused = in_new_york.split()
    assert at == "2026-01-01T10:30:00+00:00"  # the instant, in UTC
    assert local == "2026-01-01T12:30:00"  # wall-clock time, unshifted
    assert refused == "at"


# -- 12. Pydantic datetime types ---------------------------------------------------------


class Schedule(OctobusModel):
    """Every pydantic date and time type."""

    created: pydantic.AwareDatetime
    local: pydantic.NaiveDatetime
    founded: pydantic.PastDate
    deadline: pydantic.FutureDatetime
    reminder: pydantic.FutureDatetime | None = None

    class Meta:
        namespace = NS
        schema_name = "Schedule"


def test_12_pydantic_datetime_types_render_proper_logical_types() -> None:
    fields = fields_of(Schedule)
    assert fields["created"]["type"] == {"type": "long", "logicalType": "timestamp-millis"}
    assert fields["local"]["type"] == {"type": "long", "logicalType": "local-timestamp-millis"}
    assert fields["founded"]["type"] == {"type": "int", "logicalType": "date"}
    assert fields["deadline"]["type"] == {"type": "long", "logicalType": "timestamp-millis"}
    assert fields["reminder"]["type"][0] == "null"


def test_12_a_naive_datetime_round_trips() -> None:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    schedule = Schedule(
        created=now,
        local=dt.datetime(2026, 3, 1, 8, 15),
        founded=dt.date(1999, 1, 1),
        deadline=now + dt.timedelta(days=1),
    )
    decoded = Schedule.model_validate(read(write(schedule), Schedule))
    assert decoded == schedule
    assert decoded.local == dt.datetime(2026, 3, 1, 8, 15)


def test_12_an_old_message_whose_future_has_passed_still_decodes() -> None:
    # Written when the deadline was in the future; decoded after it passed.
    record = {
        "created": dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        "local": dt.datetime(2020, 1, 1, 9, 0),
        "founded": dt.date(2019, 1, 1),
        "deadline": dt.datetime(2020, 6, 1, tzinfo=dt.UTC),
        "reminder": dt.datetime(2020, 5, 1, tzinfo=dt.UTC),
    }
    buffer = io.BytesIO()
    fastavro.schemaless_writer(
        buffer, fastavro.parse_schema(Schedule.avro_schema_to_python()), record
    )
    decoded = Schedule.model_validate(read(buffer.getvalue(), Schedule))
    assert decoded.deadline == dt.datetime(2020, 6, 1, tzinfo=dt.UTC)
    assert decoded.reminder == dt.datetime(2020, 5, 1, tzinfo=dt.UTC)


def test_12_constructing_a_model_still_checks_time_relative_constraints() -> None:
    now = dt.datetime.now(dt.UTC)
    with pytest.raises(pydantic.ValidationError) as caught:
        Schedule(
            created=now,
            local=dt.datetime(2026, 3, 1, 8, 15),
            founded=dt.date(2999, 1, 1),
            deadline=now - dt.timedelta(days=1),
            reminder=now - dt.timedelta(days=2),
        )
    assert [(e["loc"], e["type"]) for e in caught.value.errors()] == [
        (("founded",), "date_past"),
        (("deadline",), "datetime_future"),
        (("reminder",), "datetime_future"),
    ]


def test_12_time_relative_types_inside_containers_are_refused() -> None:
    with pytest.raises(SchemaRuleError, match=r"field 'deadlines' of .*Many: a time-relative"):

        class Many(OctobusModel):
            deadlines: list[pydantic.FutureDatetime]

            class Meta:
                namespace = NS
                schema_name = "Many"


def test_the_schema_text_of_a_test_model_is_json_with_a_final_newline() -> None:
    text = render_schema_text(Paid)
    assert json.loads(text) == Paid.avro_schema_to_python()
    assert text.endswith("}\n")
