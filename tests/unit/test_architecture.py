"""The web layer stays in its rooms: one package per user job, one shared package of plumbing,
and nothing outside ``app.web`` depending on it (so commands and periodic work run without it)."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"
WEB = APP / "web"
JOBS = sorted(path.name for path in WEB.iterdir() if path.is_dir() and (path / "__init__.py").exists()
              and path.name != "shared")


def module_name(path):
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path):
    """Every module a file imports, relative imports resolved (``from . import x`` counts as x)."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[:len(base) - node.level + 1] if node.level else []
            stem = ".".join(base + ([node.module] if node.module else []))
            found.add(stem)
            found.update(f"{stem}.{alias.name}" for alias in node.names)
    return found


def sources(folder):
    return sorted(folder.rglob("*.py"))


def test_the_web_layer_has_a_package_for_each_user_job():
    assert {"programs", "match", "referrals", "editing", "gaps", "accounts", "api"} <= set(JOBS)


FACTORY = APP / "__init__.py"  # create_app puts the web layer on the application


@pytest.mark.parametrize("path", [p for p in sources(APP) if WEB not in p.parents and p != FACTORY], ids=lambda path: str(path.relative_to(APP.parent)))
def test_nothing_outside_the_web_layer_imports_it(path):
    assert not {name for name in imported_modules(path) if name == "app.web" or name.startswith("app.web.")}


@pytest.mark.parametrize("job", JOBS)
def test_no_job_imports_another_jobs_package(job):
    others = {f"app.web.{other}" for other in JOBS if other != job}
    for path in sources(WEB / job):
        crossing = {name for name in imported_modules(path) if name in others or name.rpartition(".")[0] in others
                    or any(name.startswith(other + ".") for other in others)}
        assert not crossing, f"{path.relative_to(APP.parent)} imports {sorted(crossing)}"


def test_the_shared_plumbing_imports_no_job():
    jobs = tuple(f"app.web.{job}" for job in JOBS)
    for path in sources(WEB / "shared"):
        assert not [name for name in imported_modules(path) if name.startswith(jobs)], path


@pytest.mark.parametrize("path", sources(WEB), ids=lambda path: str(path.relative_to(APP.parent)))
def test_template_helpers_are_registered_on_the_app_not_on_a_feature_blueprint(path):
    text = path.read_text(encoding="utf-8")
    assert "app_template_global" not in text and "app_template_filter" not in text
    assert "app_context_processor" not in text
