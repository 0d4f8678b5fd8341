"""Union branches of the same shape decode to the branch the writer wrote (case 5)."""

from __future__ import annotations

from octobus_schemas.testing import InMemorySchemaRegistry

from .support.codec_models import Bundle, Cart, Product
from .support.registries import in_memory

__all__ = ["in_memory"]


async def test_a_bundle_comes_back_a_bundle_not_the_first_branch_that_fits(
    in_memory: InMemorySchemaRegistry,
) -> None:
    decoded = await in_memory.decode(await in_memory.frame(Cart(item=Bundle(id=1))))
    assert isinstance(decoded, Cart)
    assert type(decoded.item) is Bundle


async def test_every_branch_keeps_its_class_in_lists_and_optional_unions(
    in_memory: InMemorySchemaRegistry,
) -> None:
    cart = Cart(item=Product(id=1), items=[Bundle(id=2), Product(id=3)], maybe=Bundle(id=4))
    decoded = await in_memory.decode(await in_memory.frame(cart))
    assert isinstance(decoded, Cart)
    assert [type(item) for item in decoded.items] == [Bundle, Product]
    assert type(decoded.item) is Product
    assert type(decoded.maybe) is Bundle
    assert decoded == cart


async def test_a_null_branch_stays_none(in_memory: InMemorySchemaRegistry) -> None:
    decoded = await in_memory.decode(await in_memory.frame(Cart(item=Product(id=1))))
    assert isinstance(decoded, Cart)
    assert decoded.maybe is None
