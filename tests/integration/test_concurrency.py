"""Several processes writing at once, while others search: nothing is lost or left stale."""

import os
import subprocess
import sys
import threading

from app import create_app
from app.db import Database

from ..support.rows import csv_text, program_row

WRITERS = 4
ROWS_EACH = 30
SHARED = 10  # listings every writer updates, each with its own version


def write_files(tmp_path):
    files = []
    for writer in range(WRITERS):
        rows = [program_row(id=f"w{writer}-p{n}", name=f"Writer {writer} program {n}") for n in range(ROWS_EACH)]
        rows += [
            program_row(id=f"shared-{n}", name=f"Shared {n}", description=f"Version from writer {writer}.")
            for n in range(SHARED)
        ]
        path = tmp_path / f"writer-{writer}.csv"
        path.write_text(csv_text(rows))
        files.append(path)
    return files


def test_parallel_writers_and_readers_leave_index_equal_to_database(tmp_path):
    instance = tmp_path / "instance"
    env = dict(os.environ, ATLAS_INSTANCE_PATH=str(instance), ATLAS_BUSY_TIMEOUT_MS="30000")
    app = create_app({"ATLAS_INSTANCE_PATH": str(instance)})
    client = app.test_client()
    searches, stop = [], threading.Event()

    def search_while_writing():
        while not stop.is_set():
            searches.append(client.get("/api/programs?q=program&population=youth").status_code)

    reader = threading.Thread(target=search_while_writing)
    reader.start()
    command = [sys.executable, "-m", "flask", "--app", "app", "import-programs"]
    processes = [
        subprocess.Popen(command + [str(path)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for path in write_files(tmp_path)
    ]
    outputs = [process.communicate(timeout=180)[0] for process in processes]
    stop.set()
    reader.join()

    assert [process.returncode for process in processes] == [0] * WRITERS, outputs
    assert not any("locked" in output.lower() or "Traceback" in output for output in outputs)
    with Database(instance / "atlas.sqlite") as db:
        assert db.catalog.count_programs() == WRITERS * ROWS_EACH + SHARED
    assert searches and set(searches) == {200}
    check = app.test_cli_runner().invoke(args=["check-index"])
    assert check.exit_code == 0, check.output
    assert client.get("/api/programs").get_json()["total"] == WRITERS * ROWS_EACH + SHARED
