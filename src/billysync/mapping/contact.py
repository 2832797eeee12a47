"""The Billy contact for a shop customer (docs/billy-api.md §3.5).

A customer is a `company` when the shop has a company name, a CVR or an EU VAT number, else a
`person`; the type and country are what Billy's VAT rules look at (docs/billy-api.md §5), so
they must be right. `registrationNo` carries the EU VAT number when there is one (it is what a
reverse-charge invoice must show), else the CVR. The email goes on a primary contact person,
because Billy sends invoices to contact persons.
`contactNo` carries our marker, so a returning customer finds the same contact.
"""

from __future__ import annotations

from billysync.mapping.drafts import ContactDraft, ContactPersonDraft
from billysync.mapping.markers import contact_marker
from billysync.shop.models import Customer


def contact_for(customer: Customer, *, prefix: str) -> ContactDraft:
    """The contact to create for `customer`; `prefix` is the shop's order-number prefix."""
    persons: tuple[ContactPersonDraft, ...] = ()
    if customer.email:
        # For a company the person is the buyer, whose name the shop has as `name`.
        persons = (ContactPersonDraft(name=customer.name, email=customer.email),)
    return ContactDraft(
        type=customer.kind,
        name=customer.display_name,
        country_id=customer.country,
        street=customer.street,
        zipcode_text=customer.zipcode,
        city_text=customer.city,
        phone=customer.phone,
        registration_no=customer.eu_vat_number or customer.cvr,
        ean=customer.ean,
        contact_no=contact_marker(prefix, customer.key),
        locale_id="da_DK" if customer.country == "DK" else "en_US",
        contact_persons=persons,
    )
