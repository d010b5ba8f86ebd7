/** What the console's browser tests share: the real Vite build, axe-core, screenshots, sign-in. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import type { Harness } from '../support/harness.js';

export const OUT = 'test-output/console';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Builds the console into a temporary directory (the real `vite build`, as `npm run build` does). */
export function buildConsole(): string {
  mkdirSync(OUT, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'keyward-console-build-'));
  execFileSync(
    process.execPath,
    [
      'node_modules/vite/bin/vite.js',
      'build',
      '--config',
      'console/vite.config.ts',
      '--outDir',
      dir,
      '--logLevel',
      'warn',
    ],
    { stdio: 'inherit' },
  );
  return dir;
}

/** gzip size of the scripts index.html loads (the initial JS). */
export function initialJsGzip(dir: string): number {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]+src="\/console\/([^"]+)"/g)].map((m) => m[1]);
  assert.ok(scripts.length > 0);
  return scripts.reduce((sum, s) => sum + gzipSync(readFileSync(join(dir, s)), { level: 9 }).length, 0);
}

/** Screenshot of the page now shown, and its serious/critical axe-core violations appended to `findings`. */
export async function checkPage(page: Page, name: string, findings: string[]): Promise<void> {
  await page.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });
  await page.evaluate(AXE);
  const violations: { id: string; impact: string; help: string; nodes: unknown[] }[] = await page.evaluate(
    `axe.run(document).then((r) => r.violations)`,
  );
  for (const v of violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'))
    findings.push(`${name}: ${v.id} (${v.impact}) ${v.help} ×${v.nodes.length}`);
}

export const heading = (page: Page, text: string) =>
  page.getByRole('heading', { level: 1, name: text }).waitFor();

/** Clicks a section in the side navigation and waits for its heading. */
export async function nav(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: label, exact: true }).click();
  await heading(page, label);
}

/** Signs in as the bootstrap admin with the mouse: login form, consent, back on the Overview. */
export async function signIn(page: Page, k: Harness): Promise<void> {
  await page.goto(`${k.baseUrl}/console/`);
  await page.waitForSelector('#email');
  await page.fill('#email', k.admin.adminEmail);
  await page.fill('#password', k.admin.adminPassword);
  await page.click('button[type=submit]');
  await page.waitForSelector('text=Allow access?');
  await page.click('button[value=allow]');
  await heading(page, 'Overview');
}
