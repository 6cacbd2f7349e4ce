"""The reports through the JSON API: the tables a client reads are the page's, with the page's
visibility (other countries' own words only in a shared round), 404 outside the round, 422 naming
the parameter."""

from __future__ import annotations

import html
import json

import pytest

from reports.page import cells
from tests.reports.conftest import EARLIER


def rows_html(rows) -> list[str]:
    """The rows of a report table as the page renders them (first cell a row header; each column's numbers
    with the same decimal places)."""
    out = []
    for values in cells(rows):
        first, *rest = [html.escape(v, quote=False) for v in values]
        out.append(f'<th scope="row">{first}</th>' + "".join(f"<td>{v}</td>" for v in rest))
    return out


def tables_of(body) -> dict:
    return {t["key"]: t for t in body["tables"]}


def report(client, rid, **params):
    r = client.get(f"/api/v1/reports/rounds/{rid}", query_string=params)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_the_secretariat_reads_every_table_as_the_page_shows_it(api, login_as, submitted_round):
    rid = submitted_round()
    web, user = login_as("secretariat")
    client = api(user)
    listed = client.get("/api/v1/reports/rounds").get_json()
    assert [(r["id"], r["submitted"], r["invited"], r["shared"]) for r in listed] == [
        (rid, 3, ["BE", "DE", "FR", "NL"], False)]
    body = report(client, rid)
    assert body["countries"] == ["BE", "DE", "NL"] and body["all_free_text"] is True and body["position"] is None
    assert "Weighted mean of the item scores" in body["method"]
    tables = tables_of(body)
    assert "changes" not in tables and {"maturity", "matrix", "free_text", "swot", "frequencies"} <= set(tables)
    page = web.get(f"/reports/rounds/{rid}").get_data(as_text=True)

    maturity = tables["maturity"]
    assert [c["title"] for c in maturity["columns"]][:3] == ["Country", "Maturity index", "Rank"]
    assert {r["country"]: r["rank"] for r in maturity["records"]} == {"BE": 1, "DE": 2, "NL": 3}
    for row in rows_html([[r["country"], r["index"], r["rank"]] for r in maturity["records"]]):
        assert row in page
    assert next(r["index"] for r in maturity["records"] if r["country"] == "BE") == 100

    matrix = tables["matrix"]  # the answers per country per question
    assert [c["name"] for c in matrix["columns"]] == ["country", "h247", "host", "units", "needs[new]",
                                                      "needs[senior]", "formats"]
    be = next(r for r in matrix["records"] if r["country"] == "BE")
    assert be["host"] == "Police" and be["units"] == "ENU; NCB" and be["needs[senior]"] == "Low"
    for row in rows_html([[r[c["name"]] for c in matrix["columns"]] for r in matrix["records"]]):
        assert row in page

    texts = {(r["country"], r["text"]) for r in tables["free_text"]["records"]}
    assert {("BE", "=SUM(A1:A9)"), ("NL", "NL SPOC")} <= texts
    assert {r["country"] for r in tables["swot"]["records"]} == {"BE", "NL"}


def test_a_head_of_spoc_reads_the_network_tables_and_own_position_but_not_others_own_words(api, login_as,
                                                                                          submitted_round):
    rid = submitted_round()
    web, user = login_as("head_of_spoc", "NL")
    body = report(api(user), rid)
    assert body["all_free_text"] is False
    # the network view: no rank, the index against the network's spread, no other country's index
    assert body["position"]["country"] == "NL" and (body["position"]["rank"], body["position"]["of"]) == (None, 3)
    assert body["position"]["where"] == "in the bottom quarter of the network" and body["league"] is False
    tables = tables_of(body)
    assert [r["country"] for r in tables["maturity"]["records"]] == ["NL"]
    assert "rank" not in {c["name"] for c in tables["maturity"]["columns"]}
    assert [(r["country"], r["text"]) for r in tables["free_text"]["records"]] == [("NL", "NL SPOC")]
    assert {r["country"] for r in tables["swot"]["records"]} == {"NL"}
    text = json.dumps(body)
    for words in ("=SUM(A1:A9)", "Fast replies", "Few staff", "Quality check", "Duty officer"):
        assert words not in text, words
    # everyone's choice answers are part of the comparison, on the page and here
    page = web.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    matrix = tables["matrix"]
    assert {r["country"] for r in matrix["records"]} == {"BE", "DE", "NL"}
    for row in rows_html([[r[c["name"]] for c in matrix["columns"]] for r in matrix["records"]]):
        assert row in page


def test_own_words_go_to_other_readers_only_from_the_countries_that_agreed(api, make_user, submitted_round):
    rid = submitted_round(shared=True, consent=("BE",))
    body = report(api(make_user("head_of_spoc", "NL")), rid, tables="free_text")
    assert body["all_free_text"] is False and body["free_text_from"] == ["BE", "NL"]
    assert {r["country"] for r in tables_of(body)["free_text"]["records"]} == {"BE", "NL"}
    observer = api(make_user("observer"))  # the round is released to observers: BE's words, not NL's
    assert [r["id"] for r in observer.get("/api/v1/reports/rounds").get_json()] == [rid]
    body = report(observer, rid, tables="free_text,maturity")
    assert {r["country"] for r in tables_of(body)["free_text"]["records"]} == {"BE"}
    assert tables_of(body)["maturity"]["records"] == [] and body["position"] is None


def test_league_tables_turned_on_for_a_round_give_the_ranks(api, make_user, submitted_round):
    rid = submitted_round(league=True)
    body = report(api(make_user("head_of_spoc", "NL")), rid, tables="maturity")
    assert body["league"] is True and body["round"]["league_tables"] is True
    assert (body["position"]["rank"], body["position"]["of"]) == (3, 3)
    assert [r["country"] for r in tables_of(body)["maturity"]["records"]] == ["BE", "DE", "NL"]


@pytest.mark.parametrize(("role", "country"), [("head_of_spoc", "PL"), ("observer", None), ("officer", "PL")])
def test_users_outside_the_round_get_404_and_an_empty_list(api, make_user, submitted_round, role, country):
    rid = submitted_round()
    client = api(make_user(role, country))
    r = client.get(f"/api/v1/reports/rounds/{rid}")
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/reports/rounds").get_json() == []


def test_tables_can_be_chosen_and_an_unknown_one_is_422_naming_the_parameter(api, make_user, submitted_round):
    earlier = submitted_round(EARLIER, title="Small survey 2025", days_ago=200)
    rid = submitted_round()
    client = api(make_user("secretariat"))
    body = report(client, rid, tables="maturity, changes")
    assert [t["key"] for t in body["tables"]] == ["maturity", "changes"]
    assert [(r["country"], r["maturity_now"] > r["maturity_before"]) for r in body["tables"][1]["records"]
            if r["country"] == "BE"] == [("BE", True)]  # BE became 24/7 since the earlier round
    r = client.get(f"/api/v1/reports/rounds/{rid}", query_string={"tables": "maturity,secrets"})
    assert r.status_code == 422 and "secrets" in r.get_json()["error"]["fields"]["tables"]
    assert client.get("/api/v1/reports/rounds/999999").status_code == 404
    assert report(client, earlier, tables="changes")["tables"] == []  # nothing before the first round


def test_the_report_api_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert set(paths["/api/v1/reports/rounds/{round_id}"]["get"]["responses"]) == {"200", "401", "404", "422"}
    assert set(paths["/api/v1/reports/rounds"]["get"]["responses"]) == {"200", "401"}
