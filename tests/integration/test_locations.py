"""A site whose postal-code point lies outside its own postal district is moved to the
district's centre and reported: a bad row in the postal-code table must not put a program 14 km
from where it is."""

from app.db import Database

from ..support.geo import needs_geo_mirror
from ..support.rows import program_row


@needs_geo_mirror
def test_a_point_outside_its_district_is_moved_and_reported(geo_app, write_csv):
    runner = geo_app.test_cli_runner()
    rows = [program_row(id="tess-john-street", address="55 John Street, Toronto", postal_code="M5V 3C6"),
            program_row(id="queen-street", address="100 Queen St W, Toronto", postal_code="M5H 2N2")]
    result = runner.invoke(args=["import-programs", str(write_csv(rows))])
    assert result.exit_code == 0, result.output
    assert "Sites moved to their postal district's centre: 1" in result.output
    assert "55 John Street, Toronto (M5V 3C6): the postal-code table puts it 13.6 km outside district M5V" in result.output
    with Database(geo_app.config["DATABASE"]) as db:
        moved = db.catalog.get_program("tess-john-street")["sites"][0]
        kept = db.catalog.get_program("queen-street")["sites"][0]
    assert moved["location_precision"] == "fsa" and 43.63 < moved["latitude"] < 43.66  # downtown, not North York
    assert moved["ward"] == "10"  # Spadina-Fort York
    assert kept["location_precision"] == "postal_code"
    again = runner.invoke(args=["import-programs", str(write_csv(rows))])
    assert "Unchanged: 2" in again.output  # the move is stable


@needs_geo_mirror
def test_editing_a_listing_keeps_its_sites_where_the_check_put_them(geo_app, write_csv, tmp_path):
    import datetime as dt

    from app.catalog.changes import further_sites_text
    from app.catalog.editing import edit_program
    from app.geo import places
    from app.geo.postcodes import locate

    sites = tmp_path / "sites.csv"
    sites.write_text("program_id,address,postal_code\nqueen-street,55 John Street,M5V 3C6\n")
    runner = geo_app.test_cli_runner()
    result = runner.invoke(args=["import-programs", str(write_csv([program_row(id="queen-street")])), "--sites", str(sites)])
    assert "Sites moved to their postal district's centre: 1" in result.output
    boundaries = places.load(geo_app.instance_path)
    with Database(geo_app.config["DATABASE"]) as db:
        current = db.catalog.get_program("queen-street")
    common = {"vocabularies": geo_app.extensions["atlas.vocabularies"], "locate": locate, "today": dt.date.today(),
              "place": boundaries.place, "misplaced": boundaries.misplaced}
    record, changes, _ = edit_program(current, {"fee": "$5", "further_sites": further_sites_text(current)},
                                      editable=["fee"], **common)
    assert changes == {"fee": ["free", "$5"]}
    assert record["sites"][1]["location_precision"] == "fsa" and record["sites"][1]["ward"] == "10"
    record, _, _ = edit_program(current, {"postal_code": "M5V 3C6", "address": "55 John Street",
                                          "latitude": "", "longitude": "", "location_precision": ""},
                                editable=["postal_code", "address", "latitude", "longitude", "location_precision"],
                                **common)
    assert record["sites"][0]["location_precision"] == "fsa" and record["sites"][0]["ward"] == "10"
