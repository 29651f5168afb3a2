"""Run the atlas under gunicorn, as `make run` does, on a free loopback port, for tests and
benchmarks that need several real worker processes."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(instance, workers=4, **settings):
    """Yield the base URL of gunicorn serving ``instance``; stop it (and its workers) after."""
    port = free_port()
    env = dict(os.environ, ATLAS_INSTANCE_PATH=str(instance), HOST="127.0.0.1", PORT=str(port),
               WORKERS=str(workers), **{k: str(v) for k, v in settings.items()})
    gunicorn = Path(sys.executable).parent / "gunicorn"
    log = open(Path(instance) / "gunicorn.log", "ab")
    server = subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=PROJECT, env=env,
                              stdout=log, stderr=log, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        log.close()


def _wait_until_up(base, server, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(base + "/programs", timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def run_together(threads):
    """Start the clients' threads at once and wait until every one has finished."""
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
