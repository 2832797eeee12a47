"""products_for: one Billy product per item number; the content hash tracks what Billy gets."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from billysync.mapping.products import products_for
from billysync.shop.models import Product, ProductVariant
from tests.support.mapping_builders import SETTINGS, D


def tshirt(**over: object) -> Product:
    fields: dict[str, object] = {
        "key": "p-1",
        "item_number": "TS",
        "name": "T-shirt",
        "price": D("199.00"),
        "variants": (
            ProductVariant(item_number="TS-RED-M", name="Red, M"),
            ProductVariant(item_number="TS-BLUE-L", name="Blue, L", price=D("219.00")),
            ProductVariant(item_number="TS", name="Default"),  # the product's own number
            ProductVariant(item_number="TS-RED-M", name="Red M (duplicate)"),
        ),
    }
    fields.update(over)
    return Product(**fields)


def test_one_product_per_distinct_item_number_with_its_own_price() -> None:
    payloads = [draft.to_payload() for draft in products_for(tshirt(), SETTINGS)]
    assert payloads == [
        {
            "name": "T-shirt",
            "productNo": "TS",
            "accountId": "acc-sales",
            "prices": [{"unitPrice": 199, "currencyId": "DKK"}],
        },
        {
            "name": "T-shirt (Red, M)",
            "productNo": "TS-RED-M",
            "accountId": "acc-sales",
            "prices": [{"unitPrice": 199, "currencyId": "DKK"}],
        },
        {
            "name": "T-shirt (Blue, L)",
            "productNo": "TS-BLUE-L",
            "accountId": "acc-sales",
            "prices": [{"unitPrice": 219, "currencyId": "DKK"}],
        },
    ]


def test_price_in_the_shops_currency_and_an_optional_vat_ruleset() -> None:
    mug = Product(key="m", item_number="MUG", name="Mug", price=D("10.50"), currency="EUR")
    [draft] = products_for(mug, SETTINGS, sales_tax_ruleset_id="ruleset-dk")
    payload = draft.to_payload()
    assert payload["prices"] == [{"unitPrice": 10.5, "currencyId": "EUR"}]
    assert payload["salesTaxRulesetId"] == "ruleset-dk"
    assert draft.to_envelope() == {"product": payload}


def test_content_hash_changes_with_price_or_name_only() -> None:
    [base] = products_for(tshirt(variants=()), SETTINGS)
    [same] = products_for(tshirt(variants=(), key="other-key", price=D("199")), SETTINGS)
    [dearer] = products_for(tshirt(variants=(), price=D("199.01")), SETTINGS)
    [renamed] = products_for(tshirt(variants=(), name="T-shirt, organic"), SETTINGS)
    assert same.content_hash() == base.content_hash()
    assert dearer.content_hash() != base.content_hash()
    assert renamed.content_hash() != base.content_hash()
    assert len(base.content_hash()) == 64


def test_content_hash_changes_with_the_sales_account() -> None:
    [base] = products_for(tshirt(variants=()), SETTINGS)
    moved = SETTINGS.model_copy(update={"sales_account_id": "acc-other"})
    [other] = products_for(tshirt(variants=()), moved)
    assert other.content_hash() != base.content_hash()


names = st.sampled_from(["Mug", "Mug ", "mug", "Krus", "Kop"]).map(str.strip)
prices = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False)


@given(name_a=names, price_a=prices, name_b=names, price_b=prices)
def test_hash_is_equal_exactly_when_name_and_price_are(
    name_a: str, price_a: Decimal, name_b: str, price_b: Decimal
) -> None:
    [a] = products_for(Product(key="a", item_number="MUG", name=name_a, price=price_a), SETTINGS)
    [b] = products_for(Product(key="b", item_number="MUG", name=name_b, price=price_b), SETTINGS)
    same_content = (name_a, price_a) == (name_b, price_b)
    assert (a.content_hash() == b.content_hash()) == same_content
