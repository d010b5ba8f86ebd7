#!/usr/bin/env node
// Runs the whole suite on SQLite and then on PostgreSQL (each test file makes its own fresh
// database or schema). PostgreSQL unreachable: said loudly, and a failure under CI=true.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const PG_URL = process.env.KEYWARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const args = process.argv.slice(2);
const only = args.includes('--db') ? args[args.indexOf('--db') + 1] : 'both';
const filters = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--db');

function testFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'support' ? [] : testFiles(path);
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

function run(db, files) {
  return new Promise((resolve) => {
    console.log(`\n=== keyward tests on ${db} (${files.length} files) ===`);
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
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
      resolve({ code: code ?? 1, pass: count('pass'), fail: count('fail'), skipped: count('skipped') });
    });
  });
}

let files = testFiles('test');
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
      `\n${bar}\n!! PostgreSQL at ${PG_URL} is UNREACHABLE (${reachable}).\n!! The PostgreSQL half of the suite did NOT run.${process.env.CI === 'true' ? ' Under CI this is a failure.' : ''}\n${bar}\n`,
    );
  }
}
const pass = results.reduce((n, r) => n + r.pass, 0);
const fail = results.reduce((n, r) => n + r.fail, 0) + (pgMissing && process.env.CI === 'true' ? 1 : 0);
const skipped = results.reduce((n, r) => n + r.skipped, 0);
const failed = results.some((r) => r.code !== 0) || (pgMissing && process.env.CI === 'true');
console.log(`\nkeyward: ${pass} passed, ${fail} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
