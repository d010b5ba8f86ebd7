/**
 * Parser for the `filters` query parameter of SailPoint's standard collection parameters:
 *   field eq "x" | field in ("a", "b") | field isnull | pr field | not … | … and … | … or … | ( … )
 * Operators and keywords are lowercase only (SailPoint rejects `EQ`); field names are case-sensitive.
 * Literals: "strings" (escapes \\ and \" only), numbers, true/false and RFC 3339 date-times, which
 * may be unquoted. Precedence: not > and > or. Errors are Invalid('filters', '… at position N').
 */
import { Invalid } from '../../errors.js';
import { MAX_FILTER_DEPTH, Scanner } from '../scanner.js';
import { parseDateTime } from '../compare.js';

export type SailPointCompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'co' | 'sw';
export type SailPointOp = SailPointCompareOp | 'in' | 'isnull' | 'pr';

export type SailPointValue =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  /** An unquoted RFC 3339 date-time, kept as written (validated by the parser). */
  | { kind: 'datetime'; value: string };

export type SailPointFilter =
  | { type: 'compare'; field: string; op: SailPointCompareOp; value: SailPointValue; pos: number }
  | { type: 'in'; field: string; values: SailPointValue[]; pos: number }
  | { type: 'isnull'; field: string; pos: number }
  | { type: 'pr'; field: string; pos: number }
  | { type: 'and'; filters: SailPointFilter[] }
  | { type: 'or'; filters: SailPointFilter[] }
  | { type: 'not'; filter: SailPointFilter };

const COMPARE_OPS: ReadonlySet<string> = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'co', 'sw']);
const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'pr', 'in', 'isnull', 'true', 'false']);

const WORD = /[A-Za-z0-9_.$-]+/y;
const FIELD = /^[A-Za-z_$][A-Za-z0-9_.$-]*$/;
// Full RFC 3339 date-time (seconds and offset required) or a bare full-date.
const DATE_TIME = /\d{4}-\d{2}-\d{2}(?:[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2}))?/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const END_OF_TOKEN = /(?=[\s(),]|$)/y;

export function parseSailPointFilter(text: string): SailPointFilter {
  return new SailPointParser(text).parse();
}

/** Throws the SailPoint flavour of Invalid; exported for the compiler. */
export function sailPointInvalid(reason: string, detail: Record<string, unknown> = {}): never {
  throw new Invalid('filters', reason, detail);
}

class SailPointParser {
  private readonly s: Scanner;
  private depth = 0;

  constructor(text: string) {
    this.s = new Scanner(text, (reason, position) => sailPointInvalid(reason, { position }));
  }

  parse(): SailPointFilter {
    const filter = this.parseOr();
    this.s.skipSpace();
    if (!this.s.done) this.s.error(`expected 'and', 'or' or end of filter, found ${this.found()}`);
    return filter;
  }

  private parseOr(): SailPointFilter {
    const filters = [this.parseAnd()];
    while (this.keyword('or')) filters.push(this.parseAnd());
    return filters.length === 1 ? filters[0] : { type: 'or', filters };
  }

  private parseAnd(): SailPointFilter {
    const filters = [this.parseUnary()];
    while (this.keyword('and')) filters.push(this.parseUnary());
    return filters.length === 1 ? filters[0] : { type: 'and', filters };
  }

  /** `not` applies to the next unary term (a primitive, a group or another `not`). */
  private parseUnary(): SailPointFilter {
    const s: Scanner = this.s;
    s.skipSpace();
    const pos = s.pos;
    if (this.keyword('not')) {
      this.enter(pos);
      const filter: SailPointFilter = { type: 'not', filter: this.parseUnary() };
      this.depth--;
      return filter;
    }
    if (s.eat('(')) {
      this.enter(pos);
      const inner = this.parseOr();
      s.skipSpace();
      if (!s.eat(')')) s.error(`expected ')' to close '(' at position ${pos}, found ${this.found()}`);
      this.depth--;
      return inner;
    }
    if (this.keyword('pr')) {
      s.skipSpace();
      return { type: 'pr', field: this.parseField(), pos };
    }
    return this.parsePrimitive();
  }

  private parsePrimitive(): SailPointFilter {
    const s: Scanner = this.s;
    const pos = s.pos;
    const field = this.parseField();
    s.skipSpace();
    const opPos = s.pos;
    const op = s.match(WORD);
    if (op === undefined) s.error(`expected an operator after '${field}', found ${this.found()}`);
    if (op === 'isnull') {
      this.endOfToken();
      return { type: 'isnull', field, pos };
    }
    if (op === 'in') {
      s.skipSpace();
      if (!s.eat('(')) s.error(`expected '(' after 'in', found ${this.found()}`);
      const values = [this.parseValue()];
      for (s.skipSpace(); s.eat(','); s.skipSpace()) values.push(this.parseValue());
      if (!s.eat(')')) s.error(`expected ',' or ')' in the 'in' list, found ${this.found()}`);
      return { type: 'in', field, values, pos };
    }
    if (COMPARE_OPS.has(op))
      return { type: 'compare', field, op: op as SailPointCompareOp, value: this.parseValue(), pos };
    const lower = op.toLowerCase();
    if (COMPARE_OPS.has(lower) || lower === 'in' || lower === 'isnull') {
      s.error(`operator '${op}' must be lowercase ('${lower}')`, opPos);
    }
    return s.error(`unknown operator '${op}'`, opPos);
  }

  private parseField(): string {
    const s: Scanner = this.s;
    const pos = s.pos;
    const word = s.match(WORD);
    if (word === undefined || KEYWORDS.has(word) || COMPARE_OPS.has(word) || !FIELD.test(word)) {
      s.pos = pos;
      s.error(`expected a field name, found ${this.found()}`);
    }
    return word;
  }

  private parseValue(): SailPointValue {
    const s: Scanner = this.s;
    s.skipSpace();
    const pos = s.pos;
    if (s.peek() === '"') return { kind: 'string', value: this.parseString() };
    const date = s.match(DATE_TIME);
    if (date !== undefined) {
      this.endOfToken(pos);
      if (parseDateTime(date) === undefined) s.error(`invalid date-time '${date}'`, pos);
      return { kind: 'datetime', value: date };
    }
    const num = s.match(NUMBER);
    if (num !== undefined) {
      this.endOfToken(pos);
      const value = Number(num);
      if (!Number.isFinite(value)) s.error(`number '${num}' is out of range`, pos);
      return { kind: 'number', value };
    }
    const word = s.match(WORD);
    if (word === 'true' || word === 'false') {
      this.endOfToken(pos);
      return { kind: 'boolean', value: word === 'true' };
    }
    s.pos = pos;
    if (word === undefined) return s.error(`expected a value, found ${this.found()}`);
    return s.error(`invalid value '${word}' (strings must be double-quoted; true and false are lowercase)`);
  }

  /** Double-quoted; SailPoint defines only the escapes \\ and \". */
  private parseString(): string {
    const s: Scanner = this.s;
    const start = s.pos;
    s.eat('"');
    let out = '';
    for (;;) {
      if (s.done) s.error('unterminated string starting', start);
      const ch = s.peek();
      if (ch === '"') break;
      if (ch === '\\') {
        const esc = s.text[s.pos + 1] ?? '';
        if (esc !== '\\' && esc !== '"')
          s.error(`invalid escape '\\${esc}' in string (only \\\\ and \\" are allowed)`);
        out += esc;
        s.pos += 2;
        continue;
      }
      out += ch;
      s.pos++;
    }
    s.eat('"');
    return out;
  }

  /** Consumes a lowercase keyword if it is the next whole word. */
  private keyword(kw: string): boolean {
    const s = this.s;
    s.skipSpace();
    const pos = s.pos;
    if (s.match(WORD) === kw) return true;
    s.pos = pos;
    return false;
  }

  private endOfToken(tokenPos = this.s.pos): void {
    if (this.s.match(END_OF_TOKEN) === undefined)
      this.s.error(`unexpected ${this.found()} after token at position ${tokenPos}`);
  }

  /** Describes the cursor's token, hinting when an uppercase keyword was probably meant. */
  private found(): string {
    const pos = this.s.pos;
    const word = this.s.match(WORD);
    this.s.pos = pos;
    const hint =
      word && word !== word.toLowerCase() && KEYWORDS.has(word.toLowerCase())
        ? ' (keywords are lowercase)'
        : '';
    return this.s.describe() + hint;
  }

  private enter(pos: number): void {
    if (++this.depth > MAX_FILTER_DEPTH) this.s.error('filter is nested too deeply', pos);
  }
}
