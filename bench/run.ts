/**
 * `npm run bench` runs every scenario; `npm run bench -- NAME [NAME…]` runs some. Servers run in
 * their own processes on 127.0.0.1; each load run is bounded (BENCH_SECONDS, default 10, after a
 * 2 s warm-up). Prints a Markdown table and the ratios; a run with non-2xx responses is invalid.
 */
import { machineLine, ratioLines, table, type BenchRow } from './lib/report.js';
import { authorisationsScenario } from './scenarios/authorisations.js';
import { introspectScenario, refreshScenario } from './scenarios/personTokens.js';
import { revocationCheckScenario } from './scenarios/revocations.js';
import { peoplePageScenario } from './scenarios/people.js';
import { scaleOutScenario } from './scenarios/scaleOut.js';
import { startupScenario } from './scenarios/startup.js';
import { mgmtGetScenario, tokenScenario } from './scenarios/token.js';
import { licenseScenario } from './scenarios/licenses.js';
import { patchWorstScenario } from './scenarios/patchWorst.js';

type Scenario = () => Promise<{ rows: BenchRow[]; ratios: Record<string, number> }>;

const SCENARIOS: Record<string, Scenario> = {
  token: tokenScenario,
  'mgmt-get': mgmtGetScenario,
  refresh: refreshScenario,
  introspect: introspectScenario,
  startup: startupScenario,
  'scale-out': scaleOutScenario,
  'revocation-check': revocationCheckScenario,
  // filtered lists and the check endpoint at 1M rows (BENCH_AUTHZ_ROWS, BENCH_AUTHZ_DBS)
  authorisations: authorisationsScenario,
  // assign/remove throughput on 100k people, assigned-users paging at 100k (BENCH_LICENSE_*)
  'license-assign': licenseScenario,
  'people-page': peoplePageScenario,
  // the heaviest 100-operation JSON Patch of a client at its limits, and the doubling attack
  'patch-worst': patchWorstScenario,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !SCENARIOS[w]);
if (unknown.length) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}
console.log(`# keyward bench · ${machineLine()}\n`);
let invalid = false;
for (const name of wanted.length ? wanted : Object.keys(SCENARIOS)) {
  console.log(`## ${name}\n`);
  const { rows, ratios } = await SCENARIOS[name]!();
  console.log(table(rows));
  console.log(`\n${ratioLines(ratios)}\n`);
  if (rows.some((r) => r.non2xx > 0 || (r.errors ?? 0) > 0)) {
    invalid = true;
    console.log('**INVALID RUN: some responses were not 2xx.**\n');
  }
}
process.exit(invalid ? 1 : 0);
