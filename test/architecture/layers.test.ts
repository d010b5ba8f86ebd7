/**
 * The architecture of DESIGN.md, enforced: the never-rules between layers (support/rules.ts), the
 * file-size limit, and that the cross-tenant isolation table calls every management route. Today's
 * violations are listed in knownViolations.ts; anything new fails, and so does a listed violation
 * that is gone (delete its line: the lists only shrink).
 */
import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { startKeyward, type Harness } from '../support/harness.js';
import { ISOLATION_ROUTES, type Victim } from '../isolation/routes.js';
import { FILE_SIZE_EXCEPTIONS, KNOWN_VIOLATIONS } from './knownViolations.js';
import { RULES, violationsOf } from './support/rules.js';
import { countLines, listFiles, scanSources, scanText, type SourceInfo } from './support/scan.js';

const MAX_LINES = 400;

/** Fails on a violation not in `known` and on a `known` one that no longer occurs. */
function assertOnlyKnown(ruleId: string, why: string, actual: string[], known: string[] = []) {
  const unexpected = actual.filter((v) => !known.includes(v));
  const gone = known.filter((v) => !actual.includes(v));
  const problems = [
    ...unexpected.map((v) => `  new violation: ${v}`),
    ...gone.map((v) => `  fixed, delete from KNOWN_VIOLATIONS['${ruleId}']: ${v}`),
  ];
  assert.equal(problems.length, 0, `${ruleId} (${why}):\n${problems.join('\n')}`);
}

describe('layering rules', () => {
  const sources = scanSources();

  it('knows every rule it lists, and lists every rule', () => {
    const ids = [...RULES.map((r) => r.id), 'isolation-covers-routes'];
    assert.deepEqual(Object.keys(KNOWN_VIOLATIONS).sort(), [...ids].sort());
  });

  for (const rule of RULES) {
    it(`${rule.id}: ${rule.why}`, () => {
      assertOnlyKnown(rule.id, rule.why, violationsOf(rule, sources), KNOWN_VIOLATIONS[rule.id]);
    });
  }
});

describe('the rules catch what they are for', () => {
  const rule = (id: string) => RULES.find((r) => r.id === id)!;
  const one = (path: string, text: string): SourceInfo[] => [scanText(path, text)];

  it('a domain file importing Fastify or an API family breaks domain-below-edge', () => {
    const file = one(
      'src/domain/people/x.ts',
      "import type { FastifyRequest } from 'fastify';\nimport { a } from '../../api/webex/people.js';\n",
    );
    assert.deepEqual(violationsOf(rule('domain-below-edge'), file), [
      'src/domain/people/x.ts -> fastify',
      'src/domain/people/x.ts -> src/api/webex/people.ts',
    ]);
  });

  it('a family importing another family breaks families-apart; the http edge does not', () => {
    const file = one(
      'src/api/webex/x.ts',
      "import { a } from '../trivore/paging.js';\nimport { b } from '../../http/nullable.js';\n",
    );
    assert.deepEqual(violationsOf(rule('families-apart'), file), [
      'src/api/webex/x.ts -> src/api/trivore/paging.ts',
    ]);
  });

  it('store importing domain, and oauth importing store, are caught', () => {
    const store = one('src/store/x.ts', "import type { A } from '../domain/people/people.js';\n");
    assert.equal(violationsOf(rule('store-below-domain'), store).length, 1);
    const oauth = one('src/oauth/x.ts', "export type { Store } from '../store/db.js';\n");
    assert.equal(violationsOf(rule('oauth-not-store'), oauth).length, 1);
  });

  it('SQL in code counts, SQL in a comment or a string does not', () => {
    const code = one('src/oauth/x.ts', 'export const f = (db: any) => db.selectFrom("people").execute();\n');
    const tagged = one('src/domain/x.ts', 'export const f = (sql: any) => sql`select 1`;\n');
    const prose = one('src/domain/x.ts', '// db.selectFrom(t)\nexport const s = "updateTable(x) sql`y`";\n');
    assert.deepEqual(violationsOf(rule('sql-only-in-store'), code), ['src/oauth/x.ts']);
    assert.deepEqual(violationsOf(rule('sql-only-in-store'), tagged), ['src/domain/x.ts']);
    assert.deepEqual(violationsOf(rule('sql-only-in-store'), prose), []);
  });

  it('row types in the API layer, dialect branches and vendor words in the domain are caught', () => {
    const api = one(
      'src/api/webex/x.ts',
      'type P = Selectable<People>;\nexport const f = (r: PersonRow) => r;\n',
    );
    assert.equal(violationsOf(rule('no-rows-in-api'), api).length, 1);
    const branch = one('src/domain/x.ts', "export const f = (d: string) => d === 'postgres';\n");
    assert.equal(violationsOf(rule('dialect-in-store'), branch).length, 1);
    const vendor = one('src/domain/x.ts', 'export const sailpointFields = {};\n/* Webex says */\n');
    assert.equal(violationsOf(rule('domain-vendor-neutral'), vendor).length, 1);
    const neutral = one('src/domain/x.ts', '/* like Webex and SailPoint */\nexport const fields = {};\n');
    assert.equal(violationsOf(rule('domain-vendor-neutral'), neutral).length, 0);
  });
});

describe('file size', () => {
  it(`no file over ${MAX_LINES} lines but the listed exceptions`, () => {
    const files = ['src', 'test', 'bench', 'scripts'].flatMap((dir) => listFiles(dir));
    const long = files.map((path) => ({ path, lines: countLines(path) })).filter((f) => f.lines > MAX_LINES);
    const known = Object.keys(FILE_SIZE_EXCEPTIONS);
    const unexpected = long
      .filter((f) => !known.includes(f.path))
      .map((f) => `  ${f.path}: ${f.lines} lines`);
    const gone = known
      .filter((k) => !long.some((f) => f.path === k))
      .map((k) => `  ${k} is under the limit (or gone): delete it from FILE_SIZE_EXCEPTIONS`);
    assert.deepEqual([...unexpected, ...gone], []);
  });
});

/**
 * Routes outside the isolation table on purpose: not organization-scoped management routes. Each
 * entry is a path prefix and why.
 */
const NOT_TENANT_ROUTES: Array<[prefix: string, why: string]> = [
  ['/oauth/', 'the token service: RFC errors and client auth, tested in test/oauth and test/e2e'],
  ['/.well-known/', 'public discovery documents'],
  ['/sso/', 'federation callback of the token service (test/connections/federation*)'],
  ['/healthz', 'liveness, public'],
  ['/readyz', 'readiness, public'],
  ['/apidoc', 'the OpenAPI document and its UI, public'],
];
/** Exact paths that are not tenant routes (a prefix '/' would exempt everything). */
const NOT_TENANT_PATHS: Array<[path: string, why: string]> = [
  ['/', 'the landing page: public, static, the same for everyone (src/http/landing.ts)'],
];

function routePattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((part) =>
      part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}/?$`);
}

describe('isolation route table', () => {
  const registered: Array<{ method: string; url: string }> = [];
  let k: Harness;
  // Fastify announces each new instance on this channel before any plugin registers a route.
  const onInit = (message: unknown) => {
    const app = (message as { fastify: FastifyInstance }).fastify;
    app.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat()) registered.push({ method, url: route.url });
    });
  };

  before(async () => {
    subscribe('fastify.initialization', onInit);
    try {
      k = await startKeyward();
    } finally {
      unsubscribe('fastify.initialization', onInit);
    }
  });
  after(() => k?.close());

  const victim = new Proxy({} as Victim, { get: (_t, key) => `victim-${String(key)}` });
  const rows = ISOLATION_ROUTES.map((r) => ({ method: r.method, path: r.url(victim).split('?')[0] }));

  it('registered some routes (the hook saw the app)', () => {
    assert.ok(
      registered.some((r) => r.url === '/v1/people'),
      JSON.stringify(registered.slice(0, 5)),
    );
  });

  it('every row of the table calls a registered route', () => {
    const unmatched = rows.filter(
      (row) => !registered.some((r) => r.method === row.method && routePattern(r.url).test(row.path)),
    );
    assert.deepEqual(unmatched, []);
  });

  it('every registered management route is called by a row of the table', () => {
    const management = registered.filter(
      (r) =>
        r.method !== 'HEAD' &&
        !NOT_TENANT_ROUTES.some(([prefix]) => r.url.startsWith(prefix)) &&
        !NOT_TENANT_PATHS.some(([path]) => r.url === path),
    );
    const uncovered = management
      .filter((r) => !rows.some((row) => row.method === r.method && routePattern(r.url).test(row.path)))
      .map((r) => `${r.method} ${r.url}`);
    assertOnlyKnown(
      'isolation-covers-routes',
      'test/isolation/routes.ts calls every management route',
      [...new Set(uncovered)].sort(),
      KNOWN_VIOLATIONS['isolation-covers-routes'],
    );
  });
});
