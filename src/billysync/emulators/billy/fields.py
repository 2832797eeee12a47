"""Field rules for the records a client may write, checked the way Billy checks them.

Each resource declares its fields: kind, whether the client may write it (`rw`), only
when creating it (`create`, Billy's "imm") or never (`ro`, silently ignored, since
Billy's own web app sends whole records back), whether it is required, and its enum
values. A field the resource does not have is refused with a message naming it: the
emulator is deliberately stricter than Billy here (which may ignore it), so a typo in a
client fails in tests instead of being lost silently in production.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .errors import Invalid, invalid_body, record_error
from .organization import SINGULAR, Organization
from .wire import as_date, as_decimal

Kind = Literal["str", "int", "bool", "decimal", "date", "enum", "ref", "list"]
Access = Literal["rw", "create", "ro"]

# Keys every record may carry: Billy's web app sends `_clientId`; ids are checked by callers.
ALWAYS_ALLOWED = frozenset({"id", "organizationId", "_clientId"})


@dataclass(frozen=True)
class Field:
    kind: Kind
    access: Access = "rw"
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str | None = None


def ro() -> Field:
    return Field("str", "ro")


def read_record(
    org: Organization,
    singular: str,
    spec: Mapping[str, Field],
    data: Mapping[str, Any],
    invalid: Invalid,
    *,
    error_key: str,
    existing: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The converted values of the writable fields in `data`; errors go to `invalid`."""
    values: dict[str, Any] = {}
    for name, raw in data.items():
        if name in ALWAYS_ALLOWED:
            if name == "organizationId" and raw is not None and raw != org.id:
                invalid.field(
                    error_key, name, "does not match the organization of your access token"
                )
            continue
        rule = spec.get(name)
        if rule is None:
            invalid.field(error_key, name, f"is not a field of {singular}; remove it")
            continue
        if rule.access == "ro":
            continue
        ok, value, problem = _convert(org, rule, raw)
        if not ok:
            invalid.field(error_key, name, problem)
            continue
        if rule.required and _blank(value):
            invalid.field(error_key, name, "is required")
            continue
        if existing is not None and rule.access == "create" and value != existing.get(name):
            invalid.field(error_key, name, f"cannot be changed after the {singular} is created")
            continue
        values[name] = value
    if existing is None:
        for name, rule in spec.items():
            if (
                rule.required
                and _blank(values.get(name))
                and name not in invalid_fields(invalid, error_key)
            ):
                invalid.field(error_key, name, "is required")
    return values


def invalid_fields(invalid: Invalid, error_key: str) -> set[str]:
    return set(invalid.errors.get(error_key, {}).get("attributes", {}))


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _convert(org: Organization, rule: Field, raw: Any) -> tuple[bool, Any, str]:
    if raw is None:
        return True, None, ""
    if rule.kind == "str":
        if isinstance(raw, str):
            return True, raw, ""
        if isinstance(raw, int) and not isinstance(raw, bool):
            return True, str(raw), ""
        return False, None, "must be text"
    if rule.kind == "bool":
        return (True, raw, "") if isinstance(raw, bool) else (False, None, "must be true or false")
    if rule.kind == "int":
        number = as_decimal(raw)
        if number is None or number != number.to_integral_value():
            return False, None, "must be a whole number"
        return True, int(number), ""
    if rule.kind == "decimal":
        number = as_decimal(raw)
        return (True, number, "") if number is not None else (False, None, "must be a number")
    if rule.kind == "date":
        text = as_date(raw)
        return (True, text, "") if text else (False, None, "must be a date as YYYY-MM-DD")
    if rule.kind == "enum":
        if raw in rule.choices:
            return True, raw, ""
        return False, None, "must be one of " + ", ".join(rule.choices)
    if rule.kind == "ref":
        assert rule.ref is not None
        if org.find(rule.ref, raw) is None:
            singular = SINGULAR.get(rule.ref, rule.ref)
            return False, None, f"no {singular} with id `{raw}` exists in this organization"
        return True, raw, ""
    if rule.kind == "list":
        return (True, raw, "") if isinstance(raw, list) else (False, None, "must be a list")
    raise AssertionError(rule.kind)


def client_key(data: Mapping[str, Any], fallback: str) -> str:
    """Where Billy reports a record's errors: its `_clientId`, else the given key."""
    client_id = data.get("_clientId")
    return client_id if isinstance(client_id, str) and client_id else fallback


def unwrap(document: Mapping[str, Any], singular: str) -> dict[str, Any]:
    """The record inside `{"invoice": {...}}`; a missing or non-object record is a bad body."""
    record = document.get(singular)
    if not isinstance(record, dict):
        raise invalid_body(f"Expected the {singular} as an object under the key `{singular}`.")
    return record


def without(data: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in keys}


def check_id(data: Mapping[str, Any], record_id: str, singular: str) -> None:
    """Billy: an `id` in a PUT body must match the URL."""
    if "id" in data and data["id"] != record_id:
        raise record_error(singular, f"The id in the body (`{data['id']}`) must match the URL.")


def require(invalid: Invalid, error_key: str, values: Mapping[str, Any], name: str) -> None:
    """A field that is required in this context only (e.g. `contactId` outside an embed)."""
    if _blank(values.get(name)) and name not in invalid_fields(invalid, error_key):
        invalid.field(error_key, name, "is required")
