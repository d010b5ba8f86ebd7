#!/usr/bin/env node
// The pure renames of the architecture step (docs/architecture-step.md): `git mv` each file to its
// new home and rewrite every relative import (and `new URL('…', import.meta.url)`) that pointed at
// it, in src, test, bench and scripts, plus exact repo paths in the docs and in
// test/architecture/knownViolations.ts. Idempotent: a move whose source is gone is skipped, so it can
// be re-run after other branches merge (new files inside a moved folder move with it).
//
//   node scripts/arch-moves.mjs [--dry-run] [group ...]     (no group = all, in the order below)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, posix } from 'node:path';

/** [from, to]: a file, or a folder (ends in /) whose remaining files move keeping their names. */
const GROUPS = {
  // One HTTP edge: everything that knows Fastify's request/reply and is shared by the families.
  http: [
    ['src/platform/http/problems.ts', 'src/http/problems.ts'],
    ['src/platform/http/bodyParsers.ts', 'src/http/bodyParsers.ts'],
    ['src/platform/logging.ts', 'src/http/logging.ts'],
    ['src/api/shared/authenticate.ts', 'src/http/authenticate.ts'],
    ['src/api/shared/rateLimit.ts', 'src/http/rateLimitHook.ts'],
    ['src/api/shared/nullable.ts', 'src/http/nullable.ts'],
    ['src/web/cookies.ts', 'src/http/cookies.ts'],
    // Whatever else other branches added there meanwhile.
    ['src/platform/http/', 'src/http/'],
    ['src/api/shared/', 'src/http/'],
  ],
  // Login, consent and error pages belong to the token service.
  ui: [
    ['src/web/pages.ts', 'src/oauth/ui/pages.ts'],
    ['src/web/', 'src/oauth/ui/'],
  ],
  // One file-name case: camelCase.
  names: [
    ['src/oauth/grants/authorization_code.ts', 'src/oauth/grants/authorizationCode.ts'],
    ['src/oauth/grants/client_credentials.ts', 'src/oauth/grants/clientCredentials.ts'],
    ['src/oauth/grants/refresh_token.ts', 'src/oauth/grants/refreshToken.ts'],
    ['src/oauth/authorize/checks/check_client.ts', 'src/oauth/authorize/checks/checkClient.ts'],
    ['src/oauth/authorize/checks/check_connection.ts', 'src/oauth/authorize/checks/checkConnection.ts'],
    ['src/oauth/authorize/checks/check_pkce.ts', 'src/oauth/authorize/checks/checkPkce.ts'],
    ['src/oauth/authorize/checks/check_prompt.ts', 'src/oauth/authorize/checks/checkPrompt.ts'],
    ['src/oauth/authorize/checks/check_redirect_uri.ts', 'src/oauth/authorize/checks/checkRedirectUri.ts'],
    ['src/oauth/authorize/checks/check_response_type.ts', 'src/oauth/authorize/checks/checkResponseType.ts'],
    ['src/oauth/authorize/checks/check_scope.ts', 'src/oauth/authorize/checks/checkScope.ts'],
  ],
  // Trivore "authorisations" are relations; Webex "authorizations" are grants: no look-alike names.
  relations: [
    ['src/domain/authorisations/authorisations.ts', 'src/domain/relations/relations.ts'],
    ['src/domain/authorisations/authorisationQueries.ts', 'src/domain/relations/relationQueries.ts'],
    ['src/domain/authorisations/authorisationServices.ts', 'src/domain/relations/relationServices.ts'],
    ['src/domain/authorisations/', 'src/domain/relations/'],
  ],
  grants: [
    ['src/domain/tokens/tokenGrants.ts', 'src/domain/grants/grants.ts'],
    ['src/domain/tokens/authorizations.ts', 'src/domain/grants/personGrants.ts'],
    ['src/domain/tokens/authorizationCodes.ts', 'src/domain/grants/codes.ts'],
    ['src/domain/tokens/tokenRevocations.ts', 'src/domain/grants/revocations.ts'],
  ],
};
/** [duplicate, canonical]: imports of the duplicate go to the canonical file, which must be byte-identical. */
const MERGES = { http: [['src/api/trivore/nullable.ts', 'src/api/shared/nullable.ts']] };

const CODE_DIRS = ['src', 'test', 'bench', 'scripts', 'console'];
const CODE_EXT = /\.(ts|tsx|mts|mjs|js)$/;
const PATH_TEXTS = ['README.md', 'CONTRIBUTING.md', 'test/architecture/knownViolations.ts'];
const SELF_DOC = 'docs/architecture-step.md';

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const chosen = args.filter((a) => !a.startsWith('--'));
for (const g of chosen)
  if (!GROUPS[g]) throw new Error(`unknown group ${g}: ${Object.keys(GROUPS).join(', ')}`);
const groups = chosen.length ? chosen : Object.keys(GROUPS);

function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = posix.join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** old path → new path, for every file that moves now. */
const moves = new Map();
const merges = new Map();
for (const group of groups) {
  for (const [from, to] of GROUPS[group]) {
    if (from.endsWith('/')) {
      for (const file of walk(from.slice(0, -1)))
        if (!moves.has(file)) moves.set(file, to + file.slice(from.length));
    } else if (existsSync(from)) {
      if (existsSync(to)) throw new Error(`${to} exists already: resolve by hand, then re-run`);
      moves.set(from, to);
    }
  }
  for (const [dup, canonical] of MERGES[group] ?? []) {
    if (!existsSync(dup)) continue;
    if (!existsSync(canonical) || readFileSync(dup, 'utf8') !== readFileSync(canonical, 'utf8')) {
      console.warn(`skip merge ${dup} → ${canonical}: not identical; merge by hand`);
      continue;
    }
    merges.set(dup, moves.get(canonical) ?? canonical);
  }
}
const target = (path) => merges.get(path) ?? moves.get(path) ?? path;

/** The repo path a relative specifier of `file` points at (a .js import names its .ts source). */
function resolveSpecifier(file, spec) {
  const base = posix.normalize(posix.join(posix.dirname(file), spec));
  for (const c of [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base, `${base}.ts`]) {
    if (existsSync(c) && statSync(c).isFile()) return { path: c, suffix: c === base ? '' : 'ext' };
  }
  return undefined;
}

function specifierFor(fromFile, toPath, original) {
  let rel = posix.relative(posix.dirname(fromFile), toPath);
  if (!rel.startsWith('.')) rel = `./${rel}`;
  // Keep the import's spelling: `.js` for a .ts source, else the path as written.
  if (/\.js$/.test(original) && /\.tsx?$/.test(toPath)) rel = rel.replace(/\.tsx?$/, '.js');
  return rel;
}

const IMPORT = /((?:from|import)\s*\(?\s*|new URL\(\s*)(['"])(\.{1,2}\/[^'"]+)\2/g;

function rewrite(file, text) {
  const newFile = target(file);
  return text.replace(IMPORT, (all, lead, quote, spec) => {
    const resolved = resolveSpecifier(file, spec);
    if (!resolved) {
      // A folder (new URL('../fixtures/', …)): follow it only when the file itself moves.
      const folder = posix.normalize(posix.join(posix.dirname(file), spec));
      if (newFile === file || !existsSync(folder)) return all;
      const rel = posix.relative(posix.dirname(newFile), folder) + (spec.endsWith('/') ? '/' : '');
      return `${lead}${quote}${rel.startsWith('.') ? rel : `./${rel}`}${quote}`;
    }
    const to = target(resolved.path);
    if (to === resolved.path && newFile === file) return all;
    return `${lead}${quote}${specifierFor(newFile, to, spec)}${quote}`;
  });
}

function rewritePaths(text) {
  const pairs = [...moves, ...merges].sort((a, b) => b[0].length - a[0].length);
  for (const [from, to] of pairs) text = text.split(from).join(to);
  return text;
}

const codeFiles = CODE_DIRS.flatMap(walk).filter((f) => CODE_EXT.test(f));
const docs = [...PATH_TEXTS, ...walk('docs').filter((f) => f.endsWith('.md') && f !== SELF_DOC)];
const edits = new Map();
for (const file of codeFiles) {
  const text = readFileSync(file, 'utf8');
  let next = rewrite(file, text);
  if (PATH_TEXTS.includes(file)) next = rewritePaths(next);
  if (next !== text || moves.has(file)) edits.set(file, next);
}
for (const file of docs.filter((f) => existsSync(f) && !CODE_EXT.test(f))) {
  const text = readFileSync(file, 'utf8');
  const next = rewritePaths(text);
  if (next !== text) edits.set(file, next);
}

for (const [from, to] of moves) console.log(`move   ${from} → ${to}`);
for (const [dup, canonical] of merges) console.log(`merge  ${dup} → ${canonical}`);
console.log(`rewrite ${[...edits.keys()].filter((f) => !moves.has(f)).length} other files`);
if (dryRun) process.exit(0);

const git = (...a) => execFileSync('git', a, { stdio: 'inherit' });

for (const [from, to] of moves) {
  mkdirSync(dirname(to), { recursive: true });
  git('mv', from, to);
}
for (const dup of merges.keys()) git('rm', '-q', dup);
for (const [file, text] of edits) if (!merges.has(file)) writeFileSync(target(file), text);
// Empty folders left behind are dropped by git; remove them from the work tree too.
for (const dir of new Set([...moves.keys(), ...merges.keys()].map(dirname))) {
  try {
    if (existsSync(dir) && readdirSync(dir).length === 0)
      execFileSync('rmdir', ['-p', dir], { stdio: 'ignore' });
  } catch {
    /* a parent still holds files */
  }
}
// Format what was rewritten (longer paths can re-wrap an import), then drop the KNOWN_VIOLATIONS the
// moves fixed, so the architecture test tells the next step only what is left.
const written = [...edits.keys()].filter((f) => !merges.has(f)).map(target);
const run = (cmd, a) => execFileSync(cmd, a, { stdio: 'inherit' });
if (written.length) run('npx', ['prettier', '--log-level', 'warn', '--write', ...written]);
run(process.execPath, ['--import', 'tsx', 'test/architecture/support/prune.ts']);
run('npx', ['prettier', '--log-level', 'warn', '--write', 'test/architecture/knownViolations.ts']);
console.log(`done: ${moves.size} moved, ${merges.size} merged; next: npx tsc --noEmit, then the tests`);
