#!/usr/bin/env node
// `npm start` without the 45-76 s rebuild: compile only when a source is newer than the last build.
// Newer = any file under src/ or console/, tsconfig*.json or package.json modified after dist/.build-stamp.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = 'dist/.build-stamp';

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

const inputs = ['src', 'console/src', 'console/index.html', 'console/vite.config.ts', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].filter(existsSync);
const built = existsSync(STAMP) && existsSync('dist/main.js') ? statSync(STAMP).mtimeMs : 0;
const changed = Math.max(...inputs.map(newest));
if (changed <= built && process.argv[2] !== '--force') process.exit(0);

console.error(built ? 'keyward: sources changed, building…' : 'keyward: first build (tsc + console)…');
const started = Date.now();
const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
// The admin console (React + Vite) is built into dist/console, served at /console.
const vite = spawnSync(
  process.execPath,
  ['node_modules/vite/bin/vite.js', 'build', '--config', 'console/vite.config.ts', '--logLevel', 'warn'],
  { stdio: 'inherit' },
);
if (vite.status !== 0) process.exit(vite.status ?? 1);
// Stamped with the build's start: a file saved during the build makes the next start build again.
writeFileSync(STAMP, '');
const at = new Date(started);
utimesSync(STAMP, at, at);
console.error(`keyward: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
