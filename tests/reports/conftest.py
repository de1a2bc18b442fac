"""Each test of the reports starts with workers' memories empty (`app.remembered`): what a test sees never comes from
what an earlier test counted. `world`: editions of two years with entries and published results."""

from __future__ import annotations

import random

import pytest

from reports import views
from reports.sources import contests
from tests.reports.factories import add_entries, make_world, publish_random


@pytest.fixture(autouse=True)
def _forget_counted_reports():
    for memory in (contests.remembered, contests.remembered_tables, views._rendered):
        memory.clear()
    yield


@pytest.fixture
def world():
    rng = random.Random(9)
    built = make_world()
    for key, n in (("innovation", 14), ("youth", 12), ("district", 6), ("earlier", 5)):
        add_entries(built, key, n, rng)
    for key in ("innovation", "youth", "earlier"):
        publish_random(built, key, rng)
    return built
