import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
// `npm run dev`: Keyward listens on KEYWARD_DEV_PORT and its issuer is this dev server, so the
// console's redirect URI (derived from KEYWARD_ISSUER) is the hot-reloading page itself.
const keyward = `http://127.0.0.1:${process.env.KEYWARD_DEV_PORT ?? '8080'}`;
const proxied = ['/oauth', '/.well-known', '/v1', '/v3', '/beta', '/api', '/admin', '/apidoc', '/healthz'];

export default defineConfig({
  root,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    // No inline scripts: the CSP has no 'unsafe-inline'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(proxied.map((p) => [p, { target: keyward, changeOrigin: false }])),
  },
});
