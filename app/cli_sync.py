"""``ouvrage login`` and ``ouvrage sync``: the server side of the command line."""

from __future__ import annotations

import argparse
import getpass
import sys

from app.profile import Profile
from app.session import ServerAccount, TokenVault, normalize_url
from app.store import Store


def _fail(message: str) -> int:
    print(f"ouvrage: {message}", file=sys.stderr)
    return 1


def login(store: Store, profile: Profile, args: argparse.Namespace) -> int:
    from sync.errors import ServerError

    saved = ServerAccount.from_json(store.setting("server.account"))
    url = args.login_server or (saved.url if saved else None)
    if not url:
        return _fail("which server? Give --server URL.")
    user = args.user or (saved.contributor_id if saved else None) or input("Contributor id: ")
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
    account = ServerAccount(normalize_url(url), user.strip(), ca_file=args.ca_file or "")
    try:
        answer = account.client(None).sign_in(
            account.contributor_id, password, device_name="Ouvrage"
        )
    except ServerError as exc:
        return _fail(str(exc))
    signed = ServerAccount(account.url, answer.contributor_id, answer.display_name, account.ca_file)
    where = TokenVault(profile).save(signed, answer.token)
    store.set_setting("server.account", signed.to_json())
    kept = "the system keyring" if where == "keyring" else "your profile folder (owner-only file)"
    print(f"Signed in to {signed.host} as {signed.display_name or signed.contributor_id}; "
          f"the sign-in is kept in {kept}.")  # fmt: skip
    return 0


def sync(store: Store, profile: Profile, args: argparse.Namespace) -> int:
    from app.fetching import claim_and_fetch, resume_fetches
    from app.sync_adapter import StoreSync
    from sync.engine import sync_once
    from sync.errors import ServerError, SignInRequired
    from taskkinds import default_registry

    account = ServerAccount.from_json(store.setting("server.account"))
    if account is None:
        return _fail("not signed in to a server: run 'ouvrage login --server URL' first.")
    token = TokenVault(profile).load(account)
    if token is None:
        return _fail(f"the sign-in to {account.host} is gone: run 'ouvrage login' again.")
    client, registry = account.client(token), default_registry()
    try:
        report = sync_once(client, StoreSync(store))
        downloads = resume_fetches(client, store, profile, registry)
        for bundle_id in args.claim:
            downloads.append(claim_and_fetch(client, store, profile, registry, bundle_id))
    except SignInRequired as exc:
        TokenVault(profile).forget(account)
        return _fail(f"{exc} Run 'ouvrage login'.")
    except ServerError as exc:
        return _fail(str(exc))
    print(f"Sent {report.sent} result(s): {report.accepted} accepted, "
          f"{report.duplicates} already there, {report.rejected} refused.")  # fmt: skip
    if report.catalogue_size is not None:
        print(f"Catalogue: {report.catalogue_size} bundle(s) on offer.")
    print(f"Earnings: {report.earnings_entries} change(s) pulled.")
    for outcome in downloads:
        print(f"Downloaded '{outcome.title}': {outcome.task_count} task(s).")
    for error in report.errors:
        print(f"ouvrage: {error}", file=sys.stderr)
    return 1 if report.errors else 0
