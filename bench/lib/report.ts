import { availableParallelism } from 'node:os';

export interface BenchRow {
  scenario: string;
  server: string;
  requestsPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors?: number;
  rssMb?: number;
}

const fmt = (n: number | undefined, digits = 0) =>
  n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits);

export function machineLine(): string {
  return `${new Date().toISOString()} · node ${process.version} · nproc ${availableParallelism()}`;
}

/** A Markdown table, pasteable into bench/RESULTS.md as printed. */
export function table(rows: BenchRow[]): string {
  const head =
    '| scenario | server | req/s | p50 ms | p99 ms | non-2xx | RSS MB |\n|---|---|---:|---:|---:|---:|---:|';
  const body = rows
    .map(
      (r) =>
        `| ${r.scenario} | ${r.server} | ${fmt(r.requestsPerSec)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${r.non2xx + (r.errors ?? 0)} | ${fmt(r.rssMb)} |`,
    )
    .join('\n');
  return `${head}\n${body}`;
}

export function ratioLines(ratios: Record<string, number>): string {
  return Object.entries(ratios)
    .filter(([, v]) => !Number.isNaN(v))
    .map(([k, v]) => `- ${k}: **${v.toFixed(2)}**`)
    .join('\n');
}
