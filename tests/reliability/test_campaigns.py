"""Every reliability campaign at CI counts: nothing lost, duplicated or leaked, no error.

Counts grow with ``OUVRAGE_RELIABILITY_SCALE`` (``full`` or a fraction of the full
counts); ``python -m bench.reliability`` runs the full counts and writes
docs/RELIABILITY.md.
"""

from __future__ import annotations

import pytest

from tests.reliability.access_campaign import run_access_campaign
from tests.reliability.bundle_campaign import run_hostile_bundle_campaign
from tests.reliability.bundle_corpus import corpus
from tests.reliability.common import CampaignResult, counts
from tests.reliability.crash_campaign import run_crash_campaign
from tests.reliability.disk_campaign import run_disk_campaign
from tests.reliability.fuzz_campaign import run_fuzz_campaign
from tests.reliability.hostile_server_campaign import run_hostile_server_campaign
from tests.reliability.network_campaign import run_network_campaign

pytestmark = [pytest.mark.reliability, pytest.mark.slow]


def assert_clean(result: CampaignResult) -> None:
    assert result.trials > 0, result.summary()
    assert result.clean, result.summary()


def test_sigkill_at_random_moments_loses_and_duplicates_nothing() -> None:
    result = run_crash_campaign(**counts("crash"))
    assert_clean(result)
    assert result.figures["worst unsaved typing at a kill (s)"] <= 1.0
    assert result.figures["results delivered"] > 0


def test_results_through_thirty_percent_faults_arrive_exactly_once() -> None:
    result = run_network_campaign(**counts("network"))
    assert_clean(result)
    assert result.figures["results on the server"] == result.trials
    assert sum(result.tried.values()) > 0  # faults did happen


def test_every_hostile_bundle_is_refused_clearly_and_leaves_nothing() -> None:
    assert len(corpus()) >= 40
    assert_clean(run_hostile_bundle_campaign(**counts("hostile-bundles")))


def test_fuzzed_manifests_answers_and_results_raise_nothing_unexpected() -> None:
    assert_clean(run_fuzz_campaign(**counts("fuzz")))


def test_a_full_disk_is_reported_loses_nothing_and_the_work_resumes() -> None:
    assert_clean(run_disk_campaign(**counts("disk-full")))


def test_a_hostile_server_costs_bounded_time_and_memory_and_clear_errors() -> None:
    assert_clean(run_hostile_server_campaign(**counts("hostile-server")))


def test_no_access_to_others_work_no_forged_tokens_no_secrets_in_logs_no_tls_off() -> None:
    assert_clean(run_access_campaign(**counts("access")))
