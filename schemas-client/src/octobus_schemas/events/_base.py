"""``OctobusModel``: the base of every record we ship, where the house rules live.

Each rule is implemented once, here, so no model repeats it:

- **One schema form.** :meth:`OctobusModel.avro_schema_to_python` renders with
  dataclasses-avroschema and then applies :func:`~octobus_schemas.events._rules.normalise_schema`
  and :func:`~octobus_schemas.events._rules.check_schema`: nullable unions null-first, union
  defaults on the first branch, no ``pydantic-class`` keys, one fixed key order. The result is
  cached per class, so every caller (codec, CLI, snapshots) sees the same text.
- **Explicit names.** Every record class declares its own ``Meta`` with ``namespace`` and
  ``schema_name``: the record full name is the registry subject, so renaming a Python class
  must never rename a subject.
- **No factory in a schema.** A ``default_factory`` renders no default (a fresh ``uuid4`` or
  ``now`` in the schema would register a new version on every start), except ``list`` and
  ``dict``, which render ``[]`` and ``{}``.
- **Time.** A plain ``datetime`` is refused when the class is defined: fastavro encodes a naive
  value in the host's local time zone, so the same model would write different instants on
  different machines. Use :data:`UtcDatetime` (or pydantic's ``AwareDatetime``) for instants,
  ``NaiveDatetime`` for wall-clock times (Avro ``local-timestamp-millis``).
  Time-relative types (``PastDate``, ``FutureDatetime``, ...) are checked when a model is
  constructed (``Model(...)``, the producer's side) and never when data is validated
  (``Model.model_validate``, a consumer decoding): an old, valid message must not fail to
  decode because the wall clock moved on.
- **Decimals** need ``max_digits`` and ``decimal_places`` (Avro's precision and scale); a bare
  ``Decimal`` is refused when the class is defined, naming the field.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import decimal
import inspect
import types
import typing
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar

import pydantic
from dataclasses_avroschema.fields.fields import AvroField
from dataclasses_avroschema.protocol import FieldProtocol
from dataclasses_avroschema.pydantic import AvroBaseModel
from dataclasses_avroschema.pydantic.parser import PydanticParser
from pydantic import AfterValidator, AwareDatetime
from pydantic_core import InitErrorDetails

from octobus_schemas.events._errors import SchemaRuleError
from octobus_schemas.events._rules import check_schema, normalise_schema, snapshot_text

__all__ = ["OctobusModel", "UtcDatetime", "render_schema_text"]


def _as_utc_millis(value: dt.datetime) -> dt.datetime:
    """Normalise an aware datetime to UTC, truncated to what timestamp-millis stores."""
    try:
        in_utc = value.astimezone(dt.UTC)
    except OverflowError:
        # 9999-12-31T23:59:59-01:00 is a valid aware datetime whose UTC instant is in year
        # 10000. pydantic wraps a ValueError into a ValidationError naming the field; an
        # OverflowError it would let escape.
        msg = f"{value.isoformat()} is outside the years 1-9999 once converted to UTC"
        raise ValueError(msg) from None
    return in_utc.replace(microsecond=value.microsecond // 1000 * 1000)


#: An instant: timezone-aware (naive input is refused, naming the field), normalised to UTC and
#: truncated to milliseconds, which is exactly what Avro ``timestamp-millis`` keeps; so a model
#: equals itself after a round trip. Integers are read as Unix seconds (GitHub sends both).
UtcDatetime = Annotated[AwareDatetime, AfterValidator(_as_utc_millis)]

# Time-relative pydantic types -> (the same type without the wall-clock check, error type).
_WALL_CLOCK_TYPES: dict[Any, tuple[Any, str]] = {
    pydantic.FutureDatetime: (AwareDatetime, "datetime_future"),
    pydantic.PastDatetime: (AwareDatetime, "datetime_past"),
    pydantic.FutureDate: (dt.date, "date_future"),
    pydantic.PastDate: (dt.date, "date_past"),
}

_schema_cache: dict[type[OctobusModel], dict[str, Any]] = {}


class _OctobusParser(PydanticParser):
    """dataclasses-avroschema's parser with our rules for names, docs and factory defaults."""

    def __init__(self, type: type[Any], parent: type[Any]) -> None:
        _record_name(type)
        super().__init__(type, parent)

    def parse_fields(self, exclude: list[str]) -> list[FieldProtocol]:
        fields: list[FieldProtocol] = []
        for name, info in self.type.model_fields.items():  # type: ignore[attr-defined]
            if name in exclude:
                continue
            factory = info.default_factory
            has_static_factory = factory in (list, dict)
            default: Any = dataclasses.MISSING if info.is_required() or factory else info.default
            fields.append(
                AvroField(
                    name,
                    self.get_field_type(info),
                    default=default,
                    default_factory=factory if has_static_factory else dataclasses.MISSING,
                    metadata=self.get_field_metadata(info),
                    model_metadata=self.metadata,
                    parent=self.parent,
                )
            )
        return fields

    def generate_documentation(self) -> str | None:
        # The record doc is the docstring's summary only: the rest of a numpydoc docstring
        # (sections, examples) is for Python readers, and every doc edit is a new version.
        doc = inspect.getdoc(self.type)
        if not doc or self.type.__doc__ is None:
            return None
        return " ".join(doc.split("\n\n", 1)[0].split())


class OctobusModel(AvroBaseModel):
    """Base of every Octobus record: a pydantic model whose schema follows the house rules.

    Subclasses declare ``class Meta`` with ``namespace`` and ``schema_name``. See the module
    documentation for the rules; each is enforced here and tested over every shipped model.

    Examples
    --------
    >>> class Ping(OctobusModel):
    ...     '''A ping.'''
    ...
    ...     zen: str
    ...
    ...     class Meta:
    ...         namespace = "io.example.v1"
    ...         schema_name = "Ping"
    >>> Ping.avro_schema()
    '{"type": "record", "name": "Ping", "namespace": "io.example.v1", "doc": "A ping.", \
"fields": [{"name": "zen", "type": "string"}]}'
    """

    #: Fields with a time-relative type, checked only on construction: name -> error type.
    __octobus_wall_clock_fields__: ClassVar[dict[str, str]] = {}

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        wall_clock = dict(cls.__octobus_wall_clock_fields__)
        rebuild = False
        for name, info in cls.model_fields.items():
            where = f"field {name!r} of {cls.__qualname__}"
            replaced = _without_wall_clock(info.annotation, where)
            if replaced is not None:
                info.annotation, wall_clock[name] = replaced
                rebuild = True
            for leaf in _leaf_types(info.annotation):
                _check_leaf(leaf, info, where)
            _check_default(info, where)
        cls.__octobus_wall_clock_fields__ = wall_clock
        if rebuild:
            cls.model_rebuild(force=True)

    def __init__(self, /, **data: Any) -> None:
        super().__init__(**data)
        if self.__octobus_wall_clock_fields__:
            self._check_wall_clock()

    # pydantic calls a model's own __init__ from model_validate too, unless the function is
    # marked as its base __init__ (as BaseModel.__init__ is). Marked, this check runs only
    # when a model is constructed, never when data is validated (a consumer decoding).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    def _check_wall_clock(self) -> None:
        """Apply the time-relative constraints, as pydantic's own types would have."""
        errors: list[InitErrorDetails] = []
        today = dt.datetime.now(dt.UTC)
        for name, error_type in self.__octobus_wall_clock_fields__.items():
            value = getattr(self, name)
            if value is None:
                continue
            now: dt.date | dt.datetime = today if isinstance(value, dt.datetime) else today.date()
            in_future = value > now
            if in_future != error_type.endswith("_future"):
                errors.append({"type": error_type, "loc": (name,), "input": value})
        if errors:
            raise pydantic.ValidationError.from_exception_data(type(self).__name__, errors)

    @classmethod
    def get_fullname(cls) -> str:
        """Return the record full name, ``Meta.namespace`` + ``.`` + ``Meta.schema_name``.

        dataclasses-avroschema's own answer uses the Python class name, which differs from
        the record name whenever ``schema_name`` does; this one is always the schema's.

        Returns
        -------
        str
            The record full name: the registry subject under RecordNameStrategy.

        Raises
        ------
        SchemaRuleError
            If the class does not declare its own ``Meta`` with both names.
        """
        return _record_name(cls)

    @classmethod
    def _generate_parser(cls) -> _OctobusParser:
        return _OctobusParser(type=cls, parent=cls._parent or cls)

    @classmethod
    def avro_schema_to_python(
        cls,
        parent: type[Any] | None = None,
        case_type: str | None = None,
    ) -> dict[str, Any]:
        """Return this record's Avro schema in the house form, as parsed JSON (a fresh copy).

        Parameters
        ----------
        parent
            Used by dataclasses-avroschema while rendering a record nested in another one.
        case_type
            Not supported: field names are the wire contract and never re-cased.

        Returns
        -------
        dict
            The schema every part of Octobus registers and encodes with.

        Raises
        ------
        SchemaRuleError
            If the model breaks a house rule, naming the record and field.
        """
        if parent is not None:
            return super().avro_schema_to_python(parent=parent)
        if case_type is not None:
            raise SchemaRuleError(
                f"{cls.__qualname__}: re-casing field names (case_type={case_type!r}) is not "
                "supported; the field names are the wire contract"
            )
        cached = _schema_cache.get(cls)
        if cached is None:
            cached = normalise_schema(super().avro_schema_to_python())
            check_schema(cached)
            _schema_cache[cls] = cached
        return copy.deepcopy(cached)


def render_schema_text(model: type[OctobusModel]) -> str:
    """Return a model's schema as snapshot text (2-space JSON, final newline).

    Parameters
    ----------
    model
        An Octobus record class.

    Returns
    -------
    str
        Byte-identical in every process and on every machine for the same model.
    """
    return snapshot_text(model.avro_schema_to_python())


def _record_name(model: type[Any]) -> str:
    """Return the full name a record class declares in its own ``Meta``, or refuse it."""
    meta = model.__dict__.get("Meta")
    if meta is None or not getattr(meta, "namespace", None):
        raise SchemaRuleError(
            f"record class {model.__qualname__} must declare its own `class Meta` with "
            "`namespace` and `schema_name`: its full name is a registry subject"
        )
    if not getattr(meta, "schema_name", None):
        raise SchemaRuleError(
            f"record class {model.__qualname__}: Meta must set `schema_name` explicitly, "
            "so renaming the Python class never renames the record"
        )
    return f"{meta.namespace}.{meta.schema_name}"


def _leaf_types(annotation: Any) -> Iterator[Any]:
    """Yield every type inside an annotation (through unions, containers and Annotated)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        yield annotation
        yield from _leaf_types(typing.get_args(annotation)[0])
    elif origin is not None:
        for arg in typing.get_args(annotation):
            yield from _leaf_types(arg)
    else:
        yield annotation


def _check_leaf(leaf: Any, info: pydantic.fields.FieldInfo, where: str) -> None:
    """Refuse, at class definition, a type that cannot be encoded faithfully."""
    if leaf is dt.datetime:
        raise SchemaRuleError(
            f"{where} is a plain datetime, which fastavro would encode in the host's local time "
            "zone when naive; annotate it UtcDatetime (an instant, naive input refused) or "
            "NaiveDatetime (a wall-clock time, stored as local-timestamp-millis)"
        )
    if leaf is decimal.Decimal and not _has_decimal_bounds(info):
        raise SchemaRuleError(
            f"{where} is a Decimal without max_digits and decimal_places; Avro decimals need "
            "both (precision and scale): Annotated[Decimal, Field(max_digits=.., "
            "decimal_places=..)]"
        )
    if leaf in _WALL_CLOCK_TYPES:
        raise SchemaRuleError(
            f"{where}: a time-relative type is supported only as the field's own type or "
            "Optional of it, not inside a container"
        )
    if (
        isinstance(leaf, type)
        and issubclass(leaf, AvroBaseModel)
        and not issubclass(leaf, OctobusModel)
    ):
        raise SchemaRuleError(
            f"{where}: nested record {leaf.__qualname__} must derive from OctobusModel, so "
            "the house rules apply to it too"
        )


def _check_default(info: pydantic.fields.FieldInfo, where: str) -> None:
    """Refuse a default that is not a value of the field's own type.

    dataclasses-avroschema would otherwise widen the Avro union to fit the default
    (``int | None = "n/a"`` renders ``["string", "long", "null"]``): a schema that no longer
    says what the model holds.
    """
    if info.is_required() or info.default_factory is not None or info.default is None:
        return
    if _has_forward_reference(info.annotation):
        return  # not resolvable yet (a recursive record); pydantic checks it on use
    try:
        pydantic.TypeAdapter(info.rebuild_annotation()).validate_python(info.default, strict=True)
    except pydantic.ValidationError as error:
        raise SchemaRuleError(
            f"{where}: default {info.default!r} is not a value of the field's type "
            f"({error.errors()[0]['msg']})"
        ) from error


def _has_forward_reference(annotation: Any) -> bool:
    return any(isinstance(leaf, typing.ForwardRef | str) for leaf in _leaf_types(annotation))


def _has_decimal_bounds(info: pydantic.fields.FieldInfo) -> bool:
    return any(
        getattr(item, "max_digits", None) is not None
        and getattr(item, "decimal_places", None) is not None
        for item in info.metadata
    )


def _without_wall_clock(annotation: Any, where: str) -> tuple[Any, str] | None:
    """For ``T`` or ``T | None`` with T time-relative: the annotation without it, and T's rule."""
    if annotation in _WALL_CLOCK_TYPES:
        replacement, error_type = _WALL_CLOCK_TYPES[annotation]
        return replacement, error_type
    if _is_union(annotation):
        args = typing.get_args(annotation)
        if type(None) in args and len(args) == 2:
            (inner,) = (arg for arg in args if arg is not type(None))
            if inner in _WALL_CLOCK_TYPES:
                replacement, error_type = _WALL_CLOCK_TYPES[inner]
                return replacement | None, error_type
    return None


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)
