"""Schemathesis against the API's own OpenAPI description, in-process (ASGI): no input may cause a server error.

Every operation gets a bounded number of generated requests (valid and invalid: positive and negative
generation), sent to the app over the seeded sample store with a stand-in coder. Checks: no 5xx, every
response's content type is the one the spec declares, every 4xx has the one error shape.
"""

from __future__ import annotations

import time
import warnings

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="the fuzz test needs schemathesis (pip install schemathesis)")
pytest.importorskip("fastapi", reason="the API needs the [web] extra")

from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis.checks import content_type_conformance, not_a_server_error  # noqa: E402

from flashpoint.api.app import create_app  # noqa: E402
from flashpoint.api.fixtures import FakeCoder, build_sample_store  # noqa: E402

MAX_EXAMPLES = 25  # per operation and generation mode: the whole file runs in well under a minute


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    info = build_sample_store(tmp_path_factory.mktemp("fuzz") / "sample.duckdb", noise_articles=60)
    app = create_app(info["path"], coder=FakeCoder(), warm=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return schema


schemathesis.serializer.alias("application/x-ndjson", "text/plain")  # POST /api/ingest takes JSONL text


CALLS = {"n": 0, "5xx": 0}


def _check(case) -> None:
    response = case.call()
    CALLS["n"] += 1
    CALLS["5xx"] += response.status_code >= 500
    case.validate_response(response, checks=[not_a_server_error, content_type_conformance])
    assert response.status_code < 500, response.text
    ctype = (response.headers.get("content-type") or [""])[0]
    if response.status_code >= 400 and ctype.startswith("application/json"):
        body = response.json()
        assert body["ok"] is False and body["status"] == response.status_code and isinstance(body["errors"], list), body


def test_api_fuzz_no_server_errors(api_schema):
    # One hypothesis run per operation and generation mode (schemathesis' own pytest plugin needs an older pytest).
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 12
    failures, timings = [], []
    for op in operations:
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(case=op.as_strategy(generation_mode=mode))
            def run(case):
                _check(case)

            started = time.perf_counter()
            try:
                run()
            except Unsatisfiable:
                pass  # nothing to generate (an operation without parameters has no invalid form)
            except Exception as exc:  # collect, so one failing operation does not hide the others
                failures.append(f"{op.label} ({mode.value}): {type(exc).__name__}: {str(exc)[:1500]}")
            timings.append(f"{op.label} {mode.value}: {time.perf_counter() - started:.1f} s")
    print("\n" + "\n".join(timings) + f"\n{CALLS['n']} requests, {CALLS['5xx']} server errors")
    assert CALLS["n"] >= 10 * len(operations), "schemathesis generated requests"
    assert not failures, "\n\n".join(failures)
