/**
 * The shell of every server-rendered page (OAuth login/consent/logout pages in src/oauth/ui, the
 * console's page): one style, one CSP, one error page. No external assets, no scripts; every
 * interpolated value is escaped.
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

export function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · Keyward</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export function errorPage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p class="error">${escapeHtml(message)}</p>`);
}
