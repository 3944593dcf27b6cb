// FRR JSON and curl output mapping, without root: the inputs are shaped like FRR 8.4's and curl 7.88's
// real output (captured from this lab).

import { describe, expect, it } from 'vitest';
import { bgpStatusFromFrr, curlArguments, curlResultFromOutput, uptimeSeconds } from './frr-backend.ts';

describe('uptimeSeconds', () => {
  it('reads FRR clock and unit formats', () => {
    expect(uptimeSeconds('00:02:28')).toBe(148);
    expect(uptimeSeconds('1d02h54m')).toBe(86400 + 2 * 3600 + 54 * 60);
    expect(uptimeSeconds('03w0d00h')).toBe(3 * 604800);
    expect(uptimeSeconds(undefined)).toBe(0);
  });
});

describe('bgpStatusFromFrr', () => {
  const summary = {
    ipv4Unicast: {
      routerId: '10.77.1.1',
      as: 64512,
      peers: {
        '10.77.1.11': {
          remoteAs: 64512,
          localAs: 64512,
          msgRcvd: 4,
          msgSent: 3,
          peerUptime: '00:00:07',
          peerUptimeMsec: 7000,
          pfxRcd: 1,
          state: 'Established',
          peerState: 'OK',
          connectionsEstablished: 1,
        },
        '10.77.1.12': {
          remoteAs: 64512,
          localAs: 64512,
          msgRcvd: 0,
          msgSent: 0,
          peerUptime: 'never',
          peerUptimeMsec: 0,
          state: 'Active',
          peerState: 'OK',
          desc: 'w2',
        },
        '10.77.1.13': {
          remoteAs: 64512,
          localAs: 64512,
          peerUptime: 'never',
          state: 'Idle',
          peerState: 'Admin',
          connectionsEstablished: 0,
        },
      },
    },
  };
  const routes = {
    '10.77.100.33/32': [
      {
        prefix: '10.77.100.33/32',
        selected: true,
        installed: true,
        uptime: '00:00:06',
        nexthops: [
          { ip: '10.77.1.11', interfaceName: 'eth1', active: true, fib: true },
          { ip: '10.77.1.12', interfaceName: 'eth1', active: true, fib: true },
        ],
      },
    ],
    '10.77.100.40/32': [
      {
        prefix: '10.77.100.40/32',
        selected: false,
        installed: false,
        nexthops: [{ ip: '10.77.1.11', interfaceName: 'eth1' }],
      },
    ],
  };

  it('maps sessions, states, counters and ECMP routes', () => {
    const status = bgpStatusFromFrr(summary, { '10.77.1.11': { remoteRouterId: '10.77.1.11' } }, routes, {})!;
    expect(status.routerId).toBe('10.77.1.1');
    expect(status.localAs).toBe(64512);
    expect(status.neighbors).toHaveLength(3);
    expect(status.neighbors[0]).toEqual({
      address: '10.77.1.11',
      remoteAs: 64512,
      localAs: 64512,
      state: 'Established',
      upSeconds: 7,
      msgRcvd: 4,
      msgSent: 3,
      prefixesReceived: 1,
      remoteRouterId: '10.77.1.11',
    });
    expect(status.neighbors[1]).toMatchObject({
      state: 'Active',
      upSeconds: null,
      prefixesReceived: null,
      description: 'w2',
    });
    expect(status.neighbors[2]!.state).toBe('Idle (Admin)');
    // Only installed, selected routes are in the FIB view.
    expect(status.routes).toEqual([
      {
        prefix: '10.77.100.33/32',
        nextHops: [
          { address: '10.77.1.11', interface: 'eth1', ageSeconds: 6 },
          { address: '10.77.1.12', interface: 'eth1', ageSeconds: 6 },
        ],
      },
    ]);
  });

  it('is null when FRR has no BGP instance, and reads the instance when there is no neighbor', () => {
    expect(bgpStatusFromFrr({}, {}, {}, {})).toBeNull();
    expect(bgpStatusFromFrr({}, {}, {}, { routerId: '10.77.1.1', localAS: 64512 })).toEqual({
      routerId: '10.77.1.1',
      localAs: 64512,
      neighbors: [],
      routes: [],
    });
  });
});

describe('curl output', () => {
  it('builds an argument vector with a timeout and a trailing info marker', () => {
    const args = curlArguments({ url: 'http://10.77.100.33/', timeoutMs: 2000 });
    expect(args).toContain('--max-time');
    expect(args[args.indexOf('--max-time') + 1]).toBe('2.0');
    expect(args.at(-1)).toBe('http://10.77.100.33/');
    expect(curlArguments({ url: 'http://x/', timeoutMs: 1000, method: 'head' })).toContain('-I');
  });

  it('maps a successful response with headers and body', () => {
    const stdout =
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Node: worker2\r\n\r\n{"node":"worker2"}\n' +
      '\n@@mbw-curl@@{"http_code":200,"remote_ip":"10.77.100.33","time_total":0.004,"errormsg":null}';
    const result = curlResultFromOutput(stdout, '', 0, 9);
    expect(result).toEqual({
      exitCode: 0,
      status: 200,
      headers: { 'content-type': 'application/json', 'x-node': 'worker2' },
      body: '{"node":"worker2"}\n',
      remoteIp: '10.77.100.33',
      timeMs: 4,
    });
  });

  it("maps a timeout to exit 28 with curl's message", () => {
    const stdout =
      '\n@@mbw-curl@@{"http_code":0,"remote_ip":"","time_total":1.001,"errormsg":"Connection timed out after 1001 milliseconds"}';
    const result = curlResultFromOutput(
      stdout,
      'curl: (28) Connection timed out after 1001 milliseconds\n',
      28,
      1010,
    );
    expect(result.exitCode).toBe(28);
    expect(result.error).toBe('Connection timed out after 1001 milliseconds');
    expect(result.status).toBeUndefined();
    expect(result.body).toBe('');
  });

  it('falls back to stderr when curl printed no info (e.g. curl itself missing)', () => {
    const result = curlResultFromOutput('', 'exec of "curl" failed: No such file or directory', 127, 3);
    expect(result).toMatchObject({
      exitCode: 127,
      timeMs: 3,
      error: 'exec of "curl" failed: No such file or directory',
    });
  });
});
