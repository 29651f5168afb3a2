"""The search index is fed from what the database committed, and heals by itself: a change the
index missed (a worker killed after its commit, a busy index, a reindex running meanwhile) is
applied by the next catch-up, with nobody running a command."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from werkzeug.datastructures import MultiDict

from app import create_app, search
from app.db import Database

from ..support.accounts import form_token, sign_in
from ..support.rows import csv_text, program_row


def commit_behind_the_index(app, program_id, **values):
    """A change committed by a process that died before it could index it."""
    with Database(app.config["DATABASE"]) as db, db.write():
        current = db.catalog.get_program(program_id)
        db.catalog.save_program(dict(current, **values))


def differences(app):
    with Database(app.config["DATABASE"]) as db:
        return search.check(app, db)


def test_a_worker_starting_applies_what_a_killed_worker_committed(app, catalogue):
    catalogue([program_row()])
    commit_behind_the_index(app, "test-youth-tech", name="Kitchen Brigade Pathways")
    assert differences(app).stale == ["test-youth-tech"]
    restarted = create_app({"ATLAS_INSTANCE_PATH": app.instance_path})
    assert differences(restarted).clean
    assert restarted.test_client().get("/api/programs?q=brigade").get_json()["total"] == 1


def test_any_later_save_applies_earlier_missed_changes_too(app, client, people):
    commit_behind_the_index(app, "other-program", name="Welding Bootcamp")
    sign_in(client, people["admin"])
    page = client.get("/programs/own-program").get_data(as_text=True)
    from ..support.forms import form_fields

    client.post("/programs/own-program/confirm", data=dict(form_fields(page, "/confirm")))
    assert differences(app).clean
    assert client.get("/api/programs?q=welding").get_json()["total"] == 1


def test_a_busy_index_never_fails_a_committed_save(app, client, people, monkeypatch):
    monkeypatch.setattr(search, "AFTER_COMMIT_TIMEOUT_SECONDS", 0.2)
    sign_in(client, people["editor"])
    from ..support.forms import form_fields, with_value

    fields = form_fields(client.get("/programs/own-program/edit").get_data(as_text=True), "/edit")
    holder = search.search_index(app).index.open().writer()  # another process is indexing
    try:
        form = MultiDict(with_value(fields, "fee", "$5 materials fee"))
        response = client.post("/programs/own-program/edit", data=form)
    finally:
        holder.cancel()
    assert response.status_code == 302
    assert client.get("/api/programs/own-program").get_json()["fee"] == "$5 materials fee"  # committed
    with Database(app.config["DATABASE"]) as db:
        assert search.lag(app, db) == 1  # not indexed yet: the index was busy
        search.catch_up(app, db)
        assert search.lag(app, db) == 0
    assert differences(app).clean


def test_a_reindex_keeps_saves_made_while_it_runs(app, catalogue):
    catalogue([program_row(id=f"program-{n}", name=f"Program {n}") for n in range(30)])
    saved = []

    def save_during_the_rebuild(step):
        if not saved:
            commit_behind_the_index(app, "program-7", name="Saved During Reindex")
            saved.append(True)

    with Database(app.config["DATABASE"]) as db:
        search.rebuild(app, db, progress=save_during_the_rebuild)
    assert saved and differences(app).clean
    assert app.test_client().get("/api/programs?q=reindex").get_json()["total"] == 1


def test_an_import_rerun_after_a_crash_still_leaves_the_index_right(app, catalogue, write_csv, runner):
    """Before: re-running an import printed 'Unchanged' and left the listings stale for good."""
    rows = [program_row(id=f"program-{n}", name=f"Program {n}") for n in range(20)]
    catalogue(rows)
    for row in rows[:5]:
        commit_behind_the_index(app, row["id"], description="Changed by an import that was killed.")
    result = runner.invoke(args=["import-programs", str(write_csv(rows))])
    assert "Updated: 5" in result.output  # the file differs from the committed change: it wins again
    assert differences(app).clean


def test_did_you_mean_never_suggests_a_word_edited_out_of_every_listing(app, catalogue, write_csv, runner):
    catalogue([program_row(description="Training in carpentry and drywall.")])
    client = app.test_client()
    assert client.get("/api/programs?q=carpentrx").get_json()["suggestion"] == "carpentry"
    runner.invoke(args=["import-programs", str(write_csv([program_row(description="Training in drywall.")]))])
    assert client.get("/api/programs?q=carpentrx").get_json()["suggestion"] is None


KILLS = 8  # bench/integrity.py kills 25 and prints the figures


def run_import(env, path):
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "import-programs", str(path)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )


def test_killing_imports_at_random_points_heals_without_any_command(tmp_path):
    """Property: imports killed at random moments, then the app starts: no difference."""
    instance = tmp_path / "instance"
    create_app({"ATLAS_INSTANCE_PATH": str(instance)})
    env = dict(os.environ, ATLAS_INSTANCE_PATH=str(instance), ATLAS_BUSY_TIMEOUT_MS="30000", PYTHONUNBUFFERED="1")
    rng = random.Random(20261130)

    def file_for(run):
        rows = [program_row(id=f"program-{n}", name=f"Program {n}", description=f"Run {run} version {n}.")
                for n in range(300)]
        path = tmp_path / f"run-{run}.csv"
        path.write_text(csv_text(rows))
        return path

    started = time.monotonic()
    run_import(env, file_for("whole")).communicate()
    whole = time.monotonic() - started  # how long an import runs when nobody kills it
    for run in range(KILLS):
        process = run_import(env, file_for(run))
        time.sleep(rng.uniform(0.2, 1.0) * whole)
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
    started = time.monotonic()
    restarted = create_app({"ATLAS_INSTANCE_PATH": str(instance)})
    assert differences(restarted).clean
    assert time.monotonic() - started < 60


def test_a_backup_restored_in_place_gets_a_fresh_index(app, catalogue, runner, write_csv, tmp_path):
    import shutil

    catalogue([program_row(name="Zebra Pathways")])
    backup = tmp_path / "backup.sqlite"
    runner.invoke(args=["backup", str(backup)])
    for name in ("Zebra Two", "Zebra Three", "Zebra Four"):
        runner.invoke(args=["import-programs", str(write_csv([program_row(name=name)]))])
    for suffix in ("", "-wal", "-shm"):
        Path(app.config["DATABASE"] + suffix).unlink(missing_ok=True)
    shutil.copy(backup, app.config["DATABASE"])  # the operator restores last night's copy
    restarted = create_app({"ATLAS_INSTANCE_PATH": app.instance_path})
    restarted.test_cli_runner().invoke(args=["import-programs", str(write_csv([program_row(name="Giraffe Works")]))])
    client = restarted.test_client()
    assert client.get("/api/programs?q=giraffe").get_json()["total"] == 1
    assert client.get("/api/programs?q=four").get_json()["total"] == 0
    assert differences(restarted).clean


def test_an_index_built_with_other_fields_is_rebuilt_at_start_up(app, catalogue, monkeypatch):
    """An upgrade that adds a facet: the old index has no such field, so every search would be empty."""
    from whoosh import fields

    from app.search import index as index_module

    catalogue([program_row(name="Welding Pathways")])
    old_schema, old_document = index_module.build_schema, index_module.document
    monkeypatch.setattr(index_module, "build_schema", lambda: fields.Schema(
        **{name: field for name, field in old_schema().items() if name != "status"}))
    monkeypatch.setattr(index_module, "document", lambda program, vocabularies: {
        k: v for k, v in old_document(program, vocabularies).items() if k != "status"})
    with Database(app.config["DATABASE"]) as db:
        search.rebuild(app, db)  # as the previous release built it
    monkeypatch.undo()
    assert "status" not in search.search_index(app).index.open().schema.names()
    restarted = create_app({"ATLAS_INSTANCE_PATH": app.instance_path})
    assert restarted.test_client().get("/api/programs?q=welding").get_json()["total"] == 1
