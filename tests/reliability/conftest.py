"""Hypothesis profiles for the reliability tests: small in CI, bigger on demand (`HYPOTHESIS_PROFILE=dev`).

The fuzz figure in docs/reliability.md comes from `bench/fuzz.py` (≥ 10,000 cases), not from the test run, so
the suite stays fast; no example database is kept, so a run never depends on an earlier one.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {"deadline": None, "database": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("ci", max_examples=150, **_COMMON)
settings.register_profile("dev", max_examples=2000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
