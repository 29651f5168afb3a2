"""The bundled catalogue imports cleanly through `init-db`, and a second run leaves it alone."""

from ..support.bundled_data import ORGANIZATIONS, PROGRAMS


def test_init_db_takes_every_bundled_row(bundled):
    assert bundled.init_db_exit_code == 0, bundled.init_db_output
    assert "Rejected: 0" in bundled.init_db_output
    assert f"Inserted: {len(PROGRAMS)}" in bundled.init_db_output
    assert f"Search index built: {len(PROGRAMS)} programs." in bundled.init_db_output


def test_init_db_leaves_an_existing_catalogue_alone(bundled):
    again = bundled.test_cli_runner().invoke(args=["init-db"])
    assert again.exit_code == 0
    assert "nothing to do" in again.output


def test_init_db_takes_every_organization(bundled):
    assert f"Rows read: {len(ORGANIZATIONS)}" in bundled.init_db_output
