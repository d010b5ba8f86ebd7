#!/usr/bin/env node
// `npm run dev`: Keyward (tsx watch) on KEYWARD_DEV_PORT and the console on Vite with hot reload
// at http://localhost:5173/console/. The issuer is Vite's origin: Vite proxies every Keyward path,
// so the console's redirect URI (derived from KEYWARD_ISSUER) is the hot-reloading page itself.
import { spawn } from 'node:child_process';

const port = process.env.KEYWARD_DEV_PORT ?? '8080';
const env = { ...process.env, KEYWARD_DEV_PORT: port };
const children = [
  spawn('npx', ['tsx', 'watch', 'src/main.ts', 'serve'], {
    stdio: 'inherit',
    env: {
      ...env,
      KEYWARD_PORT: port,
      KEYWARD_ISSUER: process.env.KEYWARD_ISSUER ?? 'http://localhost:5173',
    },
  }),
  spawn('npx', ['vite', '--config', 'console/vite.config.ts'], { stdio: 'inherit', env }),
];
const stop = () => children.forEach((c) => c.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const c of children)
  c.on('exit', (code) => {
    stop();
    process.exitCode = code ?? 0;
  });
