"""The Whoosh index on disk: open it, rebuild it, keep it in step with the store, check it.

The instance folder holds ``index``, a symbolic link to the current index directory. A rebuild
writes a fresh directory and swaps the link atomically, so searches never see a half-built
index. Incremental updates take the index's write lock with a timeout, so several workers
writing at once queue up instead of losing writes.

Each index directory records in ``applied`` the database's index-outbox position it reflects:
everything committed up to that point is in it, and anything later is still to apply.
"""

import contextlib
import fcntl
import gc
import os
import secrets
import shutil
import threading
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index

from .schema import build_schema, document, spelling_words

LINK_NAME = "index"
WORDS_FILE = "words.txt"
APPLIED_FILE = "applied"
WRITE_TIMEOUT_SECONDS = 30
KEEP_GENERATIONS = 2
PARALLEL_FROM = 5000  # programs; below this a second indexing process costs more than it saves


@dataclass
class Differences:
    """How the index differs from the database."""

    missing: list = field(default_factory=list)  # in the database, not in the index
    extra: list = field(default_factory=list)  # in the index, not in the database
    stale: list = field(default_factory=list)  # indexed from an older version of the record

    @property
    def clean(self):
        return not (self.missing or self.extra or self.stale)


class SearchIndex:
    """One process's handle on the index; reopens itself when a rebuild swaps the link."""

    def __init__(self, instance_path):
        self.folder = Path(instance_path)
        self.link = self.folder / LINK_NAME
        self._index = None
        self._target = None
        self._lock = threading.Lock()  # request threads and the index watcher share this handle

    def target(self):
        try:
            return os.readlink(self.link)
        except OSError:
            return None

    def exists(self):
        target = self.target()
        return target is not None and whoosh_index.exists_in(self.folder / target)

    def open(self):
        """The current Whoosh index, reopened if a rebuild replaced it."""
        return self._current()[0]

    def _current(self):
        """(index, its directory), read together so a swap in between cannot mix them."""
        with self._lock:
            target = self.target()
            if target is None:
                raise FileNotFoundError(f"no search index in {self.folder}")
            if self._index is None or target != self._target:
                self._index = whoosh_index.open_dir(self.folder / target)
                self._target = target
            return self._index, self.folder / target

    def usable(self):
        """True when the index can be opened and searched, and knows what it has applied."""
        with warnings.catch_warnings():
            # Whoosh leaves the file of an unreadable table of contents open; it is collected
            # here rather than warned about later.
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                with self.open().searcher() as searcher:
                    searcher.doc_count()
            except Exception:  # noqa: BLE001 - any failure to open means "rebuild it"
                self._index = None
                gc.collect()
                return False
        return self.applied() is not None

    def applied(self, directory=None):
        """The outbox position this index reflects, or None (an index from before positions)."""
        directory = directory or self.directory()
        try:
            return int((directory / APPLIED_FILE).read_text())
        except (OSError, TypeError, ValueError):
            return None

    def directory(self):
        target = self.target()
        return None if target is None else self.folder / target

    def rebuild(self, programs, vocabularies, progress=None, expected=0, applied=0):
        """Index every program into a fresh directory, then swap it in. Returns the count.

        ``expected`` (the number of programs, when known) lets a large rebuild use a second
        process; ``applied`` is the outbox position the programs were read at.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"index-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        directory = self.folder / name
        directory.mkdir()
        built = whoosh_index.create_in(directory, build_schema())
        parallel = expected >= PARALLEL_FROM
        # A large memory pool keeps each indexing process from spilling sorted runs to disk.
        writer = built.writer(
            limitmb=1024 if parallel else 256, procs=2 if parallel else 1, multisegment=parallel
        )
        words, count = Counter(), 0
        try:
            for program in programs:
                doc = document(program, vocabularies)
                writer.add_document(**doc)
                words.update(spelling_words(doc))
                count += 1
                if progress:
                    progress(1)
        except BaseException:
            writer.cancel()
            shutil.rmtree(directory, ignore_errors=True)
            raise
        writer.commit()
        _write_words(directory, words)
        _write_applied(directory, applied)
        self._swap(name)
        return count

    def words(self):
        """{word: count} of the words indexed, as typed, for spelling suggestions."""
        directory = self.directory()
        return _read_words(directory) if directory else Counter()

    def _swap(self, name):
        temporary = self.folder / f".{LINK_NAME}-{name}"
        os.symlink(name, temporary)
        os.replace(temporary, self.link)
        self._remove_old_generations(keep=name)

    def _remove_old_generations(self, keep):
        """Delete all but the newest few index directories (a reader may still use the last)."""
        directories = sorted(
            (p for p in self.folder.glob("index-*") if p.is_dir() and p.name != keep),
            key=lambda p: p.stat().st_mtime,
        )
        for old in directories[: max(0, len(directories) - (KEEP_GENERATIONS - 1))]:
            shutil.rmtree(old, ignore_errors=True)

    @contextlib.contextmanager
    def rebuild_lock(self):
        """Only one process rebuilds at a time (workers starting together, say)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / "index.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def update(self, load, vocabularies, timeout=WRITE_TIMEOUT_SECONDS):
        """Apply what the database committed since this index's position, in one commit.

        ``load(applied)`` returns (programs, removed ids, new position). It runs only once the
        index's write lock is held, so what is indexed is the database as it stands after every
        earlier writer: two workers updating one listing cannot leave the older version in the
        index. Raises whoosh's LockError when the lock stays busy for ``timeout`` seconds.
        Returns the number of programs applied.
        """
        current, directory = self._current()
        writer = current.writer(timeout=timeout)
        try:
            applied = self.applied(directory) or 0
            programs, removed, position = load(applied)
            if position <= applied:
                writer.cancel()
                return 0
            words = Counter()
            for program in programs:
                doc = document(program, vocabularies)
                writer.update_document(**doc)
                words.update(spelling_words(doc))
            for program_id in removed:
                writer.delete_by_term("id", program_id)
            _write_words(directory, _read_words(directory) + words)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        _write_applied(directory, position)
        return len(programs) + len(removed)

    def check(self, programs, vocabularies):
        """Compare the index with the database's programs."""
        with self.open().searcher() as searcher:
            indexed = {fields["id"]: fields.get("digest") for fields in searcher.all_stored_fields()}
        differences = Differences()
        for program in programs:
            expected = document(program, vocabularies)["digest"]
            found = indexed.pop(program["id"], None)
            if found is None:
                differences.missing.append(program["id"])
            elif found != expected:
                differences.stale.append(program["id"])
        differences.extra = sorted(indexed)
        return differences


def _write_applied(directory, position):
    _replace_file(directory / APPLIED_FILE, str(int(position)))


def _write_words(directory, words):
    _replace_file(directory / WORDS_FILE, "".join(f"{word}\t{count}\n" for word, count in sorted(words.items())))


def _replace_file(path, text):
    """Replace a file atomically: readers see the old content or the new, never half. The
    temporary name is unique per call, since a worker's request threads and its index watcher
    may write at once."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _read_words(directory):
    words = Counter()
    try:
        with open(directory / WORDS_FILE, encoding="utf-8") as handle:
            for line in handle:
                word, _, count = line.rstrip("\n").partition("\t")
                if word:
                    words[word] = int(count or 1)
    except FileNotFoundError:
        pass
    return words
