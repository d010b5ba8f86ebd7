/**
 * The never-rules of DESIGN.md's layers, as data. Each rule names the files it governs and what
 * they may not do: import a forbidden target, or contain a forbidden kind of code (scan.ts finds
 * it). A violation is `from -> target` for import rules and the file path for code rules.
 */
import type { FindingKind, SourceInfo } from './scan.js';

interface BaseRule {
  id: string;
  why: string;
  /** The files the rule governs (repo paths under src/). */
  governs: (path: string) => boolean;
}
export interface ImportRule extends BaseRule {
  kind: 'import';
  forbids: (target: string, from: string) => boolean;
}
export interface CodeRule extends BaseRule {
  kind: 'code';
  finding: FindingKind;
}
/** A rule on the file's own path (names, places). */
export interface PathRule extends BaseRule {
  kind: 'path';
  violates: (path: string) => boolean;
}
export type Rule = ImportRule | CodeRule | PathRule;

const under =
  (...prefixes: string[]) =>
  (path: string) =>
    prefixes.some((p) => path === p || path.startsWith(p.endsWith('.ts') ? p : `${p}/`));
const isFastify = (target: string) => target === 'fastify' || target.startsWith('@fastify/');
const familyOf = (path: string) => /^src\/api\/([^/]+)\//.exec(path)?.[1];
/** Shared helpers of the families (src/api/shared) are no family: the step moves them to src/http. */
const NOT_A_FAMILY = new Set(['shared']);
const ENTRY = ['src/main.ts', 'src/app.ts', 'src/services.ts', 'src/cli'];
const EDGE = ['src/http', 'src/api', 'src/oauth', 'src/web'];
const STORE = under('src/store');

export const RULES: Rule[] = [
  {
    id: 'domain-below-edge',
    kind: 'import',
    why: 'the domain knows nothing of HTTP, vendors or the token service',
    governs: under('src/domain'),
    forbids: (t) => under(...EDGE, ...ENTRY)(t) || isFastify(t),
  },
  {
    id: 'store-below-domain',
    kind: 'import',
    why: 'the store serves the domain, never the other way round',
    governs: STORE,
    forbids: (t) => under('src/domain', ...EDGE, ...ENTRY)(t) || isFastify(t),
  },
  {
    id: 'platform-is-ground',
    kind: 'import',
    why: 'platform imports no other part of Keyward and no Fastify',
    governs: under('src/platform'),
    forbids: (t) => (t.startsWith('src/') && !under('src/platform')(t)) || isFastify(t),
  },
  {
    id: 'families-apart',
    kind: 'import',
    why: 'two API families never import each other',
    governs: under('src/api'),
    forbids: (t, from) => {
      const [a, b] = [familyOf(from), familyOf(t)];
      return !!a && !!b && a !== b && !NOT_A_FAMILY.has(a) && !NOT_A_FAMILY.has(b);
    },
  },
  {
    id: 'oauth-not-store',
    kind: 'import',
    why: 'the token service calls domain methods; it holds no database handle',
    governs: under('src/oauth'),
    forbids: (t) => STORE(t) || t === 'kysely',
  },
  {
    id: 'api-not-store',
    kind: 'import',
    why: 'an API family maps domain models, never rows',
    governs: under('src/api'),
    forbids: (t) => STORE(t) || t === 'kysely',
  },
  {
    id: 'kysely-only-in-store',
    kind: 'import',
    why: 'Kysely types and handles stay in src/store (entry wiring excepted)',
    governs: (p) => !STORE(p) && !under(...ENTRY)(p),
    forbids: (t) => t === 'kysely',
  },
  {
    id: 'fastify-only-at-edge',
    kind: 'import',
    why: 'nothing below the HTTP edge imports Fastify',
    governs: under('src/domain', 'src/store', 'src/platform'),
    forbids: isFastify,
  },
  {
    id: 'sql-only-in-store',
    kind: 'code',
    finding: 'sql',
    why: 'query builders and sql`` run only in src/store',
    governs: (p) => !STORE(p),
  },
  {
    id: 'no-rows-in-api',
    kind: 'code',
    finding: 'rowType',
    why: 'the API layer never sees a row type (Selectable<…>, *Row)',
    governs: under('src/api', 'src/oauth'),
  },
  {
    id: 'dialect-in-store',
    kind: 'code',
    finding: 'dialect',
    why: "dialect differences ('postgres'/'sqlite', forUpdate) live in one place: src/store",
    governs: under('src/domain', 'src/api', 'src/oauth', 'src/http'),
  },
  {
    id: 'domain-vendor-neutral',
    kind: 'code',
    finding: 'vendorWord',
    why: 'vendor words (SailPoint, Webex, Trivore, Authress, spark scopes) only in src/api/<family>',
    governs: under('src/domain', 'src/store'),
  },
  {
    id: 'camelCase-file-names',
    kind: 'path',
    why: 'one file-name case across src: camelCase (migrations keep their numbered names)',
    governs: (p) => !under('src/store/migrations')(p),
    violates: (p) => /[_-]/.test(p.split('/').pop()!) || /[A-Z_-]/.test(p.split('/').slice(0, -1).join('/')),
  },
];

/** The current violations of one rule, sorted: `from -> target` or a file path. */
export function violationsOf(rule: Rule, sources: SourceInfo[]): string[] {
  const found = sources
    .filter((s) => rule.governs(s.path))
    .flatMap((s) =>
      rule.kind === 'import'
        ? s.imports.filter((t) => rule.forbids(t, s.path)).map((t) => `${s.path} -> ${t}`)
        : (rule.kind === 'code' ? s.findings.has(rule.finding) : rule.violates(s.path))
          ? [s.path]
          : [],
    );
  return [...new Set(found)].sort();
}
