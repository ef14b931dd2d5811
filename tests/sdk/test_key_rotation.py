"""After a key rotation (`carbon-account keys rotate --delay 0`) and a new round, ratings carry
a kid the verifiers' cached key sets lack: each refetches the JWKS once, then verifies both
the new and the old ratings offline (old keys stay published)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from carbon_account_client import AsyncCarbonClient, CarbonClient

from tests import db as testdb
from tests.sdk.blocking import Blocking, LoopThread
from tests.sdk.city import City, build_city, run_round, sdk
from tests.sdk.service import Service, start_service

MIN_REFETCH = 0.5


@pytest.fixture(scope="module")
def rotating(pg_url: str, template_db: str, dropper: testdb.BackgroundDropper) -> Iterator[City]:
    """A service of its own: rotating its key and rating again would change the shared city."""
    service = start_service(pg_url, template_db)
    try:
        yield build_city(service, n=1)
    finally:
        service.stop()
        dropper.drop_later(service.database)


def _rotate(service: Service) -> str:
    cli = Path(sys.executable).parent / "carbon-account"
    env = {**os.environ, "DATABASE_URL": service.settings.database_url, "CARBON_SECRET_KEY": service.settings.secret_key,
           "CARBON_DATA_DIR": service.env["CARBON_DATA_DIR"]}  # fmt: skip
    done = subprocess.run([str(cli), "keys", "rotate", "--delay", "0", "--unsafe-short-delay"], env=env, capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return str(json.loads(done.stdout)["kid"])


def test_a_new_kid_is_fetched_once(rotating: City, loop_thread: LoopThread) -> None:
    service, org = rotating.service, rotating.enterprises[0]
    verifiers = [
        CarbonClient(service.url, jwks_min_refetch=MIN_REFETCH),
        Blocking(AsyncCarbonClient(service.url, jwks_min_refetch=MIN_REFETCH), loop_thread),
    ]
    with sdk(service, org) as ent, sdk(service, rotating.ra) as ra:
        old = ent.latest_rating(org.uscc)
        assert old.token is not None
        for verifier in verifiers:
            assert verifier.verify_offline(old.token).kid == old.kid
            assert verifier.keys.fetches == 1
        cached_at = time.monotonic()
        new_kid = _rotate(service)
        run_round(ra, 2023)
        new = ent.latest_rating(org.uscc)
        assert new.token is not None and new.kid == new_kid != old.kid
        time.sleep(max(0.0, MIN_REFETCH - (time.monotonic() - cached_at)))
        for verifier in verifiers:
            assert verifier.verify_offline(new.token, uscc=org.uscc).rating_id == new.id
            assert verifier.keys.fetches == 2  # the unknown kid: one refetch
            assert verifier.verify_offline(old.token).rating_id == old.id  # still published
            assert verifier.verify_offline(new.grade_token).kid == new_kid
            assert verifier.keys.fetches == 2
            assert verifier.verify_online(old.token).status == "superseded"  # what offline cannot see
            verifier.close()
