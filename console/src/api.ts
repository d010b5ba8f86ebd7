import { accessToken, refresh } from './auth';

/** An API error in words: whichever family answered, its message for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: any,
  ) {
    super(message);
  }
}

function messageOf(status: number, body: any): string {
  const text =
    body?.message ??
    body?.messages?.[0]?.text ??
    body?.title ??
    body?.detail ??
    body?.error_description ??
    (typeof body?.error === 'string' ? body.error : undefined);
  if (text) return String(text);
  if (status === 401) return 'Your session has ended. Sign in again.';
  if (status === 403) return 'You are not allowed to do this.';
  if (status === 404) return 'Not found.';
  return `The server answered ${status}.`;
}

export interface ApiResponse<T> {
  data: T;
  headers: Headers;
}

/** Calls a management API as the signed-in admin (one refresh and retry on 401). */
export async function api<T = any>(
  path: string,
  init: { method?: string; body?: unknown; contentType?: string } = {},
): Promise<ApiResponse<T>> {
  const send = () =>
    fetch(path, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${accessToken() ?? ''}`,
        ...(init.body !== undefined ? { 'content-type': init.contentType ?? 'application/json' } : {}),
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
  let res = await send();
  if (res.status === 401 && (await refresh())) res = await send();
  const text = await res.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) throw new ApiError(res.status, messageOf(res.status, body), body);
  return { data: body as T, headers: res.headers };
}

/** The `rel="next"` URL of a Webex Link header, as a same-origin path. */
export function nextLink(headers: Headers): string | undefined {
  const link = headers.get('link');
  const match = link?.match(/<([^>]+)>;\s*rel="next"/);
  if (!match) return undefined;
  const url = new URL(match[1]);
  return url.pathname + url.search;
}
