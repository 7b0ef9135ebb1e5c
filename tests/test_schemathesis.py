"""Schemathesis against the server's own OpenAPI schema (issue 6), in-process over ASGI, on a
store of the gold articles: for every operation, generated requests (valid and invalid) must
get no 5xx, a status the schema declares, and a body that matches the schema it declares for
that status. The examples per operation are bounded so the whole run takes seconds.
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from schemathesis.config import SchemathesisConfig

from readout.api import Settings, create_app
from readout.store import open_store
from test_api import fill

# Examples per operation, by generation mode: bounds the run to seconds.
EXAMPLES = {schemathesis.GenerationMode.POSITIVE: 10, schemathesis.GenerationMode.NEGATIVE: 8}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("schemathesis") / "gold.db")
    fill(path)
    with open_store(path) as store:
        yield create_app(Settings(db=None), store=store)


# How an invalid request may be refused: schemathesis's own list, and 413, since the size of a
# body is checked before anything reads it.
REJECTIONS = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]


@pytest.fixture(scope="module")
def api_schema(app):
    config = SchemathesisConfig.from_dict(
        {"checks": {"negative_data_rejection": {"expected-statuses": REJECTIONS}}})
    return schemathesis.openapi.from_asgi("/openapi.json", app, config=config)


def operations(api_schema) -> list:
    return [result.ok() for result in api_schema.get_all_operations()]


def only_path_parameters(operation) -> bool:
    """Invalid values of a path parameter (empty, with a '/') make another URL, and hypothesis
    spends seconds looking for any other before giving up."""
    places = {parameter.location for parameter in operation.iter_parameters()}
    return places == {"path"} and not len(operation.body)


def run_operation(operation, mode: schemathesis.GenerationMode) -> list:
    """EXAMPLES generated requests of one operation, each sent and checked; the cases run."""
    ran = []
    if mode == schemathesis.GenerationMode.NEGATIVE and only_path_parameters(operation):
        return ran

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES[mode], deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        ran.append(case)
        case.call_and_validate()

    try:
        check()
    except Unsatisfiable:
        # Nothing invalid to send: an operation without parameters.
        assert mode == schemathesis.GenerationMode.NEGATIVE
    return ran


@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode), ids=str)
def test_the_api_keeps_to_its_schema(api_schema, mode):
    ran = {operation.label: len(run_operation(operation, mode)) for operation in operations(api_schema)}
    assert len(ran) >= 15, ran
    exercised = [label for label, cases in ran.items() if cases]
    assert len(exercised) == len(ran) if mode == schemathesis.GenerationMode.POSITIVE else len(exercised) >= 10, ran
    print(f"schemathesis {mode}: {sum(ran.values())} cases over {len(ran)} operations")
