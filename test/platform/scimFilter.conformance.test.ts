/** Every case of the shared SCIM filter corpus: valid filters parse, invalid ones throw Invalid. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Invalid } from '../../src/platform/errors.js';
import { parseScimFilter } from '../../src/platform/filters/scim.js';

interface Case {
  filter: string;
  valid: boolean;
  note: string;
}

const corpus = JSON.parse(
  readFileSync(new URL('../fixtures/scim-filter/filters.json', import.meta.url), 'utf8'),
) as Case[];

test('the corpus is loaded', () => {
  assert.ok(corpus.length >= 75, `expected the full corpus, got ${corpus.length} cases`);
});

for (const c of corpus) {
  test(`${c.valid ? 'accepts' : 'rejects'} ${JSON.stringify(c.filter)} (${c.note})`, () => {
    if (c.valid) {
      assert.doesNotThrow(() => parseScimFilter(c.filter));
      return;
    }
    assert.throws(
      () => parseScimFilter(c.filter),
      (err: unknown) =>
        err instanceof Invalid &&
        err.field === 'filter' &&
        err.detail.scimType === 'invalidFilter' &&
        typeof err.detail.position === 'number',
    );
  });
}
