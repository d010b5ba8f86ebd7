/**
 * Server-rendered pages of the token service: login, consent, errors, logout. No external
 * assets, no scripts; every interpolated value is escaped.
 */
export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;padding:2rem 2.5rem;border-radius:8px;box-shadow:0 1px 4px #0002;width:22rem}
h1{font-size:1.3rem;margin:0 0 1rem}label{display:block;margin:.8rem 0 .3rem;font-size:.9rem}
input[type=email],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box;border:1px solid #bbb;border-radius:4px}
button{margin-top:1.2rem;padding:.55rem 1.2rem;border:0;border-radius:4px;background:#2456c6;color:#fff;font-size:1rem;cursor:pointer}
button.secondary{background:#888;margin-left:.5rem}.error{color:#b00020;font-size:.9rem}.app{font-weight:600}ul{padding-left:1.2rem}
a.connection{display:block;margin-top:.6rem}`;

/** Pages forbid framing and any script; forms post back to Keyward only. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · Keyward</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

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

export function errorPage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p class="error">${escapeHtml(message)}</p>`);
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
