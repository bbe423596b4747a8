"""Schemathesis fuzzes every API operation from its OpenAPI document: no answer may be a 5xx.

Bounded (a dozen examples per operation) so it runs in seconds; the store is
seeded so that ids in the generated requests sometimes exist. (The
schemathesis pytest plugin does not run under this pytest, so the test drives
Hypothesis itself, one operation at a time.)
"""

from __future__ import annotations

from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from web_helpers import Data, seed

from syndic.accounts import create_token, create_user
from syndic.store import open_store
from syndic.web import create_app


def test_no_server_errors(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'syndic.db'}")
    seed(Data(store))
    owner = create_user(store, "fuzzer", "a long enough password", is_admin=True)
    token = create_token(store, "fuzz", owner, ("read", "write", "admin"))
    headers = {"Authorization": f"Bearer {token}"}
    app = create_app(store)
    with TestClient(app) as client:
        document = client.get("/api/v1/openapi.json", headers=headers).json()
    schema = schemathesis.openapi.from_dict(document)
    schema.app = app
    labels = []
    for result in schema.get_all_operations():
        operation = result.ok()
        labels.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def fuzz(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url="http://testserver/api/v1", headers=headers, checks=[not_a_server_error])

        fuzz()
    assert len(labels) >= 12, labels
    answered = sum(
        sample.value
        for metric in app.state.metrics.registry.collect()
        if metric.name == "syndic_http_request_seconds"
        for sample in metric.samples
        if sample.name.endswith("_count")
    )
    assert answered >= 12 * len(labels) / 2, answered  # the requests really reached the app
    store.close()
