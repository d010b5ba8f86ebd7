import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningServer {
  name: string;
  url: string;
  pid: number;
  /** Resident set size in MB, read from /proc. */
  rssMb(): number;
  stop(): Promise<void>;
  /** What the server printed (Keyward prints its bootstrap credentials). */
  output(): string;
}

export const CLIENT_ID = 'bench-client';
export const CLIENT_SECRET = randomBytes(32).toString('base64url');

const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts a server in its own process, pinned to CPU 0 when taskset exists (the load generator
 * then has the other core), and waits for `readyText`.
 */
export async function startProcess(
  name: string,
  args: string[],
  env: Record<string, string>,
  readyText: RegExp | string,
  port: number,
  cleanup: () => void = () => {},
  cpus = '0',
): Promise<RunningServer> {
  const command = hasTaskset ? 'taskset' : process.execPath;
  const argv = hasTaskset ? ['-c', cpus, process.execPath, ...args] : args;
  const child: ChildProcess = spawn(command, argv, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${out}`)), 30_000);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const onData = (c: Buffer) => {
      out += c;
      if (readyText instanceof RegExp && readyText.test(out)) done();
    };
    // A path: poll it until it answers 200 (the server logs only warnings during benchmarks).
    if (typeof readyText === 'string') {
      const poll = async () => {
        try {
          if ((await fetch(`http://127.0.0.1:${port}${readyText}`)).status === 200) return done();
        } catch {}
        setTimeout(poll, 50);
      };
      void poll();
    }
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} exited ${code}:\n${out}`)));
  });
  child.removeAllListeners('exit');
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    rssMb() {
      // With taskset the child is taskset, which exec()s node: same pid.
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
    },
    output: () => out,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      child.kill('SIGKILL');
      cleanup();
    },
  };
}

export interface KeywardOptions {
  env?: Record<string, string>;
  /** Reuse a database directory (e.g. a preloaded one); default a fresh temp SQLite database. */
  dataDir?: string;
  /** CPUs to pin to (taskset -c), default '0'. */
  cpus?: string;
}

export async function startKeyward(options: KeywardOptions = {}): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'keyward-bench-'));
  return startProcess(
    'keyward',
    // The compiled server, as `npm start` runs it (`npm run bench` builds it first).
    ['dist/main.js', 'serve'],
    {
      KEYWARD_PORT: String(port),
      KEYWARD_ISSUER: `http://127.0.0.1:${port}`,
      KEYWARD_DATA_DIR: dataDir,
      KEYWARD_LOG_LEVEL: 'warn',
      KEYWARD_BOOTSTRAP_CLIENT_ID: CLIENT_ID,
      KEYWARD_BOOTSTRAP_CLIENT_SECRET: CLIENT_SECRET,
      KEYWARD_RATE_LIMIT_MAX: '0',
      ...options.env,
    },
    '/readyz',
    port,
    () => {
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    options.cpus,
  );
}

export async function startMinimal(): Promise<RunningServer> {
  const port = await freePort();
  return startProcess(
    'minimal fastify+jose',
    ['--import', 'tsx', 'bench/servers/minimal.ts'],
    { PORT: String(port), CLIENT_ID, CLIENT_SECRET },
    /LISTENING/,
    port,
  );
}

export async function startOidcProvider(format: 'jwt' | 'opaque'): Promise<RunningServer> {
  const port = await freePort();
  return startProcess(
    `oidc-provider (${format})`,
    ['--import', 'tsx', 'bench/servers/oidcProvider.ts'],
    { PORT: String(port), CLIENT_ID, CLIENT_SECRET, ACCESS_TOKEN_FORMAT: format, NODE_ENV: 'production' },
    /LISTENING/,
    port,
  );
}
