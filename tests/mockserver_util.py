"""Helpers of the mock server tests: contributors over HTTP, test bundles, a second kind."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests
from pydantic import BaseModel

from sync.bundle import build_bundle
from sync.protocol import BatchResponse, EarningsPage, Lease, ResultAck
from taskkinds import Registry, TaskKind
from taskkinds.translation import KIND as TRANSLATION

TIMEOUT = 10
GOOD_TARGETS = {"s1": "Bonjour {name}", "s2": "Enregistrer"}
BAD_TARGETS = {"s1": "", "s2": "Enregistrer"}  # an empty translation blocks submitting


@dataclass
class Contributor:
    """A signed-in contributor talking to the server with ``requests``."""

    url: str
    contributor_id: str
    token: str
    session: requests.Session

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.get(self.url + path, timeout=TIMEOUT, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.session.post(self.url + path, json=json, timeout=TIMEOUT, **kwargs)

    def claim(self, bundle_id: str) -> Lease:
        response = self.post("/v1/claims", {"bundle_id": bundle_id})
        assert response.status_code == 200, response.text
        return Lease.model_validate_json(response.content)

    def submit(self, *items: dict[str, Any]) -> list[ResultAck]:
        response = self.post("/v1/results", {"results": list(items)})
        assert response.status_code == 200, response.text
        return BatchResponse.model_validate_json(response.content).acks

    def earnings(self, cursor: str | None = None, limit: int | None = None) -> EarningsPage:
        params: dict[str, Any] = {}
        if cursor is not None:
            params["cursor"] = cursor
        if limit is not None:
            params["limit"] = limit
        response = self.get("/v1/earnings", params=params)
        assert response.status_code == 200, response.text
        return EarningsPage.model_validate_json(response.content)


def sign_in(url: str, contributor_id: str = "demo", password: str | None = None) -> Contributor:
    session = requests.Session()
    response = session.post(
        url + "/v1/session",
        json={"contributor_id": contributor_id, "password": password or contributor_id},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text
    token = response.json()["token"]
    session.headers["Authorization"] = f"Bearer {token}"
    return Contributor(url, contributor_id, token, session)


def result_item(
    bundle_id: str,
    task_id: str,
    *,
    targets: dict[str, str] | None = None,
    key: uuid.UUID | None = None,
    kind: str = "translation",
    result: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One ``ResultItem`` as JSON; a valid translation unless told otherwise."""
    return {
        "idempotency_key": str(key or uuid.uuid4()),
        "bundle_id": bundle_id,
        "task_id": task_id,
        "kind": kind,
        "result": result if result is not None else {"targets": targets or GOOD_TARGETS},
        "submitted_at": datetime.now(UTC).isoformat(),
    }


def translation_zip(
    folder: Path,
    bundle_id: str,
    *,
    tasks: int = 3,
    reward: str = "0.10",
    noise_bytes: int = 0,
    task_rewards: dict[str, str] | None = None,
    deadline: datetime | None = None,
) -> Path:
    """A bundle of ``tasks`` translation tasks t1..tN, each with segments s1 and s2.

    ``noise_bytes`` adds an incompressible media file, to make the archive big.
    """
    folder.mkdir(parents=True, exist_ok=True)
    media: dict[str, bytes | Path] = {}
    if noise_bytes:
        media["noise.txt"] = os.urandom(noise_bytes)
    specs = []
    for index in range(1, tasks + 1):
        task: dict[str, Any] = {
            "id": f"t{index}",
            "payload": {
                "source_lang": "en",
                "target_lang": "fr",
                "segments": [
                    {"id": "s1", "source": "Hello {name}"},
                    {"id": "s2", "source": "Save"},
                ],
            },
        }
        if index == 1 and noise_bytes:
            task["media"] = ["noise.txt"]
        if task_rewards and task["id"] in task_rewards:
            task["reward"] = task_rewards[task["id"]]
        specs.append(task)
    return build_bundle(
        folder / f"{bundle_id}.zip",
        bundle_id=bundle_id,
        kind="translation",
        title=f"Test bundle {bundle_id}",
        tasks=specs,
        media=media,
        reward_per_task=Decimal(reward),
        deadline=deadline,
    )


# ---------------------------------------------------------------- a second kind, for rotation


class TallyPayload(BaseModel):
    items: list[str]


class TallyResult(BaseModel):
    count: int


def _tally_problems(payload: TallyPayload, result: TallyResult) -> list[Any]:
    return []


TALLY = TaskKind(
    id="tally",
    title="Tally (test kind)",
    version=1,
    payload_model=TallyPayload,
    result_model=TallyResult,
    new_result=lambda payload: TallyResult(count=0),
    validate=_tally_problems,
    grade=lambda result, gold: 1.0,
    summarize=lambda payload: "tally",
    editor_path="tests.none:NoEditor",
)


def two_kind_registry() -> Registry:
    return Registry([TRANSLATION, TALLY])


def tally_zip(folder: Path, bundle_id: str, tasks: int = 2) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return build_bundle(
        folder / f"{bundle_id}.zip",
        bundle_id=bundle_id,
        kind="tally",
        title=f"Tally {bundle_id}",
        tasks=[{"id": f"c{i}", "payload": {"items": ["a", "b"]}} for i in range(tasks)],
        reward_per_task=Decimal("0.01"),
    )
