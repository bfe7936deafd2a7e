"""ServerClient against a real loopback HTTP server: good answers parse, bad ones become
ServerErrors a contributor can act on, and retries back off within bounds."""

from __future__ import annotations

import random
import shutil
import ssl
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from email.utils import format_datetime
from pathlib import Path

import pytest

from sync.client import ServerClient
from sync.errors import (
    BadServerAddress,
    Cancelled,
    CertificateRefused,
    CredentialsRefused,
    MalformedAnswer,
    NetworkUnavailable,
    Redirected,
    Refused,
    ServerBusy,
    ServerError,
    SignInRequired,
)
from sync.protocol import (
    AccuracyStatus,
    BatchResponse,
    EarningsPage,
    LeaseList,
    QualificationList,
    QualificationStatus,
    ResultBatch,
    ResultStatus,
    SignInResponse,
)
from sync.retry import CancelToken, RetryPolicy, parse_retry_after
from tests.http_double import (
    NOW,
    HttpDouble,
    Reply,
    closed_port,
    error_reply,
    huge_reply,
    json_reply,
    redirect_reply,
    sample_catalogue,
    sample_config,
    sample_entry,
    sample_lease,
)

TOKEN = "t" * 32
FAST = (2.0, 2.0)


class FakeClock:
    """Records the waits a RetryPolicy asks for instead of sleeping."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def server() -> Iterator[HttpDouble]:
    with HttpDouble() as double:
        yield double


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_client(
    url: str,
    *,
    token: str | None = TOKEN,
    attempts: int = 1,
    clock: FakeClock | None = None,
    **options: object,
) -> ServerClient:
    retry = RetryPolicy(attempts=attempts, rng=random.Random(7), sleep=clock or FakeClock())
    options.setdefault("timeout", FAST)
    return ServerClient(url, token=token, retry=retry, **options)  # type: ignore[arg-type]


def one_result(key: uuid.UUID | None = None) -> dict[str, object]:
    return {
        "idempotency_key": str(key or uuid.uuid4()),
        "bundle_id": "b-0",
        "task_id": "t-1",
        "kind": "translation",
        "result": {"text": "bonjour"},
        "submitted_at": NOW.isoformat(),
        "active_seconds": 12.5,
    }


# --- every method parses what a good server says ---------------------------------------


def test_sign_in_keeps_the_token_and_sends_it_as_bearer(server: HttpDouble) -> None:
    server.route(
        "POST",
        "/v1/session",
        json_reply({"token": TOKEN, "contributor_id": "ana", "display_name": "Ana"}),
    )
    server.route("GET", "/v1/leases", json_reply({"leases": []}))
    client = make_client(server.url, token=None)

    answer = client.sign_in("ana", "secret", "laptop")
    leases = client.leases()

    assert isinstance(answer, SignInResponse) and answer.display_name == "Ana"
    assert client.token == TOKEN
    assert leases == LeaseList(leases=[])
    (sign_in,) = server.requests_to("POST", "/v1/session")
    assert sign_in.json() == {
        "contributor_id": "ana",
        "password": "secret",
        "device_name": "laptop",
    }
    assert "authorization" not in sign_in.headers
    (listing,) = server.requests_to("GET", "/v1/leases")
    assert listing.headers["authorization"] == f"Bearer {TOKEN}"


def test_wrong_password_says_so(server: HttpDouble) -> None:
    server.route("POST", "/v1/session", error_reply(401, "unauthorized", "bad credentials"))
    client = make_client(server.url, token=None)
    with pytest.raises(CredentialsRefused, match="contributor id or the password") as caught:
        client.sign_in("ana", "wrong")
    assert caught.value.code == "unauthorized"
    assert client.token is None


def test_sign_out_forgets_the_token_even_if_the_server_already_had(server: HttpDouble) -> None:
    server.route("DELETE", "/v1/session", error_reply(401, "token_expired", "gone"))
    client = make_client(server.url)
    client.sign_out()
    assert client.token is None
    assert len(server.requests_to("DELETE", "/v1/session")) == 1


def test_config_catalogue_and_leases_parse(server: HttpDouble) -> None:
    lease = sample_lease()
    server.route("GET", "/v1/config", json_reply(sample_config(largest_batch=250)))
    server.route("GET", "/v1/catalogue", json_reply(sample_catalogue(3)))
    server.route("GET", "/v1/leases", json_reply(LeaseList(leases=[lease])))
    client = make_client(server.url, token=None)

    assert client.config().largest_batch == 250
    client.token = TOKEN
    assert [b.bundle_id for b in client.catalogue().bundles] == ["b-0", "b-1", "b-2"]
    assert client.leases().leases == [lease]
    # Config needs no sign-in, so it does not hand the token around.
    assert "authorization" not in server.requests_to("GET", "/v1/config")[0].headers


def test_claim_release_submit_and_earnings_parse(server: HttpDouble) -> None:
    lease = sample_lease(bundle_id="b-9")
    key = uuid.uuid4()
    server.route("POST", "/v1/claims", json_reply(lease, 201))
    server.route("POST", "/v1/releases", json_reply({"released": ["t-1"]}))
    server.route(
        "POST",
        "/v1/results",
        json_reply({"acks": [{"idempotency_key": str(key), "status": "accepted"}]}),
    )
    page = EarningsPage(entries=[sample_entry(1)], cursor="c-2", more=False)
    server.route("GET", "/v1/earnings", json_reply(page))
    client = make_client(server.url)

    assert client.claim("b-9") == lease
    assert client.release("b-9", ["t-1"]).released == ["t-1"]
    answer = client.submit(ResultBatch.model_validate({"results": [one_result(key)]}))
    assert answer == BatchResponse.model_validate(
        {"acks": [{"idempotency_key": str(key), "status": "accepted"}]}
    )
    assert answer.acks[0].status is ResultStatus.ACCEPTED
    assert client.earnings("c-1", 200) == page
    assert client.earnings(None).cursor == "c-2"

    assert server.requests_to("POST", "/v1/claims")[0].json() == {"bundle_id": "b-9"}
    assert server.requests_to("POST", "/v1/releases")[0].json() == {
        "bundle_id": "b-9",
        "task_ids": ["t-1"],
    }
    first, second = server.requests_to("GET", "/v1/earnings")
    assert first.query == {"cursor": "c-1", "limit": "200"}
    assert second.query == {"limit": "500"}
    assert client.requests_sent == 5


def test_open_archive_asks_for_the_rest_only_if_unchanged(server: HttpDouble) -> None:
    server.route("GET", "/v1/bundles/b-0/archive", Reply(206, b"rest", {"Content-Range": "x"}))
    client = make_client(server.url)
    with client.open_archive("/v1/bundles/b-0/archive", offset=1000, etag="ab" * 32) as answer:
        assert answer.status_code == 206
        assert b"".join(client.stream_body(answer)) == b"rest"
    (request,) = server.requests
    assert request.headers["range"] == "bytes=1000-"
    assert request.headers["if-range"] == f'"{"ab" * 32}"'
    assert request.headers["accept-encoding"] == "identity"


def test_a_lease_cannot_send_the_download_to_another_host(server: HttpDouble) -> None:
    client = make_client(server.url)
    for path in ("https://evil.example.org/x.zip", "//evil.example.org/x.zip", "a b"):
        with pytest.raises(MalformedAnswer, match="archive address"):
            client.open_archive(path)
    assert server.requests == []


# --- bad answers become ServerErrors ------------------------------------------------------


def test_an_answer_that_is_not_json_is_malformed(server: HttpDouble) -> None:
    server.route("GET", "/v1/config", Reply(200, b"<html>Welcome to nginx</html>"))
    with pytest.raises(MalformedAnswer, match="not JSON") as caught:
        make_client(server.url).config()
    assert "127.0.0.1" in str(caught.value)


def test_an_answer_of_the_wrong_shape_names_the_field(server: HttpDouble) -> None:
    bad = sample_config().model_dump(mode="json") | {"largest_batch": "lots"}
    server.route("GET", "/v1/config", json_reply(bad))
    with pytest.raises(MalformedAnswer, match="largest_batch"):
        make_client(server.url).config()


def test_a_list_where_an_object_belongs_is_malformed(server: HttpDouble) -> None:
    server.route("GET", "/v1/catalogue", json_reply([1, 2, 3]))
    with pytest.raises(MalformedAnswer, match="catalogue"):
        make_client(server.url).catalogue()


@pytest.mark.parametrize("declare_length", [True, False])
def test_a_huge_answer_is_refused_without_reading_it_all(
    server: HttpDouble, declare_length: bool
) -> None:
    server.route("GET", "/v1/catalogue", huge_reply(200 * 2**20, declare_length=declare_length))
    client = make_client(server.url, max_json_bytes=2**20)
    started = time.monotonic()
    with pytest.raises(MalformedAnswer, match="too large"):
        client.catalogue()
    assert time.monotonic() - started < 5
    assert server.body_bytes_sent < 50 * 2**20  # the client hung up long before the end


def test_a_redirect_to_another_host_is_not_followed(server: HttpDouble) -> None:
    with HttpDouble() as elsewhere:
        server.route("GET", "/v1/catalogue", redirect_reply(f"{elsewhere.url}/steal"))
        with pytest.raises(Redirected, match="elsewhere") as caught:
            make_client(server.url).catalogue()
        assert elsewhere.requests == []
    assert isinstance(caught.value, MalformedAnswer)
    assert elsewhere.url.removeprefix("http://") in str(caught.value)


def test_a_server_error_with_an_error_body_is_busy_and_says_why(server: HttpDouble) -> None:
    server.route("GET", "/v1/leases", error_reply(500, "server_error", "database is on fire"))
    with pytest.raises(ServerBusy, match="database is on fire") as caught:
        make_client(server.url).leases()
    assert caught.value.status == 500 and caught.value.code == "server_error"


def test_503_with_retry_after_is_waited_for_then_succeeds(
    server: HttpDouble, clock: FakeClock
) -> None:
    server.route(
        "GET",
        "/v1/config",
        [
            error_reply(503, "unavailable", "maintenance", retry_after="7"),
            json_reply(sample_config()),
        ],
    )
    client = make_client(server.url, attempts=3, clock=clock)
    assert client.config().server_name == "Double"
    assert clock.waits == [7.0]
    assert client.requests_sent == 2


def test_503_keeps_its_retry_after_when_attempts_run_out(server: HttpDouble) -> None:
    server.route("GET", "/v1/config", error_reply(503, "unavailable", "later", retry_after="30"))
    with pytest.raises(ServerBusy, match="try again in 30 s") as caught:
        make_client(server.url).config()
    assert caught.value.retry_after == 30.0


def test_429_http_date_retry_after_is_understood(server: HttpDouble) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)
    server.route(
        "GET", "/v1/config", error_reply(429, "rate_limited", "slow down", retry_after=when)
    )
    with pytest.raises(ServerBusy) as caught:
        make_client(server.url).config()
    assert caught.value.retry_after is not None and 100 < caught.value.retry_after <= 120


def test_a_refusal_keeps_the_machine_code(server: HttpDouble) -> None:
    server.route("POST", "/v1/claims", error_reply(409, "cap_reached", "Yearly cap reached."))
    with pytest.raises(Refused) as caught:
        make_client(server.url, attempts=3).claim("b-1")
    assert caught.value.code == "cap_reached" and caught.value.status == 409
    assert "Yearly cap reached" in str(caught.value)
    assert len(server.requests_to("POST", "/v1/claims")) == 1


def test_an_expired_token_asks_to_sign_in_again(server: HttpDouble) -> None:
    server.route("GET", "/v1/catalogue", error_reply(401, "token_expired", "expired"))
    with pytest.raises(SignInRequired, match="expired.*nothing you did is lost"):
        make_client(server.url, attempts=5).catalogue()
    assert len(server.requests) == 1  # signing in again is not something a retry fixes


def test_no_token_means_sign_in_without_asking_the_server(server: HttpDouble) -> None:
    with pytest.raises(SignInRequired):
        make_client(server.url, token=None).catalogue()
    assert server.requests == []


def test_a_closed_port_is_network_unavailable() -> None:
    client = make_client(f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(NetworkUnavailable, match="refused.*try again") as caught:
        client.config()
    assert caught.value.request_sent is False
    assert "127.0.0.1" in str(caught.value)


def test_a_silent_server_times_out_quickly(server: HttpDouble) -> None:
    server.route("GET", "/v1/config", Reply(200, b"{}", delay=10))
    client = make_client(server.url, timeout=(1.0, 0.3))
    started = time.monotonic()
    with pytest.raises(NetworkUnavailable, match="stopped answering"):
        client.config()
    assert time.monotonic() - started < 3


def test_a_body_cut_short_is_network_unavailable(server: HttpDouble) -> None:
    body = sample_catalogue(50).model_dump_json().encode()
    server.route("GET", "/v1/catalogue", Reply(200, body, cut_after=100))
    with pytest.raises(NetworkUnavailable, match="cut"):
        make_client(server.url).catalogue()


def test_a_garbage_status_line_is_no_raw_exception() -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def answer_nonsense() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(4096)
            connection.sendall(b"SPEAK FRIEND AND ENTER\r\n\r\n")

    thread = threading.Thread(target=answer_nonsense, daemon=True)
    thread.start()
    try:
        with pytest.raises(ServerError):
            make_client(f"http://127.0.0.1:{listener.getsockname()[1]}").config()
    finally:
        thread.join(5)
        listener.close()


@pytest.mark.parametrize(
    "address", ["tasks.example.org", "ftp://tasks.example.org", "https://", "https://u:p@h.org"]
)
def test_a_bad_server_address_is_refused_up_front(address: str) -> None:
    with pytest.raises(BadServerAddress, match="sign-in settings"):
        ServerClient(address)


def test_the_host_in_messages_is_the_servers() -> None:
    client = ServerClient("https://tasks.example.org/")
    assert client.host == "tasks.example.org"
    assert client.base_url == "https://tasks.example.org"


# --- claims are not repeated blindly ----------------------------------------------------


def test_a_claim_whose_answer_was_lost_is_found_among_the_leases(server: HttpDouble) -> None:
    lease = sample_lease(bundle_id="b-3")
    # The server reserves the bundle, then the connection drops before the answer arrives.
    server.route("POST", "/v1/claims", Reply(201, lease.model_dump_json().encode(), cut_after=10))
    server.route("GET", "/v1/leases", json_reply(LeaseList(leases=[lease])))
    client = make_client(server.url, attempts=3)
    assert client.claim("b-3") == lease
    assert len(server.requests_to("POST", "/v1/claims")) == 1


def test_a_lost_claim_that_did_not_happen_is_tried_again(
    server: HttpDouble, clock: FakeClock
) -> None:
    lease = sample_lease(bundle_id="b-3")
    server.route(
        "POST",
        "/v1/claims",
        [Reply(201, lease.model_dump_json().encode(), cut_after=10), json_reply(lease, 201)],
    )
    server.route("GET", "/v1/leases", json_reply(LeaseList(leases=[])))
    client = make_client(server.url, attempts=3, clock=clock)
    assert client.claim("b-3") == lease
    assert len(server.requests_to("POST", "/v1/claims")) == 2
    assert len(clock.waits) == 1


# --- TLS --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return cert, key


def tls_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


def test_an_unknown_certificate_is_refused(certificate: tuple[Path, Path]) -> None:
    with HttpDouble(tls_context(certificate)) as server:
        server.route("GET", "/v1/config", json_reply(sample_config()))
        with pytest.raises(CertificateRefused, match="certificate authority"):
            make_client(server.url, attempts=3).config()
        assert server.requests == []


def test_a_testers_ca_file_is_trusted(certificate: tuple[Path, Path]) -> None:
    with HttpDouble(tls_context(certificate)) as server:
        server.route("GET", "/v1/config", json_reply(sample_config()))
        client = make_client(server.url, ca_file=certificate[0])
        assert client.config().currency == "EUR"


# --- the retry policy -------------------------------------------------------------------


def test_backoff_grows_with_jitter_within_bounds() -> None:
    policy = RetryPolicy(base=0.5, cap=8.0, rng=random.Random(3))
    for retry in range(8):
        ceiling = min(8.0, 0.5 * 2**retry)
        waits = [policy.backoff(retry) for _ in range(200)]
        assert all(0 <= w <= ceiling for w in waits)
        assert max(waits) > 0.8 * ceiling  # jitter spreads over the whole range
        assert len(set(waits)) > 150  # and is not one fixed value


def test_retry_after_wins_only_when_longer() -> None:
    policy = RetryPolicy(base=0.5, cap=60.0, rng=random.Random(1))
    assert policy.delay(0, retry_after=10.0) == 10.0
    assert policy.delay(0, retry_after=0.0) <= 0.5


def test_attempts_are_bounded_and_waits_recorded(clock: FakeClock) -> None:
    policy = RetryPolicy(attempts=4, base=1.0, cap=60.0, rng=random.Random(5), sleep=clock)
    calls = 0

    def always_busy() -> None:
        nonlocal calls
        calls += 1
        raise ServerBusy("h", 502)

    with pytest.raises(ServerBusy):
        policy.call(always_busy)
    assert calls == 4
    assert len(clock.waits) == 3
    assert all(0 <= w <= 2**i for i, w in enumerate(clock.waits))


def test_only_transient_errors_are_retried(clock: FakeClock) -> None:
    policy = RetryPolicy(attempts=5, sleep=clock)
    calls = 0

    def refused() -> None:
        nonlocal calls
        calls += 1
        raise Refused("invalid_request", "no", host="h", status=400)

    with pytest.raises(Refused):
        policy.call(refused)
    assert calls == 1 and clock.waits == []


def test_a_wait_longer_than_allowed_goes_back_to_the_caller(clock: FakeClock) -> None:
    policy = RetryPolicy(attempts=5, sleep=clock, longest_wait=60)

    def closed_for_the_night() -> None:
        raise ServerBusy("h", 503, retry_after=8 * 3600)

    with pytest.raises(ServerBusy) as caught:
        policy.call(closed_for_the_night)
    assert clock.waits == [] and caught.value.retry_after == 8 * 3600


@pytest.mark.parametrize(
    ("header", "expected"),
    [("12", 12.0), ("0", 0.0), ("-5", 0.0), ("soon", None), (None, None), ("", None)],
)
def test_retry_after_parsing(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header) == expected


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("Wed, 01 Jan 2025 12:01:30 GMT", now=now) == 90.0
    assert parse_retry_after("Wed, 01 Jan 2025 11:00:00 GMT", now=now) == 0.0


def test_cancel_cuts_a_retry_wait_short() -> None:
    cancel = CancelToken()
    policy = RetryPolicy(attempts=3, base=30.0, cap=30.0, rng=random.Random(2))
    policy.rng.uniform = lambda a, b: 30.0  # type: ignore[method-assign]

    def down() -> None:
        raise NetworkUnavailable("h", "down")

    threading.Timer(0.2, cancel.cancel).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        policy.call(down, cancel=cancel)
    assert time.monotonic() - started < 5


def test_cancel_token_wait_returns_early_and_says_so() -> None:
    cancel = CancelToken()
    assert cancel.wait(0.01) is False and not cancel.cancelled
    threading.Timer(0.1, cancel.cancel).start()
    started = time.monotonic()
    assert cancel.wait(30) is True
    assert time.monotonic() - started < 5 and cancel.cancelled


def test_an_answer_that_trickles_in_is_cut_off_by_the_overall_deadline(server) -> None:  # type: ignore[no-untyped-def]
    def trickle():  # type: ignore[no-untyped-def]
        yield b'{"generated_at": "2026-11-29T10:00:00+00:00", "bundles": ['
        for _ in range(10_000):  # a byte every 20 ms: never idle long enough for a timeout
            time.sleep(0.02)
            yield b" "

    headers = {"Content-Type": "application/json"}
    reply = Reply(200, headers=headers, stream=trickle, declare_length=False)
    server.route("GET", "/v1/catalogue", reply)
    client = ServerClient(
        server.url, token="t" * 20, answer_seconds=1.0, retry=RetryPolicy(attempts=1)
    )
    started = time.monotonic()
    with pytest.raises(NetworkUnavailable, match="trickles in too slowly"):
        client.catalogue()
    # Bounded, generously: the trickle itself would last over 200 s.
    assert time.monotonic() - started < 60


# --- qualifications, accuracy and refusals for a while -----------------------------------


def sample_qualifications() -> QualificationList:
    return QualificationList.model_validate(
        {
            "server_time": NOW,
            "qualifications": [
                {
                    "qualification_id": "translation",
                    "kind": "translation",
                    "title": "Translator",
                    "pass_mark": 0.6,
                    "retry_delay_seconds": 86400,
                    "task_count": 3,
                    "status": "failed",
                    "attempts": 1,
                    "last_score": 0.42,
                    "retry_at": NOW + timedelta(days=1),
                },
                {
                    "qualification_id": "photo_clip",
                    "kind": "photo_clip",
                    "title": "Photo clipper",
                    "pass_mark": 0.85,
                    "retry_delay_seconds": 86400,
                    "task_count": 3,
                    "status": "passed",
                    "certificate": {
                        "qualification_id": "photo_clip",
                        "title": "Photo clipper",
                        "kind": "photo_clip",
                        "earned_at": NOW,
                        "score": 0.93,
                    },
                },
            ],
        }
    )


def test_qualifications_and_accuracy_parse(server: HttpDouble) -> None:
    server.route("GET", "/v1/qualifications", json_reply(sample_qualifications()))
    accuracy = {
        "server_time": NOW.isoformat(),
        "kinds": [
            {
                "kind": "translation",
                "graded": 4,
                "mean_score": 0.81,
                "status": "good",
                "window": 20,
                "min_graded": 3,
                "warn_below": 0.7,
                "withhold_below": 0.5,
                "consequence": "Keep it above 50 %.",
                "a_field_from_a_newer_server": True,
            }
        ],
    }
    server.route("GET", "/v1/accuracy", json_reply(accuracy))
    client = make_client(server.url)

    listed = client.qualifications().qualifications
    assert [(q.qualification_id, q.status) for q in listed] == [
        ("translation", QualificationStatus.FAILED),
        ("photo_clip", QualificationStatus.PASSED),
    ]
    assert listed[0].retry_at == NOW + timedelta(days=1) and listed[0].test_bundle_id is None
    assert listed[1].certificate is not None and listed[1].certificate.source == "test"
    [kind] = client.accuracy().kinds
    assert (kind.status, kind.graded, kind.withheld_until) == (AccuracyStatus.GOOD, 4, None)
    assert server.requests_to("GET", "/v1/accuracy")[0].headers["authorization"].endswith(TOKEN)


def test_a_score_outside_zero_to_one_is_a_malformed_answer(server: HttpDouble) -> None:
    broken = sample_qualifications().model_dump(mode="json")
    broken["qualifications"][0]["last_score"] = 42
    server.route("GET", "/v1/qualifications", json_reply(broken))
    with pytest.raises(MalformedAnswer, match="last_score"):
        make_client(server.url).qualifications()


def test_a_server_without_qualifications_refuses_with_not_found(server: HttpDouble) -> None:
    server.route("GET", "/v1/qualifications", error_reply(404, "not_found", "No such route."))
    with pytest.raises(Refused) as caught:
        make_client(server.url).qualifications()
    assert (caught.value.code, caught.value.status) == ("not_found", 404)


def test_a_refusal_for_a_while_says_when_and_is_not_retried(
    server: HttpDouble, clock: FakeClock
) -> None:
    server.route(
        "POST",
        "/v1/claims",
        error_reply(403, "accuracy_too_low", "Withheld until 14:30 UTC.", retry_after="1800"),
    )
    with pytest.raises(Refused) as caught:
        make_client(server.url, attempts=3, clock=clock).claim("b-1")
    assert (caught.value.code, caught.value.retry_after) == ("accuracy_too_low", 1800)
    assert len(server.requests_to("POST", "/v1/claims")) == 1 and clock.waits == []


def test_an_older_servers_catalogue_and_leases_still_parse() -> None:
    entry = sample_catalogue(1).bundles[0]
    assert (entry.locked, entry.withheld_code, entry.claimable) == (False, None, True)
    assert entry.expected_hourly_rate() == Decimal("4.80")  # 0.12 per 1.5 minutes
    assert sample_lease().claimed_at is None
    assert LeaseList(leases=[]).server_time is None
