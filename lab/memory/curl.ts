// `curl` run on the in-memory router: route lookup in the BGP table, per-flow ECMP next-hop
// choice, then a real HTTP request to the chosen node's echo server. Failures carry curl's exit
// codes and wording, so the app's one-click test sees what it would see on an EdgeRouter.

import { request as httpRequest } from 'node:http';
import { randomInt } from 'node:crypto';
import type { BgpRouteStatus, CurlRequest, CurlResult } from '../router/index.ts';
import type { ConnectedSubnet } from './addresses.ts';
import { cidrContains, isIpv4Address, prefixLength, subnetHolding } from './addresses.ts';
import type { Flow, HashPolicy } from './ecmp.ts';
import { nextHopIndex } from './ecmp.ts';
import { FLOW_DESTINATION_HEADER, FLOW_SOURCE_HEADER } from './echo.ts';

/** What the router knows when it sends the request. */
export interface CurlNetwork {
  routes: readonly BgpRouteStatus[];
  subnets: readonly ConnectedSubnet[];
  /** The loopback port of the echo server of the node at `nodeAddress` when it serves `serviceIp`. */
  echoPortFor(nodeAddress: string, serviceIp: string): Promise<number | undefined>;
  /** Lab node addresses, to tell "connection refused" from "no route to host" on the connected subnets. */
  isNodeAddress(address: string): boolean;
  /** Which fields the router's ECMP hashes (default 'addresses-ports'). */
  hashPolicy?: HashPolicy;
}

/** Linux's default ephemeral port range. */
const EPHEMERAL_PORTS: [number, number] = [32768, 61000];

interface Target {
  host: string;
  port: number;
  url: URL;
}

function failure(exitCode: number, error: string, started: number): CurlResult {
  return { exitCode, body: '', error, timeMs: Date.now() - started };
}

function parseTarget(raw: string): Target | { exitCode: number; error: string } {
  // curl treats a URL without a scheme as http.
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { exitCode: 3, error: `URL rejected: Malformed input to a URL function (${raw})` };
  }
  if (url.protocol !== 'http:') {
    return {
      exitCode: 1,
      error: `Protocol "${url.protocol.replace(/:$/, '')}" not supported: the in-memory lab's echo servers speak plain HTTP`,
    };
  }
  return { host: url.hostname, port: url.port ? Number(url.port) : 80, url };
}

export function longestMatch(routes: readonly BgpRouteStatus[], address: string): BgpRouteStatus | undefined {
  let best: BgpRouteStatus | undefined;
  for (const route of routes) {
    if (route.nextHops.length === 0 || !cidrContains(route.prefix, address)) continue;
    if (!best || prefixLength(route.prefix) > prefixLength(best.prefix)) best = route;
  }
  return best;
}

export async function routerCurl(req: CurlRequest, network: CurlNetwork): Promise<CurlResult> {
  const started = Date.now();
  const target = parseTarget(req.url);
  if ('exitCode' in target) return failure(target.exitCode, target.error, started);
  const { host, port } = target;
  // For exit 7 the router's curl prints "Failed to connect to HOST port N after T ms: " before `error`.
  const connectFailed = (why: string): CurlResult => failure(7, why, started);
  if (!isIpv4Address(host)) return failure(6, `Could not resolve host: ${host}`, started);

  const route = longestMatch(network.routes, host);
  if (!route) {
    const connected = subnetHolding(network.subnets, host);
    if (connected && (connected.routerAddress === host || network.isNodeAddress(host))) {
      return connectFailed('Connection refused');
    }
    // Off-link with no route, or on-link where nobody answers ARP: the kernel says EHOSTUNREACH.
    return connectFailed('No route to host');
  }
  const flow = flowFromRouter(route, host, port, network.subnets);
  const hop = route.nextHops[nextHopIndex(flow, route.nextHops.length, network.hashPolicy)];
  if (!hop) return connectFailed('No route to host');
  const echoPort = await network.echoPortFor(hop.address, host);
  if (echoPort === undefined) return connectFailed('Connection refused');
  return sendHttp(req, target, flow, echoPort, started);
}

function flowFromRouter(
  route: BgpRouteStatus,
  host: string,
  port: number,
  subnets: readonly ConnectedSubnet[],
): Flow {
  const egress = route.nextHops[0]?.interface;
  const source =
    subnets.find((s) => s.interface === egress)?.routerAddress ?? subnets[0]?.routerAddress ?? '0.0.0.0';
  // A fresh ephemeral port per request, as each curl run opens a new connection.
  return {
    sourceAddress: source,
    sourcePort: randomInt(EPHEMERAL_PORTS[0], EPHEMERAL_PORTS[1]),
    destinationAddress: host,
    destinationPort: port,
    protocol: 6,
  };
}

function sendHttp(
  req: CurlRequest,
  target: Target,
  flow: Flow,
  echoPort: number,
  started: number,
): Promise<CurlResult> {
  return new Promise<CurlResult>((resolve) => {
    let settled = false;
    const settle = (result: CurlResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port: echoPort,
        method: req.method ?? 'GET',
        path: `${target.url.pathname}${target.url.search}`,
        headers: {
          Host: target.url.host,
          'User-Agent': 'curl/7.88.1',
          Accept: '*/*',
          [FLOW_SOURCE_HEADER]: `${flow.sourceAddress}:${flow.sourcePort}`,
          [FLOW_DESTINATION_HEADER]: flow.destinationAddress,
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (err) =>
          settle(failure(56, `Failure when receiving data from the peer: ${err.message}`, started)),
        );
        res.on('end', () =>
          settle({
            exitCode: 0,
            status: res.statusCode ?? 0,
            headers: flattenHeaders(res.headers),
            body: Buffer.concat(chunks).toString('utf8'),
            remoteIp: target.host,
            timeMs: Date.now() - started,
          }),
        );
      },
    );
    const timer = setTimeout(
      () => {
        outgoing.destroy();
        const elapsed = Date.now() - started;
        settle(
          failure(28, `Operation timed out after ${elapsed} milliseconds with 0 bytes received`, started),
        );
      },
      Math.max(0, req.timeoutMs - (Date.now() - started)),
    );
    outgoing.on('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ECONNREFUSED' ? 'Connection refused' : err.message;
      settle(failure(7, why, started));
    });
    outgoing.end();
  });
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
