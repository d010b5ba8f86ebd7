/** `keyward serve` and `keyward migrate`: the server itself, imported lazily so other commands start fast. */
import { readFileSync } from 'node:fs';
import type { KeywardConfig } from '../platform/config.js';
import type { CliCommand } from './command.js';

export function keywardVersion(): string {
  // ../../package.json from both src/cli (tsx) and dist/cli (built).
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return String(pkg.version);
}

/** The database without its password: `sqlite:./data/keyward.db`, `postgresql://host:5432/db (schema s)`. */
export function describeDatabase(database: KeywardConfig['database']): string {
  if (database.kind === 'sqlite') return `sqlite:${database.file}`;
  const url = new URL(database.url);
  const where = `postgresql://${url.hostname}:${url.port || 5432}${url.pathname}`;
  return database.schema ? `${where} (schema ${database.schema})` : where;
}

async function serve(cfg: KeywardConfig): Promise<void> {
  const [{ preflight }, { lockForServing }] = await Promise.all([
    import('../store/preflight.js'),
    import('../store/serveLock.js'),
  ]);
  await preflight(cfg);
  const unlock =
    cfg.database.kind === 'sqlite' && cfg.database.file !== ':memory:'
      ? lockForServing(cfg.database.file)
      : undefined;
  const [{ buildApp }, { createServices }, { formatBootstrapBanner }] = await Promise.all([
    import('../app.js'),
    import('../services.js'),
    import('../domain/bootstrap.js'),
  ]);
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
    unlock?.();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  await app.listen({ port: cfg.port, host: cfg.host });
  const address = app.server.address();
  const local = typeof address === 'object' && address ? `http://${cfg.host}:${address.port}` : cfg.issuer;
  app.log.info(
    {
      version: keywardVersion(),
      database: describeDatabase(cfg.database),
      dataDir: cfg.dataDir,
      issuer: cfg.issuer,
      listening: local,
    },
    `Keyward ${keywardVersion()} ready on ${local} (issuer ${cfg.issuer}; database ${describeDatabase(cfg.database)}; data dir ${cfg.dataDir}): start at ${cfg.issuer}/ , API docs ${cfg.issuer}/apidoc, discovery ${cfg.issuer}/.well-known/openid-configuration`,
  );
}

async function migrate(cfg: KeywardConfig, out: (text: string) => void): Promise<void> {
  const [{ preflight }, { migrateToLatest, openStore }] = await Promise.all([
    import('../store/preflight.js'),
    import('../store/db.js'),
  ]);
  await preflight(cfg);
  const store = openStore(cfg.database, cfg.dbTimeouts);
  try {
    const applied = await migrateToLatest(store);
    out(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
  } finally {
    await store.close();
  }
}

export const serveCommand: CliCommand = {
  summary: 'migrate, bootstrap an empty database, and serve HTTP',
  run: ({ config }) => serve(config()),
};

export const migrateCommand: CliCommand = {
  summary: 'run pending database migrations and exit',
  run: ({ config, out }) => migrate(config(), out),
};
