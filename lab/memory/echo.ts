// One HTTP echo server per lab node on its own loopback port, answering with the node's name the
// way agnhost's `netexec /hostname` does. The router's `curl` reaches these servers.

import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LabNode {
  name: string;
  address: string;
}

export interface EchoServer {
  node: string;
  address: string;
  port: number;
  /** For tests of timeouts: delay every answer by this many milliseconds. */
  setResponseDelay(ms: number): void;
  close(): Promise<void>;
}

/** Headers the in-memory router sets so the echo answer can show the flow it arrived on. */
export const FLOW_SOURCE_HEADER = 'x-lab-flow-source';
export const FLOW_DESTINATION_HEADER = 'x-lab-flow-destination';

function echoBody(node: LabNode, req: IncomingMessage): string {
  return JSON.stringify({
    node: node.name,
    nodeAddress: node.address,
    serviceIp: headerText(req, FLOW_DESTINATION_HEADER) ?? null,
    client: headerText(req, FLOW_SOURCE_HEADER) ?? null,
    method: req.method ?? 'GET',
    path: req.url ?? '/',
  });
}

function headerText(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export async function startEchoServer(node: LabNode): Promise<EchoServer> {
  let delayMs = 0;
  const pending = new Set<NodeJS.Timeout>();
  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    const body = `${echoBody(node, req)}\n`;
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      'X-Node': node.name,
    });
    res.end(body);
  };
  const server: Server = createServer((req, res) => {
    // Drain the request body; the answer does not depend on it.
    req.resume();
    if (delayMs <= 0) return answer(req, res);
    const timer = setTimeout(() => {
      pending.delete(timer);
      if (!res.destroyed) answer(req, res);
    }, delayMs);
    pending.add(timer);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    node: node.name,
    address: node.address,
    port,
    setResponseDelay(ms: number) {
      delayMs = ms;
    },
    close() {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
