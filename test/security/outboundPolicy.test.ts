/**
 * Issue 13 §3 (SSRF): every request Keyward makes to an upstream goes through one outbound module
 * that refuses internal addresses in every spelling, on the address actually connected to, with
 * time and size limits. Real local HTTP servers on 127.0.0.1; DNS is injected (never /etc/hosts).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { loadConfig, ConfigError } from '../../src/platform/config.js';
import {
  Outbound,
  OutboundFailed,
  OutboundRefused,
  parseAllowList,
  type Resolver,
} from '../../src/platform/outbound/index.js';
import { REFUSED_URLS } from './support/outboundAddresses.js';

const PUBLIC_URLS = [
  'https://idp.example.com/token',
  'https://93.184.216.34/',
  'https://[2606:4700:4700::1111]/',
  'https://100.128.0.1/',
  'https://172.32.0.1/',
];

interface Local {
  server: Server;
  port: number;
  hits: string[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records what reached it. */
async function localServer(handler: Parameters<typeof createServer>[1]): Promise<Local> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.headers.host} ${req.url}`);
    handler!(req, res);
  });
  server.on('connection', () => hits.length === 0 && hits.push('connection'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    hits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const noDns: Resolver = async (host) => {
  throw new Error(`DNS must not be asked about ${host}`);
};
/** DNS answering `address` for every name (the rebinding attacker's resolver). */
const dnsTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('outbound requests: refused destinations (issue 13 §3)', () => {
  const outbound = new Outbound({ resolve: noDns });
  after(() => outbound.close());

  for (const [name, url] of REFUSED_URLS) {
    it(`${name}: ${url}`, async () => {
      assert.ok(outbound.policy.urlRefusal(url), 'refused as a URL (what connection validation uses)');
      await assert.rejects(outbound.request(url), OutboundRefused);
    });
  }

  it('public destinations pass the URL check', () => {
    for (const url of PUBLIC_URLS) assert.equal(outbound.policy.urlRefusal(url), null, url);
  });
});

describe('outbound requests against a real local server', () => {
  let local: Local;
  before(async () => {
    local = await localServer((req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { location: `http://127.0.0.1:${local.port}/target` });
        return res.end();
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, path: req.url }));
    });
  });
  after(() => local.close());

  it('a loopback upstream is refused by default, in every spelling, and never connected to', async () => {
    const outbound = new Outbound({ resolve: noDns });
    try {
      for (const host of ['127.0.0.1', '127.1', '2130706433', '0x7f.1', '[::ffff:127.0.0.1]']) {
        for (const scheme of ['http', 'https']) {
          await assert.rejects(outbound.request(`${scheme}://${host}:${local.port}/`), OutboundRefused);
        }
      }
      assert.deepEqual(local.hits, []);
    } finally {
      await outbound.close();
    }
  });

  it('KEYWARD_UPSTREAM_ALLOW allows a named host, an address or a range (plain http included)', async () => {
    for (const allow of ['127.0.0.1', '127.0.0.0/8', 'upstream.internal']) {
      const outbound = new Outbound({ allow: parseAllowList(allow), resolve: dnsTo('127.0.0.1') });
      try {
        const host = allow === 'upstream.internal' ? 'upstream.internal' : '127.0.0.1';
        const res = await outbound.fetchJson(`http://${host}:${local.port}/hello`);
        assert.equal(res.status, 200, allow);
        assert.deepEqual(res.json, { ok: true, path: '/hello' });
      } finally {
        await outbound.close();
      }
    }
    assert.ok(
      local.hits.includes(`upstream.internal:${local.port} /hello`),
      'the injected resolver was used',
    );
  });

  it('an allowed address does not allow its other spellings or neighbours', async () => {
    const outbound = new Outbound({ allow: parseAllowList('127.0.0.1'), resolve: noDns });
    try {
      for (const url of [
        'http://[::ffff:7f00:1]/',
        'https://127.0.0.2/',
        'https://localhost/',
        'https://10.0.0.1/',
      ])
        assert.ok(outbound.policy.urlRefusal(url), url);
    } finally {
      await outbound.close();
    }
  });

  it('DNS rebinding: a public-looking name that resolves to loopback is refused before connecting', async () => {
    const before = local.hits.length;
    for (const answer of [['127.0.0.1'], ['93.184.216.34', '127.0.0.1'], ['::1'], ['::ffff:127.0.0.1']]) {
      const outbound = new Outbound({ resolve: dnsTo(...answer) });
      try {
        assert.equal(outbound.policy.urlRefusal(`https://rebind.example:${local.port}/`), null);
        await assert.rejects(outbound.request(`https://rebind.example:${local.port}/`), (error: Error) => {
          assert.ok(error instanceof OutboundRefused, String(error));
          assert.match(error.message, /rebind\.example resolves to/);
          return true;
        });
      } finally {
        await outbound.close();
      }
    }
    assert.equal(local.hits.length, before, 'nothing reached the loopback server');
  });

  it('redirects are not followed: the 3xx comes back and its target is never asked', async () => {
    const outbound = new Outbound({ allow: parseAllowList('127.0.0.1') });
    try {
      const res = await outbound.request(`http://127.0.0.1:${local.port}/redirect`);
      assert.equal(res.status, 302);
      assert.ok(!local.hits.some((h) => h.endsWith('/target')));
    } finally {
      await outbound.close();
    }
  });
});

describe('outbound limits: response size and time', () => {
  let local: Local;
  before(async () => {
    local = await localServer((req, res) => {
      const chunk = Buffer.alloc(64 * 1024, 'a');
      if (req.url === '/big-chunked') {
        // No content-length: the limit must hold while streaming.
        let sent = 0;
        const more = () => {
          while (sent < 4 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', more);
          }
          res.end();
        };
        res.on('error', () => {});
        return more();
      }
      if (req.url === '/big-declared') {
        res.setHeader('content-length', String(2 * 1024 * 1024));
        res.on('error', () => {});
        return res.end(Buffer.alloc(2 * 1024 * 1024, 'b'));
      }
      if (req.url === '/silent') return; // never answers
      res.end(Buffer.alloc(1000, 'c'));
    });
  });
  after(() => local.close());

  it('an answer over the size cap is refused while streaming, and with a declared length', async () => {
    const outbound = new Outbound({ allow: parseAllowList('127.0.0.1') });
    try {
      for (const path of ['/big-chunked', '/big-declared']) {
        await assert.rejects(outbound.request(`http://127.0.0.1:${local.port}${path}`), (error: Error) => {
          assert.ok(error instanceof OutboundFailed && error.reason === 'too_large', String(error));
          return true;
        });
      }
      const small = await outbound.request(`http://127.0.0.1:${local.port}/small`);
      assert.equal(small.body.length, 1000);
      await assert.rejects(
        outbound.request(`http://127.0.0.1:${local.port}/small`, { maxBytes: 999 }),
        OutboundFailed,
      );
    } finally {
      await outbound.close();
    }
  });

  it('an upstream that never answers fails with a timeout', async () => {
    const outbound = new Outbound({ allow: parseAllowList('127.0.0.1'), timeoutMs: 200 });
    try {
      await assert.rejects(outbound.request(`http://127.0.0.1:${local.port}/silent`), (error: Error) => {
        assert.ok(error instanceof OutboundFailed && error.reason === 'timeout', String(error));
        return true;
      });
    } finally {
      await outbound.close();
    }
  });
});

describe('KEYWARD_UPSTREAM_ALLOW configuration', () => {
  it('parses hosts, addresses and ranges; defaults to empty', () => {
    const config = loadConfig({ KEYWARD_UPSTREAM_ALLOW: ' idp.internal, 10.1.0.0/16 ,::1,Localhost. ' });
    assert.deepEqual([...config.upstreamAllow.hosts].sort(), ['idp.internal', 'localhost']);
    assert.equal(config.upstreamAllow.ranges.length, 2);
    const none = loadConfig({});
    assert.equal(none.upstreamAllow.hosts.size + none.upstreamAllow.ranges.length, 0);
  });

  for (const bad of ['10.0.0.0/33', 'http://idp.internal', 'a b', '0177.1', '10.0.0.1/8/1', '::1/129']) {
    it(`refuses ${JSON.stringify(bad)} naming the variable`, () => {
      assert.throws(
        () => loadConfig({ KEYWARD_UPSTREAM_ALLOW: bad }),
        (error: Error) =>
          error instanceof ConfigError && /^KEYWARD_UPSTREAM_ALLOW is invalid/.test(error.message),
      );
    });
  }
});
