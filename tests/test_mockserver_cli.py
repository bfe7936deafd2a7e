"""``ouvrage-mock-server``: admin subcommands against a running server, and ``serve`` itself."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from mockserver.cli import main
from mockserver.testing import ServerHandle, running_server
from tests.mockserver_util import result_item, sign_in, translation_zip

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerHandle]:
    with running_server(tmp_path / "server", publish_demo=False) as handle:
        yield handle


def run(server: ServerHandle, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run one admin subcommand; returns its exit status and its single output line."""
    status = main([args[0], "--url", server.url, "--admin-token", server.admin_token, *args[1:]])
    captured = capsys.readouterr()
    lines = (captured.out if status == 0 else captured.err).strip().splitlines()
    assert len(lines) == 1, captured
    return status, lines[0]


def test_admin_subcommands_act_on_a_running_server(
    server: ServerHandle, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    zip_path = translation_zip(tmp_path / "zips", "b-cli", tasks=3)
    assert run(server, capsys, "publish", "--file", str(zip_path)) == (
        0,
        "published 1 bundle: b-cli",
    )
    status, line = run(
        server, capsys, "publish", "--demo", "translation-fr-en-shop", "--copies", "2"
    )
    assert (status, line) == (0, "published 2 bundles: demo-fr-en-shop, demo-fr-en-shop-2")

    demo = sign_in(server.url)
    demo.claim("b-cli")
    items = [result_item("b-cli", f"t{i}") for i in (1, 2, 3)]
    demo.submit(*items)
    assert run(server, capsys, "approve", "--key", items[0]["idempotency_key"])[1] == (
        "approved: 1 result(s)"
    )
    assert run(server, capsys, "reject", "--task", "b-cli/t2", "--reason", "Too literal")[1] == (
        "rejected: 1 result(s)"
    )
    assert run(server, capsys, "approve", "--all-pending", "--contributor", "demo")[1] == (
        "approved: 1 result(s)"
    )
    status, line = run(
        server, capsys, "bonus", "--contributor", "demo", "--amount", "1.5", "--reason", "Thanks"
    )
    assert status == 0 and line.startswith("bonus 1.5 EUR for demo")
    assert run(server, capsys, "pay", "--contributor", "demo")[1] == (
        "paid 1.70 to demo (3 entries)"
    )
    ledger = server.admin.ledger("demo")
    assert sum(entry.amount for entry in ledger if entry.kind == "payout") == Decimal("-1.70")

    assert run(server, capsys, "withdraw", "--bundle", "demo-fr-en-shop-2", "--task", "p01")[1] == (
        "withdrew 1 task(s) of demo-fr-en-shop-2: p01"
    )
    assert run(server, capsys, "expire-tokens", "--contributor", "demo")[1] == (
        "expired 1 token(s) of demo"
    )
    assert demo.get("/v1/leases").json()["code"] == "token_expired"
    status, line = run(server, capsys, "advance-clock", "--seconds", "3600")
    assert status == 0 and line.startswith("server time is now ")
    assert server.admin.clock().offset_seconds == 3600
    assert run(server, capsys, "faults", "--latency-ms", "5", "--error-statuses", "503")[1] == (
        "faults: latency_ms=5.0, error_statuses=[503]"
    )
    assert run(server, capsys, "faults")[1] == "faults: latency_ms=5.0, error_statuses=[503]"
    assert run(server, capsys, "faults", "--gzip", "refuse")[1] == (
        "faults: latency_ms=5.0, error_statuses=[503], gzip=refuse"
    )
    assert run(server, capsys, "faults", "--clear")[1] == "faults: none"
    assert run(
        server, capsys, "add-contributor", "--id", "carol", "--password", "pw", "--name", "Carol"
    )[1] == ("contributor carol (Carol) ready")
    assert sign_in(server.url, "carol", "pw").contributor_id == "carol"
    status, line = run(server, capsys, "reset-cursors")
    assert status == 0 and line.startswith("earnings cursors reset")


def test_platform_subcommands_drive_policy_gold_qualifications_and_accuracy(
    server: ServerHandle, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, line = run(server, capsys, "policy", "--gold-rate", "0.2", "--fatigue-results", "5")
    assert status == 0 and "gold_rate=0.2" in line and "fatigue_results=5" in line
    assert "rotation=3" in line  # the rest is kept
    assert (
        "accuracy_grant_at=None" in run(server, capsys, "policy", "--accuracy-grant-at", "none")[1]
    )
    status, line = run(server, capsys, "policy", "--defaults", "--rotation", "0")
    assert "rotation=0" in line and "gold_rate=0.05" in line and "fatigue_results=0" in line
    assert server.admin.get_policy().rotation == 0

    server.admin.publish_file(translation_zip(tmp_path / "zips", "b-gold", tasks=2))
    answer = tmp_path / "gold.json"
    answer.write_text('{"targets": {"s1": "Bonjour {name}", "s2": "Enregistrer"}}')
    assert run(
        server, capsys, "gold", "--bundle", "b-gold", "--task", "t1", "--answer", f"@{answer}"
    )[1] == ("b-gold/t1 is now a gold question (translation)")
    assert (
        run(server, capsys, "gold", "--bundle", "b-gold", "--task", "t2", "--answer", "[1]")[0] == 1
    )
    demo = sign_in(server.url)
    demo.claim("b-gold")
    demo.submit(result_item("b-gold", "t1"))
    status, line = run(server, capsys, "accuracy", "--contributor", "demo")
    assert status == 0 and line.startswith("demo: translation unrated 100% over 1")

    status, line = run(server, capsys, "qualifications", "--contributor", "demo")
    assert status == 0 and "translation none test qual-translation-" in line
    assert (
        run(
            server,
            capsys,
            "grant-qualification",
            "--contributor",
            "demo",
            "--qualification",
            "photo_clip",
        )[1]
        == "demo now holds photo_clip (Photo clipper)"
    )
    assert (
        "photo_clip passed (granted)"
        in run(server, capsys, "qualifications", "--contributor", "demo")[1]
    )
    assert run(server, capsys, "reset-qualifications", "--contributor", "demo")[1] == (
        "reset demo's qualifications: photo_clip"
    )
    assert run(
        server, capsys, "reset-withholding", "--contributor", "demo", "--kind", "translation"
    )[1] == ("fresh start for demo: translation")
    assert run(server, capsys, "reset-withholding", "--contributor", "nobody")[0] == 1


def test_admin_subcommands_fail_with_one_line_and_a_non_zero_status(
    server: ServerHandle, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(server, capsys, "pay", "--contributor", "nobody") == (
        1,
        "error: There is no contributor 'nobody'.",
    )
    assert run(server, capsys, "withdraw", "--bundle", "b-none")[0] == 1
    assert run(server, capsys, "faults", "--error-probability", "3")[0] == 1
    wrong = main(["pay", "--url", server.url, "--admin-token", "wrong", "--contributor", "demo"])
    assert wrong == 1
    assert "admin token" in capsys.readouterr().err
    unreachable = main(
        ["pay", "--url", "http://127.0.0.1:9", "--admin-token", "t", "--contributor", "demo"]
    )
    assert unreachable == 1
    assert "Cannot reach" in capsys.readouterr().err


def test_serve_starts_with_the_demo_catalogue_and_prints_url_and_token(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mockserver.cli",
            "serve",
            "--port",
            "0",
            "--data",
            str(tmp_path / "d"),
            "--admin-token",
            "tester-token",
            "--seed",
            "3",
            "--latency-ms",
            "1",
            "--gold-rate",
            "0.5",
            "--fatigue-results",
            "40",
            "--qualified-copies",
            "0",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        token_line = process.stdout.readline()
        assert token_line.strip() == "admin token: tester-token"
        url = first.split(" at ", 1)[1].split(" ", 1)[0]
        catalogue_ids = []
        for _ in range(100):  # uvicorn starts listening just after the banner
            try:
                demo = sign_in(url)
                catalogue_ids = [
                    b["bundle_id"] for b in demo.get("/v1/catalogue").json()["bundles"]
                ]
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        assert "demo-en-fr-app" in catalogue_ids
        assert not any(bundle_id.endswith("-q") for bundle_id in catalogue_ids)
        policy = requests.get(url + "/v1/admin/policy", headers={"X-Admin-Token": "tester-token"})
        assert (policy.json()["gold_rate"], policy.json()["fatigue_results"]) == (0.5, 40)
        faults = requests.get(url + "/v1/admin/faults", headers={"X-Admin-Token": "tester-token"})
        assert faults.json()["latency_ms"] == 1
    finally:
        process.terminate()
        process.wait(timeout=10)
