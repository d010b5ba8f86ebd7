/**
 * A plain HTTP client that sends exactly what wxc_sdk's LicensesApi sends (sdk-clients.md §5):
 * Content-Type: application/json;charset=utf-8 on every request, TrackingID: SIMPLE_<uuid>,
 * python-requests' Accept/User-Agent, query parameters only on the first page, then the Link next
 * URL verbatim until there is no link or a page is empty.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { insertPerson } from '../support/fixtures.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { callerWith } from '../support/tenants.js';
import { assertCountsAddUp, createLicense, insertLocation } from './support.js';

interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  data: any;
}

/** wxc_sdk RestSession._request_w_response, reduced to what the licenses API uses. */
class WxcLikeSession {
  readonly sent: { method: string; url: string; headers: Record<string, string> }[] = [];
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  ep(path: string) {
    return `${this.base}/${path}`;
  }

  send(method: string, url: string, params?: Record<string, string>, json?: unknown): Promise<Response> {
    const target = new URL(url);
    for (const [key, value] of Object.entries(params ?? {})) target.searchParams.append(key, value);
    const body = json === undefined ? undefined : JSON.stringify(json);
    const headers: Record<string, string> = {
      'User-Agent': 'python-requests/2.34.2',
      'Accept-Encoding': 'gzip, deflate',
      Accept: '*/*',
      Connection: 'keep-alive',
      authorization: `Bearer ${this.token}`,
      'content-type': 'application/json;charset=utf-8',
      TrackingID: `SIMPLE_${randomUUID()}`,
    };
    if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
    else if (method !== 'GET') headers['Content-Length'] = '0';
    this.sent.push({ method, url: target.href, headers });
    return new Promise((resolve, reject) => {
      const req = httpRequest(target, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const type = String(res.headers['content-type'] ?? '');
          const data = type.startsWith('application/json') && text ? JSON.parse(text) : text;
          if (res.statusCode! >= 400) {
            // RestError: the SDK reads ErrorDetail {message, trackingId (both required), errors?}
            assert.equal(typeof data.message, 'string');
            assert.equal(typeof data.trackingId, 'string');
          }
          resolve({ status: res.statusCode!, headers: res.headers, data });
        });
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  /** RestSession.follow_pagination: the params once, then links['next']['url'] verbatim. */
  async *followPagination(url: string, itemKey: string, params: Record<string, string>) {
    let next: string | undefined = url;
    let first = true;
    while (next) {
      const res: Response = await this.send('GET', next, first ? params : undefined);
      assert.equal(res.status, 200, JSON.stringify(res.data));
      first = false;
      const items = res.data[itemKey] as unknown[];
      if (!items.length) return;
      yield* items;
      next = nextLink(res.headers.link as string | undefined);
    }
  }
}

/** requests' parse_header_links, for rel="next". */
function nextLink(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(/, *</)) {
    const [url, ...rest] = part.split(';');
    if (rest.some((p) => /rel="?next"?/.test(p.trim()))) return url!.replace(/^[<\s]+|[>\s]+$/g, '');
  }
  return undefined;
}

/** wxc_sdk LicensesApi. */
class LicensesApi {
  constructor(private readonly session: WxcLikeSession) {}
  async list(orgId?: string) {
    const res = await this.session.send('GET', this.session.ep('licenses'), orgId ? { orgId } : undefined);
    assert.equal(res.status, 200);
    return res.data.items as any[];
  }
  async details(licenseId: string) {
    const res = await this.session.send('GET', this.session.ep(`licenses/${licenseId}`));
    assert.equal(res.status, 200);
    return res.data;
  }
  assignedUsers(licenseId: string, params: Record<string, string> = {}) {
    return this.session.followPagination(this.session.ep(`licenses/${licenseId}`), 'users', {
      ...params,
      includeAssignedTo: 'user',
    });
  }
  async assignLicensesToUsers(body: Record<string, unknown>) {
    return this.session.send('PATCH', this.session.ep('licenses/users'), undefined, body);
  }
}

const REQUIRED_LICENSE_KEYS = ['id', 'name', 'totalUnits', 'consumedUnits'];
const SITE_TYPES = ['Control Hub managed site', 'Linked site', 'Site Admin managed site'];

function assertLicenseModel(l: any) {
  for (const key of REQUIRED_LICENSE_KEYS) assert.ok(key in l, `License.${key} is required`);
  assert.ok(Number.isInteger(l.totalUnits) && Number.isInteger(l.consumedUnits));
  if (l.siteType !== undefined) assert.ok(SITE_TYPES.includes(l.siteType));
  for (const value of Object.values(l)) assert.notEqual(value, null, 'absent, never null');
}

describe('licenses: a client sending exactly what wxc_sdk sends', () => {
  let k: Harness;
  let api: LicensesApi;
  let session: WxcLikeSession;

  before(async () => {
    k = await startKeyward({ listen: true, env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    session = new WxcLikeSession(`${k.baseUrl}/v1`, await k.token());
    api = new LicensesApi(session);
  });
  after(() => k.close());

  it('lists, details, assigns, pages assigned users to the end, and removes', async () => {
    const as = callerWith(k, await k.token());
    const meeting = await createLicense(as, {
      name: 'Meeting - Webex Meeting Center',
      totalUnits: 20,
      siteUrl: 'acme.webex.com',
      siteType: 'Linked site',
    });
    const calling = await createLicense(as, { name: 'Webex Calling - Professional', totalUnits: 20 });
    const location = await insertLocation(k, k.admin.orgId);

    const listed = await api.list();
    assert.deepEqual(listed.map((l) => l.id).sort(), [meeting.id, calling.id].sort());
    listed.forEach(assertLicenseModel);
    assert.equal((await api.list(k.admin.orgId)).length, 2);
    const detail = await api.details(meeting.id);
    assertLicenseModel(detail);
    assert.equal(detail.siteType, 'Linked site');

    const people = [];
    for (let i = 0; i < 7; i++)
      people.push(await insertPerson(k, { email: `user${i}@example.com`, displayName: `User ${i}` }));
    for (const [i, p] of people.entries()) {
      // the docstring's example: calling license with location and extension, by person_id
      const res = await api.assignLicensesToUsers({
        personId: p.id,
        licenses: [
          { id: calling.id, properties: { locationId: location, extension: `10${i}` } },
          { id: meeting.id, operation: 'add' },
        ],
      });
      assert.equal(res.status, 200, JSON.stringify(res.data));
      assert.deepEqual(res.data.licenses.sort(), [meeting.id, calling.id].sort());
      assert.equal(res.data.personId, p.id);
    }
    const byEmail = await api.assignLicensesToUsers({
      email: 'user0@example.com',
      siteUrls: [{ siteUrl: 'acme.webex.com', accountType: 'attendee' }],
    });
    assert.deepEqual(byEmail.data.siteUrls, [{ siteUrl: 'acme.webex.com', accountType: 'attendee' }]);

    // pages of 3 (max passed through **params): 3 + 3 + 1, the Link absolute and carrying every parameter
    session.sent.length = 0;
    const users = [];
    for await (const u of api.assignedUsers(meeting.id, { max: '3' })) users.push(u);
    assert.deepEqual(
      users.map((u: any) => u.email),
      people.map((p) => p.email),
    );
    for (const u of users as any[]) {
      assert.equal(u.type, 'INTERNAL');
      assert.match(u.displayName, /^User \d$/);
      assert.ok(people.some((p) => p.id === u.id));
    }
    assert.equal(session.sent.length, 3, 'three pages, no request for an empty fourth');
    for (const sent of session.sent.slice(1)) {
      const next = new URL(sent.url);
      assert.equal(next.origin, k.baseUrl, 'absolute URL pointing at Keyward');
      assert.equal(next.searchParams.get('includeAssignedTo'), 'user');
      assert.equal(next.searchParams.get('max'), '3');
      assert.ok(next.searchParams.get('cursor'));
    }
    // the whole set in one default page
    const all = [];
    for await (const u of api.assignedUsers(calling.id)) all.push(u);
    assert.equal(all.length, 7);

    const removed = await api.assignLicensesToUsers({
      personId: people[0]!.id,
      licenses: [
        { id: calling.id, operation: 'remove' },
        { id: meeting.id, operation: 'remove' },
      ],
    });
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.data.licenses, []);
    const after = await api.details(calling.id);
    assert.equal(after.consumedUnits, 6);
    assert.equal(after.consumedByUsers, 6);
    await assertCountsAddUp(k, calling.id);
    await assertCountsAddUp(k, meeting.id);

    // errors come back as the SDK's ErrorDetail (checked in send)
    const bad = await api.assignLicensesToUsers({ licenses: [{ id: meeting.id }] });
    assert.equal(bad.status, 400);
    assert.equal(bad.data.errors[0].errorCode, 400);
    const missing = await session.send('GET', session.ep('licenses/unknown'));
    assert.equal(missing.status, 404);
  });
});
