"""The expressions' syntax: tokens, the tree of frozen dataclasses and the recursive-descent parser
(the grammar is in questionnaires/expressions/__init__.py)."""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

from portal.enums import N_
from portal.errors import RuleError, fill

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


AT_POSITION = N_("%(problem)s at position %(position)s")


class ExpressionError(RuleError):
    """An expression that cannot be parsed or evaluated; ``position`` is 1-based or None. The author's bad
    input (422), about the expression (`field`: "expression" unless the caller names the form's field).
    A `found` value is a word of the catalogue ("end of expression") or the token as written."""

    def __init__(self, message: str, position: int | None = None, field: str | None = "expression", **params):
        self.position = position
        super().__init__(message, field, **params)

    def text(self, lookup) -> str:
        params = {k: lookup(v) if k == "found" else v for k, v in self.params.items()}
        problem = fill(lookup(self.message), params, self.message)
        if self.position is None:
            return problem
        return fill(lookup(AT_POSITION), {"problem": problem, "position": self.position}, AT_POSITION)


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
                raise ExpressionError("unexpected character %(character)s", i + 1, character=repr(c))
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
            raise ExpressionError("expected %(expected)s but found %(found)s", tok.pos + 1, expected=repr(value),
                                  found=_describe(tok))

    def nest(self, tok: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("expression nested more than %(depth)s levels deep", tok.pos + 1, depth=MAX_DEPTH)

    def parse(self) -> Node:
        node = self.binary(0)
        tok = self.peek()
        if tok.kind != "end":
            raise ExpressionError("unexpected %(found)s", tok.pos + 1, found=_describe(tok))
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
        raise ExpressionError("unexpected %(found)s", tok.pos + 1, found=_describe(tok))

    def call(self, tok: _Token) -> Node:
        arity = _FUNCTIONS.get(tok.value)
        if arity is None:
            raise ExpressionError("unknown function %(name)s", tok.pos + 1, name=repr(tok.value))
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
            raise ExpressionError("%(name)s() takes %(arity)s argument(s), got %(count)s", tok.pos + 1, name=tok.value,
                                  arity=arity, count=len(args))
        return Call(tok.value, tuple(args))


def _describe(tok: _Token) -> str:
    if tok.kind == "end":
        return N_("end of expression")
    if tok.kind == "str":
        return N_("string literal")
    if tok.kind == "ref":
        return f"${{{tok.value}}}"
    return repr(tok.value)
