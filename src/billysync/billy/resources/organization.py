"""The token's organization (`GET /v2/organization`): name, base currency, defaults, lock state.

A Billy access token belongs to exactly one organization, so this is the cheapest live check
of a key: a wrong key answers 401 (`BillyConfigurationError`), a right one names the company.
"""

from __future__ import annotations

from billysync.billy.errors import BillyConfigurationError
from billysync.billy.http import BillyHttp
from billysync.billy.models import Organization


class OrganizationService:
    path = "/organization"

    def __init__(self, http: BillyHttp) -> None:
        self._http = http

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.path}>"

    def get(self) -> Organization:
        """The organization the access token belongs to."""
        answer = self._http.request("GET", self.path)
        raw = answer.get("organization")
        if not isinstance(raw, dict):
            # Older answers list it under the plural key (see organizations_list.json).
            plural = answer.get("organizations")
            raw = plural[0] if isinstance(plural, list) and plural else None
        if not isinstance(raw, dict):
            raise BillyConfigurationError(
                status=200,
                message="Billy did not say which organization this key belongs to",
                method="GET",
                path=self.path,
            )
        return Organization.model_validate(raw)

    def require_unlocked(self) -> Organization:
        """The organization, or `BillyConfigurationError` if Billy has locked it (e.g. an
        unpaid subscription): nothing can be booked until the merchant sorts it out in Billy."""
        organization = self.get()
        if organization.is_locked:
            reason = organization.locked_reason or organization.locked_code or "no reason given"
            raise BillyConfigurationError(
                status=200,
                error_code=organization.locked_code or "ORGANIZATION_LOCKED",
                message=f"the Billy organization {organization.name!r} is locked ({reason}); "
                "unlock it in Billy",
                method="GET",
                path=self.path,
            )
        return organization
