/**
 * RFC 7644 §3.4.2.2 SCIM filter parser. Keywords, operators and attribute names are
 * case-insensitive (operators are normalised to lowercase, names kept as written); compValue
 * strings are JSON strings; `not` must be followed by a parenthesised filter; `and` binds
 * tighter than `or`. Errors are Invalid('filter', …) carrying scimType invalidFilter and the
 * 0-based character position.
 */
import { Invalid } from '../../errors.js';
import { MAX_FILTER_DEPTH, Scanner } from '../scanner.js';
import type { CompareOp } from '../compare.js';

export type ScimCompareOp = CompareOp;
export type ScimValue = string | number | boolean | null;

/** An attribute path as written: `[uri:]name[.subAttr]`. */
export interface ScimAttrPath {
  uri?: string;
  name: string;
  subAttr?: string;
  /** Position of the path in the filter text. */
  pos: number;
}

export type ScimFilter =
  | { type: 'compare'; attr: ScimAttrPath; op: ScimCompareOp; value: ScimValue; pos: number }
  | { type: 'present'; attr: ScimAttrPath; pos: number }
  | { type: 'and'; filters: ScimFilter[] }
  | { type: 'or'; filters: ScimFilter[] }
  | { type: 'not'; filter: ScimFilter }
  /** `attr[filter]`: the inner filter's attributes are sub-attributes of `attr`. */
  | { type: 'valuePath'; attr: ScimAttrPath; filter: ScimFilter; pos: number };

const LOGICAL: ReadonlySet<string> = new Set(['and', 'or', 'not']);
const COMPARE_OPS: ReadonlySet<string> = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

// Runs of characters that can belong to an attribute path or keyword; validated afterwards so
// that errors can say what is wrong (e.g. a name starting with a digit).
const WORD = /[A-Za-z0-9_:.-]+/y;
const ATTR_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const URI = /^[A-Za-z][A-Za-z0-9_.:-]*$/;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// What may follow a value or `pr`: whitespace, a closing bracket or the end.
const END_OF_TOKEN = /(?=[\s)\]]|$)/y;

export function parseScimFilter(text: string): ScimFilter {
  return new ScimParser(text).parse();
}

/** Throws the SCIM flavour of Invalid for a filter problem; exported for the compiler. */
export function scimInvalid(reason: string, detail: Record<string, unknown> = {}): never {
  throw new Invalid('filter', reason, { scimType: 'invalidFilter', ...detail });
}

class ScimParser {
  private readonly s: Scanner;
  private depth = 0;

  constructor(text: string) {
    this.s = new Scanner(text, (reason, position) => scimInvalid(reason, { position }));
  }

  parse(): ScimFilter {
    const filter = this.parseOr(false);
    this.s.skipSpace();
    if (!this.s.done) this.s.error(`expected 'and', 'or' or end of filter, found ${this.s.describe()}`);
    return filter;
  }

  private parseOr(inValuePath: boolean): ScimFilter {
    const filters = [this.parseAnd(inValuePath)];
    while (this.keyword('or')) filters.push(this.parseAnd(inValuePath));
    return filters.length === 1 ? filters[0] : { type: 'or', filters };
  }

  private parseAnd(inValuePath: boolean): ScimFilter {
    const filters = [this.parseUnary(inValuePath)];
    while (this.keyword('and')) filters.push(this.parseUnary(inValuePath));
    return filters.length === 1 ? filters[0] : { type: 'and', filters };
  }

  /** A parenthesised group, `not (…)` or an attribute expression. */
  private parseUnary(inValuePath: boolean): ScimFilter {
    const s: Scanner = this.s;
    s.skipSpace();
    if (this.keyword('not')) {
      s.skipSpace();
      if (s.peek() !== '(') s.error(`expected '(' after 'not'`);
      return { type: 'not', filter: this.parseGroup(inValuePath) };
    }
    if (s.peek() === '(') return this.parseGroup(inValuePath);
    return this.parseAttrExp(inValuePath);
  }

  private parseGroup(inValuePath: boolean): ScimFilter {
    const s: Scanner = this.s;
    const open = s.pos;
    s.eat('(');
    this.enter(open);
    const inner = this.parseOr(inValuePath);
    s.skipSpace();
    if (!s.eat(')')) s.error(`expected ')' to close '(' at position ${open}, found ${s.describe()}`);
    this.depth--;
    return inner;
  }

  private parseAttrExp(inValuePath: boolean): ScimFilter {
    const s: Scanner = this.s;
    const pos = s.pos;
    const attr = this.parseAttrPath();

    if (s.peek() === '[') {
      if (inValuePath) s.error('a value filter cannot contain another value filter');
      s.eat('[');
      this.enter(pos);
      s.skipSpace();
      if (s.peek() === ']') s.error('empty value filter');
      const filter = this.parseOr(true);
      s.skipSpace();
      if (!s.eat(']')) s.error(`expected ']' to close '[' of '${attr.name}', found ${s.describe()}`);
      this.depth--;
      return { type: 'valuePath', attr, filter, pos };
    }

    s.skipSpace();
    const opPos = s.pos;
    const word = s.match(WORD);
    if (word === undefined)
      s.error(`expected an operator after attribute '${attr.name}', found ${s.describe()}`);
    const op = word.toLowerCase();
    if (op === 'pr') {
      this.endOfToken(opPos);
      return { type: 'present', attr, pos };
    }
    if (!COMPARE_OPS.has(op)) s.error(`unknown operator '${word}'`, opPos);
    s.skipSpace();
    const value = this.parseValue();
    return { type: 'compare', attr, op: op as ScimCompareOp, value, pos };
  }

  /** `[uri ":"] ATTRNAME ["." ATTRNAME]`; the URI is everything before the last colon. */
  private parseAttrPath(): ScimAttrPath {
    const s: Scanner = this.s;
    const pos = s.pos;
    const word = s.match(WORD);
    if (word === undefined || LOGICAL.has(word.toLowerCase())) {
      s.pos = pos;
      s.error(`expected an attribute name, found ${s.describe()}`);
    }
    const colon = word.lastIndexOf(':');
    const uri = colon >= 0 ? word.slice(0, colon) : undefined;
    const path = word.slice(colon + 1);
    if (uri !== undefined && !URI.test(uri)) s.error(`invalid schema URI '${uri}'`, pos);
    const parts = path.split('.');
    if (parts.length > 2) s.error(`attribute path '${word}' has more than one sub-attribute`, pos);
    for (const part of parts) {
      if (!ATTR_NAME.test(part)) {
        s.error(
          `invalid attribute name '${part}' (names start with a letter, then letters, digits, '-' or '_')`,
          pos,
        );
      }
    }
    const attr: ScimAttrPath = { name: parts[0], pos };
    if (uri !== undefined) attr.uri = uri;
    if (parts.length === 2) attr.subAttr = parts[1];
    return attr;
  }

  /** compValue = false / null / true / number / string. */
  private parseValue(): ScimValue {
    const s: Scanner = this.s;
    const pos = s.pos;
    if (s.peek() === '"') return this.parseString();
    const num = s.match(NUMBER);
    if (num !== undefined) {
      this.endOfToken(pos);
      const value = Number(num);
      if (!Number.isFinite(value)) s.error(`number '${num}' is out of range`, pos);
      return value;
    }
    const word = s.match(/[A-Za-z0-9_.:-]+/y);
    if (word === undefined) s.error(`expected a value, found ${s.describe()}`);
    const literal = word.toLowerCase();
    if (literal === 'true' || literal === 'false' || literal === 'null') {
      this.endOfToken(pos);
      return literal === 'null' ? null : literal === 'true';
    }
    return s.error(`invalid value '${word}' (strings must be double-quoted)`, pos);
  }

  /** A JSON string; escapes are checked here so the error points at the bad one. */
  private parseString(): string {
    const s: Scanner = this.s;
    const start = s.pos;
    s.eat('"');
    for (;;) {
      const ch = s.peek();
      if (s.done) s.error(`unterminated string starting`, start);
      if (ch === '"') break;
      if (ch < ' ') s.error('control character in string');
      if (ch === '\\') {
        const esc = s.text[s.pos + 1] ?? '';
        if (esc === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(s.text.slice(s.pos + 2, s.pos + 6)))
            s.error(`invalid \\u escape in string`);
          s.pos += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(esc) || esc === '') s.error(`invalid escape '\\${esc}' in string`);
        s.pos += 2;
        continue;
      }
      s.pos++;
    }
    s.eat('"');
    return JSON.parse(s.text.slice(start, s.pos)) as string;
  }

  /** Consumes a case-insensitive keyword if it is the next whole word. */
  private keyword(kw: string): boolean {
    const s: Scanner = this.s;
    s.skipSpace();
    const pos = s.pos;
    const word = s.match(WORD);
    if (word !== undefined && word.toLowerCase() === kw) return true;
    s.pos = pos;
    return false;
  }

  private endOfToken(tokenPos: number): void {
    if (this.s.match(END_OF_TOKEN) === undefined)
      this.s.error(`unexpected ${this.s.describe()} after token at position ${tokenPos}`);
  }

  private enter(pos: number): void {
    if (++this.depth > MAX_FILTER_DEPTH) this.s.error('filter is nested too deeply', pos);
  }
}
