/**
 * Deletes from knownViolations.ts the static-rule violations that no longer occur (never adds one):
 * run after a move of the architecture step, then re-run the test.
 *   node --import tsx test/architecture/support/prune.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KNOWN_VIOLATIONS } from '../knownViolations.js';
import { RULES, violationsOf } from './rules.js';
import { ROOT, scanSources } from './scan.js';

const file = join(ROOT, 'test/architecture/knownViolations.ts');
const sources = scanSources();
let text = readFileSync(file, 'utf8');
let pruned = 0;
for (const rule of RULES) {
  const actual = new Set(violationsOf(rule, sources));
  for (const entry of KNOWN_VIOLATIONS[rule.id] ?? []) {
    if (actual.has(entry)) continue;
    const line = `    '${entry}',\n`;
    const at = text.indexOf(line, text.indexOf(`'${rule.id}': [`));
    if (at < 0) continue;
    text = text.slice(0, at) + text.slice(at + line.length);
    pruned++;
  }
}
writeFileSync(file, text);
console.log(`pruned ${pruned} fixed violation(s) from ${file}`);
