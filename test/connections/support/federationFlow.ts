/**
 * Drives a browser (FormBrowser: cookies, forms, no auto-redirects) through a federated login:
 * Keyward → upstream oidc-provider (its dev login and consent forms) → /sso/callback → Keyward's
 * consent → the application's redirect URI. Returns where it ended and every URL it visited.
 */
import type { FormBrowser } from '../../support/formBrowser.js';

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\s*\/?>/g))
    fields[decode(m[1]!)] = decode(m[2]!);
  return fields;
}

export async function driveFederatedLogin(
  browser: FormBrowser,
  startUrl: string,
  options: { appRedirect: string; upstreamLogin: string; consent?: 'allow' | 'deny' },
): Promise<{ final: URL; visited: string[] }> {
  const visited: string[] = [];
  let current = startUrl;
  let res = await browser.get(current);
  visited.push(current);
  for (let step = 0; step < 25; step++) {
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, current).href;
      if (next.startsWith(options.appRedirect)) return { final: new URL(next), visited: [...visited, next] };
      current = next;
      visited.push(current);
      res = await browser.get(current);
      continue;
    }
    if (res.status !== 200)
      throw new Error(`unexpected ${res.status} at ${current}: ${(await res.text()).slice(0, 400)}`);
    const html = await res.text();
    const action = decode(html.match(/<form[^>]*action="([^"]+)"/)?.[1] ?? '');
    if (!action) throw new Error(`no form at ${current}: ${html.slice(0, 400)}`);
    const target = new URL(action, current).href;
    const fields = hiddenFields(html);
    if (fields.prompt === 'login')
      res = await browser.post(target, { ...fields, login: options.upstreamLogin, password: 'any' });
    else if (fields.prompt === 'consent') res = await browser.post(target, fields);
    else if (action.endsWith('/oauth/authorize/consent'))
      res = await browser.post(target, { ...fields, decision: options.consent ?? 'allow' });
    else throw new Error(`unexpected form ${action} at ${current}`);
    current = target;
  }
  throw new Error(`too many steps: ${visited.join(' → ')}`);
}
