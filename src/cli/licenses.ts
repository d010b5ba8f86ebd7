import { readFileSync } from 'node:fs';
import { importLicenses } from '../domain/licenses/licenseImport.js';
import { migrateToLatest, openStore } from '../store/db.js';
import type { CliCommand } from './command.js';

/** Files above this many entries get a progress line on stderr. */
const PROGRESS_ABOVE = 1000;

/** `keyward licenses import FILE.json`: create or update licenses of organizations, all or nothing. */
export const licensesImport: CliCommand = {
  summary:
    'import licenses from a JSON file ([{org, id?, name, totalUnits, subscriptionId?, siteUrl?, siteType?}], org = id or code)',
  args: 'FILE.json',
  options: {
    'dry-run': { type: 'boolean', help: 'check the file and show what would change; write nothing' },
  },
  async run({ config, values, positionals, out }) {
    const file = positionals[0];
    if (!file) throw new Error('the JSON file to import is required: keyward licenses import FILE.json');
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`cannot read ${file}: ${(error as Error).message}`);
    }
    const store = openStore(config().database);
    try {
      await migrateToLatest(store);
      let last = 0;
      const result = await importLicenses(
        store.db,
        data,
        (done, total) => {
          if (total <= PROGRESS_ABOVE) return;
          const now = Date.now();
          if (done === total || now - last >= 250) {
            last = now;
            process.stderr.write(
              `\rimporting licenses: ${done}/${total} (${Math.floor((done * 100) / total)}%)`,
            );
            if (done === total) process.stderr.write('\n');
          }
        },
        { dryRun: values['dry-run'] === true },
      );
      const width = Math.max(0, ...result.ids.map((r) => r.id.length));
      for (const [index, r] of result.ids.entries())
        out(`${r.id.padEnd(width)}  ${r.action.padEnd(7)}  licenses[${index}]\n`);
      out(
        `${values['dry-run'] ? 'dry run, nothing written: would import' : 'imported'} ${result.created + result.updated} licenses: ${result.created} created, ${result.updated} updated\n`,
      );
    } finally {
      await store.close();
    }
  },
};
