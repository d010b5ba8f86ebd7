/**
 * A TCP proxy on 127.0.0.1 in front of a local server (PostgreSQL) that can simulate network
 * faults on the connections through it only: `blackhole` (bytes are swallowed, nothing answers,
 * new connections hang), `reset` (every connection is reset, new ones too) and `pass`.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'blackhole' | 'reset';

export interface TcpProxy {
  port: number;
  /** A postgres:// URL through the proxy, from one pointing at the target. */
  url(targetUrl: string): string;
  setMode(mode: ProxyMode): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  let mode: ProxyMode = 'pass';
  const pairs = new Set<[Socket, Socket]>();

  const server: Server = createServer((client) => {
    if (mode === 'reset') return void client.resetAndDestroy();
    const upstream = connect(targetPort, targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk) => {
        if (mode === 'pass') to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  return {
    port,
    url(targetUrl) {
      const u = new URL(targetUrl);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.href;
    },
    setMode(next) {
      mode = next;
      if (next === 'reset')
        for (const [client, upstream] of pairs) (client.resetAndDestroy(), upstream.destroy());
    },
    async close() {
      for (const [client, upstream] of pairs) (client.destroy(), upstream.destroy());
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
