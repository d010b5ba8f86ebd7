import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { escapeHtml } from './ui/pages.js';

/**
 * OAuth 2.0 Form Post Response Mode: the authorization response as a page whose form POSTs the
 * fields to the redirect URI. It submits itself through one tiny script allowed by a per-response
 * CSP nonce (no unsafe-inline); without scripts the person presses the button. The CSP lets the
 * form go to that redirect URI only, and nothing else load.
 */
export function sendFormPost(reply: FastifyReply, redirectUri: string, fields: Record<string, string>) {
  const nonce = randomBytes(16).toString('base64url');
  const target = new URL(redirectUri);
  const formAction = `${target.origin}${target.pathname}`;
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  const body =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Submit this form · Keyward</title></head>` +
    `<body><form method="post" action="${escapeHtml(redirectUri)}">${inputs}` +
    `<noscript><p>JavaScript is off: press Continue to return to the application.</p><button type="submit">Continue</button></noscript></form>` +
    `<script nonce="${nonce}">document.forms[0].submit()</script></body></html>`;
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `form-action ${formAction}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return reply
    .status(200)
    .header('Content-Security-Policy', csp)
    .header('Cache-Control', 'no-store')
    .header('Pragma', 'no-cache')
    .type('text/html; charset=utf-8')
    .send(body);
}
