"""`BillyClient`: billysync's way into one Billy organization (Billy API v2).

    with BillyClient(token, call_observer=audit.append) as billy:
        contact = billy.contacts.create({"name": "Ada", "countryId": "DK", ...})
        invoice = billy.invoices.create({"contactId": contact.id, "lines": [...], ...})

One instance per access token (= per Billy organization). Options are keyword-only; the HTTP
layer is injectable (`transport=` takes any `httpx2.BaseTransport`, e.g. the Billy emulator's or
an `httpx2.MockTransport`), as are the rate limiter, the call observer and `sleep`, so tests run
without a network and without waiting. Each resource is a small service attribute:

    organization, accounts, currencies, countries, country_groups, sales_tax_rulesets,
    sales_tax_rules, tax_rates, contacts, products, invoices, invoice_emails, bank_payments

Every failure is a `billysync.billy.errors.BillyError` whose class says what to do next.
Reads are retried on transient faults; writes never are (see http.py for why).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from types import TracebackType

import httpx2

from billysync.billy.http import (
    DEFAULT_BASE_URL,
    MAX_PAGE_SIZE,
    BillyHttp,
    CallObserver,
    RetryPolicy,
)
from billysync.billy.ratelimit import RateLimiter
from billysync.billy.resources.bank_payments import BankPaymentService
from billysync.billy.resources.contacts import ContactService
from billysync.billy.resources.invoice_emails import InvoiceEmailService
from billysync.billy.resources.invoices import InvoiceService
from billysync.billy.resources.organization import OrganizationService
from billysync.billy.resources.products import ProductService
from billysync.billy.resources.reference import (
    AccountService,
    CountryGroupService,
    CountryService,
    CurrencyService,
)
from billysync.billy.resources.sales_tax import (
    SalesTaxRuleService,
    SalesTaxRulesetService,
    TaxRateService,
)

__all__ = ["DEFAULT_BASE_URL", "BillyClient"]


class BillyClient:
    """A client for one Billy organization, authenticated by its access token.

    - `timeout`: seconds to wait for Billy's answer (read/write/pool), or an `httpx2.Timeout`;
      `connect_timeout` (default: min(timeout, 10)) for establishing the connection.
    - `max_retries`: extra attempts for safe (GET) calls on transient faults; writes get none.
    - `rate_limiter`: anything with `acquire()`, called before every HTTP attempt; one with
      `rejected(retry_after)` too (a `SharedLimiter` per organization) is told of each 429.
    - `call_observer`: called once per HTTP attempt with a `BillyCall` (for the audit log).
    - `sleep`, `rng`: what the backoff waits with and draws its jitter from (tests inject them).
    - `accept_language`: the language of Billy's error texts (`en_US`, `da_DK`, …).
    """

    def __init__(
        self,
        access_token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        transport: httpx2.BaseTransport | None = None,
        timeout: float | httpx2.Timeout = 30.0,
        connect_timeout: float | None = None,
        max_retries: int = 3,
        retry_policy: RetryPolicy | None = None,
        rate_limiter: RateLimiter | None = None,
        call_observer: CallObserver | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        accept_language: str | None = "en_US",
        page_size: int = MAX_PAGE_SIZE,
    ) -> None:
        retry = retry_policy or RetryPolicy(max_retries=max_retries)
        self._http = BillyHttp(
            access_token,
            base_url=base_url,
            transport=transport,
            timeout=timeout,
            connect_timeout=connect_timeout,
            retry=retry,
            rate_limiter=rate_limiter,
            call_observer=call_observer,
            sleep=sleep,
            rng=rng,
            accept_language=accept_language,
            page_size=page_size,
        )
        self.organization = OrganizationService(self._http)
        self.accounts = AccountService(self._http)
        self.currencies = CurrencyService(self._http)
        self.countries = CountryService(self._http)
        self.country_groups = CountryGroupService(self._http)
        self.sales_tax_rulesets = SalesTaxRulesetService(self._http)
        self.sales_tax_rules = SalesTaxRuleService(self._http)
        self.tax_rates = TaxRateService(self._http)
        self.contacts = ContactService(self._http)
        self.products = ProductService(self._http)
        self.invoices = InvoiceService(self._http)
        self.invoice_emails = InvoiceEmailService(self._http)
        self.bank_payments = BankPaymentService(self._http)

    @property
    def base_url(self) -> str:
        return self._http.base_url

    @property
    def call_observer(self) -> CallObserver | None:
        return self._http.call_observer

    @call_observer.setter
    def call_observer(self, observer: CallObserver | None) -> None:
        self._http.call_observer = observer

    def close(self) -> None:
        """Close the connection pool (and the transport it was given)."""
        self._http.close()

    def __enter__(self) -> BillyClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        # Never the token itself: at most its last four characters.
        return f"BillyClient(base_url={self.base_url!r}, access_token={self._http.masked_token!r})"
