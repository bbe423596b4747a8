"""Hypothesis settings for the property tests: few examples each, no deadline.

The suite runs on loaded two-core machines: a modest example count keeps the
folder at tens of seconds (HYPOTHESIS_PROFILE=deep runs many more, locally),
and no deadline, because one slow example on a busy machine is not a bug.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                              HealthCheck.data_too_large],
    "derandomize": True,  # the same examples on every run: a red test is reproducible, CI is not flaky
    "print_blob": True,
}
settings.register_profile("syndic", max_examples=25, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("deep", max_examples=300, derandomize=False, deadline=None,
                          suppress_health_check=_COMMON["suppress_health_check"])  # type: ignore[arg-type]
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "syndic"))
