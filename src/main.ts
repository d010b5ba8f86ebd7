#!/usr/bin/env node
/**
 * The `keyward` command line: `serve` (what `npm start` runs) and `migrate`.
 */
import { parseArgs } from 'node:util';
import { buildApp } from './app.js';
import { formatBootstrapBanner } from './domain/bootstrap.js';
import { ConfigError, loadConfig, type KeywardConfig } from './platform/config.js';
import type { CliCommand } from './cli/command.js';
import { accessKeysCreate, accessKeysList, accessKeysRevoke } from './cli/accessKeys.js';
import { keysList, keysRotate } from './cli/keys.js';
import { orgCreate } from './cli/orgs.js';
import { licensesImport } from './cli/licenses.js';
import { backup, restore } from './cli/backup.js';
import { createServices } from './services.js';
import { migrateToLatest, openStore } from './store/db.js';

const CONFIG_FLAGS = {
  port: { type: 'string', env: 'KEYWARD_PORT', help: 'port to listen on (8080)' },
  host: { type: 'string', env: 'KEYWARD_HOST', help: 'address to listen on (127.0.0.1)' },
  issuer: { type: 'string', env: 'KEYWARD_ISSUER', help: 'public base URL (http://localhost:PORT)' },
  'database-url': {
    type: 'string',
    env: 'KEYWARD_DATABASE_URL',
    help: 'postgres://… or sqlite:PATH (./data/keyward.db)',
  },
  'log-level': {
    type: 'string',
    env: 'KEYWARD_LOG_LEVEL',
    help: 'fatal|error|warn|info|debug|trace|silent (info)',
  },
} as const;

/** Every subcommand; multi-word ones (`keys rotate`) keep their logic in src/cli/. */
const COMMANDS: Record<string, CliCommand> = {
  serve: {
    summary: 'migrate, bootstrap an empty database, and serve HTTP',
    run: ({ config }) => serve(config),
  },
  migrate: { summary: 'run pending database migrations and exit', run: ({ config }) => migrate(config) },
  'keys rotate': keysRotate,
  'keys list': keysList,
  'access-keys create': accessKeysCreate,
  'access-keys list': accessKeysList,
  'access-keys revoke': accessKeysRevoke,
  'org create': orgCreate,
  'licenses import': licensesImport,
  backup,
  restore,
};

function usage(command?: string): string {
  const flags = Object.entries(CONFIG_FLAGS)
    .map(([name, f]) => `  --${name.padEnd(14)} ${f.help} [${f.env}]`)
    .join('\n');
  if (command && COMMANDS[command]) {
    const own = Object.entries(COMMANDS[command].options ?? {})
      .map(([name, o]) => `  --${name.padEnd(14)} ${o.help}\n`)
      .join('');
    const args = COMMANDS[command].args ? ` ${COMMANDS[command].args}` : '';
    return `Usage: keyward ${command} [options]${args}\n\n${COMMANDS[command].summary}.\n\nOptions:\n${own}Configuration (each overrides its environment variable):\n${flags}\n  --help           show this help\n`;
  }
  const list = Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(16)} ${c.summary}`)
    .join('\n');
  return `Usage: keyward <command> [options]\n\nCommands:\n${list}\n\nRun 'keyward <command> --help' for its options. Configuration: README.md.\n`;
}

async function serve(config: () => KeywardConfig): Promise<void> {
  const cfg = config();
  const { services, bootstrapped } = await createServices(cfg);
  if (bootstrapped) process.stdout.write(formatBootstrapBanner(bootstrapped, cfg.issuer));
  const app = await buildApp(services);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal, drainMs: cfg.shutdownDrainMs }, 'draining, then shutting down');
    // Readiness fails at once; keep serving while load balancers notice, then close():
    // stop accepting, finish in-flight requests, flush pending writes.
    await app.drain.start(cfg.shutdownDrainMs);
    await app.close();
    await services.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  await app.listen({ port: cfg.port, host: cfg.host });
}

async function migrate(config: () => KeywardConfig): Promise<void> {
  const cfg = config();
  const store = openStore(cfg.database, cfg.dbTimeouts);
  try {
    const applied = await migrateToLatest(store);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
  } finally {
    await store.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const twoWords = argv.slice(0, 2).join(' ');
  const command = COMMANDS[twoWords] ? twoWords : argv[0];
  const rest = argv.slice(COMMANDS[twoWords] ? 2 : 1);
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(usage());
    return command ? 0 : 1;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    process.stderr.write(`keyward: unknown command ${JSON.stringify(command)}\n\n${usage()}`);
    return 2;
  }
  const options: Record<string, { type: 'string' | 'boolean' }> = Object.fromEntries(
    Object.entries({ ...CONFIG_FLAGS, ...entry.options }).map(([k, o]) => [
      k,
      { type: 'type' in o ? o.type : 'string' },
    ]),
  );
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: { ...options, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: !!entry.args,
    }));
  } catch (error) {
    process.stderr.write(`keyward ${command}: ${(error as Error).message}\n\n${usage(command)}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(usage(command));
    return 0;
  }
  const overrides: Record<string, string> = {};
  for (const [flag, spec] of Object.entries(CONFIG_FLAGS)) {
    if (typeof values[flag] === 'string') overrides[spec.env] = values[flag] as string;
  }
  await entry.run({
    config: () => loadConfig(process.env, overrides),
    values,
    positionals,
    out: (text) => process.stdout.write(text),
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error) => {
    if (error instanceof ConfigError) process.stderr.write(`keyward: ${error.message}\n`);
    else process.stderr.write(`keyward: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof ConfigError ? 2 : 1);
  },
);
