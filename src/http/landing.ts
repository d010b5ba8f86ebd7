/** GET /: where a person who opened the server in a browser goes next (not a JSON 404). */
import type { FastifyInstance } from 'fastify';

const LINKS: [string, string, string][] = [
  ['/account', 'Your account', 'sign in, change your password'],
  ['/console', 'Admin console', 'manage people, clients and organizations'],
  ['/apidoc', 'API documentation', 'every management API, with a try-it-out page (OpenAPI)'],
  ['/.well-known/openid-configuration', 'OpenID Connect discovery', 'for applications and SDKs'],
];

export function registerLandingPage(app: FastifyInstance, issuer: string): void {
  const items = LINKS.map(
    ([path, title, what]) => `<li><a href="${path}">${title}</a> <span>${what}</span></li>`,
  ).join('\n');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Keyward</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
li{margin:.5rem 0}span{color:#555}code{background:#f3f3f3;padding:0 .25rem}</style></head>
<body><h1>Keyward</h1><p>Identity and access management server. Issuer: <code>${issuer}</code></p>
<ul>
${items}
</ul></body></html>`;
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html),
  );
}
