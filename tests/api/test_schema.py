"""Property-based tests of the API against its own OpenAPI schema (schemathesis).

Every operation gets generated requests, fitting the schema and not: each response must match
the schema and never be a 5xx; a request that fits must not be refused (except for the rules
OpenAPI cannot state, CROSS_FIELD_RULES), one that does not fit must be. schemathesis's pytest
plugin does not run under pytest 9, so the operations are walked here and each is driven by
hypothesis directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from ingest.settings import Settings
from newswire.api.app import create_app

EXAMPLES = 40
#: Rules OpenAPI cannot state (since <= until; a bbox's numbers within range, south <= north):
#: a request that fits the schema may still break them, and must then be told which one.
CROSS_FIELD_RULES = {"since", "bbox"}


@pytest.fixture()
def api_app(filled_url: str, redis_url: str, tmp_path: Any) -> Iterator[FastAPI]:
    """Yield the real app over a database filled by the pipeline."""
    app = create_app(Settings(data_dir=tmp_path, database_url=filled_url, redis_url=redis_url))
    yield app
    app.state.engine.dispose()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_matches_its_schema(api_app: FastAPI, mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", api_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 7
    for operation in operations:
        if (
            mode is GenerationMode.NEGATIVE
            and not operation.query
            and not operation.path_parameters
        ):
            continue  # nothing in the request could be wrong

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def check(case: Any) -> None:
            response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
            assert response.status_code < 500
            assert "Traceback" not in response.text
            if mode is GenerationMode.POSITIVE and response.status_code == 422:
                (error,) = response.json()["detail"]
                assert error["loc"][1] in CROSS_FIELD_RULES, response.text
            elif mode is GenerationMode.POSITIVE:
                assert response.status_code in (200, 404), response.text

        check()
