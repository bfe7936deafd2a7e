"""Fuzzing the parsers: manifests, protocol answers, results. Zero uncaught exceptions.

Hypothesis draws raw bytes, arbitrary JSON, and (most useful) valid documents
with one part replaced, removed or retyped. Each target states which exceptions
are the parser's documented refusals; anything else escaping is counted as
uncaught, with the input that caused it. The examples come from the real
thing: manifests built by ``build_bundle``, answers recorded from the mock
server, results from the demo golds.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import traceback
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from urllib3 import HTTPResponse

from app.importer import import_bundle_file
from app.profile import Profile
from app.store import Store
from mockserver import rules
from mockserver.demo_data import demo_golds, demo_specs
from mockserver.testing import running_server
from sync.answers import parse_answer, status_error
from sync.bundle import BundleError, extract_bundle, read_manifest
from sync.engine import OutboxItem, _next_batch
from sync.errors import MalformedAnswer, ServerError
from sync.manifest import DEFAULT_LIMITS
from sync.protocol import (
    AccuracyReport,
    BatchResponse,
    Catalogue,
    EarningsPage,
    ErrorBody,
    Lease,
    LeaseList,
    QualificationList,
    ReleaseResponse,
    ServerConfig,
    SignInResponse,
)
from sync.retry import parse_retry_after
from taskkinds import default_registry
from tests.factories import translation_bundle
from tests.mockserver_util import result_item, translation_zip
from tests.reliability.atheris_targets import available, run_atheris
from tests.reliability.bundle_corpus import manifest, opus, transcription_zip, zipped
from tests.reliability.common import CampaignResult, timed

KNOWN_KINDS = frozenset({"translation", "transcription", "photo_clip"})

# --- strategies ------------------------------------------------------------------------------

texts = st.text(alphabet=st.characters(exclude_categories=()), max_size=40) | st.sampled_from(
    ["", "\ud800", "\x00", "../x", "a" * 300, "NaN", "1e999", "\u202e", "é"]
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | texts
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(texts, inner, max_size=6),
    max_leaves=25,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place inside a JSON document, the root included."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value[:20]):
            found += _paths(child, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, document: Any) -> Any:
    """``document`` with one to three places replaced, removed, emptied or retyped."""
    data = json.loads(json.dumps(document))
    for _ in range(draw(st.integers(1, 3))):
        places = _paths(data)
        where = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["replace", "remove", "wrap", "empty", "duplicate"]))
        if not where:
            data = draw(json_values) if action == "replace" else [data]
            continue
        parent = data
        for step in where[:-1]:
            parent = parent[step]
        last = where[-1]
        if action == "remove":
            del parent[last]
        elif action == "wrap":
            parent[last] = [parent[last]]
        elif action == "empty":
            parent[last] = (
                type(parent[last])() if isinstance(parent[last], (dict, list, str)) else None
            )
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(parent[last])
        else:
            parent[last] = draw(json_values)
    return data


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


@st.composite
def raw_documents(draw: st.DrawFn, document: Any) -> bytes:
    """Bytes a parser may meet: a mutated document, garbage, JSON cut short or garbled."""
    choice = draw(st.integers(0, 9))
    if choice <= 5:
        return _dumps(draw(mutated(document)))
    if choice == 6:
        return draw(st.binary(max_size=400))
    if choice == 7:
        return _dumps(draw(json_values))
    raw = _dumps(document)
    cut = draw(st.integers(0, len(raw)))
    if choice == 8:
        return raw[:cut]
    return raw[:cut] + draw(st.binary(min_size=1, max_size=8)) + raw[cut:]


# --- targets ---------------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    strategy: st.SearchStrategy[Any]
    run: Callable[[Any], None]
    expected: tuple[type[BaseException], ...]


def _manifest_targets(work: Path) -> list[Target]:
    media = {"notes/menu.txt": b"soupe\n"}
    valid = manifest(media)
    spot = work / "fuzz.zip"
    staging = work / "staging"

    def parse_manifest(raw: bytes) -> None:
        zipped(spot, media, manifest_data=raw)
        read_manifest(spot, known_kinds=KNOWN_KINDS)

    archive = zipped(work / "valid.zip", media, manifest_data=valid).read_bytes()
    clip = transcription_zip(work / "clip.zip", "a/c.opus", opus()).read_bytes()

    @st.composite
    def damaged_zip(draw: st.DrawFn) -> bytes:
        data = bytearray(draw(st.sampled_from([archive, clip])))
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, len(data) - 1))
            data[at] = draw(st.integers(0, 255))
        if draw(st.booleans()):
            data = data[: draw(st.integers(0, len(data)))]
        return bytes(data)

    def extract_clean(raw: bytes) -> None:
        spot.write_bytes(raw)
        try:
            extract_bundle(spot, staging, known_kinds=KNOWN_KINDS, limits=DEFAULT_LIMITS)
        except BundleError:
            if staging.exists():
                shutil.rmtree(staging)
                raise AssertionError("a refused bundle left its staging folder behind") from None
            raise
        shutil.rmtree(staging)  # a harmless mutation: clear the way for the next one

    return [
        Target(
            "manifest.json (read_manifest)", raw_documents(valid), parse_manifest, (BundleError,)
        ),
        Target("damaged zip files (extract_bundle)", damaged_zip(), extract_clean, (BundleError,)),
    ]


def _recorded_answers(work: Path) -> dict[str, tuple[type[BaseModel], Any]]:
    """Real answers of the mock server, one per response model, to mutate."""
    with running_server(work / "server", rotation=0) as server:
        server.admin.publish_file(translation_zip(work / "zips", "b-fuzz", tasks=3))
        session = requests.Session()
        signed = session.post(
            server.url + "/v1/session", json={"contributor_id": "demo", "password": "demo"}
        ).json()
        session.headers["Authorization"] = f"Bearer {signed['token']}"
        lease = session.post(server.url + "/v1/claims", json={"bundle_id": "b-fuzz"}).json()
        acks = session.post(
            server.url + "/v1/results", json={"results": [result_item("b-fuzz", "t1")]}
        ).json()
        server.admin.approve(contributor_id="demo", all_pending=True)

        def get(path: str) -> Any:
            return session.get(server.url + path).json()

        released = session.post(
            server.url + "/v1/releases", json={"bundle_id": "b-fuzz", "task_ids": ["t3"]}
        ).json()
        return {
            "ServerConfig": (ServerConfig, get("/v1/config")),
            "SignInResponse": (SignInResponse, signed),
            "Catalogue": (Catalogue, get("/v1/catalogue")),
            "Lease": (Lease, lease),
            "LeaseList": (LeaseList, get("/v1/leases")),
            "BatchResponse": (BatchResponse, acks),
            "ReleaseResponse": (ReleaseResponse, released),
            "EarningsPage": (EarningsPage, get("/v1/earnings")),
            "QualificationList": (QualificationList, get("/v1/qualifications")),
            "AccuracyReport": (AccuracyReport, get("/v1/accuracy")),
            "ErrorBody": (ErrorBody, get("/v1/nowhere")),
        }


def _protocol_targets(work: Path) -> list[Target]:
    targets = []
    for name, (model, document) in _recorded_answers(work).items():

        def parse(raw: bytes, model: type[BaseModel] = model) -> None:
            parse_answer("tasks.example.org", raw, model)

        targets.append(
            Target(f"answer: {name}", raw_documents(document), parse, (MalformedAnswer,))
        )

    @st.composite
    def error_answers(draw: st.DrawFn) -> tuple[int, dict[str, str], bytes]:
        status = draw(st.integers(100, 999))
        headers = draw(st.dictionaries(
            st.sampled_from(["Retry-After", "Location", "Content-Length", "Content-Type"]),
            st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
        ))  # fmt: skip
        body = draw(raw_documents({"code": "unavailable", "message": "Busy", "retry_after": 3}))
        return status, headers, body

    def classify(answer: tuple[int, dict[str, str], bytes]) -> None:
        status, headers, body = answer
        response = requests.Response()
        response.status_code = status
        response.headers.update(headers)
        response.url = "https://tasks.example.org/v1/config"
        # urllib3 checks the raw headers while parsing them (a broken Content-Length is a
        # MalformedAnswer before status_error is ever called): here only requests' copy.
        response.raw = HTTPResponse(body=io.BytesIO(body), preload_content=False)
        error = status_error("tasks.example.org", response, seconds=5)
        if not isinstance(error, ServerError) or "\n" in str(error):
            raise AssertionError(f"status_error gave {error!r}")

    def retry_after(text: str) -> None:
        value = parse_retry_after(text)
        if value is not None and not 0 <= value <= 365 * 86400:
            raise AssertionError(f"Retry-After {text!r} gave {value}")

    targets.append(Target("error statuses (status_error)", error_answers(), classify, ()))
    targets.append(
        Target("Retry-After headers", texts | st.from_regex(r"\A[ -~]{0,40}\Z"), retry_after, ())
    )
    return targets


def _result_targets() -> list[Target]:
    registry = default_registry()
    specs = demo_specs()
    targets = []
    for spec_id, golds in demo_golds().items():
        kind = registry.get(specs[spec_id]["kind"])
        tasks = {task["id"]: task["payload"] for task in specs[spec_id]["tasks"]}
        cases = [(tasks[task_id], gold) for task_id, gold in golds.items() if task_id in tasks]
        if not cases:
            continue

        @st.composite
        def results(draw: st.DrawFn, cases: list[Any] = cases) -> tuple[Any, Any, Any]:
            payload, gold = draw(st.sampled_from(cases))
            return payload, gold, draw(mutated(gold))

        def judge(case: tuple[Any, Any, Any], kind: Any = kind) -> None:
            payload, gold, result = case
            # The server's judgement of a submitted result: a reason or None, never a crash;
            # then, for a result it accepts, the grade against the gold answer.
            if rules.content_problem(kind, json.dumps(payload), result) is not None:
                return
            kind.grade(kind.parse_result(result), kind.parse_result(gold))

        targets.append(Target(f"results: {kind.id} ({spec_id})", results(), judge, ()))

    def send(result: Any) -> None:
        item = OutboxItem(str(uuid.uuid4()), "b-1", "t-1", "translation", result, datetime.now(UTC))
        items, batch, refused = _next_batch([item], 2**20)
        if batch is not None:
            batch.model_dump_json()

    targets.append(
        Target(
            "results on their way out (engine batches)",
            st.dictionaries(texts, json_values, max_size=4),
            send,
            (),
        )
    )
    return targets


def _store_target(work: Path, examples: int, result: CampaignResult) -> None:
    """Results as editors hand them over: saved as drafts, submitted, read back, batched."""
    profile = Profile(work / "fuzz-profile").ensure()
    store = Store(profile.db_path)
    try:
        bundle = translation_bundle(
            work / "many.zip", bundle_id="b-fuzz", tasks=examples + 10, segments=1
        )
        import_bundle_file(store, profile, bundle, default_registry())
        keys = iter([row.id for row in store.tasks()])

        def keep(content: dict[str, Any]) -> None:
            key = next(keys)
            store.save_draft(key, content)
            uuid_ = store.submit(key, content)
            if _canonical(store.submitted_result(key)) != _canonical(content):
                raise AssertionError("the stored result differs from the submitted one")
            [row] = [r for r in store.pending_results(10_000) if r["uuid"] == uuid_]
            item = OutboxItem(uuid_, row["bundle_id"], row["task_id"], "translation",
                              row["result"], datetime.now(UTC))  # fmt: skip
            items, batch, refused = _next_batch([item], 2**20)
            if batch is None or refused:
                raise AssertionError(f"a stored result cannot be sent: {refused}")

        target = Target(
            "results through the store (draft, submit, outbox)",
            st.dictionaries(texts, json_values, max_size=4),
            keep,
            (),
        )
        _fuzz(target, examples, result)
        if store.integrity_check() != "ok":
            result.fail("the fuzzed store failed its integrity check")
    finally:
        store.close()


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _mock_server_target(work: Path, examples: int, result: CampaignResult) -> None:
    """Random request bodies to the mock server: it answers 4xx, never 500."""
    with running_server(work / "fuzzed-server", rotation=0) as server:
        server.admin.publish_file(translation_zip(work / "zips2", "b-srv", tasks=3))
        session = requests.Session()
        token = session.post(
            server.url + "/v1/session", json={"contributor_id": "demo", "password": "demo"}
        ).json()["token"]
        session.headers["Authorization"] = f"Bearer {token}"
        session.post(server.url + "/v1/claims", json={"bundle_id": "b-srv"})
        documents = {
            "/v1/results": {"results": [result_item("b-srv", "t1")]},
            "/v1/claims": {"bundle_id": "b-srv"},
            "/v1/releases": {"bundle_id": "b-srv", "task_ids": ["t3"]},
            "/v1/session": {"contributor_id": "demo", "password": "demo"},
        }
        seen: Counter[str] = Counter()

        @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(st.sampled_from(sorted(documents)).flatmap(
            lambda path: st.tuples(st.just(path), raw_documents(documents[path]))
        ))  # fmt: skip
        def post(case: tuple[str, bytes]) -> None:
            path, body = case
            seen["examples"] += 1
            answer = session.post(
                server.url + path, data=body, headers={"Content-Type": "application/json"}
            )
            if answer.status_code >= 500:
                seen["uncaught"] += 1
                result.fail(f"mock server {path}: HTTP {answer.status_code} for {body[:120]!r}")

        post()
    result.trials += seen["examples"]
    result.tried["mock server request bodies"] += seen["examples"]
    result.figures["uncaught by target"]["mock server request bodies"] = seen["uncaught"]


# --- the campaign ----------------------------------------------------------------------------


def _fuzz(target: Target, examples: int, result: CampaignResult) -> None:
    seen: Counter[str] = Counter()
    inputs: dict[str, Any] = {}

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(target.strategy)
    def run(value: Any) -> None:
        seen["examples"] += 1
        try:
            target.run(value)
        except target.expected:
            seen["refused"] += 1
        except Exception as exc:  # noqa: BLE001 - the finding
            key = f"{type(exc).__name__}: {str(exc)[:120]} (at {_where(exc)})"
            if key not in inputs:
                inputs[key] = value
            seen["uncaught"] += 1

    run()
    result.trials += seen["examples"]
    result.tried[target.name] += seen["examples"]
    result.figures["uncaught by target"][target.name] = seen["uncaught"]
    for key, value in list(inputs.items())[:5]:
        result.fail(f"{target.name}: {key} for input {repr(value)[:200]}")


def _where(exc: BaseException) -> str:
    """The deepest frame of this project's code in the exception's traceback."""
    root = str(Path(__file__).resolve().parents[2])
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__)
        if f.filename.startswith(root) and "/tests/" not in f.filename
    ]  # fmt: skip
    if not frames:
        return "outside the project"
    frame = frames[-1]
    return f"{Path(frame.filename).relative_to(root)}:{frame.lineno} {frame.name}"


def run_fuzz_campaign(examples: int = 2000, atheris_runs: int = 0) -> CampaignResult:
    """``examples`` hypothesis examples per target (a fifth of them for the mock server);
    then, if atheris is installed and ``atheris_runs`` > 0, that many atheris inputs per
    target of ``tests.reliability.atheris_targets``."""
    result = CampaignResult("fuzz", "Fuzzing: manifest, protocol and result parsers")
    result.figures["uncaught by target"] = {}
    with timed(result), tempfile.TemporaryDirectory(prefix="ouvrage-fuzz-") as tmp:
        work = Path(tmp)
        for target in [*_manifest_targets(work), *_protocol_targets(work), *_result_targets()]:
            _fuzz(target, examples, result)
        _store_target(work, examples, result)
        _mock_server_target(work, max(20, examples // 5), result)
        _atheris(atheris_runs, result)
    result.figures["hypothesis examples per target"] = examples
    return result


def _atheris(runs: int, result: CampaignResult) -> None:
    if not available():
        result.figures["atheris"] = "not installed (optional: pip install atheris)"
        return
    if runs <= 0:
        result.figures["atheris"] = "installed, not run at this scale"
        return
    for target, found in run_atheris(runs).items():
        name = f"atheris: {target}"
        result.trials += found["runs"]
        result.tried[name] += found["runs"]
        result.figures["uncaught by target"][name] = int(found["crash"] is not None)
        if found["crash"] is not None or found["status"] != 0:
            result.fail(f"{name}: {found['crash'] or 'exit status ' + str(found['status'])}")
    result.figures["atheris"] = f"{runs:,} inputs per target"
