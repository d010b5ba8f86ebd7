/**
 * RFC 6902 JSON Patch, atomically: the patch is validated, applied to a deep clone, and the clone
 * returned only if every operation succeeded — a failing op (a `test` included) changes nothing.
 * fast-json-patch does the work; two checks it lacks are added: RFC 6901 array indices with
 * leading zeros are refused, and so are `__proto__`/`constructor`/`prototype` segments.
 */
import jsonpatch from 'fast-json-patch';
import { Invalid } from './errors.js';

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

function fail(index: number | undefined, field: string, reason: string, op?: string): never {
  throw new Invalid(index === undefined ? field : `[${index}]${field ? `.${field}` : ''}`, reason, { index, op });
}

function segments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** RFC 6901: a pointer is '' or starts with '/'; '~' only as ~0 or ~1. */
function checkPointer(pointer: unknown, index: number, field: 'path' | 'from', op: string): string {
  if (typeof pointer !== 'string') fail(index, field, 'must be a JSON Pointer string', op);
  if (pointer !== '' && !pointer.startsWith('/')) fail(index, field, `"${pointer}" is not a JSON Pointer (must start with "/")`, op);
  if (/~[^01]|~$/.test(pointer)) fail(index, field, `"${pointer}" has an invalid ~ escape`, op);
  for (const segment of segments(pointer)) {
    if (FORBIDDEN_SEGMENTS.has(segment)) fail(index, field, `"${segment}" may not appear in a path`, op);
  }
  return pointer;
}

/** Validates the shape of a patch document; returns it typed. */
export function parseJsonPatch(patch: unknown): JsonPatchOperation[] {
  if (!Array.isArray(patch)) fail(undefined, 'body', 'a JSON Patch must be an array of operations');
  return patch.map((raw, index) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(index, '', 'an operation must be an object');
    const o = raw as Record<string, unknown>;
    if (typeof o.op !== 'string' || !OPS.has(o.op)) fail(index, 'op', `must be one of ${[...OPS].join(', ')}`);
    const op = o.op as JsonPatchOperation['op'];
    checkPointer(o.path, index, 'path', op);
    if ((op === 'move' || op === 'copy') && o.from === undefined) fail(index, 'from', 'is required', op);
    if (o.from !== undefined) checkPointer(o.from, index, 'from', op);
    if ((op === 'add' || op === 'replace' || op === 'test') && !('value' in o)) fail(index, 'value', 'is required', op);
    return o as unknown as JsonPatchOperation;
  });
}

/** RFC 6901 §4: an array index is "0" or has no leading zero. Checked against the document as it evolves. */
function checkArrayIndices(document: unknown, operation: JsonPatchOperation, index: number): void {
  for (const field of ['path', 'from'] as const) {
    const pointer = operation[field];
    if (pointer === undefined) continue;
    let node: unknown = document;
    for (const segment of segments(pointer)) {
      if (Array.isArray(node) && /^0\d+$/.test(segment)) fail(index, field, `array index "${segment}" has a leading zero`, operation.op);
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
    }
  }
}

/** Applies `patch` to a clone of `document`; throws Invalid (nothing changed) on any failure. */
export function applyJsonPatch<T>(document: T, patch: unknown): T {
  const operations = parseJsonPatch(patch);
  let working = structuredClone(document) as unknown;
  operations.forEach((operation, index) => {
    checkArrayIndices(working, operation, index);
    try {
      // validate=true makes the library check bounds, existence and `test` values for this op.
      working = jsonpatch.applyOperation(working, operation as jsonpatch.Operation, true, true, true, index).newDocument;
    } catch (error) {
      const e = error as { name?: string; message?: string };
      const reason =
        operation.op === 'test' && e.name === 'TEST_OPERATION_FAILED'
          ? `test failed at ${operation.path}`
          : (e.message ?? 'cannot be applied').split('\n')[0]!;
      fail(index, '', reason, operation.op);
    }
  });
  return working as T;
}

/** The top-level members a patch touches (its paths and move's source), e.g. ['name', 'redirectUris']. */
export function patchedPaths(patch: readonly JsonPatchOperation[]): string[] {
  const tops = new Set<string>();
  for (const op of patch) {
    for (const pointer of op.op === 'move' ? [op.path, op.from!] : [op.path]) tops.add(segments(pointer)[0] ?? '');
  }
  return [...tops];
}
