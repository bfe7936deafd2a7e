"""The admin subcommands of ``ouvrage-mock-server`` for the platform's policy, gold
questions, qualifications and accuracy. Each prints one line (see ``mockserver.cli``)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mockserver.admin_client import AdminClient
from sync.protocol import AccuracyStatus, QualificationStatus
from sync.protocol_admin import PlatformPolicy

_POLICY_HELP = {
    "rotation": "consecutive claims of one kind before another kind must come first (0 = off)",
    "fatigue_results": "results of one kind within the window that pause the kind (0 = off)",
    "fatigue_window_minutes": "the window of --fatigue-results",
    "fatigue_pause_minutes": "how long a tired kind is paused",
    "gold_rate": "share of each demo bundle's tasks that are gold questions (next publishes)",
    "accuracy_window": "graded gold questions the running accuracy covers",
    "accuracy_min_graded": "graded gold questions before accuracy is judged",
    "accuracy_warn_below": "accuracy under which a contributor is warned",
    "accuracy_withhold_below": "accuracy under which the kind is withheld",
    "accuracy_pause_minutes": "how long a kind is withheld for low accuracy",
    "accuracy_grant_at": "accuracy that earns the kind's qualification ('none' = never)",
    "accuracy_grant_graded": "graded gold questions needed to earn it",
}


def add_subcommands(admin: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add the subcommands through ``admin(name, help)``, which adds ``--url`` and the token."""
    policy = admin("policy", "show the platform policy, or change the parts given")
    policy.add_argument("--defaults", action="store_true", help="go back to the defaults first")
    _add_policy_flags(policy)
    gold = admin("gold", "make a published task a gold question")
    gold.add_argument("--bundle", required=True)
    gold.add_argument("--task", required=True)
    gold.add_argument("--answer", required=True, help="the gold result as JSON, or @FILE")
    admin("qualifications", "show a contributor's qualifications").add_argument(
        "--contributor", required=True
    )
    grant = admin("grant-qualification", "give a contributor a qualification without its test")
    grant.add_argument("--contributor", required=True)
    grant.add_argument("--qualification", required=True)
    reset = admin("reset-qualifications", "forget certificates, attempts and retry delays")
    reset.add_argument("--contributor", required=True)
    reset.add_argument("--qualification", help="default: every qualification")
    admin("accuracy", "show a contributor's accuracy on gold questions").add_argument(
        "--contributor", required=True
    )
    fresh = admin("reset-withholding", "a fresh start for rotation, fatigue and accuracy")
    fresh.add_argument("--contributor", required=True)
    fresh.add_argument("--kind", help="default: every kind")


def _add_policy_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("policy")
    for name, field in PlatformPolicy.model_fields.items():
        flag = "--" + name.replace("_", "-")
        kind: Any = int if field.annotation is int else float
        if name == "accuracy_grant_at":
            kind = _optional_float
        group.add_argument(flag, dest=name, type=kind, metavar="N", help=_POLICY_HELP.get(name))


def _optional_float(text: str) -> float | str:
    return "none" if text.strip().lower() == "none" else float(text)


def _given_policy(args: argparse.Namespace) -> dict[str, Any]:
    given = {
        name: getattr(args, name)
        for name in PlatformPolicy.model_fields
        if getattr(args, name, None) is not None
    }
    return {name: None if value == "none" else value for name, value in given.items()}


def _policy(client: AdminClient, args: argparse.Namespace) -> str:
    given = _given_policy(args)
    if args.defaults:
        policy = client.set_policy(PlatformPolicy(**given))
    elif given:
        policy = client.update_policy(**given)
    else:
        policy = client.get_policy()
    return "policy: " + ", ".join(f"{name}={value}" for name, value in policy.model_dump().items())


def _gold(client: AdminClient, args: argparse.Namespace) -> str:
    text = args.answer
    try:
        if text.startswith("@"):
            text = Path(text[1:]).read_text(encoding="utf-8")
        answer = json.loads(text)
    except OSError as exc:
        raise ValueError(f"--answer cannot read {args.answer[1:]}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"--answer is not JSON ({exc.msg} at character {exc.pos})") from None
    if not isinstance(answer, dict):
        raise ValueError("--answer must be a JSON object: the task kind's result")
    made = client.set_gold(args.bundle, args.task, answer)
    return f"{made.bundle_id}/{made.task_id} is now a gold question ({made.kind})"


def _qualifications(client: AdminClient, args: argparse.Namespace) -> str:
    parts = []
    for item in client.qualifications(args.contributor).qualifications:
        text = f"{item.qualification_id} {item.status.value}"
        if item.status is QualificationStatus.PASSED and item.certificate is not None:
            score = item.certificate.score
            text += f" ({item.certificate.source}" + (f", {score:.0%})" if score else ")")
        elif item.status is QualificationStatus.FAILED and item.last_score is not None:
            text += f" ({item.last_score:.0%}"
            text += f", retry from {item.retry_at:%Y-%m-%d %H:%M})" if item.retry_at else ")"
        if item.test_bundle_id:
            text += f" test {item.test_bundle_id}"
        parts.append(text)
    return f"{args.contributor}: " + ("; ".join(parts) or "no qualifications on this server")


def _grant(client: AdminClient, args: argparse.Namespace) -> str:
    item = client.grant_qualification(args.contributor, args.qualification)
    return f"{args.contributor} now holds {item.qualification_id} ({item.title})"


def _reset_qualifications(client: AdminClient, args: argparse.Namespace) -> str:
    reset = client.reset_qualifications(args.contributor, args.qualification)
    if not reset:
        return f"nothing to reset for {args.contributor}"
    return f"reset {args.contributor}'s qualifications: {', '.join(reset)}"


def _accuracy(client: AdminClient, args: argparse.Namespace) -> str:
    parts = []
    for item in client.accuracy(args.contributor).kinds:
        text = f"{item.kind} {item.status.value}"
        if item.mean_score is not None:
            text += f" {item.mean_score:.0%} over {item.graded}"
        if item.status is AccuracyStatus.WITHHELD and item.withheld_until is not None:
            text += f" until {item.withheld_until:%Y-%m-%d %H:%M}"
        parts.append(text)
    return f"{args.contributor}: " + "; ".join(parts)


def _reset_withholding(client: AdminClient, args: argparse.Namespace) -> str:
    kinds = client.reset_withholding(args.contributor, args.kind)
    return f"fresh start for {args.contributor}: {', '.join(kinds)}"


COMMANDS: dict[str, Callable[[AdminClient, argparse.Namespace], str]] = {
    "policy": _policy,
    "gold": _gold,
    "qualifications": _qualifications,
    "grant-qualification": _grant,
    "reset-qualifications": _reset_qualifications,
    "accuracy": _accuracy,
    "reset-withholding": _reset_withholding,
}
