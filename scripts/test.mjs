#!/usr/bin/env node
// Runs the whole suite on SQLite and then on PostgreSQL (each test file makes its own fresh
// database or schema). PostgreSQL unreachable: said loudly, and a failure under CI=true.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import pg from 'pg';

const PG_URL = process.env.KEYWARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const args = process.argv.slice(2);
const only = args.includes('--db') ? args[args.indexOf('--db') + 1] : 'both';
const filters = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--db');

function testFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'support' || name === 'fixtures' ? [] : testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

async function postgresReachable() {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (error) {
    return error.message;
  } finally {
    await client.end().catch(() => {});
  }
}

const CI = process.env.CI === 'true';
const skipDir = mkdtempSync(join(tmpdir(), 'keyward-skips-'));
process.on('exit', () => rmSync(skipDir, { recursive: true, force: true }));

/** A skip whose reason names the browser: under CI the browser tests must run, so such a skip fails. */
const isBrowserSkip = (s) => s.kind === 'skip' && /chromium|browser/i.test(s.reason);

function readSkips(path) {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

function run(db, files) {
  return new Promise((resolve) => {
    console.log(`\n=== keyward tests on ${db} (${files.length} files) ===`);
    const skipFile = join(skipDir, `${db}.jsonl`);
    const reporters = [
      ...['--test-reporter=spec', '--test-reporter-destination=stdout'],
      ...[`--test-reporter=${new URL('./skipReporter.mjs', import.meta.url).pathname}`],
      `--test-reporter-destination=${skipFile}`,
    ];
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', ...reporters, ...files], {
      env: { ...process.env, KEYWARD_TEST_DB: db, KEYWARD_TEST_PG_URL: PG_URL },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code) => {
      const count = (name) => Number(out.match(new RegExp(`^ℹ ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
      const skips = readSkips(skipFile).map((s) => ({ ...s, db }));
      resolve({ code: code ?? 1, pass: count('pass'), fail: count('fail'), skips });
    });
  });
}

// KEYWARD_TEST_DIR: the runner's own test points it at test/fixtures/runner.
let files = testFiles(process.env.KEYWARD_TEST_DIR ?? 'test');
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
const results = [];
if (only === 'both' || only === 'sqlite') results.push(await run('sqlite', files));
let pgMissing = false;
if (only === 'both' || only === 'postgres') {
  const reachable = await postgresReachable();
  if (reachable === true) results.push(await run('postgres', files));
  else {
    pgMissing = true;
    const bar = '!'.repeat(78);
    console.error(
      `\n${bar}\n!! PostgreSQL at ${PG_URL} is UNREACHABLE (${reachable}).\n!! The PostgreSQL half of the suite did NOT run.${CI ? ' Under CI this is a failure.' : ''}\n${bar}\n`,
    );
  }
}
const pass = results.reduce((n, r) => n + r.pass, 0);
const skips = results.flatMap((r) => r.skips);
if (skips.length) {
  console.log(`\nSkipped or todo (${skips.length}):`);
  for (const s of skips) {
    const what = s.suite ? `suite "${s.name}" (all its tests)` : `"${s.name}"`;
    const where = s.file ? relative(process.cwd(), s.file) : '?';
    console.log(`  [${s.db}] ${s.kind} ${where}: ${what}${s.reason ? ` — ${s.reason}` : ''}`);
  }
}
const browserSkips = CI ? skips.filter(isBrowserSkip) : [];
if (browserSkips.length) {
  console.error(
    `\n!! Under CI the browser tests must run: ${browserSkips.length} were skipped (install Chromium).`,
  );
}
const fail = results.reduce((n, r) => n + r.fail, 0) + (pgMissing && CI ? 1 : 0) + browserSkips.length;
const skipped = skips.filter((s) => s.kind === 'skip');
const skippedSuites = skipped.filter((s) => s.suite).length;
const todo = skips.length - skipped.length;
const failed = results.some((r) => r.code !== 0) || (pgMissing && CI) || browserSkips.length > 0;
const suiteNote = skippedSuites ? ` (${skippedSuites} of them whole suites)` : '';
console.log(`\nkeyward: ${pass} passed, ${fail} failed, ${skipped.length} skipped${suiteNote}, ${todo} todo`);
process.exit(failed ? 1 : 0);
