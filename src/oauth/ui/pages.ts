/**
 * Server-rendered pages of the token service: login, consent, errors, logout. No external
 * assets, no scripts; every interpolated value is escaped. The page shell (style, CSP, error page)
 * is src/http/pages.ts, shared with the console's page.
 */
import { escapeHtml, layout } from '../../http/pages.js';

export { errorPage, escapeHtml, PAGE_CSP } from '../../http/pages.js';

function hidden(fields: Record<string, string | undefined>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v!)}">`)
    .join('');
}

export interface LoginPage {
  clientName: string;
  params: Record<string, string | undefined>;
  csrf: string;
  email?: string;
  error?: string;
  /** Upstream identity providers (federation): a link each. */
  connections?: { name: string; href: string }[];
}

export function loginPage(p: LoginPage): string {
  const connections = (p.connections ?? [])
    .map((c) => `<a class="connection" href="${escapeHtml(c.href)}">Sign in with ${escapeHtml(c.name)}</a>`)
    .join('');
  return layout(
    'Sign in',
    `<h1>Sign in</h1><p>to continue to <span class="app">${escapeHtml(p.clientName)}</span></p>
${p.error ? `<p class="error" role="alert">${escapeHtml(p.error)}</p>` : ''}
<form method="post" action="/oauth/authorize/login">${hidden({ ...p.params, csrf: p.csrf })}
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(p.email ?? '')}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>${connections}`,
  );
}

const SCOPE_TEXT: Record<string, string> = {
  openid: 'Know who you are',
  profile: 'See your name',
  email: 'See your email address',
  offline_access: 'Stay signed in (keep access when you are away)',
};

export function consentPage(p: {
  clientName: string;
  scopes: readonly string[];
  params: Record<string, string | undefined>;
  csrf: string;
  personEmail: string;
}): string {
  const items = p.scopes.map((s) => `<li>${escapeHtml(SCOPE_TEXT[s] ?? s)}</li>`).join('');
  return layout(
    'Allow access',
    `<h1>Allow access?</h1><p><span class="app">${escapeHtml(p.clientName)}</span> asks to:</p><ul>${items}</ul>
<p>Signed in as ${escapeHtml(p.personEmail)}.</p>
<form method="post" action="/oauth/authorize/consent">${hidden({ ...p.params, csrf: p.csrf })}
<button type="submit" name="decision" value="allow">Allow</button><button class="secondary" type="submit" name="decision" value="deny">Deny</button></form>`,
  );
}

/** RP-initiated logout without a valid id_token_hint: nothing ends until the person confirms. */
export function logoutConfirmPage(fields: Record<string, string | undefined>): string {
  return layout(
    'Sign out',
    `<h1>Sign out?</h1><p>An application asked to sign you out of Keyward.</p>
<form method="post" action="/oauth/logout">${hidden(fields)}<button type="submit">Sign out</button></form>`,
  );
}

export function loggedOutPage(): string {
  return layout('Signed out', '<h1>Signed out</h1><p>You have been signed out of Keyward.</p>');
}
