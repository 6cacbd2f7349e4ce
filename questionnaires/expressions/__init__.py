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

import functools
from collections.abc import Mapping

from questionnaires.expressions.syntax import (  # noqa: F401
    _WORD_OPS,
    MAX_DEPTH,
    MAX_LENGTH,
    Call,
    Chain,
    Current,
    ExpressionError,
    Negate,
    Node,
    Number,
    Ref,
    String,
    _Parser,
    _tokenize,
)
from questionnaires.expressions.values import _Evaluator, truthy

__all__ = ["ExpressionError", "Node", "evaluate", "is_true", "parse", "references", "truthy"]


@functools.lru_cache(maxsize=1024)
def _parse_cached(text: str) -> Node:
    try:
        return _Parser(text).parse()
    except RecursionError:  # belt and braces: MAX_DEPTH should make this unreachable
        raise ExpressionError("expression too deeply nested") from None


def parse(text: str) -> Node:
    """Parse ``text`` into an AST; raises ExpressionError for anything that is not valid."""
    if not isinstance(text, str):
        raise ExpressionError("expression must be a string, not %(kind)s", kind=type(text).__name__)
    if len(text) > MAX_LENGTH:
        raise ExpressionError("expression longer than %(length)s characters", length=MAX_LENGTH)
    return _parse_cached(text)


def bare_names_as_refs(text: str, prefix: str) -> str:
    """XLSForm's choice_filter syntax in ours: a bare column name (``state=${state}``) becomes ``${<prefix>state}``.

    A name followed by '(' is a function and the words and/or/div/mod stay operators; nothing else changes."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        raise ExpressionError("expression longer than %(length)s characters", length=MAX_LENGTH)
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
