"""Work a server worker repeats on its own, in a daemon thread started after the fork: a thread
started in the master would not exist in the workers."""

import threading


class Periodic:
    """Runs ``check()`` every ``interval`` seconds until ``stop()``; ``check`` must never raise
    (it logs its own errors and tries again next round). ``at_once`` runs the first round when
    the thread starts rather than one interval later."""

    name = "atlas-periodic"
    at_once = True

    def __init__(self, app, interval):
        self.app = app
        self.interval = interval
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=self.name, daemon=True)

    def _run(self):
        if self.at_once:
            self.check()
        while not self.stopped.wait(self.interval):
            self.check()

    def check(self):
        raise NotImplementedError

    def start(self):
        self.thread.start()
        return self

    def stop(self, timeout=10):
        """Ask the thread to finish after its current round, and wait for it."""
        self.stopped.set()
        self.thread.join(timeout)
