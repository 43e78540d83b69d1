"""Schemathesis fuzzing of /openapi.json (bounded examples): no input may produce a 5xx.

Runs against the real engines. The admin re-index endpoint is excluded (it rebuilds the index; its auth
and error paths are covered in test_api_security.py). Set GREENMFG_FUZZ_EXAMPLES for a longer run.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from knowledge_base.settings import Settings
from ui.api.app import create_app

MAX_EXAMPLES = int(os.environ.get("GREENMFG_FUZZ_EXAMPLES", "8"))

app = create_app(Settings(rate_limit_per_minute=1_000_000), warm=False, mount_ui=False)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.mark.slow
@schema.exclude(path="/api/admin/reindex").parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_errors(case: schemathesis.Case) -> None:
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"}, body
        assert body["error"]["message_zh"] and body["error"]["message_en"]
