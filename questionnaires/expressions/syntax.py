"""Safe evaluator for questionnaire `relevant`/`constraint` expressions (see FORMAT.md "Expressions").

The same grammar and semantics are implemented in ``portal/static/js/expressions.js``; both are
checked against ``tests/questionnaires/expression_vectors.json``. Expression text never reaches eval/exec/compile:
it is tokenised, parsed by recursive descent into frozen dataclasses and interpreted.

Grammar (lowest precedence first, binary operators left-associative, as in XPath 1.0)::

    expr     := and ('or' and)*
    and      := equality ('and' equality)*
    equality := relation (('=' | '!=') relation)*
    relation := additive (('<' | '<=' | '>' | '>=') additive)*
    additive := term (('+' | '-') term)*
    term     := unary (('*' | 'div' | 'mod') unary)*
    unary    := '-' unary | primary
    primary  := NUMBER | STRING | '${' ID '}' | '.' | '(' expr ')' | FUNCTION '(' [expr (',' expr)*] ')'

NUMBER is ``[0-9]+(.[0-9]*)?`` or ``.[0-9]+``; STRING is '…' or "…" without escapes; ID is
``[A-Za-z_][A-Za-z0-9_.-]*``; names are case-sensitive. Functions (arity checked at parse time):
selected(a, v), count-selected(a), string-length(a), not(a), true(), false(), if(c, a, b).
Limits: 2000 characters, 50 levels of nesting (parentheses, function calls, unary minus).

Values and semantics:

* Answers: str, bool and lists pass through (list items become strings; dict items become '');
  int/float become float; datetime.date becomes its ISO string; None, dicts, other types and
  missing ids become '' (unanswered). ``.`` is ``current``, normalised the same way.
* Numbers are floats (as in XPath/JavaScript). A *numeric string* matches
  ``[ \\t\\r\\n]*-?([0-9]+(.[0-9]*)?|.[0-9]+)[ \\t\\r\\n]*``.
* Arithmetic converts operands to numbers (bool → 1/0, numeric string → its value, list → its
  space-joined string, anything else → NaN) and returns a float; ``div``/``mod`` by zero give NaN;
  ``mod`` truncates like JavaScript ``%`` (-5 mod 2 = -1).
* Comparison: lists are first replaced by their space-joined string. If either side is a bool,
  ``=``/``!=`` compare truthiness and ordering compares numbers (bool → 1/0). If both sides are
  numbers or numeric strings the comparison is numeric (IEEE: NaN equals nothing). If exactly one
  side is numeric, ``=`` is false, ``!=`` true, ordering false (so '' = 0 is false). Two
  non-numeric strings: ``=``/``!=`` compare the strings; ordering compares code points
  (ISO dates order correctly) but is false if either side is '' (unanswered).
* selected(a, v): v as a string is a member of list a, or of a's whitespace-separated tokens.
  count-selected(a): list length, or number of whitespace-separated tokens ('' → 0).
  string-length(a): code points in a as a string. and/or/not return bools. if(c, a, b): a when c is
  true (truthiness below), else b; both are evaluated.
* String form of values: bool → 'true'/'false', list → items joined by one space, numbers as
  JavaScript's ``String(n)`` writes them (3 → '3', 0.5 → '0.5', NaN → 'NaN').
* Truthiness (is_true): bool itself; number non-zero and not NaN; string non-empty; list non-empty.
"""

from __future__ import annotations

import datetime
import functools
import math
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["ExpressionError", "Node", "evaluate", "is_true", "parse", "references", "truthy"]

MAX_LENGTH = 2000
MAX_DEPTH = 50

# Explicit ASCII classes: Python's \s and \d are Unicode-aware and JavaScript's are not quite the
# same, and the two evaluators must agree on every input.
_WS = " \t\r\n"
_NUMERIC = re.compile(r"[ \t\r\n]*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[ \t\r\n]*")
_NUMBER_TOKEN = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_NAME_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)*")
_REF_TOKEN = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}")
_SPLIT = re.compile(r"[ \t\r\n]+")
_SYMBOLS = ("!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "(", ")", ",")
_WORD_OPS = ("and", "or", "div", "mod")
_FUNCTIONS = {"selected": 2, "count-selected": 1, "string-length": 1, "not": 1, "true": 0, "false": 0, "if": 3}
_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_LEVELS = (("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "div", "mod"))


class ExpressionError(ValueError):
    """An expression that cannot be parsed or evaluated; ``position`` is 1-based or None."""

    def __init__(self, message: str, position: int | None = None):
        self.position = position
        super().__init__(message if position is None else f"{message} at position {position}")


class Node:
    """Base class of the AST nodes."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Number(Node):
    value: float


@dataclass(frozen=True, slots=True)
class String(Node):
    value: str


@dataclass(frozen=True, slots=True)
class Ref(Node):
    name: str


@dataclass(frozen=True, slots=True)
class Current(Node):
    pass


@dataclass(frozen=True, slots=True)
class Negate(Node):
    operand: Node


@dataclass(frozen=True, slots=True)
class Call(Node):
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Chain(Node):
    """``first op1 x1 op2 x2 …`` at one precedence level, kept flat so long chains don't recurse."""

    first: Node
    rest: tuple[tuple[str, Node], ...]


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # num, str, ref, dot, op, name, end
    value: str
    pos: int  # 0-based


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in _WS:
            i += 1
        elif c in "'\"":
            end = text.find(c, i + 1)
            if end < 0:
                raise ExpressionError("unterminated string", i + 1)
            tokens.append(_Token("str", text[i + 1 : end], i))
            i = end + 1
        elif m := _NUMBER_TOKEN.match(text, i):
            tokens.append(_Token("num", m.group(), i))
            i = m.end()
        elif c == ".":
            tokens.append(_Token("dot", ".", i))
            i += 1
        elif c == "$":
            m = _REF_TOKEN.match(text, i)
            if not m:
                raise ExpressionError("malformed reference, expected ${question_id}", i + 1)
            tokens.append(_Token("ref", m.group(1), i))
            i = m.end()
        elif m := _NAME_TOKEN.match(text, i):
            tokens.append(_Token("name", m.group(), i))
            i = m.end()
        else:
            sym = next((s for s in _SYMBOLS if text.startswith(s, i)), None)
            if sym is None:
                raise ExpressionError(f"unexpected character {c!r}", i + 1)
            tokens.append(_Token("op", sym, i))
            i += len(sym)
    tokens.append(_Token("end", "", n))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def advance(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, value: str) -> None:
        tok = self.advance()
        if tok.kind != "op" or tok.value != value:
            raise ExpressionError(f"expected {value!r} but found {_describe(tok)}", tok.pos + 1)

    def nest(self, tok: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"expression nested more than {MAX_DEPTH} levels deep", tok.pos + 1)

    def parse(self) -> Node:
        node = self.binary(0)
        tok = self.peek()
        if tok.kind != "end":
            raise ExpressionError(f"unexpected {_describe(tok)}", tok.pos + 1)
        return node

    def binary(self, level: int) -> Node:
        if level == len(_LEVELS):
            return self.unary()
        first = self.binary(level + 1)
        rest = []
        while (tok := self.peek()).kind in ("op", "name") and tok.value in _LEVELS[level]:
            self.advance()
            rest.append((tok.value, self.binary(level + 1)))
        return Chain(first, tuple(rest)) if rest else first

    def unary(self) -> Node:
        tok = self.peek()
        if tok.kind == "op" and tok.value == "-":
            self.advance()
            self.nest(tok)
            node = Negate(self.unary())
            self.depth -= 1
            return node
        return self.primary()

    def primary(self) -> Node:
        tok = self.advance()
        if tok.kind == "num":
            return Number(float(tok.value))
        if tok.kind == "str":
            return String(tok.value)
        if tok.kind == "ref":
            return Ref(tok.value)
        if tok.kind == "dot":
            return Current()
        if tok.kind == "op" and tok.value == "(":
            self.nest(tok)
            node = self.binary(0)
            self.expect(")")
            self.depth -= 1
            return node
        if tok.kind == "name" and tok.value not in _WORD_OPS:
            return self.call(tok)
        raise ExpressionError(f"unexpected {_describe(tok)}", tok.pos + 1)

    def call(self, tok: _Token) -> Node:
        arity = _FUNCTIONS.get(tok.value)
        if arity is None:
            raise ExpressionError(f"unknown function {tok.value!r}", tok.pos + 1)
        self.expect("(")
        self.nest(tok)
        args: list[Node] = []
        if not (self.peek().kind == "op" and self.peek().value == ")"):
            args.append(self.binary(0))
            while self.peek().kind == "op" and self.peek().value == ",":
                self.advance()
                args.append(self.binary(0))
        self.expect(")")
        self.depth -= 1
        if len(args) != arity:
            raise ExpressionError(f"{tok.value}() takes {arity} argument(s), got {len(args)}", tok.pos + 1)
        return Call(tok.value, tuple(args))


def _describe(tok: _Token) -> str:
    if tok.kind == "end":
        return "end of expression"
    if tok.kind == "str":
        return "string literal"
    if tok.kind == "ref":
        return f"${{{tok.value}}}"
    return repr(tok.value)


@functools.lru_cache(maxsize=1024)
def _parse_cached(text: str) -> Node:
    try:
        return _Parser(text).parse()
    except RecursionError:  # belt and braces: MAX_DEPTH should make this unreachable
        raise ExpressionError("expression too deeply nested") from None


def parse(text: str) -> Node:
    """Parse ``text`` into an AST; raises ExpressionError for anything that is not valid."""
    if not isinstance(text, str):
        raise ExpressionError(f"expression must be a string, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_LENGTH} characters")
    return _parse_cached(text)


def bare_names_as_refs(text: str, prefix: str) -> str:
    """XLSForm's choice_filter syntax in ours: a bare column name (``state=${state}``) becomes ``${<prefix>state}``.

    A name followed by '(' is a function and the words and/or/div/mod stay operators; nothing else changes."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_LENGTH} characters")
    tokens = _tokenize(text)
    out, last = [], 0
    for tok, following in zip(tokens, tokens[1:], strict=False):
        if tok.kind != "name" or tok.value in _WORD_OPS or (following.kind == "op" and following.value == "("):
            continue
        out.append(text[last:tok.pos])
        out.append(f"${{{prefix}{tok.value}}}")
        last = tok.pos + len(tok.value)
    out.append(text[last:])
    return "".join(out)


def references(text: str | Node) -> set[str]:
    """The question ids referenced as ``${id}`` in an expression."""
    found: set[str] = set()
    stack = [text if isinstance(text, Node) else parse(text)]
    while stack:
        node = stack.pop()
        if isinstance(node, Ref):
            found.add(node.name)
        elif isinstance(node, Negate):
            stack.append(node.operand)
        elif isinstance(node, Call):
            stack.extend(node.args)
        elif isinstance(node, Chain):
            stack.append(node.first)
            stack.extend(operand for _, operand in node.rest)
    return found


def evaluate(
    text_or_node: str | Node, answers: Mapping[str, object] | None, current: object = None
) -> object:
    """The value of an expression: a str, float, bool or list of str (see the module docstring)."""
    node = text_or_node if isinstance(text_or_node, Node) else parse(text_or_node)
    try:
        return _Evaluator(answers or {}, current).visit(node)
    except RecursionError:
        raise ExpressionError("expression too deeply nested") from None


def is_true(text_or_node: str | Node, answers: Mapping[str, object] | None, current: object = None) -> bool:
    """Evaluate for `relevant`/`constraint`: the XPath truthiness of the value."""
    return truthy(evaluate(text_or_node, answers, current))


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
        raise ExpressionError(f"not an expression node: {type(node).__name__}")

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
        raise ExpressionError(f"unknown function {name!r}")
