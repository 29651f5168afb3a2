"""Several processes importing at once into one database all succeed: no "database is locked"."""

import os
import subprocess
import sys

from app.store import Store

from .conftest import csv_text, program_row

WRITERS = 4
ROWS_EACH = 40


def test_parallel_imports_lose_nothing(tmp_path):
    env = dict(os.environ, ATLAS_INSTANCE_PATH=str(tmp_path / "instance"), ATLAS_BUSY_TIMEOUT_MS="20000")
    files = []
    for writer in range(WRITERS):
        rows = [program_row(id=f"w{writer}-p{n}", name=f"Writer {writer} program {n}") for n in range(ROWS_EACH)]
        path = tmp_path / f"writer-{writer}.csv"
        path.write_text(csv_text(rows))
        files.append(path)
    command = [sys.executable, "-m", "flask", "--app", "app", "import-programs"]
    processes = [
        subprocess.Popen(command + [str(path)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for path in files
    ]
    outputs = [process.communicate(timeout=120)[0] for process in processes]
    assert [process.returncode for process in processes] == [0] * WRITERS, outputs
    assert all(f"Inserted: {ROWS_EACH}" in output for output in outputs)
    store = Store(tmp_path / "instance" / "atlas.sqlite")
    assert store.count_programs() == WRITERS * ROWS_EACH
    store.close()
