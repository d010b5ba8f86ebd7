#!/usr/bin/env node
/**
 * The `keyward` command line: `serve` (what `npm start` runs) and `migrate`.
 */
import { parseArgs } from 'node:util';
import { buildApp } from './app.js';
import { formatBootstrapBanner } from './domain/bootstrap.js';
import { ConfigError, loadConfig, type KeywardConfig } from './platform/config.js';
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

const COMMANDS: Record<string, { summary: string; run: (config: () => KeywardConfig) => Promise<void> }> = {
  serve: { summary: 'migrate, bootstrap an empty database, and serve HTTP', run: serve },
  migrate: { summary: 'run pending database migrations and exit', run: migrate },
};

function usage(command?: string): string {
  const flags = Object.entries(CONFIG_FLAGS)
    .map(([name, f]) => `  --${name.padEnd(14)} ${f.help} [${f.env}]`)
    .join('\n');
  if (command && COMMANDS[command]) {
    return `Usage: keyward ${command} [options]\n\n${COMMANDS[command].summary}.\n\nOptions (each overrides its environment variable):\n${flags}\n  --help           show this help\n`;
  }
  const list = Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
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
    app.log.info({ signal }, 'shutting down');
    // close() stops accepting connections and waits for in-flight requests to finish.
    await app.close();
    await services.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  await app.listen({ port: cfg.port, host: cfg.host });
}

async function migrate(config: () => KeywardConfig): Promise<void> {
  const store = openStore(config().database);
  try {
    const applied = await migrateToLatest(store);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
  } finally {
    await store.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(usage());
    return command ? 0 : 1;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    process.stderr.write(`keyward: unknown command ${JSON.stringify(command)}\n\n${usage()}`);
    return 2;
  }
  const options = Object.fromEntries(
    Object.entries(CONFIG_FLAGS).map(([k]) => [k, { type: 'string' as const }]),
  );
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { ...options, help: { type: 'boolean' } },
      strict: true,
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
  await entry.run(() => loadConfig(process.env, overrides));
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
