import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/db.js';
import type { BenchRow } from '../lib/report.js';
import { startKeyward } from '../lib/servers.js';
import { loadAuthorisations } from './authorisations.js';

const ROWS = Number(process.env.BENCH_STARTUP_ROWS ?? 1_000_000);

/** Spawn to first 200 from /readyz, in ms, and the RSS right after. */
async function coldStart(dataDir: string): Promise<{ ms: number; rssMb: number }> {
  const started = performance.now();
  const server = await startKeyward({ dataDir });
  const ms = performance.now() - started;
  const rssMb = server.rssMb();
  await server.stop();
  return { ms, rssMb };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function row(server: string, runs: { ms: number; rssMb: number }[]): BenchRow {
  return {
    scenario: 'startup',
    server,
    requestsPerSec: NaN,
    p50: median(runs.map((r) => r.ms)),
    p99: Math.max(...runs.map((r) => r.ms)),
    non2xx: 0,
    rssMb: median(runs.map((r) => r.rssMb)),
  };
}

/** Cold start to /readyz: an empty directory (bootstrap included), a restart, and a 1M-row database. */
export async function startupScenario(): Promise<{ rows: BenchRow[]; ratios: Record<string, number> }> {
  const rows: BenchRow[] = [];
  const firstRuns = [];
  for (let i = 0; i < 3; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'keyward-startup-'));
    firstRuns.push(await coldStart(dir));
    rmSync(dir, { recursive: true, force: true });
  }
  rows.push(row('first start, empty dir (migrate + bootstrap + keygen)', firstRuns));

  const dir = mkdtempSync(join(tmpdir(), 'keyward-startup-'));
  try {
    await coldStart(dir);
    rows.push(
      row('restart, bootstrapped database', [
        await coldStart(dir),
        await coldStart(dir),
        await coldStart(dir),
      ]),
    );
    const store = openStore({ kind: 'sqlite', file: join(dir, 'keyward.db') });
    try {
      const root = await store.db
        .selectFrom('organizations')
        .select('id')
        .where('code', '=', 'root')
        .executeTakeFirstOrThrow();
      console.error(`loading ${ROWS} authorisations…`);
      await loadAuthorisations(store.db, root.id, ROWS);
    } finally {
      await store.close();
    }
    rows.push(
      row(`restart, ${(ROWS / 1e6).toFixed(1)}M authorisations (SQLite)`, [
        await coldStart(dir),
        await coldStart(dir),
        await coldStart(dir),
      ]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { rows, ratios: {} };
}
