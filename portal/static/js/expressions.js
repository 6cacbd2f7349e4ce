/* Browser evaluator for questionnaire relevant/constraint expressions (twin of questionnaires/expressions/).
 *
 * Same grammar, limits and semantics as the Python module (whose docstring is the reference);
 * both are checked against tests/questionnaires/expression_vectors.json. No eval, no Function:
 * text is tokenised, parsed by recursive descent into frozen objects and interpreted.
 * Exposes window.SpocExpr = {parse, evaluate, isTrue, references, truthy, ExpressionError}
 * and module.exports when loaded by node. Values: strings, numbers, booleans, arrays of strings.
 * Error positions count UTF-16 units, so they can differ from Python's after an emoji.
 */
(function (root) {
  "use strict";

  var MAX_LENGTH = 2000;
  var MAX_DEPTH = 50;
  // Explicit ASCII classes so that the Python twin (whose \s and \d are Unicode-aware) agrees.
  var WS = " \t\r\n";
  var NUMERIC = /^[ \t\r\n]*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[ \t\r\n]*$/;
  var NUMBER_TOKEN = /[0-9]+(?:\.[0-9]*)?|\.[0-9]+/y;
  var NAME_TOKEN = /[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)*/y;
  var REF_TOKEN = /\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}/y;
  var SPLIT = /[ \t\r\n]+/;
  var SYMBOLS = ["!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "(", ")", ","];
  var WORD_OPS = ["and", "or", "div", "mod"];
  var FUNCTIONS = { "selected": 2, "count-selected": 1, "string-length": 1, "not": 1, "true": 0, "false": 0, "if": 3 };
  var LEVELS = [["or"], ["and"], ["=", "!="], ["<", "<=", ">", ">="], ["+", "-"], ["*", "div", "mod"]];
  var COMPARISONS = ["=", "!=", "<", "<=", ">", ">="];

  function ExpressionError(message, position) {
    this.name = "ExpressionError";
    this.position = position === undefined ? null : position;
    this.message = position === undefined ? message : message + " at position " + position;
    this.stack = new Error(this.message).stack;
  }
  ExpressionError.prototype = Object.create(Error.prototype);
  ExpressionError.prototype.constructor = ExpressionError;

  function node(obj) { return Object.freeze(obj); }
  function has(list, value) { return list.indexOf(value) >= 0; }
  function stickyMatch(re, text, i) { re.lastIndex = i; return re.exec(text); }
  function quote(s) { return "'" + s + "'"; }

  function tokenize(text) {
    var tokens = [];
    var i = 0, n = text.length, m, c;
    while (i < n) {
      c = text.charAt(i);
      if (WS.indexOf(c) >= 0) {
        i += 1;
      } else if (c === "'" || c === '"') {
        var end = text.indexOf(c, i + 1);
        if (end < 0) throw new ExpressionError("unterminated string", i + 1);
        tokens.push({ kind: "str", value: text.slice(i + 1, end), pos: i });
        i = end + 1;
      } else if ((m = stickyMatch(NUMBER_TOKEN, text, i))) {
        tokens.push({ kind: "num", value: m[0], pos: i });
        i += m[0].length;
      } else if (c === ".") {
        tokens.push({ kind: "dot", value: ".", pos: i });
        i += 1;
      } else if (c === "$") {
        m = stickyMatch(REF_TOKEN, text, i);
        if (!m) throw new ExpressionError("malformed reference, expected ${question_id}", i + 1);
        tokens.push({ kind: "ref", value: m[1], pos: i });
        i += m[0].length;
      } else if ((m = stickyMatch(NAME_TOKEN, text, i))) {
        tokens.push({ kind: "name", value: m[0], pos: i });
        i += m[0].length;
      } else {
        var sym = null;
        for (var k = 0; k < SYMBOLS.length && sym === null; k++) {
          if (text.startsWith(SYMBOLS[k], i)) sym = SYMBOLS[k];
        }
        // Name the whole code point, as Python does, not half a surrogate pair.
        if (sym === null) throw new ExpressionError("unexpected character " + quote(String.fromCodePoint(text.codePointAt(i))), i + 1);
        tokens.push({ kind: "op", value: sym, pos: i });
        i += sym.length;
      }
    }
    tokens.push({ kind: "end", value: "", pos: n });
    return tokens;
  }

  function describe(tok) {
    if (tok.kind === "end") return "end of expression";
    if (tok.kind === "str") return "string literal";
    if (tok.kind === "ref") return "${" + tok.value + "}";
    return quote(tok.value);
  }

  function Parser(text) {
    this.tokens = tokenize(text);
    this.i = 0;
    this.depth = 0;
  }
  Parser.prototype.peek = function () { return this.tokens[this.i]; };
  Parser.prototype.advance = function () { return this.tokens[this.i++]; };
  Parser.prototype.isOp = function (value) {
    var tok = this.peek();
    return tok.kind === "op" && tok.value === value;
  };
  Parser.prototype.expect = function (value) {
    var tok = this.advance();
    if (tok.kind !== "op" || tok.value !== value) {
      throw new ExpressionError("expected " + quote(value) + " but found " + describe(tok), tok.pos + 1);
    }
  };
  Parser.prototype.nest = function (tok) {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) {
      throw new ExpressionError("expression nested more than " + MAX_DEPTH + " levels deep", tok.pos + 1);
    }
  };
  Parser.prototype.parse = function () {
    var result = this.binary(0);
    var tok = this.peek();
    if (tok.kind !== "end") throw new ExpressionError("unexpected " + describe(tok), tok.pos + 1);
    return result;
  };
  Parser.prototype.binary = function (level) {
    if (level === LEVELS.length) return this.unary();
    var first = this.binary(level + 1);
    var rest = [];
    var tok;
    while ((tok = this.peek()) && (tok.kind === "op" || tok.kind === "name") && has(LEVELS[level], tok.value)) {
      this.advance();
      rest.push(Object.freeze([tok.value, this.binary(level + 1)]));
    }
    return rest.length ? node({ type: "chain", first: first, rest: Object.freeze(rest) }) : first;
  };
  Parser.prototype.unary = function () {
    var tok = this.peek();
    if (tok.kind === "op" && tok.value === "-") {
      this.advance();
      this.nest(tok);
      var result = node({ type: "negate", operand: this.unary() });
      this.depth -= 1;
      return result;
    }
    return this.primary();
  };
  Parser.prototype.primary = function () {
    var tok = this.advance();
    if (tok.kind === "num") return node({ type: "number", value: parseFloat(tok.value) });
    if (tok.kind === "str") return node({ type: "string", value: tok.value });
    if (tok.kind === "ref") return node({ type: "ref", name: tok.value });
    if (tok.kind === "dot") return node({ type: "current" });
    if (tok.kind === "op" && tok.value === "(") {
      this.nest(tok);
      var result = this.binary(0);
      this.expect(")");
      this.depth -= 1;
      return result;
    }
    if (tok.kind === "name" && !has(WORD_OPS, tok.value)) return this.call(tok);
    throw new ExpressionError("unexpected " + describe(tok), tok.pos + 1);
  };
  Parser.prototype.call = function (tok) {
    var name = tok.value;
    if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, name)) {
      throw new ExpressionError("unknown function " + quote(name), tok.pos + 1);
    }
    this.expect("(");
    this.nest(tok);
    var args = [];
    if (!this.isOp(")")) {
      args.push(this.binary(0));
      while (this.isOp(",")) {
        this.advance();
        args.push(this.binary(0));
      }
    }
    this.expect(")");
    this.depth -= 1;
    if (args.length !== FUNCTIONS[name]) {
      throw new ExpressionError(name + "() takes " + FUNCTIONS[name] + " argument(s), got " + args.length, tok.pos + 1);
    }
    return node({ type: "call", name: name, args: Object.freeze(args) });
  };

  var cache = new Map();

  function parse(text) {
    if (typeof text !== "string") throw new ExpressionError("expression must be a string, not " + typeof text);
    if (cache.has(text)) return cache.get(text);
    // Python counts code points; only count them when it can matter.
    if (text.length > MAX_LENGTH && Array.from(text).length > MAX_LENGTH) {
      throw new ExpressionError("expression longer than " + MAX_LENGTH + " characters");
    }
    var result = new Parser(text).parse();
    if (cache.size >= 1024) cache.clear();
    cache.set(text, result);
    return result;
  }

  function references(textOrNode) {
    var found = new Set();
    var stack = [typeof textOrNode === "string" ? parse(textOrNode) : textOrNode];
    while (stack.length) {
      var n = stack.pop();
      if (n.type === "ref") found.add(n.name);
      else if (n.type === "negate") stack.push(n.operand);
      else if (n.type === "call") stack.push.apply(stack, n.args);
      else if (n.type === "chain") {
        stack.push(n.first);
        n.rest.forEach(function (pair) { stack.push(pair[1]); });
      }
    }
    return found;
  }

  function truthy(v) {
    if (typeof v === "number") return v !== 0 && !Number.isNaN(v);
    if (Array.isArray(v)) return v.length > 0;
    return Boolean(v);
  }

  function normalise(v) {
    if (typeof v === "boolean" || typeof v === "string" || typeof v === "number") return v;
    if (Array.isArray(v)) return v.map(function (item) { return typeof item === "string" ? item : toString(normalise(item)); });
    return "";
  }

  function toString(v) {
    if (typeof v === "string") return v;
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") return String(v);
    if (Array.isArray(v)) return v.join(" ");
    return "";
  }

  function numeric(v) {
    if (typeof v === "number") return v;
    if (typeof v === "string" && NUMERIC.test(v)) return parseFloat(v);  // validated above; parseFloat skips the blanks
    return null;
  }

  function toNumber(v) {
    if (typeof v === "boolean") return v ? 1 : 0;
    if (Array.isArray(v)) v = toString(v);
    var n = numeric(v);
    return n === null ? NaN : n;
  }

  function tokens(v) {
    if (Array.isArray(v)) return v;
    return toString(v).split(SPLIT).filter(function (t) { return t !== ""; });
  }

  // Code-point order, as Python compares strings (JavaScript's < compares UTF-16 units).
  function compareStrings(a, b) {
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    return (i < a.length ? 1 : 0) - (j < b.length ? 1 : 0);
  }

  function order(x, op, y) {
    if (op === "<") return x < y;
    if (op === "<=") return x <= y;
    if (op === ">") return x > y;
    return x >= y;
  }

  function compare(a, op, b) {
    if (Array.isArray(a)) a = toString(a);
    if (Array.isArray(b)) b = toString(b);
    if (typeof a === "boolean" || typeof b === "boolean") {
      if (op === "=" || op === "!=") return (truthy(a) === truthy(b)) === (op === "=");
      return order(toNumber(a), op, toNumber(b));
    }
    var x = numeric(a), y = numeric(b);
    if (x !== null && y !== null) return op === "=" ? x === y : op === "!=" ? x !== y : order(x, op, y);
    if (x !== null || y !== null) return op === "!=";
    if (op === "=" || op === "!=") return (a === b) === (op === "=");
    if (a === "" || b === "") return false;
    return order(compareStrings(a, b), op, 0);
  }

  function arithmetic(a, op, b) {
    var x = toNumber(a), y = toNumber(b);
    if (op === "+") return x + y;
    if (op === "-") return x - y;
    if (op === "*") return x * y;
    if (y === 0) return NaN;
    return op === "div" ? x / y : x % y;
  }

  function Evaluator(answers, current) {
    this.answers = answers || {};
    this.current = current;
  }
  Evaluator.prototype.visit = function (n) {
    switch (n && n.type) {
      case "number":
      case "string":
        return n.value;
      case "ref":
        // Own properties only: "${constructor}" must not reach Object.prototype.
        return Object.prototype.hasOwnProperty.call(this.answers, n.name) ? normalise(this.answers[n.name]) : "";
      case "current":
        return normalise(this.current);
      case "negate":
        return -toNumber(this.visit(n.operand));
      case "call":
        return this.call(n);
      case "chain":
        return this.chain(n);
      default:
        throw new ExpressionError("not an expression node");
    }
  };
  Evaluator.prototype.chain = function (n) {
    var op0 = n.rest[0][0], k;
    if (op0 === "and" || op0 === "or") {
      var want = op0 === "or";
      if (truthy(this.visit(n.first)) === want) return want;
      for (k = 0; k < n.rest.length; k++) {
        if (truthy(this.visit(n.rest[k][1])) === want) return want;
      }
      return !want;
    }
    var value = this.visit(n.first);
    for (k = 0; k < n.rest.length; k++) {
      var op = n.rest[k][0], right = this.visit(n.rest[k][1]);
      value = has(COMPARISONS, op) ? compare(value, op, right) : arithmetic(value, op, right);
    }
    return value;
  };
  Evaluator.prototype.call = function (n) {
    if (n.name === "true") return true;
    if (n.name === "false") return false;
    var self = this;
    var args = n.args.map(function (arg) { return self.visit(arg); });
    if (n.name === "not") return !truthy(args[0]);
    if (n.name === "selected") return tokens(args[0]).indexOf(toString(args[1])) >= 0;
    if (n.name === "count-selected") return tokens(args[0]).length;
    if (n.name === "string-length") return Array.from(toString(args[0])).length;
    if (n.name === "if") return truthy(args[0]) ? args[1] : args[2];
    throw new ExpressionError("unknown function " + quote(n.name));
  };

  function evaluate(textOrNode, answers, current) {
    var n = typeof textOrNode === "string" ? parse(textOrNode) : textOrNode;
    return new Evaluator(answers, current === undefined ? null : current).visit(n);
  }

  function isTrue(textOrNode, answers, current) {
    return truthy(evaluate(textOrNode, answers, current));
  }

  var api = {
    parse: parse, evaluate: evaluate, isTrue: isTrue, references: references,
    truthy: truthy, ExpressionError: ExpressionError
  };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  if (root) root.SpocExpr = api;
})(typeof window !== "undefined" ? window : null);
