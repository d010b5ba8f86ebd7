/**
 * A minimal browser for the login and consent pages over real HTTP: keeps cookies, reads the
 * hidden fields of a form, posts it, and never follows redirects (tests inspect them).
 */
export class FormBrowser {
  readonly cookies = new Map<string, string>();

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (attrs.some((a) => /max-age=0/i.test(a.trim())) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(url: string): Promise<Response> {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: this.cookieHeader() } });
    this.keep(res);
    return res;
  }

  async post(url: string, fields: Record<string, string>): Promise<Response> {
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    this.keep(res);
    return res;
  }
}

export interface PageForm {
  action: string;
  fields: Record<string, string>;
}

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The first form of a page: its action and hidden fields. */
export function readForm(html: string): PageForm {
  const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1];
  if (!action) throw new Error(`no form in page:\n${html.slice(0, 500)}`);
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields[decode(m[1]!)] = decode(m[2]!);
  return { action: decode(action), fields };
}

/**
 * Drives the code flow from an authorization URL to the redirect back to the client: the login
 * form (when shown), then the consent form (allow) when shown. Returns the final Location.
 */
export async function signInAndConsent(
  browser: FormBrowser,
  authorizeUrl: string,
  email: string,
  password: string,
  decision = 'allow',
): Promise<URL> {
  const origin = new URL(authorizeUrl).origin;
  let res = await browser.get(authorizeUrl);
  for (let step = 0; step < 3 && res.status === 200; step++) {
    const html = await res.text();
    const form = readForm(html);
    const extra: Record<string, string> = form.action.endsWith('/login') ? { email, password } : { decision };
    res = await browser.post(origin + form.action, { ...form.fields, ...extra });
  }
  const location = res.headers.get('location');
  if (res.status !== 303 || !location)
    throw new Error(`expected a redirect, got ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return new URL(location);
}
