"""A caseworker types the way people talk and finds the right programs first, then narrows."""

import pytest

from ..support.rows import program_row

# (what a practitioner types, the program that must be in the top 3)
STORIES = [
    ("tech jobs for young people", "npower-canada-junior-it-analyst"),
    ("cook training", "covenant-house-toronto-cooking-for-life"),
    ("help for internationally trained engineers", "toronto-metropolitan-university-ieeqb"),
    ("Scarborough youth", "east-scarborough-storefront-east-scarborough-works-construction-pathway"),
    ("hospitality training", "hospitality-workers-training-centre-new-entrant-training"),
    ("mentoring for immigrant professionals", "triec-mentoring-partnership"),
    ("internationally educated nurses", "centennial-college-bridging-to-university-nursing-ien"),
    ("pharmacist licensing", "university-of-toronto-international-pharmacy-graduate-program"),
    ("midwife", "toronto-metropolitan-university-international-midwifery-bridging"),
    ("film production assistant", "pov-production-assistant-training-program"),
    ("black youth construction", "toronto-community-benefits-network-nexgen-builders"),
    ("indigenous employment", "miziwe-biik-aboriginal-employment-and-training-employment-and-training-services"),
    ("French employment services", "centre-francophone-du-grand-toronto-services-emploi"),
    ("blind job seekers", "cnib-foundation-come-to-work"),
    ("autism employment", "geneva-centre-for-autism-autism-workforce-development-hub"),
    ("mental health social enterprise courier", "a-way-express-courier-employment"),
    ("homeless youth printing", "evas-initiatives-for-homeless-youth-graphic-communication-and-print-training"),
    ("refugee youth", "fcj-refugee-centre-youth-network"),
    ("literacy tutoring", "parkdale-project-read-literacy-and-basic-skills"),
    ("community benefits apprenticeship", "toronto-community-benefits-network-community-benefits-pipeline"),
    ("labour market research", "toronto-workforce-innovation-group-labour-market-information"),
    ("youth start a business", "youth-employment-services-bizstart"),
    ("older workers", "woodgreen-community-services-skills-for-success-for-experienced-workers"),
    ("2SLGBTQ youth", "sherbourne-health-supporting-our-youth"),
    ("Etobicoke employment", "jobstart-employment-services"),
    ("millwright", "george-brown-college-industrial-millwright-pre-apprenticeship"),
    ("digital skills library", "toronto-public-library-digital-innovation-hubs"),
    ("immigrants", "triec-professional-immigrant-networks"),
]


def api(client, **params):
    response = client.get("/api/programs", query_string=params)
    return response.status_code, response.get_json()


@pytest.mark.parametrize("text, expected", STORIES)
def test_a_practitioner_finds_the_program_in_the_top_three(bundled_client, text, expected):
    _, data = api(bundled_client, q=text)
    top = [program["id"] for program in data["results"][:3]]
    assert expected in top, (text, top)


@pytest.mark.parametrize("text, ended", [
    ("finance internships students", "toronto-finance-international-aspire"),  # a pilot that ended in 2020
    ("Ontario Works", "city-of-toronto-tess-ontario-works-employment-supports"),  # moved to Employment Ontario
])
def test_ended_programs_are_found_only_when_asked_for(bundled_client, text, ended):
    assert ended not in [p["id"] for p in api(bundled_client, q=text)[1]["results"]]
    assert ended in [p["id"] for p in api(bundled_client, q=text, status="ended")[1]["results"][:3]]


@pytest.mark.parametrize(
    "text, facet, slug",
    [
        ("young people", "population", "youth"),
        ("IT", "sector", "ict"),
        ("tech", "sector", "ict"),
        ("immigrants", "population", "newcomers"),
        ("trades", "sector", "construction-trades"),
    ],
)
def test_synonyms_find_every_program_of_their_term(bundled_client, text, facet, slug):
    _, classified = api(bundled_client, **{facet: slug})
    _, searched = api(bundled_client, q=text, per_page=100)
    found = {program["id"] for program in searched["results"]}
    expected = {program["id"] for program in api(bundled_client, **{facet: slug}, per_page=100)[1]["results"]}
    assert expected <= found
    assert classified["total"] == len(expected)


def test_stemming_matches_plurals_and_verb_forms(bundled_client):
    _, singular = api(bundled_client, q="immigrant")
    _, plural = api(bundled_client, q="immigrants")
    assert singular["total"] == plural["total"] > 0
    _, noun = api(bundled_client, q="helps")
    _, verb = api(bundled_client, q="helping")
    assert noun["total"] == verb["total"] > 0


def test_did_you_mean_corrects_from_the_index_vocabulary(bundled_client):
    status, data = api(bundled_client, q="hospitalty")
    assert status == 200
    assert data["total"] == 0
    assert data["suggestion"] == "hospitality"
    assert api(bundled_client, q="hospitality")[1]["suggestion"] is None


def test_exclusions_remove_programs(bundled_client):
    _, everything = api(bundled_client, q="youth", per_page=100)
    _, without = api(bundled_client, q='youth -"construction"', per_page=100)
    assert 0 < without["total"] < everything["total"]
    assert all("construction" not in (p["description"] or "").lower() for p in without["results"])


def test_phrases_match_words_together(bundled_client):
    _, phrase = api(bundled_client, q='"paid placement"')
    _, words = api(bundled_client, q="paid placement")
    assert 0 < phrase["total"] < words["total"]


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "youth"}, {"q": "training", "sector": "construction-trades"}, {"population": ["women", "youth"], "mode": "in-person"}],
)
def test_every_facet_count_equals_the_total_its_filter_returns(bundled_client, params):
    _, data = api(bundled_client, **params)
    checked = 0
    for facet, counts in data["facets"].items():
        for slug, count in list(counts.items())[:6]:
            narrowed = {k: v for k, v in params.items() if k != facet}
            narrowed[facet] = slug
            _, filtered = api(bundled_client, **narrowed)
            assert filtered["total"] == count, (facet, slug)
            checked += 1
    assert checked > 10


def test_filters_or_within_a_facet_and_and_across(bundled_client):
    women = api(bundled_client, population="women")[1]["total"]
    youth = api(bundled_client, population="youth")[1]["total"]
    both = api(bundled_client, population=["women", "youth"])[1]["total"]
    assert max(women, youth) <= both <= women + youth
    narrowed = api(bundled_client, population=["women", "youth"], sector="construction-trades")[1]["total"]
    assert narrowed < both


def test_an_empty_search_lists_everything_by_name(bundled_client):
    _, data = api(bundled_client, per_page=100)
    assert data["total"] >= 100
    names = [p["name"].casefold() for p in data["results"]]
    assert names == sorted(names)


def test_api_contract_keys_and_paging(bundled_client):
    status, data = api(bundled_client, q="youth", page=2, per_page=5)
    assert status == 200
    assert set(data) >= {"total", "results", "facets", "suggestion"}
    assert data["page"] == 2 and data["per_page"] == 5 and len(data["results"]) == 5
    assert set(data["facets"]) >= {"sector", "population", "intervention", "stage", "stream", "mode", "language"}
    first_page = api(bundled_client, q="youth", page=1, per_page=5)[1]["results"]
    assert not {p["id"] for p in first_page} & {p["id"] for p in data["results"]}


@pytest.mark.parametrize(
    "params, field",
    [
        ({"per_page": "1000"}, "per_page"),
        ({"page": "0"}, "page"),
        ({"sector": "tech"}, "sector"),
        ({"ward": "26"}, "ward"),
        ({"sort": "price"}, "sort"),
        ({"open_within_days": "-1"}, "open_within_days"),
        ({"q": "x" * 201}, "q"),
        ({"q": " ".join(f"word{n}" for n in range(17))}, "q"),
    ],
)
def test_bad_parameters_get_a_json_error_naming_them(bundled_client, params, field):
    status, data = api(bundled_client, **params)
    assert status == 400
    assert data["error"]["field"] == field
    assert data["error"]["message"]


def test_sort_by_next_intake_puts_dated_programs_first(client, catalogue):
    catalogue(
        [
            program_row(id="later", name="Later", next_intake_date="2099-01-01"),
            program_row(id="sooner", name="Sooner", next_intake_date="2098-01-01"),
            program_row(id="rolling", name="Anytime", intake="continuous", next_intake_date=""),
        ]
    )
    _, data = api(client, sort="next_intake")
    assert [p["id"] for p in data["results"]] == ["sooner", "later", "rolling"]


def test_open_within_days_keeps_continuous_and_soon_starting_programs(client, catalogue):
    import datetime as dt

    soon = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    catalogue(
        [
            program_row(id="soon", name="Soon", next_intake_date=soon),
            program_row(id="far", name="Far", next_intake_date="2099-01-01"),
            program_row(id="rolling", name="Anytime", intake="continuous", next_intake_date=""),
        ]
    )
    _, data = api(client, open_within_days=30)
    assert sorted(p["id"] for p in data["results"]) == ["rolling", "soon"]


def test_openapi_documents_the_search_contract(bundled_client):
    document = bundled_client.get("/api/openapi.json").get_json()
    search = document["paths"]["/api/programs"]["get"]
    names = {parameter["name"] for parameter in search["parameters"]}
    assert names >= {"q", "sector", "population", "intervention", "stage", "ward", "neighbourhood",
                     "language", "mode", "page", "per_page", "sort", "open_within_days"}
    per_page = next(p for p in search["parameters"] if p["name"] == "per_page")
    assert per_page["schema"]["maximum"] == 100
    assert "youth" in next(p for p in search["parameters"] if p["name"] == "population")["schema"]["items"]["enum"]
    assert set(document["components"]["schemas"]["SearchResponse"]["required"]) == {"total", "results", "facets", "suggestion"}


def test_search_page_highlights_matches_and_shows_facets(bundled_client):
    page = bundled_client.get("/programs?q=cook+training").get_data(as_text=True)
    assert "<mark>" in page
    assert 'name="population"' in page and "Who it serves" in page
    assert 'value="cook training"' in page


def test_zero_results_offer_a_way_out(bundled_client):
    page = bundled_client.get("/programs?q=midwife&sector=construction-trades").get_data(as_text=True)
    assert "No programs match" in page
    assert "Remove the filter “Industry”" in page
    misspelt = bundled_client.get("/programs?q=hospitalty").get_data(as_text=True)
    assert "Did you mean" in misspelt and "hospitality</a>" in misspelt


def test_search_text_is_escaped_on_the_page(bundled_client):
    page = bundled_client.get('/programs', query_string={"q": '<script>alert(1)</script> "x'}).get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_import_updates_the_index_in_the_same_command(client, catalogue, runner, write_csv):
    catalogue([program_row()])
    assert api(client, q="pathways")[1]["total"] == 1
    renamed = write_csv([program_row(name="Digital Futures", description="Cloud support training.")], name="renamed.csv")
    runner.invoke(args=["import-programs", str(renamed)])
    assert api(client, q="pathways")[1]["total"] == 0
    assert api(client, q="cloud")[1]["total"] == 1


def test_check_index_reports_differences_and_reindex_repairs_them(app, client, catalogue, runner, db):
    catalogue([program_row(), program_row(id="second", name="Second")])
    assert runner.invoke(args=["check-index"]).exit_code == 0
    with db.write():
        db.connection.execute("UPDATE programs SET name = 'Changed behind the index' WHERE id = 'second'")
    report = runner.invoke(args=["check-index"])
    assert report.exit_code == 1
    assert "1 programs out of date in the index: second" in report.output
    rebuilt = runner.invoke(args=["reindex"])
    assert "Indexed 2 programs." in rebuilt.output
    assert runner.invoke(args=["check-index"]).exit_code == 0
    assert api(client, q="behind")[1]["total"] == 1


def _delete(directory):
    import shutil

    shutil.rmtree(directory)


def _scramble(directory):
    for path in directory.iterdir():
        path.write_bytes(b"not an index")


@pytest.mark.parametrize("damage", [_delete, _scramble], ids=["missing", "unreadable"])
def test_a_missing_or_unreadable_index_is_rebuilt_when_the_app_starts(tmp_path, damage):
    from app import create_app
    from app.search import search_index

    from ..support.rows import csv_text

    config = {"ATLAS_INSTANCE_PATH": str(tmp_path / "instance")}
    app = create_app(config)
    path = tmp_path / "one.csv"
    path.write_text(csv_text([program_row()]))
    app.test_cli_runner().invoke(args=["import-programs", str(path)])
    index = search_index(app).index
    damage(index.folder / index.target())
    restarted = create_app(config)
    assert restarted.test_client().get("/api/programs?q=pathways").get_json()["total"] == 1


@pytest.mark.parametrize(
    "params, field",
    [({"page": "²"}, "page"), ({"per_page": "٣"}, "per_page"), ({"open_within_days": "²"}, "open_within_days"),
     ({"ward": "25\n"}, "ward")],
)
def test_look_alike_digits_and_trailing_newlines_are_refused(bundled_client, params, field):
    status, data = api(bundled_client, **params)
    assert status == 400 and data["error"]["field"] == field
