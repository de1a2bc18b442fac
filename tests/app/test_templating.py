"""Template helpers of app/templating.py: `url_with_id` builds the same links as `url_for`, once per table."""

from __future__ import annotations

import pytest
from flask import request, url_for

from app.templating import url_for_page, url_with_id


@pytest.mark.parametrize("entry_id", [1, 7, 42, 918273645, 10**15])
def test_url_with_id_gives_what_url_for_gives(app, entry_id):
    with app.test_request_context():
        assert url_with_id("competitions.entry", "entry_id")(entry_id) == url_for(
            "competitions.entry", entry_id=entry_id
        )


def test_url_with_id_keeps_the_other_values_and_the_script_root(app):
    with app.test_request_context("/", base_url="http://example.vn/sangtao/"):
        link = url_with_id("competitions.manage_entries", "contest_id", status="all", q="nông sản")
        assert link(3) == url_for("competitions.manage_entries", contest_id=3, status="all", q="nông sản")
        assert link(3).startswith("/sangtao/contests/manage/3/entries?")


def test_url_with_id_takes_integers_only(app):
    with app.test_request_context():
        link = url_with_id("competitions.entry", "entry_id")
        assert link("12") == url_for("competitions.entry", entry_id=12)
        with pytest.raises(ValueError):
            link("12/../../admin")


def test_an_id_that_is_no_route_argument_goes_to_the_query_string_as_with_url_for(app):
    with app.test_request_context():
        assert url_with_id("main.index", "entry_id")(5) == url_for("main.index", entry_id=5)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?page=2",
        "?q=n%C3%B4ng+s%E1%BA%A3n&field=3&page=4&status=all",
        "?contest_id=99&q=a%26b&page=x",  # an argument named like the route's: the route's value wins
        "?q=918273645546372819",  # the marker itself, typed in a search
    ],
)
def test_url_for_page_gives_the_current_url_with_another_page(app, query):
    with app.test_request_context("/contests/manage/3/entries" + query, base_url="http://example.vn/sangtao/"):
        args = {k: v for k, v in request.args.to_dict().items() if k not in ("contest_id", "page")}
        for page in (1, 2, 17, 2, 1):  # the same answers, built once per request
            expected = url_for("competitions.manage_entries", contest_id=3, **args, page=str(page))
            assert url_for_page(page) == expected
        assert url_for_page(5).startswith("/sangtao/contests/manage/3/entries?")
