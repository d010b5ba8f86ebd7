/**
 * Unknown KEYWARD_* variables (a misspelled KEYWARD_PROT is otherwise silently ignored): a warning
 * naming the closest known one. Known = every KEYWARD_* name in config.ts's own text (so a setting added
 * there is known without a second list to keep in step), plus those read elsewhere.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Read outside config.ts (logging, tests, tools). */
const READ_ELSEWHERE = [
  'KEYWARD_LOG_FORMAT',
  'KEYWARD_TEST_LOG_LEVEL',
  'KEYWARD_BENCH_PG_URL',
  'KEYWARD_TEST_DB',
  'KEYWARD_TEST_PG_URL',
  'KEYWARD_TEST_DIR',
];

export function knownVariables(): string[] {
  // config.js when built, config.ts under tsx: the same extension as this module.
  const source = new URL(`./config${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
  const text = readFileSync(source, 'utf8');
  return [...new Set([...(text.match(/KEYWARD_[A-Z0-9_]+/g) ?? []), ...READ_ELSEWHERE])];
}

export function unknownVariableWarnings(env: Record<string, string | undefined>): string[] {
  const known = knownVariables();
  return Object.keys(env)
    .filter((name) => name.startsWith('KEYWARD_') && !known.includes(name))
    .map((name) => {
      const near = closest(name, known);
      return `${name} is not a Keyward setting and is ignored${near ? ` (did you mean ${near}?)` : ''}`;
    });
}

function closest(name: string, known: string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  // Beyond a third of the name it is a different word, not a typo.
  return best && best.distance <= Math.max(2, Math.floor(name.length / 3)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        previous[j]! + 1,
        row[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length]!;
}
