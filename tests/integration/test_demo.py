"""`carbon-account seed-demo`: the demo city is seeded once, through the real use cases."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from tests.helpers import Api
from tests.integration.test_cli import run_cli


def test_seed_demo_builds_the_city_once(api: Api) -> None:
    result = run_cli("seed-demo", database_url=api.settings.database_url)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["demo"] == "seeded"
    for key in ("regulator", "rating_authority", "verifier_1", "verifier_2", "bank_1", "bank_2"):
        assert out[key]["client_secret"], key
    saved = json.loads(Path(out["credentials_file"]).read_text(encoding="utf-8"))
    enterprises = saved["enterprises"]
    assert len(enterprises) == 42  # 41 active and one pending

    regulator = api.token_for(out["regulator"]["client_id"], out["regulator"]["client_secret"])
    headers = {"Authorization": f"Bearer {regulator}"}
    listed = api.client.get("/v1/enterprises", params={"limit": 200}, headers=headers).json()["items"]
    classes = Counter(e["industry"] for e in listed if e["status"] == "active")
    assert classes["3011"] >= 5 and classes["3071"] >= 5 and classes["2612"] >= 5
    assert len({e["district"] for e in listed}) == 8

    levels: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for ent in enterprises[:41]:
        account = api.client.get(f"/v1/enterprises/{ent['uscc']}/account", headers=headers)
        assert account.status_code == 200, account.text
        for year in account.json()["years"]:
            statuses.update(v["status"] for v in year["versions"])
            levels.update(p["level"] for p in year["current"]["result"]["products"])
    assert levels["below_baseline"] >= 3 and levels["benchmark"] >= 3 and levels["not_covered"] >= 3
    assert statuses["verified"] > 2 * statuses["submitted"] > 0

    bank = out["bank_1"]
    bank_token = api.token_for(bank["client_id"], bank["client_secret"])
    rating = api.client.get(
        f"/v1/enterprises/{enterprises[0]['uscc']}/ratings/latest", headers={"Authorization": f"Bearer {bank_token}"}
    )
    assert rating.status_code == 200, rating.text  # rounds ran and the bank holds a consent
    assert (rating.json()["year"], rating.json()["scope"]) == (2024, "full")

    again = run_cli("seed-demo", database_url=api.settings.database_url)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["demo"].startswith("already seeded")
