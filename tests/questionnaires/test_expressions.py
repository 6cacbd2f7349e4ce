"""Tests for the questionnaire expression language: shared vectors (Python and JS), fuzzing, safety."""

from __future__ import annotations

import dataclasses
import datetime
import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionnaires.expressions import (
    ExpressionError,
    evaluate,
    is_true,
    parse,
    references,
    truthy,
)

ROOT = Path(__file__).resolve().parents[2]
JS_PATH = ROOT / "portal" / "static" / "js" / "expressions.js"
PY_DIR = ROOT / "questionnaires" / "expressions"
VECTORS = json.loads((Path(__file__).with_name("expression_vectors.json")).read_text(encoding="utf-8"))
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not on PATH, the JS evaluator cannot be run")

# Reads [{expr, answers, current}] on stdin, prints one tagged result per case; values are tagged
# because JSON has no NaN and would blur 1 and true.
NODE_RUNNER = r"""
const E = require(process.argv[1]);
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
function enc(v) {
  if (typeof v === "number") {
    return Number.isNaN(v) ? ["nan"] : Number.isFinite(v) ? ["num", v] : ["inf", v > 0 ? 1 : -1];
  }
  if (typeof v === "boolean") return ["bool", v];
  if (typeof v === "string") return ["str", v];
  if (Array.isArray(v)) return ["list", v];
  return ["other", String(v)];
}
const out = cases.map(function (c) {
  try { return enc(E.evaluate(c.expr, c.answers || {}, c.current)); }
  catch (e) { return e instanceof E.ExpressionError ? ["error"] : ["crash", String(e && e.stack || e)]; }
});
process.stdout.write(JSON.stringify(out));
"""


def encode(value: object) -> list:
    """Python twin of the runner's enc(): a JSON-safe, type-tagged value."""
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, float):
        if math.isnan(value):
            return ["nan"]
        return ["num", value] if math.isfinite(value) else ["inf", 1 if value > 0 else -1]
    if isinstance(value, str):
        return ["str", value]
    if isinstance(value, list):
        return ["list", value]
    return ["other", repr(value)]


def run_python(case: dict) -> list:
    try:
        return encode(evaluate(case["expr"], case.get("answers", {}), case.get("current")))
    except ExpressionError:
        return ["error"]


def run_js(cases: list[dict]) -> list[list]:
    payload = [{k: c[k] for k in ("expr", "answers", "current") if k in c} for c in cases]
    proc = subprocess.run(
        [NODE, "-e", NODE_RUNNER, str(JS_PATH)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(proc.stdout)


def check_vector(vector: dict, got: list) -> None:
    """Assert one tagged result (from either evaluator) against a vector's expectation."""
    if vector.get("error"):
        assert got == ["error"], f"{vector['expr']!r} should be an ExpressionError, got {got}"
        return
    assert got[0] not in ("error", "crash"), f"{vector['expr']!r} failed: {got}"
    if vector.get("expect_nan"):
        assert got == ["nan"]
    elif "expect_true" in vector:
        assert got[0] != "other"
        decoded = math.nan if got[0] == "nan" else got[1] if got[0] != "inf" else math.inf
        assert truthy(decoded) is vector["expect_true"]
    else:
        expect = vector["expect"]
        kind = {bool: "bool", str: "str", list: "list", int: "num", float: "num"}[type(expect)]
        assert got[0] == kind and got[1] == expect, f"expected {expect!r}, got {got}"


def vector_id(vector: dict) -> str:
    text = vector["expr"]
    return (text if len(text) <= 40 else f"{text[:30]}…({len(text)} chars)").replace("\n", "\\n")


@pytest.fixture(scope="module")
def js_vector_results() -> list[list]:
    return run_js(VECTORS)


def test_vector_file_is_substantial():
    assert sum(1 for v in VECTORS if not v.get("error")) >= 80
    assert sum(1 for v in VECTORS if v.get("error")) >= 20
    text = " ".join(v["expr"] for v in VECTORS)
    for token in ["!=", "<=", ">=", " div ", " mod ", " and ", " or ", "not(", "selected(", "count-selected(",
                  "string-length(", "true()", "false()", "${", "'", '"', "."]:
        assert token in text, f"no vector uses {token!r}"


@pytest.mark.parametrize("vector", VECTORS, ids=vector_id)
def test_vector_python(vector):
    check_vector(vector, run_python(vector))


@needs_node
@pytest.mark.parametrize("index", range(len(VECTORS)), ids=[vector_id(v) for v in VECTORS])
def test_vector_javascript(index, js_vector_results):
    check_vector(VECTORS[index], js_vector_results[index])


# --- Python API details ------------------------------------------------------------------------

def test_error_names_position_and_is_a_value_error():
    with pytest.raises(ExpressionError, match="at position 5") as info:
        parse("1 + )")
    assert info.value.position == 5
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("bad", [None, 5, ["${a}"], b"1"])
def test_non_string_expression_is_an_expression_error(bad):
    with pytest.raises(ExpressionError):
        evaluate(bad, {})


def test_parse_is_cached_and_nodes_are_frozen():
    node = parse("${a} + 1 = 2")
    assert parse("${a} + 1 = 2") is node
    with pytest.raises(dataclasses.FrozenInstanceError):
        node.first = None
    assert is_true(node, {"a": "1"}) and not is_true(node, {})


def test_python_only_answer_types_are_normalised():
    answers = {"t": ("a", "b"), "big": 10**400, "d": datetime.date(2024, 5, 1),
               "mixed": [1, 2.5, True, None, {"a": 1}], "obj": object()}
    assert evaluate("${t}", answers) == ["a", "b"]
    assert evaluate("${big} > 1", answers) is True
    assert evaluate("${d} < '2024-06-01'", answers) is True
    assert evaluate("${mixed}", answers) == ["1", "2.5", "true", "", ""]
    assert evaluate("${obj}", answers) == ""
    assert evaluate("${a}", None) == ""


def test_long_flat_chains_do_not_recurse():
    assert evaluate(" and ".join(["1=1"] * 250), {}) is True  # 1995 characters
    assert evaluate("1" + "*1" * 999, {}) == 1


@pytest.mark.parametrize("deep", ["(" * 1000 + "1" + ")" * 1000, "not(" * 400 + "1" + ")" * 400,
                                  "-" * 1500 + "1", "count-selected(" * 120 + "1" + ")" * 120])
def test_deep_nesting_is_an_expression_error(deep):
    with pytest.raises(ExpressionError, match=r"nested|longer"):
        parse(deep)


def test_evaluators_contain_no_dynamic_code_execution():
    py = "\n".join(p.read_text(encoding="utf-8") for p in sorted(PY_DIR.glob("*.py")))
    assert "def parse" in py and "class _Evaluator" in py
    assert not re.search(r"(?<![\w.])(eval|exec|compile|__import__|literal_eval)\s*\(", py)
    assert "import ast" not in py and "importlib" not in py
    js = JS_PATH.read_text(encoding="utf-8")
    assert not re.search(r"\beval\s*\(|\bFunction\s*\(|\bsetTimeout\b|\bsetInterval\b|\bimport\s*\(", js)


# --- safety canaries -----------------------------------------------------------------------------

def canaries(marker: Path) -> list[str]:
    cmd = f"touch {marker}"
    return [
        f"__import__('os').system('{cmd}')",
        f"${{__import__('os').system('{cmd}')}}",
        f"1 and __import__('os').system('{cmd}')",
        f"'x' = '' or __import__(\"os\").system(\"{cmd}\")",
        f"eval(\"__import__('os').system('{cmd}')\")",
        f"exec('import os; os.system(\"{cmd}\")')",
        f"[c for c in ().__class__.__base__.__subclasses__()]  # {cmd}",
        f"require('child_process').execSync('{cmd}')",
        f"constructor.constructor(\"require('child_process').execSync('{cmd}')\")()",
        f"${{constructor}}.constructor('{cmd}')()",
        f"'{cmd}'; process.exit(1)",
    ]


def test_canaries_do_not_execute_python(tmp_path):
    marker = tmp_path / "pwned"
    for text in canaries(marker):
        with pytest.raises(ExpressionError):
            evaluate(text, {"os": "x"})
    assert not marker.exists()


@needs_node
def test_canaries_do_not_execute_javascript(tmp_path):
    marker = tmp_path / "pwned"
    results = run_js([{"expr": text, "answers": {}} for text in canaries(marker)])
    assert results == [["error"]] * len(results)
    assert not marker.exists()


# --- property tests ------------------------------------------------------------------------------

IDS = ["a", "b", "l", "s", "n", "d", "m", "q.x-1"]
ANSWERS = {"a": "yes", "b": "", "l": ["x", "y"], "s": "x z", "n": "12.5", "d": "2024-02-29",
           "m": {"r": "c"}, "q.x-1": 3}
TOKENS = ["${a}", "${b}", "${l}", "${n}", "${zz}", ".", "0", "1", "2.5", ".5", "'x'", '"5"', "''", "=", "!=",
          "<", "<=", ">", ">=", "+", "-", "*", "div", "mod", "and", "or", "not(", "selected(",
          "count-selected(", "string-length(", "true()", "false()", "(", ")", ",", "$", "{", "}", "'", '"']


def _leaf() -> st.SearchStrategy[tuple[str, frozenset[str]]]:
    refs = st.sampled_from(IDS).map(lambda i: ("${" + i + "}", frozenset([i])))
    texts = ["0", "1", "2.5", ".5", "10", "-3", "'x'", "'yes'", "''", '"5"', "'2024-01-01'", ".",
             "true()", "false()"]
    literals = st.sampled_from(texts).map(lambda t: (t, frozenset()))
    return refs | literals


def _combine(children):
    ops = st.sampled_from(["=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod", "and", "or"])
    binary = st.tuples(children, ops, children).map(
        lambda t: (f"{t[0][0]} {t[1]} {t[2][0]}", t[0][1] | t[2][1]))
    unary = st.sampled_from(["not(%s)", "count-selected(%s)", "string-length(%s)", "(%s)", "-%s"])
    call1 = st.tuples(unary, children).map(lambda t: (t[0] % t[1][0], t[1][1]))
    sel = st.tuples(children, children).map(lambda t: (f"selected({t[0][0]}, {t[1][0]})", t[0][1] | t[1][1]))
    return binary | call1 | sel


valid_exprs = st.recursive(_leaf(), _combine, max_leaves=12)
token_soup = st.lists(st.sampled_from(TOKENS), max_size=15).flatmap(
    lambda toks: st.sampled_from([" ", ""]).map(lambda sep: sep.join(toks)))


def _only_expression_errors(text: str) -> None:
    try:
        evaluate(text, ANSWERS, current="7")
        references(text)
    except ExpressionError:
        pass


@given(st.text(max_size=120))
def test_arbitrary_text_only_raises_expression_error(text):
    _only_expression_errors(text)


@given(token_soup)
def test_token_soup_only_raises_expression_error(text):
    _only_expression_errors(text)


@given(valid_exprs)
def test_generated_expressions_evaluate_and_report_their_references(pair):
    text, ids = pair
    value = evaluate(text, ANSWERS, current="7")
    assert isinstance(value, bool | float | str | list)
    assert isinstance(is_true(text, ANSWERS), bool)
    assert references(text) == set(ids)


@needs_node
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(valid_exprs.map(lambda pair: pair[0]) | token_soup | st.text(max_size=30),
                min_size=30, max_size=60),
       st.sampled_from([None, "7", "", ["x"], 0]))
def test_python_and_javascript_agree(texts, current):
    cases = [{"expr": t, "answers": ANSWERS, "current": current} for t in texts]
    py = [run_python(c) for c in cases]
    js = run_js(cases)
    for case, a, b in zip(cases, py, js, strict=True):
        assert a == b, f"{case['expr']!r}: python {a} != javascript {b}"
