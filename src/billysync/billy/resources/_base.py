"""What every Billy resource service shares: Billy's REST conventions, once.

- get one:  GET /<plural>/:id          → {"<singular>": {...}, sideloaded plural keys…}
- list:     GET /<plural>?page=&pageSize= → {"meta": {"paging": …}, "<plural>": [...]}
- create:   POST /<plural> {"<singular>": payload} → every changed record under plural keys
- update:   PUT /<plural>/:id {"<singular>": payload} (partial) → the same

Has-many children (invoice lines, contact persons, product prices, payment associations) may
come embedded on the record or sideloaded under their own plural key; either way the returned
model has them on its field (e.g. `contact.contact_persons`).

Marker lookups (`contactNo`, `productNo`, `orderNo`, `invoiceNo`) send the filter and then match
exactly on this side: Billy silently ignores filters it does not know and answers with
everything, so the server's answer alone proves nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar
from urllib.parse import quote

from pydantic import ValidationError

from billysync.billy.errors import BillyOutcomeUnknown, BillyTransientError
from billysync.billy.http import BillyHttp
from billysync.billy.models import BillyRecord

M = TypeVar("M", bound=BillyRecord)

# Fields of a create payload that single out the new record among the changed ones Billy
# returns (e.g. a credit note and the original invoice whose balance it changed).
_IDENTIFYING = ("type", "creditedInvoiceId", "orderNo", "invoiceNo", "contactNo", "productNo")


@dataclass(frozen=True)
class Children:
    """A has-many relation: the record's field, the children's root key when sideloaded, the
    record's `<rel>Ids` list when Billy sideloads, and the child's belongs-to field(s)."""

    field: str
    root: str
    ids_key: str
    parent_keys: tuple[str, ...]


class Resource(Generic[M]):
    """A Billy resource service: subclasses set the names, the model and their children."""

    path: ClassVar[str]
    singular: ClassVar[str]
    plural: ClassVar[str]
    children: ClassVar[tuple[Children, ...]] = ()
    model: type[M]

    def __init__(self, http: BillyHttp) -> None:
        self._http = http

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.path}>"

    # -- building models -------------------------------------------------------------------

    def _build(
        self, raw: Mapping[str, Any], answer: Mapping[str, Any], *, method: str, path: str
    ) -> M:
        record = dict(raw)
        for rel in self.children:
            if record.get(rel.field) is not None:
                continue
            sideloaded = answer.get(rel.root)
            if not isinstance(sideloaded, list):
                continue
            ids = set(record.get(rel.ids_key) or ())
            record[rel.field] = [
                child
                for child in sideloaded
                if isinstance(child, dict)
                and (
                    child.get("id") in ids
                    or any(child.get(k) == record.get("id") for k in rel.parent_keys)
                )
            ]
        try:
            model = self.model.model_validate(record)
        except ValidationError as exc:
            # Billy answered, but not in a shape we can read. After a write that means we do
            # not know what it saved; after a read, another try may get a better answer.
            kind = BillyTransientError if method == "GET" else BillyOutcomeUnknown
            raise kind(
                status=200,
                message=self._http.scrub(
                    f"Billy's {self.singular} record could not be read: "
                    + "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
                ),
                method=method,
                path=path,
            ) from None
        model._sideloaded = {
            key: value
            for key, value in answer.items()
            if key not in ("meta", self.singular, self.plural) and isinstance(value, list)
        }
        return model

    def _changed(self, answer: Mapping[str, Any], method: str, path: str) -> list[dict[str, Any]]:
        records = answer.get(self.plural)
        if isinstance(records, list) and records:
            return [r for r in records if isinstance(r, dict)]
        single = answer.get(self.singular)
        if isinstance(single, dict):
            return [single]
        # Billy said 200, so the write happened, but we cannot tell what it saved.
        raise BillyOutcomeUnknown(
            status=200,
            message=f"Billy's answer has no {self.plural!r} record",
            method=method,
            path=path,
        )

    # -- the calls -------------------------------------------------------------------------

    def _record_path(self, record_id: str) -> str:
        if not record_id:
            raise ValueError(f"a {self.singular} id is needed (got {record_id!r})")
        return f"{self.path}/{quote(str(record_id), safe='')}"

    def _retrieve(self, record_id: str, *, include: str | None = None) -> M:
        path = self._record_path(record_id)
        answer = self._http.request("GET", path, params={"include": include})
        raw = answer.get(self.singular)
        if not isinstance(raw, dict):
            raise BillyTransientError(
                status=200,
                message=f"Billy's answer has no {self.singular!r} record",
                method="GET",
                path=path,
            )
        return self._build(raw, answer, method="GET", path=path)

    def _iter(self, filters: Mapping[str, object], *, include: str | None = None) -> Iterator[M]:
        params = {**filters, "include": include}
        for raw, answer in self._http.iter_records(self.path, self.plural, params):
            yield self._build(raw, answer, method="GET", path=self.path)

    def _list(self, filters: Mapping[str, object], *, include: str | None = None) -> list[M]:
        return list(self._iter(filters, include=include))

    def _find_exact(
        self,
        field: str,
        value: str,
        *,
        extra: Mapping[str, object] | None = None,
        include: str | None = None,
        query: Mapping[str, object] | None = None,
    ) -> list[M]:
        """Every record whose `field` (Billy's wire name) is exactly `value`.

        The field is sent as a filter, unless `query` gives the parameters to send instead
        (for a field Billy cannot filter on, e.g. a `q` search); either way the match is
        checked here.
        """
        sent = dict(query) if query is not None else {field: value}
        params = {**(extra or {}), **sent, "include": include}
        found: list[M] = []
        for raw, answer in self._http.iter_records(self.path, self.plural, params):
            if raw.get(field) is not None and str(raw.get(field)) == value:
                found.append(self._build(raw, answer, method="GET", path=self.path))
        return found

    def _create(self, payload: Mapping[str, Any]) -> M:
        answer = self._http.request("POST", self.path, body={self.singular: dict(payload)})
        records = self._changed(answer, "POST", self.path)
        wanted = {k: payload[k] for k in _IDENTIFYING if payload.get(k) is not None}
        matching = [r for r in records if all(r.get(k) == v for k, v in wanted.items())]
        return self._build((matching or records)[0], answer, method="POST", path=self.path)

    def _update(self, record_id: str, payload: Mapping[str, Any]) -> M:
        path = self._record_path(record_id)
        answer = self._http.request("PUT", path, body={self.singular: dict(payload)})
        records = self._changed(answer, "PUT", path)
        same = [r for r in records if r.get("id") == record_id]
        return self._build((same or records)[0], answer, method="PUT", path=path)
