/**
 * RFC 6902 JSON Patch (`application/json-patch+json`), applied all or nothing.
 *
 * fast-json-patch performs the mutations; this module adds what it lacks for untrusted input:
 * strict RFC 6901 pointers (`~` escapes, no leading zeros or `-` where an existing array element is
 * meant, own properties only, so `/toString` never "exists"), no prototype segments, `move` into its
 * own child refused, a `test` that cannot crash on a member named `hasOwnProperty`, and errors as
 * `Invalid` naming the operation (`[2].path`). Every patch runs on a deep clone, so a failure at any
 * operation leaves the caller's document exactly as it was.
 */
// fast-json-patch is CommonJS and fills its exports with Object.assign, which Node's ESM named-export
// detection cannot see: only the default import (module.exports) carries applyOperation at runtime.
import jsonpatch from 'fast-json-patch';
import type { Operation, OperationResult } from 'fast-json-patch';
import { Invalid } from './errors.js';
import {
  arrayProblem,
  cloneJson,
  DEFAULT_PATCH_LIMITS,
  itemProblem,
  measure,
  type PatchLimits,
  type Size,
} from './jsonPatchBounds.js';

export { DEFAULT_PATCH_LIMITS, type PatchLimits } from './jsonPatchBounds.js';

export type JsonPatchOp = 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';

/** One validated operation; `from` only on move/copy, `value` only on add/replace/test. */
export interface JsonPatchOperation {
  op: JsonPatchOp;
  path: string;
  from?: string;
  value?: unknown;
}

const OPS: readonly JsonPatchOp[] = ['add', 'remove', 'replace', 'move', 'copy', 'test'];
/** Segments that could reach an object's prototype once the document is merged elsewhere. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
/** RFC 6901 array index: `0` or digits without a leading zero. */
const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

interface Parsed {
  operation: JsonPatchOperation;
  index: number;
  raw: unknown;
  path: string[];
  from?: string[];
}

type Member = '' | '.op' | '.path' | '.from' | '.value';

function fail(index: number, raw: unknown, member: Member, reason: string): never {
  throw new Invalid(`[${index}]${member}`, reason, { index, op: raw });
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function pointerTokens(pointer: unknown, index: number, raw: unknown, name: 'path' | 'from'): string[] {
  const member = name === 'path' ? '.path' : '.from';
  if (pointer === undefined) fail(index, raw, member, `${name} is required`);
  if (typeof pointer !== 'string') fail(index, raw, member, `${name} must be a string (a JSON Pointer)`);
  if (pointer === '') return [];
  const notPointer = `${name} ${JSON.stringify(pointer)} is not a JSON Pointer: it must be empty or start with "/"`;
  if (!pointer.startsWith('/')) fail(index, raw, member, notPointer);
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => {
      if (/~(?![01])/.test(segment)) {
        fail(index, raw, member, `${name} ${pointer} has an invalid escape: "~" must be followed by 0 or 1`);
      }
      // ~1 before ~0, so "~01" decodes to "~1" (RFC 6901 section 4).
      const token = segment.replace(/~1/g, '/').replace(/~0/g, '~');
      if (FORBIDDEN.has(token)) fail(index, raw, member, `${token} may not appear in a ${name}`);
      return token;
    });
}

function parse(patch: unknown): Parsed[] {
  if (!Array.isArray(patch)) {
    throw new Invalid(undefined, 'a JSON Patch must be an array of operations');
  }
  return patch.map((raw: unknown, index): Parsed => {
    if (!isObject(raw)) fail(index, raw, '', 'an operation must be a JSON object');
    const op = raw.op;
    if (op === undefined) fail(index, raw, '.op', 'op is required');
    if (typeof op !== 'string' || !(OPS as readonly string[]).includes(op)) {
      fail(index, raw, '.op', `op must be one of ${OPS.join(', ')}`);
    }
    const kind = op as JsonPatchOp;
    const path = pointerTokens(raw.path, index, raw, 'path');
    const operation: JsonPatchOperation = { op: kind, path: raw.path as string };
    let from: string[] | undefined;
    if (kind === 'move' || kind === 'copy') {
      from = pointerTokens(raw.from, index, raw, 'from');
      operation.from = raw.from as string;
    }
    if (kind === 'add' || kind === 'replace' || kind === 'test') {
      if (!Object.hasOwn(raw, 'value') || raw.value === undefined) {
        fail(index, raw, '.value', `value is required for ${kind}`);
      }
      // A private copy, so the patched document never shares objects with the caller's patch.
      try {
        operation.value = structuredClone(raw.value);
      } catch {
        fail(index, raw, '.value', 'value must be JSON data');
      }
    }
    return { operation, index, raw, path, from };
  });
}

/** Validates the shape of a patch (no document needed) and returns its operations. */
export function parseJsonPatch(patch: unknown): JsonPatchOperation[] {
  return parse(patch).map((p) => p.operation);
}

/**
 * The top-level member (unescaped, `''` for the whole document) each operation names: its `path`,
 * and the `from` of move and copy. Copy's source counts too: copying a hidden member into a
 * visible one would disclose it. Callers refuse patches naming members that are not patchable.
 */
export function patchedPaths(patch: unknown): string[] {
  const members = new Set<string>();
  for (const { path, from } of parse(patch)) {
    members.add(path[0] ?? '');
    if (from) members.add(from[0] ?? '');
  }
  return [...members];
}

const pointerOf = (tokens: string[]): string =>
  tokens.map((t) => '/' + t.replace(/~/g, '~0').replace(/\//g, '~1')).join('');

/**
 * Walks `tokens` through `doc` as RFC 6901 says, returning the value found. `add` mode lets the
 * last segment name a new member or array position (`-` or an index up to the length).
 */
function locate(doc: unknown, p: Parsed, name: 'path' | 'from', mode: 'existing' | 'add'): unknown {
  const tokens = (name === 'path' ? p.path : p.from) ?? [];
  const bad = (reason: string): never => fail(p.index, p.raw, name === 'path' ? '.path' : '.from', reason);
  let current = doc;
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k];
    const last = k === tokens.length - 1;
    const here = pointerOf(tokens.slice(0, k + 1));
    if (Array.isArray(current)) {
      if (last && mode === 'add' && token === '-') return undefined;
      if (!ARRAY_INDEX.test(token)) {
        const why = /^[0-9]+$/.test(token)
          ? `array index ${token} has a leading zero`
          : `${JSON.stringify(token)} is not an array index (at ${here})`;
        bad(why);
      }
      const n = Number(token);
      if (n > current.length || (n === current.length && !(last && mode === 'add'))) {
        bad(`array index ${token} is out of bounds at ${here} (the array has ${current.length} elements)`);
      }
      current = current[n];
    } else if (isObject(current)) {
      if (!Object.hasOwn(current, token)) {
        if (last && mode === 'add') return undefined;
        bad(`${name} ${here} does not exist`);
      }
      current = current[token];
    } else {
      const parent = pointerOf(tokens.slice(0, k)) || 'the document';
      bad(`${name} ${here} does not exist (${parent} is not an object or array)`);
    }
  }
  return current;
}

/** JSON equality for `test`: arrays by position, objects by own members in any order. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, k) => jsonEqual(x, b[k]));
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]))
  );
}

/** Hands one pre-checked operation to fast-json-patch; its own checks stay on as a second line. */
function run(doc: unknown, op: JsonPatchOperation, p: Parsed): OperationResult<unknown> {
  try {
    return jsonpatch.applyOperation(doc, op as Operation, true, true, true, p.index);
  } catch (e) {
    if (e instanceof jsonpatch.JsonPatchError) fail(p.index, p.raw, '', e.message.split('\n')[0]);
    throw e;
  }
}

function applyOne(doc: unknown, p: Parsed): unknown {
  const { operation: o, path } = p;
  switch (o.op) {
    case 'test':
      if (!jsonEqual(locate(doc, p, 'path', 'existing'), o.value)) {
        fail(p.index, p.raw, '', `test failed at ${o.path || 'the document root'}`);
      }
      return doc;
    case 'remove':
      if (path.length === 0) fail(p.index, p.raw, '.path', 'cannot remove the whole document');
      locate(doc, p, 'path', 'existing');
      return run(doc, o, p).newDocument;
    case 'replace':
      locate(doc, p, 'path', 'existing');
      return run(doc, o, p).newDocument;
    case 'add':
      locate(doc, p, 'path', 'add');
      return run(doc, o, p).newDocument;
    case 'copy': {
      // An add of a structural copy: strings are shared, so a copy costs its nodes, not its text.
      const value = cloneJson(locate(doc, p, 'from', 'existing'));
      locate(doc, p, 'path', 'add');
      return run(doc, { op: 'add', path: o.path, value }, p).newDocument;
    }
    case 'move': {
      locate(doc, p, 'from', 'existing');
      const from = p.from ?? [];
      const within = from.length <= path.length && from.every((t, k) => t === path[k]);
      if (within && from.length === path.length) return doc;
      if (within) fail(p.index, p.raw, '.path', `cannot move ${o.from || 'the document'} into its own child`);
      // RFC 6902 4.4: remove, then add; the target is resolved against the document after removal.
      const removed = run(doc, { op: 'remove', path: o.from ?? '' }, p);
      locate(removed.newDocument, p, 'path', 'add');
      return run(removed.newDocument, { op: 'add', path: o.path, value: removed.removed }, p).newDocument;
    }
  }
}

/** Refuses a patch with more operations than `limits` allow, before reading any of them. */
export function refuseLongPatch(patch: unknown, limits: PatchLimits): void {
  if (Array.isArray(patch) && patch.length > limits.maxOperations) {
    throw new Invalid(
      undefined,
      `a JSON Patch may have at most ${limits.maxOperations} operations (got ${patch.length})`,
    );
  }
}

/** The container holding the value `tokens` names, or undefined if there is none. */
function parentOf(doc: unknown, tokens: string[]): unknown {
  let current = doc;
  for (const token of tokens.slice(0, -1)) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, token)) return undefined;
    current = (current as Record<string, unknown>)[token];
  }
  return current;
}

const ZERO: Size = { chars: 0, nodes: 0 };

/** What an operation takes out of the document and puts in (move: nothing net, it never grows). */
function exchange(doc: unknown, p: Parsed): { removed: unknown; inserted: unknown; key: number } {
  const { operation: o, path } = p;
  switch (o.op) {
    case 'remove':
      return { removed: locate(doc, p, 'path', 'existing'), inserted: undefined, key: 0 };
    case 'replace':
      return { removed: locate(doc, p, 'path', 'existing'), inserted: o.value, key: 0 };
    case 'move':
      return { removed: undefined, inserted: undefined, key: 0 };
    default: {
      const inserted = o.op === 'add' ? o.value : locate(doc, p, 'from', 'existing');
      const current = locate(doc, p, 'path', 'add');
      // Adding into an array shifts the rest; adding to an object member replaces it.
      if (path.length === 0 || Array.isArray(parentOf(doc, path)))
        return { removed: undefined, inserted, key: 0 };
      return { removed: current, inserted, key: current === undefined ? (path.at(-1) ?? '').length : 0 };
    }
  }
}

/** The bounded array an operation would change, and why it would break the bound. */
function arrayBoundProblem(
  doc: unknown,
  p: Parsed,
  inserted: unknown,
  limits: PatchLimits,
): string | undefined {
  const { operation: o, path } = p;
  const member = path[0];
  const bound = member === undefined ? undefined : limits.arrays?.[member];
  if (!bound || member === undefined || o.op === 'remove' || o.op === 'test') return undefined;
  // A move inserts the value at `from` (the parent of one segment deeper).
  const item = o.op === 'move' ? parentOf(doc, [...(p.from ?? []), '']) : inserted;
  if (path.length === 1) return arrayProblem(member, item, bound);
  const array = parentOf(doc, path);
  if (path.length !== 2 || !Array.isArray(array)) return undefined;
  const sameArray = o.op === 'move' && p.from?.length === 2 && p.from[0] === member;
  if (o.op !== 'replace' && !sameArray && array.length + 1 > bound.maxItems) {
    return `${o.op} would give ${member} more than ${bound.maxItems} elements`;
  }
  return itemProblem(member, item, bound);
}

/**
 * Refuses `p` before it runs if it would take the document past `limits`; returns the size the
 * document will have after it. Costs at most the size of the values the operation moves.
 */
function checkBounds(doc: unknown, p: Parsed, size: Size, limits: PatchLimits): Size {
  if (p.operation.op === 'test') return size;
  const { removed, inserted, key } = exchange(doc, p);
  const out = removed === undefined ? ZERO : measure(removed);
  const room = {
    chars: limits.maxChars - size.chars + out.chars,
    nodes: limits.maxNodes - size.nodes + out.nodes,
  };
  const put = inserted === undefined ? ZERO : measure(inserted, room);
  const after = {
    chars: size.chars - out.chars + put.chars + key,
    nodes: size.nodes - out.nodes + put.nodes,
  };
  const op = p.operation.op;
  if (after.chars > limits.maxChars) {
    fail(p.index, p.raw, '', `${op} would make the document longer than ${limits.maxChars} characters`);
  }
  if (after.nodes > limits.maxNodes) {
    fail(p.index, p.raw, '', `${op} would make the document hold more than ${limits.maxNodes} values`);
  }
  const problem = arrayBoundProblem(doc, p, inserted, limits);
  if (problem) fail(p.index, p.raw, '', problem);
  return after;
}

/**
 * Applies `patch` to a copy of `document` and returns the result; `document` is never
 * changed. Any malformed or failing operation (a failing `test` included) throws `Invalid`
 * with field `[i]`, `[i].op`, `[i].path`, `[i].from` or `[i].value` and detail `{ index, op }`.
 * `limits` bound the work before it is done: a patch with too many operations is refused whole,
 * and an operation that would take the document past a bound is refused by index (`[i]`).
 * The document must be JSON data.
 */
export function applyJsonPatch<T>(
  document: T,
  patch: unknown,
  limits: PatchLimits = DEFAULT_PATCH_LIMITS,
): T {
  refuseLongPatch(patch, limits);
  const parsed = parse(patch);
  let doc: unknown = cloneJson(document);
  let size = measure(doc);
  for (const p of parsed) {
    size = checkBounds(doc, p, size, limits);
    doc = applyOne(doc, p);
  }
  return doc as T;
}
