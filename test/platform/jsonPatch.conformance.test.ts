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
  const cases = JSON.parse(
    readFileSync(new URL(`../fixtures/json-patch/${file}`, import.meta.url), 'utf8'),
  ) as Case[];
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
      () =>
        applyJsonPatch(doc, [
          { op: 'replace', path: '/name', value: 'b' },
          { op: 'test', path: '/name', value: 'zzz' },
        ]),
      (e: Invalid) => e.field === '[1]' && /test failed at \/name/.test(e.reason),
    );
    assert.deepEqual(doc, { name: 'a', list: [1] });
  });
  it('refuses leading-zero indices and prototype segments', () => {
    assert.throws(() => applyJsonPatch({ a: [1, 2] }, [{ op: 'remove', path: '/a/01' }]), /leading zero/);
    assert.throws(
      () => applyJsonPatch({}, [{ op: 'add', path: '/__proto__/x', value: 1 }]),
      /may not appear/,
    );
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });
  it('names the bad field of a malformed patch', () => {
    assert.throws(
      () => parseJsonPatch({ op: 'add' }),
      (e: Invalid) => /array/.test(e.reason),
    );
    assert.throws(
      () => parseJsonPatch([{ op: 'frob', path: '/a' }]),
      (e: Invalid) => e.field === '[0].op',
    );
    assert.throws(
      () => parseJsonPatch([{ op: 'move', path: '/a' }]),
      (e: Invalid) => e.field === '[0].from',
    );
    assert.throws(
      () => parseJsonPatch([{ op: 'add', path: 'a', value: 1 }]),
      (e: Invalid) => e.field === '[0].path',
    );
  });
  it('patchedPaths lists top-level members, move sources included', () => {
    assert.deepEqual(
      patchedPaths(
        parseJsonPatch([
          { op: 'replace', path: '/name', value: 'x' },
          { op: 'move', from: '/secret', path: '/redirectUris/0' },
        ]),
      ).sort(),
      ['name', 'redirectUris', 'secret'],
    );
  });
  it('patchedPaths counts copy sources, unescapes members and reports the root as an empty string', () => {
    const patch = [
      { op: 'copy', from: '/secret', path: '/name' },
      { op: 'add', path: '/a~1b/0', value: 1 },
      { op: 'replace', path: '', value: {} },
      { op: 'test', path: '/name', value: 'x' },
    ];
    assert.deepEqual(patchedPaths(patch), ['name', 'secret', 'a/b', '']);
    assert.throws(() => patchedPaths([{ op: 'add', path: '/constructor', value: 1 }]), Invalid);
  });
  it('never changes the input document or the patch, and the result shares nothing with either', () => {
    const doc = { name: 'a', tags: ['x'], nested: { deep: [1, 2] } };
    const value = { items: [1] };
    const patch = [
      { op: 'add', path: '/obj', value },
      { op: 'add', path: '/tags/-', value: 'y' },
      { op: 'move', from: '/nested/deep/0', path: '/nested/deep/-' },
    ];
    const docBefore = structuredClone(doc);
    const patchBefore = structuredClone(patch);
    const result = applyJsonPatch(doc, patch) as typeof doc & { obj: { items: number[] } };
    assert.deepEqual(result, { name: 'a', tags: ['x', 'y'], nested: { deep: [2, 1] }, obj: { items: [1] } });
    assert.deepEqual(doc, docBefore);
    assert.deepEqual(patch, patchBefore);
    result.obj.items.push(2);
    result.tags.push('z');
    assert.deepEqual(value, { items: [1] });
    assert.deepEqual(doc, docBefore);
  });
  it('a failing operation after successful ones names its index and changes nothing', () => {
    const doc = { a: 1, list: [1, 2] };
    assert.throws(
      () =>
        applyJsonPatch(doc, [
          { op: 'remove', path: '/a' },
          { op: 'add', path: '/list/-', value: 3 },
          { op: 'remove', path: '/missing' },
        ]),
      (e: Invalid) =>
        e.field === '[2].path' && /path \/missing does not exist/.test(e.reason) && e.detail.index === 2,
    );
    assert.deepEqual(doc, { a: 1, list: [1, 2] });
  });
  it('checks leading zeros only where the segment indexes an array, in path and from', () => {
    assert.deepEqual(applyJsonPatch({ '00': 'x' }, [{ op: 'test', path: '/00', value: 'x' }]), { '00': 'x' });
    assert.throws(
      () => applyJsonPatch({ a: [1, 2] }, [{ op: 'copy', from: '/a/01', path: '/b' }]),
      (e: Invalid) => e.field === '[0].from' && e.reason === 'array index 01 has a leading zero',
    );
    assert.throws(
      () => applyJsonPatch({ a: [1] }, [{ op: 'add', path: '/a/00/x', value: 1 }]),
      /leading zero/,
    );
  });
  it('sees own members only and survives hostile member names', () => {
    assert.throws(() => applyJsonPatch({}, [{ op: 'remove', path: '/toString' }]), /does not exist/);
    assert.throws(
      () => applyJsonPatch({}, [{ op: 'replace', path: '/hasOwnProperty', value: 1 }]),
      /does not exist/,
    );
    const doc = { o: { hasOwnProperty: 1 } };
    assert.deepEqual(applyJsonPatch(doc, [{ op: 'test', path: '/o', value: { hasOwnProperty: 1 } }]), doc);
    assert.throws(
      () => applyJsonPatch({ a: {} }, [{ op: 'add', path: '/a/prototype', value: 1 }]),
      /may not appear/,
    );
    assert.throws(
      () => applyJsonPatch({}, [{ op: 'copy', from: '/__proto__', path: '/x' }]),
      (e: Invalid) => e.field === '[0].from',
    );
  });
  it('refuses moving a value into its own child, bad escapes, bad indices and root removal', () => {
    const doc = { a: { b: 1 }, l: [1, 2] };
    assert.throws(() => applyJsonPatch(doc, [{ op: 'move', from: '/a', path: '/a/c' }]), /own child/);
    assert.throws(() => applyJsonPatch(doc, [{ op: 'add', path: '/a/~2', value: 1 }]), /invalid escape/);
    assert.throws(() => applyJsonPatch(doc, [{ op: 'replace', path: '/l/2', value: 1 }]), /out of bounds/);
    assert.throws(() => applyJsonPatch(doc, [{ op: 'add', path: '/l/', value: 1 }]), /not an array index/);
    assert.throws(
      () => applyJsonPatch(doc, [{ op: 'replace', path: '/l/-', value: 1 }]),
      /not an array index/,
    );
    assert.throws(() => applyJsonPatch(doc, [{ op: 'remove', path: '' }]), /whole document/);
    // move resolves its target after the removal: index 2 no longer exists in a 1-element array.
    assert.throws(() => applyJsonPatch(doc, [{ op: 'move', from: '/l/0', path: '/l/2' }]), /out of bounds/);
    assert.deepEqual(applyJsonPatch(doc, [{ op: 'move', from: '/l/0', path: '/l/1' }]).l, [2, 1]);
    assert.deepEqual(doc, { a: { b: 1 }, l: [1, 2] });
  });
});
