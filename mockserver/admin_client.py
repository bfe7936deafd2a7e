"""A small client of the admin API, for the CLI subcommands and for tests."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import requests
from pydantic import BaseModel, ValidationError

from sync.protocol import (
    AccuracyReport,
    CatalogueEntry,
    ErrorBody,
    LedgerEntry,
    Qualification,
    QualificationList,
)
from sync.protocol_admin import (
    ADMIN_TOKEN_HEADER,
    ClockState,
    ContributorResponse,
    FaultSettings,
    GoldResponse,
    LedgerList,
    PayoutResponse,
    PlatformPolicy,
    PublishResponse,
    ResetResponse,
    ReviewResponse,
    StoredResult,
    StoredResultList,
)

ADMIN_PREFIX = "/v1/admin"
_M = TypeVar("_M", bound=BaseModel)


class AdminError(Exception):
    """An admin call failed; ``status`` is None when the server could not be reached."""

    def __init__(self, status: int | None, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class AdminClient:
    """Calls ``/v1/admin/...`` of the server at ``url`` with ``admin_token``.

    Every method raises ``AdminError`` with the server's message when it refuses.
    """

    def __init__(self, url: str, admin_token: str, *, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self.admin_token = admin_token
        self.timeout = timeout
        self._session = requests.Session()
        self._session.headers[ADMIN_TOKEN_HEADER] = admin_token

    def close(self) -> None:
        self._session.close()

    # ------------------------------------------------------------ publishing

    def publish_file(self, path: Path, *, qualification: str | None = None) -> list[CatalogueEntry]:
        """Upload a bundle zip (needing ``qualification`` if given); returns its catalogue
        entry (in a list)."""
        params = {"qualification": qualification} if qualification else None
        with open(path, "rb") as stream:
            data = self._call(
                "POST",
                "/bundles",
                data=stream,
                params=params,
                headers={"Content-Type": "application/zip"},
            )
        return _parse(PublishResponse, data).bundles

    def publish_demo(
        self, spec: str | None = None, copies: int = 1, *, qualification: str | None = None
    ) -> list[CatalogueEntry]:
        """Publish a demo spec (every spec if None) ``copies`` times under derived ids,
        needing ``qualification`` if given."""
        body = {"spec": spec, "copies": copies, "qualification": qualification}
        return _parse(PublishResponse, self._call("POST", "/demo", json=body)).bundles

    # ------------------------------------------------------------ reviews and money

    def approve(
        self,
        *,
        keys: Iterable[UUID | str] = (),
        tasks: Iterable[tuple[str, str]] = (),
        contributor_id: str | None = None,
        all_pending: bool = False,
    ) -> ReviewResponse:
        body = _review(keys, tasks, contributor_id, all_pending, None)
        return _parse(ReviewResponse, self._call("POST", "/approvals", json=body))

    def reject(
        self,
        reason: str,
        *,
        keys: Iterable[UUID | str] = (),
        tasks: Iterable[tuple[str, str]] = (),
        contributor_id: str | None = None,
        all_pending: bool = False,
    ) -> ReviewResponse:
        body = _review(keys, tasks, contributor_id, all_pending, reason)
        return _parse(ReviewResponse, self._call("POST", "/rejections", json=body))

    def pay(self, contributor_id: str) -> PayoutResponse:
        data = self._call("POST", "/payouts", json={"contributor_id": contributor_id})
        return _parse(PayoutResponse, data)

    def bonus(self, contributor_id: str, amount: Decimal | str, reason: str) -> LedgerEntry:
        body = {"contributor_id": contributor_id, "amount": str(amount), "reason": reason}
        return _parse(LedgerEntry, self._call("POST", "/bonuses", json=body))

    def withdraw(self, bundle_id: str, task_ids: Iterable[str] | None = None) -> list[str]:
        """Withdraw tasks (all of the bundle if None); returns the ids withdrawn now."""
        body = {"bundle_id": bundle_id, "task_ids": None if task_ids is None else list(task_ids)}
        withdrawn: list[str] = self._call("POST", "/withdrawals", json=body)["withdrawn"]
        return withdrawn

    def expire_tokens(self, contributor_id: str) -> int:
        data = self._call("POST", "/token-expiries", json={"contributor_id": contributor_id})
        return int(data["expired"])

    def add_contributor(
        self, contributor_id: str, password: str, display_name: str
    ) -> ContributorResponse:
        body = {"contributor_id": contributor_id, "password": password}
        body["display_name"] = display_name
        return _parse(ContributorResponse, self._call("POST", "/contributors", json=body))

    # ------------------------------------------------------------ clock and faults

    def clock(self) -> ClockState:
        return _parse(ClockState, self._call("GET", "/clock"))

    def advance_clock(self, seconds: float) -> ClockState:
        return _parse(ClockState, self._call("POST", "/clock", json={"seconds": seconds}))

    def get_faults(self) -> FaultSettings:
        return _parse(FaultSettings, self._call("GET", "/faults"))

    def set_faults(self, settings: FaultSettings | None = None, **fields: Any) -> FaultSettings:
        """Replace the fault settings: ``settings`` or the given fields, the rest default."""
        chosen = settings if settings is not None else FaultSettings(**fields)
        data = self._call("PUT", "/faults", json=chosen.model_dump(mode="json"))
        return _parse(FaultSettings, data)

    def update_faults(self, **fields: Any) -> FaultSettings:
        """Change only the given fault fields, keeping the others as they are."""
        current = self.get_faults().model_dump()
        return self.set_faults(FaultSettings(**{**current, **fields}))

    def clear_faults(self) -> FaultSettings:
        return self.set_faults(FaultSettings())

    # ------------------------------------------------------------ what the server holds

    def results(self, contributor_id: str | None = None) -> list[StoredResult]:
        params = {"contributor_id": contributor_id} if contributor_id else None
        return _parse(StoredResultList, self._call("GET", "/results", params=params)).results

    def ledger(self, contributor_id: str | None = None) -> list[LedgerEntry]:
        params = {"contributor_id": contributor_id} if contributor_id else None
        return _parse(LedgerList, self._call("GET", "/ledger", params=params)).entries

    def reset_cursors(self) -> str:
        return str(self._call("POST", "/cursor-reset")["epoch"])

    # ------------------------------------------------------------ policy, gold, qualifications

    def get_policy(self) -> PlatformPolicy:
        return _parse(PlatformPolicy, self._call("GET", "/policy"))

    def set_policy(self, policy: PlatformPolicy | None = None, **fields: Any) -> PlatformPolicy:
        """Replace the platform policy: ``policy`` or the given fields, the rest default."""
        chosen = policy if policy is not None else PlatformPolicy(**fields)
        data = self._call("PUT", "/policy", json=chosen.model_dump(mode="json"))
        return _parse(PlatformPolicy, data)

    def update_policy(self, **fields: Any) -> PlatformPolicy:
        """Change only the given policy fields, keeping the others as they are."""
        current = self.get_policy().model_dump()
        return self.set_policy(PlatformPolicy(**{**current, **fields}))

    def set_gold(self, bundle_id: str, task_id: str, answer: dict[str, Any]) -> GoldResponse:
        """Make a published task a gold question whose gold result is ``answer``."""
        body = {"bundle_id": bundle_id, "task_id": task_id, "answer": answer}
        return _parse(GoldResponse, self._call("POST", "/golds", json=body))

    def qualifications(self, contributor_id: str) -> QualificationList:
        params = {"contributor_id": contributor_id}
        return _parse(QualificationList, self._call("GET", "/qualifications", params=params))

    def grant_qualification(self, contributor_id: str, qualification_id: str) -> Qualification:
        body = {"contributor_id": contributor_id, "qualification_id": qualification_id}
        return _parse(Qualification, self._call("POST", "/qualification-grants", json=body))

    def reset_qualifications(
        self, contributor_id: str, qualification_id: str | None = None
    ) -> list[str]:
        """Forget certificates, attempts and retry delays; returns the qualification ids."""
        body = {"contributor_id": contributor_id, "qualification_id": qualification_id}
        return _parse(ResetResponse, self._call("POST", "/qualification-resets", json=body)).reset

    def accuracy(self, contributor_id: str) -> AccuracyReport:
        params = {"contributor_id": contributor_id}
        return _parse(AccuracyReport, self._call("GET", "/accuracy", params=params))

    def reset_withholding(self, contributor_id: str, kind: str | None = None) -> list[str]:
        """A fresh start for rotation, fatigue and accuracy; returns the kinds reset."""
        body = {"contributor_id": contributor_id, "kind": kind}
        return _parse(ResetResponse, self._call("POST", "/withholding-resets", json=body)).reset

    # ------------------------------------------------------------ transport

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        url = f"{self.url}{ADMIN_PREFIX}{path}"
        try:
            response = self._session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise AdminError(
                None, "unreachable", f"Cannot reach the mock server at {self.url} ({exc})."
            ) from exc
        if not response.ok:
            raise _error_of(response)
        try:
            return response.json()
        except ValueError as exc:
            raise AdminError(
                response.status_code, "bad_answer", f"The server's answer to {path} is not JSON."
            ) from exc


def _review(
    keys: Iterable[UUID | str],
    tasks: Iterable[tuple[str, str]],
    contributor_id: str | None,
    all_pending: bool,
    reason: str | None,
) -> dict[str, Any]:
    return {
        "idempotency_keys": [str(key) for key in keys],
        "tasks": [{"bundle_id": bundle, "task_id": task} for bundle, task in tasks],
        "contributor_id": contributor_id,
        "all_pending": all_pending,
        "reason": reason,
    }


def _parse(model: type[_M], data: Any) -> _M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise AdminError(None, "bad_answer", f"Unexpected answer from the server: {exc}") from exc


def _error_of(response: requests.Response) -> AdminError:
    try:
        body = ErrorBody.model_validate_json(response.content)
    except ValidationError:
        text = response.text.strip().splitlines()[0][:200] if response.text.strip() else ""
        return AdminError(response.status_code, "http_error", f"HTTP {response.status_code} {text}")
    return AdminError(response.status_code, body.code, body.message)
