import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prefixUpperBound } from '../../src/domain/people/peopleListing.js';

/** Code point order, as SQLite compares UTF-8 text (bytewise). */
const below = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0;

describe('prefixUpperBound (the range behind the displayName prefix search)', () => {
  it('increments the last code point: every string with the prefix sorts below it', () => {
    assert.equal(prefixUpperBound('anna'), 'annb');
    assert.equal(prefixUpperBound('a 9'), 'a :');
    assert.equal(prefixUpperBound('x😀'), 'x😁');
    assert.equal(prefixUpperBound('x\ud7ff'), 'x\ue000', 'skips the surrogate block');
    assert.equal(
      prefixUpperBound('ab\u{10ffff}'),
      'ac',
      'the largest code point cannot grow: its predecessor does',
    );
    assert.equal(prefixUpperBound('\u{10ffff}'), undefined);
    assert.equal(prefixUpperBound('a\ud800'), undefined, 'a lone surrogate: no range, LIKE alone');
    for (const prefix of ['anna', 'x😀', 'ab\u{10ffff}', 'zz\u00ff']) {
      const upper = prefixUpperBound(prefix)!;
      for (const tail of ['', 'a', '\u{10ffff}', '😀zz', '\uffff']) {
        assert.ok(below(prefix + tail, upper), `${JSON.stringify(prefix + tail)} < upper`);
      }
      assert.ok(!(upper + 'a').startsWith(prefix), 'the bound itself is outside the prefix');
    }
  });
});
