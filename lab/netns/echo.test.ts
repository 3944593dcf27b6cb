import { afterAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { parseEchoArgs, startEchoServer } from './echo.ts';

describe('echo server', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

  it('names the node in the body and in X-Node, with client and server addresses', async () => {
    const server = await startEchoServer({ name: 'worker7', port: 0, host: '127.0.0.1' });
    servers.push(server);
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    const response = await fetch(`http://127.0.0.1:${address.port}/hostname`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-node')).toBe('worker7');
    const body = (await response.json()) as Record<string, string>;
    expect(body).toMatchObject({ node: 'worker7', server: '127.0.0.1', path: '/hostname', method: 'GET' });
    expect(body.client).toBe('127.0.0.1');
  });

  it('parses its arguments and refuses bad ones clearly', () => {
    expect(parseEchoArgs(['--name', 'worker1', '--port', '80'])).toEqual({ name: 'worker1', port: 80 });
    expect(parseEchoArgs(['--name', 'w'])).toEqual({ name: 'w', port: 80 });
    expect(() => parseEchoArgs([])).toThrow(/--name/);
    expect(() => parseEchoArgs(['--name', 'w', '--port', '99999'])).toThrow(/--port/);
    expect(() => parseEchoArgs(['--bogus'])).toThrow(/unknown argument "--bogus"/);
  });
});
