"""An outside check that the API does what /api/openapi.json says: schemathesis reads the
document and sends a few thousand requests (its examples, coverage, fuzzing and stateful
phases) to the atlas under gunicorn, as partners' systems would, with API tokens. Every answer
must be no server error, a documented status with a documented body, content type and headers;
valid requests must be accepted and invalid ones refused, except where a rule the schema cannot
state refuses them (named in schemathesis.toml beside this file)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ..support.server import serve

CONFIG = Path(__file__).with_name("schemathesis.toml")
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
PASSWORD = "a long enough passphrase"
SEED = 20261205  # a fixed seed: a failure here is reproduced by running the test again


def _token(runner, email, role, organization=None):
    created = runner.invoke(args=["create-user", email, "--role", role, "--password", PASSWORD,
                                  *(["--organization", organization] if organization else [])])
    assert created.exit_code == 0, created.output
    printed = runner.invoke(args=["create-token", email, "--name", "schemathesis"])
    assert printed.exit_code == 0, printed.output
    return re.search(r"atlas_\S+", printed.output).group()


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory):
    """The bundled data with an editor (who refers clients and edits NPower Canada's listings)
    and an administrator (who edits any listing and reads the gaps), each with an API token."""
    from app import create_app

    instance = tmp_path_factory.mktemp("conformance") / "instance"
    app = create_app({"ATLAS_INSTANCE_PATH": str(instance)})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    tokens = {"EDITOR_TOKEN": _token(runner, "editor@npower.example.org", "editor", "npower-canada"),
              "ADMIN_TOKEN": _token(runner, "admin@atlas.example.org", "admin")}
    return instance, tokens


def test_the_api_does_what_its_openapi_document_says(bundled_site, tmp_path):
    instance, tokens = bundled_site
    with serve(instance, workers=2, ATLAS_LOG_LEVEL="WARNING") as base:
        run = subprocess.run(
            [str(SCHEMATHESIS), "--no-color", "--config-file", str(CONFIG), "run", f"{base}/api/openapi.json",
             "--checks", "all", "--phases", "examples,coverage,fuzzing,stateful", "--max-examples", "40",
             "--seed", str(SEED), "--workers", "1"],
            capture_output=True, text=True, timeout=600, env={**os.environ, **tokens}, cwd=tmp_path,
        )
    report = run.stdout + run.stderr
    assert run.returncode == 0, report[-6000:]
    assert re.search(r"\b0 failures\b|[0-9,]+ generated, [0-9,]+ passed", report), report[-3000:]
