"""Whatever a file holds, the importer answers with a report and an exit status, never a trace."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.catalog.importer import import_programs
from app.catalog.vocabulary import load_all
from app.geo.postcodes import locate
from app.settings import PROJECT_ROOT
from app.db import Database

from ..support.rows import csv_text, program_row

VOCABULARIES = load_all(PROJECT_ROOT / "data" / "vocabulary")
HEADER = csv_text([program_row()]).splitlines()[0]

cells = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
lines = st.lists(st.lists(cells, max_size=40).map(lambda c: ",".join(c)), max_size=6)


def run(tmp_path, data):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    db = Database(":memory:")
    db.migrate()
    report = import_programs(
        db, path, vocabularies=VOCABULARIES, locate=locate, today=dt.date.today(), max_bytes=1_000_000
    )
    db.close()
    return report


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(tmp_path, data):
    report = run(tmp_path, data)
    assert report.exit_code in (0, 1, 2)
    assert report.lines()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=lines, quote=st.sampled_from(['', '"', '""', '\x00', '\r']))
def test_ragged_quoted_and_odd_rows_never_raise(tmp_path, body, quote):
    text = HEADER + "\n" + "\n".join(quote + line for line in body)
    report = run(tmp_path, text.encode("utf-8"))
    assert report.exit_code in (0, 1, 2)
    assert report.rows_read == len(report.inserted) + len(report.unchanged) + len(report.updated) + report.rejected_rows or report.unusable
