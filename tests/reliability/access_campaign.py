"""Access: other contributors' work, dead or forged tokens, bad admin tokens, logs, TLS.

Against a real mock server on loopback: every cross-contributor read or write,
every route with an expired, revoked or forged token, and every admin route
with a bad admin token must be refused; ``leaked`` counts what got through.
A whole session (the command line's login and sync, the mock server's own
debug log, the sync client with debug logging, faults included) is scanned for
the contributor's token and password. TLS verification is tried against a
self-signed server under every way of turning it off.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from app.profile import Profile
from app.session import ServerAccount, TokenVault
from app.store import Store
from app.sync_adapter import StoreSync
from mockserver.testing import ServerHandle, running_server
from sync.client import ServerClient
from sync.engine import sync_once
from sync.errors import CertificateRefused, ServerError
from sync.protocol_admin import ADMIN_TOKEN_HEADER, FaultSettings
from sync.retry import RetryPolicy
from tests.http_double import sample_config
from tests.mockserver_util import result_item, translation_zip
from tests.reliability.common import CampaignResult, one_line, timed
from tests.reliability.hostile_http import HostileServer, RawRequest, Sender

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 10


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: Any = None


# Every contributor route, with a body it would accept from the right person.
CONTRIBUTOR_CALLS = (
    Call("GET", "/v1/catalogue"),
    Call("GET", "/v1/leases"),
    Call("POST", "/v1/claims", {"bundle_id": "b-alice"}),
    Call("POST", "/v1/releases", {"bundle_id": "b-alice"}),
    Call("GET", "/v1/bundles/b-alice/archive"),
    Call("POST", "/v1/results", {"results": [result_item("b-alice", "t1")]}),
    Call("GET", "/v1/earnings"),
    Call("GET", "/v1/qualifications"),
    Call("GET", "/v1/accuracy"),
    Call("DELETE", "/v1/session"),
)
# Every admin route, with a body it would accept from the admin.
ADMIN_CALLS = (
    Call("POST", "/v1/admin/approvals", {"all_pending": True}),
    Call("POST", "/v1/admin/rejections", {"all_pending": True, "reason": "no"}),
    Call("POST", "/v1/admin/payouts", {"contributor_id": "alice"}),
    Call("POST", "/v1/admin/bonuses", {"contributor_id": "bob", "amount": "100", "reason": "x"}),
    Call("POST", "/v1/admin/withdrawals", {"bundle_id": "b-alice"}),
    Call("POST", "/v1/admin/token-expiries", {"contributor_id": "alice"}),
    Call("GET", "/v1/admin/clock"),
    Call("POST", "/v1/admin/clock", {"seconds": 86400}),
    Call("GET", "/v1/admin/faults"),
    Call("PUT", "/v1/admin/faults", {"error_probability": 1}),
    Call("POST", "/v1/admin/contributors", {"contributor_id": "mallory", "password": "m"}),
    Call("GET", "/v1/admin/results"),
    Call("GET", "/v1/admin/ledger"),
    Call("POST", "/v1/admin/cursor-reset"),
    Call("GET", "/v1/admin/policy"),
    Call("PUT", "/v1/admin/policy", {"rotation": 0}),
    Call("POST", "/v1/admin/golds", {"bundle_id": "b-alice", "task_id": "t1", "answer": {}}),
    Call("GET", "/v1/admin/qualifications?contributor_id=alice"),
    Call(
        "POST",
        "/v1/admin/qualification-grants",
        {"contributor_id": "bob", "qualification_id": "translation"},
    ),
    Call("POST", "/v1/admin/qualification-resets", {"contributor_id": "alice"}),
    Call("GET", "/v1/admin/accuracy?contributor_id=alice"),
    Call("POST", "/v1/admin/withholding-resets", {"contributor_id": "alice"}),
    Call("POST", "/v1/admin/demo", {"spec": None, "copies": 1}),
    Call("POST", "/v1/admin/bundles"),
)


def _send(url: str, call: Call, headers: dict[str, str]) -> requests.Response:
    body = None if call.body is None else json.dumps(call.body).encode()
    return requests.request(
        call.method,
        url + call.path,
        data=body,
        headers={"Content-Type": "application/json", **headers},
        timeout=TIMEOUT,
        allow_redirects=False,
    )


def _sign_in(url: str, who: str, password: str) -> str:
    answer = requests.post(
        url + "/v1/session", json={"contributor_id": who, "password": password}, timeout=TIMEOUT
    )
    answer.raise_for_status()
    return str(answer.json()["token"])


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- other contributors' work ----------------------------------------------------------------


def _cross_contributor(
    server: ServerHandle, result: CampaignResult, work: Path, round_: int
) -> None:
    url = server.url
    theirs, ours = f"b-alice-{round_}", f"b-bob-{round_}"
    server.admin.publish_file(translation_zip(work, theirs, tasks=3))
    server.admin.publish_file(translation_zip(work, ours, tasks=3))
    alice, bob = _sign_in(url, "alice", "alice"), _sign_in(url, "bob", "bob")
    as_alice, as_bob = _bearer(alice), _bearer(bob)
    assert _send(url, Call("POST", "/v1/claims", {"bundle_id": theirs}), as_alice).ok
    assert _send(url, Call("POST", "/v1/claims", {"bundle_id": ours}), as_bob).ok
    before = len(server.admin.results("alice"))
    mine = result_item(theirs, "t1")
    answer = _send(url, Call("POST", "/v1/results", {"results": [mine]}), as_alice).json()
    assert answer["acks"][0]["status"] == "accepted", answer
    server.admin.approve(contributor_id="alice", all_pending=True)
    stolen_key = result_item(ours, "t1", key=uuid.UUID(mine["idempotency_key"]))

    def refused(name: str, call: Call, *, ok_if: Callable[[requests.Response], bool]) -> None:
        result.trials += 1
        result.tried["another contributor's work"] += 1
        response = _send(url, call, as_bob)
        if not ok_if(response):
            result.leaked += 1
            result.fail(f"bob could {name}: HTTP {response.status_code} {response.text[:160]}")

    def status_in(*codes: int) -> Callable[[requests.Response], bool]:
        return lambda response: response.status_code in codes

    def all_rejected(response: requests.Response) -> bool:
        acks = response.json().get("acks", []) if response.ok else []
        return bool(acks) and all(
            a["status"] == "rejected" and a["reason"] in ("not_yours", "not_leased") for a in acks
        )

    archive = f"/v1/bundles/{theirs}/archive"
    refused("claim alice's bundle", Call("POST", "/v1/claims", {"bundle_id": theirs}),
            ok_if=status_in(403, 404, 409))  # fmt: skip
    refused("download alice's archive", Call("GET", archive), ok_if=status_in(403, 404))
    refused("read alice's manifest", Call("GET", archive.replace("archive", "manifest")),
            ok_if=status_in(403, 404))  # fmt: skip
    refused("release alice's bundle", Call("POST", "/v1/releases", {"bundle_id": theirs}),
            ok_if=status_in(403, 404, 409))  # fmt: skip
    refused("release alice's tasks",
            Call("POST", "/v1/releases", {"bundle_id": theirs, "task_ids": ["t2"]}),
            ok_if=status_in(403, 404, 409))  # fmt: skip
    for task in ("t1", "t2", "t3"):
        refused(f"submit alice's task {task}",
                Call("POST", "/v1/results", {"results": [result_item(theirs, task)]}),
                ok_if=all_rejected)  # fmt: skip
    refused("reuse alice's idempotency key",
            Call("POST", "/v1/results", {"results": [stolen_key]}), ok_if=all_rejected)  # fmt: skip

    def not_showing_alice(response: requests.Response) -> bool:
        return response.ok and "alice" not in response.text

    for path in ("/v1/leases", "/v1/earnings", "/v1/catalogue", "/v1/qualifications",
                 "/v1/accuracy", "/v1/leases?contributor_id=alice",
                 "/v1/earnings?contributor_id=alice"):  # fmt: skip
        refused(f"read {path}", Call("GET", path), ok_if=not_showing_alice)
    # Alice's work is still hers, paid once, untouched by all this.
    held = [r for r in server.admin.results("alice") if r.bundle_id == theirs]
    if len(server.admin.results("alice")) != before + 1 or [
        (r.task_id, r.status) for r in held
    ] != [("t1", "accepted")]:
        result.lost += 1
        result.fail(f"alice's results changed: {held}")
    if len([e for e in server.admin.ledger("alice") if e.bundle_id == theirs]) != 1:
        result.duplicated += 1
        result.fail("alice's ledger changed")
    if any(r.bundle_id == theirs and r.status == "accepted" for r in server.admin.results("bob")):
        result.leaked += 1
        result.fail("bob holds a result for alice's bundle")


# --- tokens ----------------------------------------------------------------------------------


def _token_cases(server: ServerHandle) -> Iterator[tuple[str, dict[str, str]]]:
    url = server.url
    expired = _sign_in(url, "alice", "alice")
    server.admin.expire_tokens("alice")
    revoked = _sign_in(url, "bob", "bob")
    requests.delete(url + "/v1/session", headers=_bearer(revoked), timeout=TIMEOUT)
    live = _sign_in(url, "bob", "bob")
    flipped = live[:-1] + ("A" if live[-1] != "A" else "B")
    yield "expired by the admin", _bearer(expired)
    yield "signed out", _bearer(revoked)
    yield "one character changed", _bearer(flipped)
    yield "its SHA-256 (what the server stores)", _bearer(hashlib.sha256(live.encode()).hexdigest())
    yield "a prefix of a live token", _bearer(live[:20])
    yield "a live token with more after it", _bearer(live + "x")
    yield "random", _bearer(uuid.uuid4().hex)
    yield "a forged JWT", _bearer("eyJhbGciOiJub25lIn0.eyJzdWIiOiJib2IifQ.")
    yield "empty bearer", {"Authorization": "Bearer "}
    yield "no header", {}
    yield "basic auth with the password", {"Authorization": "Basic Ym9iOmJvYg=="}
    yield "a 64 KB token", _bearer("a" * 65536)
    yield "the admin token as bearer", _bearer(server.admin_token)


def _tokens(server: ServerHandle, result: CampaignResult, rounds: int) -> None:
    for _ in range(rounds):
        for name, headers in _token_cases(server):
            for call in CONTRIBUTOR_CALLS:
                result.trials += 1
                result.tried["expired or forged tokens"] += 1
                try:
                    response = _send(server.url, call, headers)
                except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
                    # uvicorn answers a header over its limit (the 64 KB token) with 400 and
                    # closes at once; a client still sending may see the reset instead. The
                    # request was not served either way.
                    result.tried["refused by closing the connection"] += 1
                    continue
                if response.status_code not in (401, 431) and not (
                    call.method == "DELETE" and response.status_code == 204 and headers
                ):
                    result.leaked += int(response.ok)
                    result.fail(f"{call.method} {call.path} with {name}: {response.status_code}")
    # A token that lapses by the server's clock.
    short = _sign_in(server.url, "bob", "bob")
    server.admin.advance_clock(3600)
    for call in CONTRIBUTOR_CALLS[:-1]:
        result.trials += 1
        result.tried["expired or forged tokens"] += 1
        response = _send(server.url, call, _bearer(short))
        if response.status_code != 401 or response.json().get("code") != "token_expired":
            result.leaked += int(response.ok)
            result.fail(f"{call.path} with a lapsed token: {response.status_code}")


def _admin_tokens(server: ServerHandle, result: CampaignResult, rounds: int) -> None:
    token = server.admin_token
    contributor = _sign_in(server.url, "bob", "bob")
    cases = {
        "no token": {},
        "empty": {ADMIN_TOKEN_HEADER: ""},
        "wrong": {ADMIN_TOKEN_HEADER: uuid.uuid4().hex},
        "one character changed": {
            ADMIN_TOKEN_HEADER: token[:-1] + ("A" if token[-1] != "A" else "B")
        },
        "a prefix": {ADMIN_TOKEN_HEADER: token[:-2]},
        "with more after it": {ADMIN_TOKEN_HEADER: token + "x"},
        "upper-cased": {
            ADMIN_TOKEN_HEADER: token.upper() if token.upper() != token else token + "Z"
        },
        "a contributor's token": {ADMIN_TOKEN_HEADER: contributor},
        "as a bearer token": _bearer(token),
    }
    for _ in range(rounds):
        for name, headers in cases.items():
            for call in ADMIN_CALLS:
                result.trials += 1
                result.tried["bad admin tokens"] += 1
                response = _send(server.url, call, headers)
                if response.status_code != 401:
                    result.leaked += int(response.ok)
                    result.fail(f"{call.method} {call.path} with {name}: {response.status_code}")


# --- secrets in logs -------------------------------------------------------------------------


@contextmanager
def _debug_log(path: Path) -> Iterator[None]:
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        handler.close()


def _run(
    args: list[str], *, stdin: str = "", env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], input=stdin, capture_output=True, text=True, cwd=ROOT,
        env=env, timeout=120,
    )  # fmt: skip


def _start_logged_server(data: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], str, str]:
    """``ouvrage-mock-server serve`` with debug logging; its process, URL and admin token."""
    server = subprocess.Popen(
        [sys.executable, "-m", "mockserver.cli", "serve", "--data", str(data), "--port", "0",
         "--log-level", "debug", "--rotation", "0", "--no-demo"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT, env=env,
    )  # fmt: skip
    assert server.stdout is not None
    first, second = server.stdout.readline(), server.stdout.readline()
    found = re.search(r"(http://\S+?:\d+)", first)
    if found is None:
        server.kill()
        raise RuntimeError(f"the mock server did not start: {first!r}")
    _wait_for(found.group(1))
    return server, found.group(1), second.split(":", 1)[1].strip()


def _command_line_session(
    url: str, password: str, profile: Path, env: dict[str, str]
) -> tuple[list[str], list[int]]:
    """Sign in (rightly, then wrongly) and sync with a claim, as a contributor would."""
    login = ["-m", "app", "login", "--profile", str(profile), "--server", url, "--user", "carol"]
    outputs: list[str] = []
    codes: list[int] = []
    for args, stdin in (
        ([*login, "--password-stdin"], password + "\n"),
        ([*login, "--password-stdin"], "wrong-" + password + "\n"),
        (["-m", "app", "sync", "--profile", str(profile), "--claim", "b-logs"], ""),
    ):
        done = _run(args, stdin=stdin, env=env)
        outputs += [done.stdout, done.stderr]
        codes.append(done.returncode)
    return outputs, codes


def _logged_sync(url: str, admin: dict[str, str], store: Store, token: str, password: str) -> None:
    """Submit and sync through faults, an expired token and a wrong password, errors logged."""
    log = logging.getLogger("ouvrage.campaign")
    for task in store.tasks()[:10]:
        store.submit(task.id, {"version": 1, "targets": {"s1": "Bonjour {name}", "s2": "Salut"}})
    faults = FaultSettings(
        error_probability=0.2, cut_probability=0.2, cut_after_bytes=40,
        malformed_probability=0.2, drop_probability=0.2,
    )  # fmt: skip
    requests.put(
        f"{url}/v1/admin/faults", headers=admin, json=faults.model_dump(mode="json"),
        timeout=TIMEOUT,
    ).raise_for_status()  # fmt: skip
    client = ServerClient(url, token=token, retry=RetryPolicy(attempts=3, base=0.01, cap=0.05))
    for _ in range(4):
        for error in sync_once(client, StoreSync(store)).errors:
            log.warning("sync: %s", error)
    requests.post(
        f"{url}/v1/admin/token-expiries", headers=admin, json={"contributor_id": "carol"},
        timeout=TIMEOUT,
    ).raise_for_status()  # fmt: skip
    try:
        sync_once(client, StoreSync(store))
    except ServerError as error:
        log.warning("sync: %s", error)
    try:
        ServerClient(url).sign_in("carol", "not-" + password)
    except ServerError as error:
        log.warning("sign-in: %s", error)


def _secrets_in_logs(result: CampaignResult, work: Path) -> None:
    """A session with a known password and token; neither may show up anywhere it should not."""
    password = f"Pw-{uuid.uuid4().hex}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    data = work / "logged-server"
    profile = Profile(work / "logged-profile").ensure()
    log_file = work / "client-debug.log"
    server, url, admin_token = _start_logged_server(data, env)
    admin = {ADMIN_TOKEN_HEADER: admin_token}
    token: str | None = None
    try:
        requests.post(
            f"{url}/v1/admin/contributors", headers=admin, timeout=TIMEOUT,
            json={"contributor_id": "carol", "password": password, "display_name": "Carol"},
        ).raise_for_status()  # fmt: skip
        with open(translation_zip(work, "b-logs", tasks=20), "rb") as archive:
            requests.post(
                f"{url}/v1/admin/bundles", data=archive, timeout=TIMEOUT,
                headers={**admin, "Content-Type": "application/zip"},
            ).raise_for_status()  # fmt: skip
        outputs, codes = _command_line_session(url, password, profile.root, env)
        account = ServerAccount.from_json(_setting(profile, "server.account"))
        token = TokenVault(profile).load(account) if account else None
        if token:
            with _debug_log(log_file):
                store = Store(profile.db_path)
                try:
                    _logged_sync(url, admin, store, token, password)
                finally:
                    store.close()
            done = _run(["-m", "app", "sync", "--profile", str(profile.root)], env=env)
            outputs += [done.stdout, done.stderr]
    finally:
        server.terminate()
        try:
            server_log, _ = server.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server_log, _ = server.communicate()
    if not token:
        result.fail("the command line could not sign in for the log scan")
        return
    places = {
        "the mock server's debug log": server_log or "",
        "the command line's output": "\n".join(outputs),
        "the client's debug log": log_file.read_text(encoding="utf-8", errors="replace"),
    }
    for path in sorted([*profile.root.rglob("*"), *data.rglob("*")]):
        if path.is_file() and path.parent.name != "private":  # the token's own owner-only file
            places[str(path.relative_to(work))] = path.read_bytes().decode("latin-1")
    for secret_name, secret in (("password", password), ("token", token)):
        for place, text in places.items():
            result.trials += 1
            result.tried["places scanned for secrets"] += 1
            if secret in text:
                result.leaked += 1
                result.fail(f"the {secret_name} appears in {place}")
    result.figures["log lines scanned"] = {
        place: text.count("\n") for place, text in places.items() if not place.startswith("logged")
    }
    result.figures["files scanned"] = len(places) - 3
    result.figures["command line exit codes (login, wrong password, sync)"] = codes


def _wait_for(url: str) -> None:
    """The server printed its address when it bound the port; wait until it answers."""
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(url + "/v1/config", timeout=2)
            return
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _setting(profile: Profile, key: str) -> Any:
    store = Store(profile.db_path)
    try:
        return store.setting(key)
    finally:
        store.close()


# --- TLS -------------------------------------------------------------------------------------


def _certificate(folder: Path, name: str) -> tuple[Path, Path]:
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    subject_alt = "IP:127.0.0.1" if name == "loopback" else "DNS:tasks.example.org"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={name}",
         "-addext", f"subjectAltName={subject_alt}"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def _tls(result: CampaignResult, work: Path) -> None:
    if shutil.which("openssl") is None:
        result.figures["TLS"] = "skipped: openssl is needed to make test certificates"
        return
    loopback, other = _certificate(work, "loopback"), _certificate(work, "other")

    def config(request: RawRequest, out: Sender) -> None:
        out.answer(200, sample_config().model_dump_json().encode())

    def attempt(name: str, context: ssl.SSLContext, make: Callable[[str], Any], trusted: bool,
                env: dict[str, str] | None = None) -> None:  # fmt: skip
        result.trials += 1
        result.tried["ways to switch TLS verification off"] += 1
        saved = {k: os.environ.get(k) for k in (env or {})}
        os.environ.update(env or {})
        try:
            with HostileServer(context) as server:
                server.behaviour = config
                try:
                    make(server.url).config()
                    accepted = True
                except CertificateRefused as error:
                    accepted = False
                    if not one_line(str(error)):
                        result.fail(f"TLS {name}: unclear message {error}")
                except ServerError as error:
                    accepted = False
                    result.fail(f"TLS {name}: refused without saying why: {error}")
                asked = len(server.requests)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        if accepted != trusted:
            result.leaked += int(accepted)
            result.fail(f"TLS {name}: {'accepted' if accepted else 'refused'}")
        if not trusted and asked:
            result.leaked += 1
            result.fail(f"TLS {name}: the request (and its token) reached the server")

    def serving(pair: tuple[Path, Path]) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*pair)
        return context

    plain = serving(loopback)
    attempt("default", plain, lambda url: ServerClient(url, token="secret"), trusted=False)
    attempt("account without a CA file", plain,
            lambda url: ServerAccount(url, "bob").client("secret"), trusted=False)  # fmt: skip
    for variable, value in (
        ("CURL_CA_BUNDLE", ""),
        ("REQUESTS_CA_BUNDLE", ""),
        ("PYTHONHTTPSVERIFY", "0"),
        ("SSL_CERT_FILE", "/dev/null"),
    ):
        attempt(f"{variable}={value!r}", plain, lambda url: ServerClient(url, token="secret"),
                trusted=False, env={variable: value})  # fmt: skip

    def unverifying_session(url: str) -> ServerClient:
        session = requests.Session()
        session.verify = False
        return ServerClient(url, token="secret", session=session)

    attempt("a session with verify=False", plain, unverifying_session, trusted=False)
    attempt("the tester's CA file", plain,
            lambda url: ServerClient(url, ca_file=loopback[0]), trusted=True)  # fmt: skip
    attempt("a CA file for another name", serving(other),
            lambda url: ServerClient(url, ca_file=other[0]), trusted=False)  # fmt: skip
    # No code path may turn verification off: the words that would do it are absent.
    pattern = re.compile(
        r"verify\s*=\s*False|CERT_NONE|check_hostname\s*=\s*False|_create_unverified"
    )
    for folder in ("sync", "app"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            result.trials += 1
            result.tried["source files checked for a way to skip TLS checks"] += 1
            if pattern.search(path.read_text(encoding="utf-8")):
                result.leaked += 1
                result.fail(f"{path.relative_to(ROOT)} can turn TLS verification off")


# --- the campaign ----------------------------------------------------------------------------


def run_access_campaign(rounds: int = 1) -> CampaignResult:
    """Every refusal ``rounds`` times; the log scan and the TLS checks once."""
    result = CampaignResult(
        "access", "Access: other contributors, dead or forged tokens, admin, logs, TLS"
    )
    with timed(result), tempfile.TemporaryDirectory(prefix="ouvrage-access-") as tmp:
        work = Path(tmp)
        with running_server(
            work / "server", publish_demo=False, rotation=0, token_seconds=1800
        ) as server:
            for round_ in range(rounds):
                _cross_contributor(server, result, work / "zips", round_)
            _tokens(server, result, rounds)
            _admin_tokens(server, result, rounds)
        _secrets_in_logs(result, work)
        _tls(result, work)
    return result
