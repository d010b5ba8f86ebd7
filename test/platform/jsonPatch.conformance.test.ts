import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { applyJsonPatch, patchedPaths, parseJsonPatch } from '../../src/platform/jsonPatch.js';
import { Invalid } from '../../src/platform/errors.js';

interface Case {
  comment?: string;
  doc?: unknown;
  patch?: unknown;
  expected?: unknown;
  error?: string;
  disabled?: boolean;
}

for (const file of ['tests.json', 'spec_tests.json']) {
  const cases = JSON.parse(readFileSync(new URL(`../../../shared/conformance/json-patch/${file}`, import.meta.url), 'utf8')) as Case[];
  describe(`JSON Patch conformance: ${file} (${cases.length} records)`, () => {
    cases.forEach((c, i) => {
      if (c.disabled || c.patch === undefined) return;
      const name = `#${i} ${c.comment ?? c.error ?? ''}`.trim();
      it(name, () => {
        const before = structuredClone(c.doc);
        if (c.error !== undefined) {
          assert.throws(() => applyJsonPatch(c.doc, c.patch), Invalid);
        } else {
          const result = applyJsonPatch(c.doc, c.patch);
          if ('expected' in c) assert.deepEqual(result, c.expected);
        }
        assert.deepEqual(c.doc, before, 'the input document is never changed');
      });
    });
  });
}

describe('JSON Patch engine', () => {
  it('a failing test op leaves nothing half-applied', () => {
    const doc = { name: 'a', list: [1] };
    assert.throws(
      () => applyJsonPatch(doc, [{ op: 'replace', path: '/name', value: 'b' }, { op: 'test', path: '/name', value: 'zzz' }]),
      (e: Invalid) => e.field === '[1]' && /test failed at \/name/.test(e.reason),
    );
    assert.deepEqual(doc, { name: 'a', list: [1] });
  });
  it('refuses leading-zero indices and prototype segments', () => {
    assert.throws(() => applyJsonPatch({ a: [1, 2] }, [{ op: 'remove', path: '/a/01' }]), /leading zero/);
    assert.throws(() => applyJsonPatch({}, [{ op: 'add', path: '/__proto__/x', value: 1 }]), /may not appear/);
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });
  it('names the bad field of a malformed patch', () => {
    assert.throws(() => parseJsonPatch({ op: 'add' }), (e: Invalid) => /array/.test(e.reason));
    assert.throws(() => parseJsonPatch([{ op: 'frob', path: '/a' }]), (e: Invalid) => e.field === '[0].op');
    assert.throws(() => parseJsonPatch([{ op: 'move', path: '/a' }]), (e: Invalid) => e.field === '[0].from');
    assert.throws(() => parseJsonPatch([{ op: 'add', path: 'a', value: 1 }]), (e: Invalid) => e.field === '[0].path');
  });
  it('patchedPaths lists top-level members, move sources included', () => {
    assert.deepEqual(patchedPaths(parseJsonPatch([{ op: 'replace', path: '/name', value: 'x' }, { op: 'move', from: '/secret', path: '/redirectUris/0' }])).sort(), ['name', 'redirectUris', 'secret']);
  });
});
