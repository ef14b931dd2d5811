"""A reference-intensity set to post in tests: invented figures, labelled as such (not official)."""

from __future__ import annotations

from typing import Any

FIXTURE_SOURCE = "test fixture: an invented figure, not an official value"


def sample_set(year: int = 2024, label: str = "test reference intensities") -> dict[str, Any]:
    """A body for POST /v1/reference-intensities: refining (2511) and coking (2521), UNCONFIRMED."""
    return {
        "year": year,
        "label": label,
        "source": {"document": FIXTURE_SOURCE, "locator": "table 1", "url": "https://example.org/table-1"},
        "rows": [
            {
                "industry": "2511",
                "l_industry": "2.4",
                "basis": "scope1+scope2",
                "source": FIXTURE_SOURCE + ", row 2511",
                "confidence": "UNCONFIRMED",
            },
            {
                "industry": "2521",
                "l_industry": "5.125",
                "basis": "scope1+scope2",
                "source": FIXTURE_SOURCE + ", row 2521",
                "confidence": "UNCONFIRMED",
            },
        ],
    }
