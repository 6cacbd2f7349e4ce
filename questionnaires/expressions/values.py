"""The expressions' values: conversions, comparison, arithmetic and the tree's interpreter
(the semantics are in questionnaires/expressions/__init__.py)."""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping

from questionnaires.expressions.syntax import (
    _NUMERIC,
    _ORDER,
    _SPLIT,
    _WS,
    Call,
    Chain,
    Current,
    ExpressionError,
    Negate,
    Node,
    Number,
    Ref,
    String,
)


def truthy(value: object) -> bool:
    """XPath-style truth of an evaluated value (see the module docstring)."""
    if isinstance(value, float):
        return value != 0 and not math.isnan(value)
    return bool(value)


def _normalise(value: object) -> object:
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        return _to_float(value)
    if isinstance(value, list | tuple):
        return [item if isinstance(item, str) else _to_string(_normalise(item)) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""


def _to_float(value: int | float) -> float:
    try:
        return float(value)
    except OverflowError:  # ints beyond the float range
        return math.inf if value > 0 else -math.inf


def _to_string(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _number_to_string(value)
    if isinstance(value, list):
        return " ".join(value)
    return ""


def _number_to_string(x: float) -> str:
    """Format like JavaScript's String(x), which the browser evaluator uses."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == int(x) and abs(x) < 1e21:
        return str(int(x))
    text = repr(x)  # shortest round-trip digits, as in JavaScript, but a different exponent style
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    sign = "-" if mantissa.startswith("-") else ""
    digits = mantissa.lstrip("-").replace(".", "")
    point = int(exponent) + 1  # value = 0.digits * 10**point
    # Only tiny fractions get here: anything >= 1e16 is integral and was handled above.
    if -6 < point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    rest = f".{digits[1:]}" if len(digits) > 1 else ""
    return f"{sign}{digits[0]}{rest}e{'+' if point > 0 else '-'}{abs(point - 1)}"


def _numeric(value: object) -> float | None:
    """The number a value stands for, or None when it is not a number or numeric string."""
    if isinstance(value, float):
        return value
    if isinstance(value, str) and _NUMERIC.fullmatch(value):
        return float(value.strip(_WS))
    return None


def _to_number(value: object) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, list):
        value = _to_string(value)
    number = _numeric(value)
    return math.nan if number is None else number


def _tokens(value: object) -> list[str]:
    if isinstance(value, list):
        return value
    return [t for t in _SPLIT.split(_to_string(value)) if t]


def _compare(a: object, op: str, b: object) -> bool:
    if isinstance(a, list):
        a = _to_string(a)
    if isinstance(b, list):
        b = _to_string(b)
    if isinstance(a, bool) or isinstance(b, bool):
        if op in ("=", "!="):
            return (truthy(a) == truthy(b)) == (op == "=")
        return _ORDER[op](_to_number(a), _to_number(b))
    x, y = _numeric(a), _numeric(b)
    if x is not None and y is not None:
        return x == y if op == "=" else x != y if op == "!=" else _ORDER[op](x, y)
    if x is not None or y is not None:
        return op == "!="
    if op in ("=", "!="):
        return (a == b) == (op == "=")
    if a == "" or b == "":
        return False
    return _ORDER[op](a, b)


def _arithmetic(a: object, op: str, b: object) -> float:
    x, y = _to_number(a), _to_number(b)
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if y == 0:
        return math.nan
    if op == "div":
        return x / y
    # fmod truncates like JavaScript's %, but raises on an infinite dividend where % gives NaN.
    return math.nan if math.isinf(x) else math.fmod(x, y)


class _Evaluator:
    def __init__(self, answers: Mapping[str, object], current: object):
        self.answers = answers
        self.current = current

    def visit(self, node: Node) -> object:
        if isinstance(node, Number | String):
            return node.value
        if isinstance(node, Ref):
            return _normalise(self.answers.get(node.name))
        if isinstance(node, Current):
            return _normalise(self.current)
        if isinstance(node, Negate):
            return -_to_number(self.visit(node.operand))
        if isinstance(node, Call):
            return self.call(node)
        if isinstance(node, Chain):
            return self.chain(node)
        raise ExpressionError("not an expression node: %(kind)s", kind=type(node).__name__)

    def chain(self, node: Chain) -> object:
        op0 = node.rest[0][0]
        if op0 in ("and", "or"):
            # Short-circuit as XPath does; the result is always a bool.
            want = op0 == "or"
            if truthy(self.visit(node.first)) == want:
                return want
            return next((want for _, x in node.rest if truthy(self.visit(x)) == want), not want)
        value = self.visit(node.first)
        for op, operand in node.rest:
            right = self.visit(operand)
            if op in ("=", "!=", "<", "<=", ">", ">="):
                value = _compare(value, op, right)
            else:
                value = _arithmetic(value, op, right)
        return value

    def call(self, node: Call) -> object:
        name = node.name
        if name == "true":
            return True
        if name == "false":
            return False
        args = [self.visit(arg) for arg in node.args]
        if name == "not":
            return not truthy(args[0])
        if name == "selected":
            return _to_string(args[1]) in _tokens(args[0])
        if name == "count-selected":
            return float(len(_tokens(args[0])))
        if name == "string-length":
            return float(len(_to_string(args[0])))
        if name == "if":
            return args[1] if truthy(args[0]) else args[2]
        raise ExpressionError("unknown function %(name)s", name=repr(name))
