"""Each domain package imports on its own, in a fresh interpreter, after any other one: nothing configures the
mappers at import time (a loader option built at module level did, and failed on whichever relationship pointed at
a package not imported yet)."""

from __future__ import annotations

import subprocess
import sys
from itertools import permutations
from pathlib import Path

import pytest

from app import DOMAIN_BLUEPRINTS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("first", DOMAIN_BLUEPRINTS)
def test_a_domain_package_imports_first_and_after_every_other(first):
    # One interpreter a package: it imports first, then every other in turn after it.
    order = [first, *[name for name in DOMAIN_BLUEPRINTS if name != first]]
    code = "import importlib\n" + "".join(f"importlib.import_module({name!r})\n" for name in order)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_models_of_every_order_of_two_import_cleanly():
    pairs = [f"import {a}.models, {b}.models" for a, b in permutations(["events", "honors", "judging"], 2)]
    run = "import subprocess, sys; subprocess.run([sys.executable, '-c', {!r}], check=True)"
    code = "\n".join(run.format(pair) for pair in pairs)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
