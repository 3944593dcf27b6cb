// Namespace plumbing on the real kernel: names, idempotence, sysctls, two labs side by side, and
// removal of a half-built lab with a process inside. Needs root; skips with the reason otherwise.

import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { labSpec } from '../spec.ts';
import {
  labNamespaces,
  labUp,
  listNamespaces,
  namespacePids,
  removeLab,
  allNamespaceNames,
} from './topology.ts';
import { mustRun, runCommand, runInNamespace } from './run.ts';
import { processAlive } from './state.ts';
import { realLabSkipReason } from './testing.ts';

describe('labNamespaces (pure)', () => {
  it('keeps every namespace name within the 15-character interface limit for the longest id', () => {
    const ns = labNamespaces(labSpec('abcdef', 9));
    const names = allNamespaceNames(ns);
    expect(names).toHaveLength(5 + 9);
    expect(names.every((name) => name.length <= 15 && name.startsWith('mbwabcdef-'))).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    expect(ns.nodes[8]).toEqual({ name: 'worker9', namespace: 'mbwabcdef-n9', address: '10.77.1.19' });
  });
});

const skipReason = await realLabSkipReason();
if (skipReason) console.warn(`lab/netns/topology.test.ts (kernel part) skipped: ${skipReason}`);

async function sysctl(namespace: string, key: string): Promise<string> {
  return (await mustRun('ip', ['netns', 'exec', namespace, 'sysctl', '-n', key])).trim();
}

async function linkNames(namespace: string): Promise<string[]> {
  const out = await mustRun('ip', ['-n', namespace, '-o', 'link', 'show']);
  return out
    .split('\n')
    .map((line) => /^\d+: ([^@:]+)/.exec(line)?.[1] ?? '')
    .filter(Boolean)
    .sort();
}

describe.skipIf(skipReason !== null)('labUp / removeLab on the kernel', () => {
  const a = labSpec('tta', 2);
  const b = labSpec('ttb', 2);

  afterAll(async () => {
    await removeLab(a.id);
    await removeLab(b.id);
  });

  it('builds the layout with the spec addresses, sysctls and default routes, and a second call changes nothing', async () => {
    const ns = await labUp(a);
    const routerLinks = await linkNames(ns.router);
    const routerAddrs = await mustRun('ip', ['-n', ns.router, '-4', '-o', 'addr', 'show']);
    await labUp(a);
    expect(await linkNames(ns.router)).toEqual(routerLinks);
    expect(await mustRun('ip', ['-n', ns.router, '-4', '-o', 'addr', 'show'])).toBe(routerAddrs);

    expect(routerLinks).toEqual(['eth0', 'eth1', 'eth2', 'lo']);
    expect(routerAddrs).toMatch(/eth0\s+inet 10\.77\.0\.2\/24/);
    expect(routerAddrs).toMatch(/eth1\s+inet 10\.77\.1\.1\/24/);
    expect(routerAddrs).toMatch(/eth2\s+inet 10\.77\.2\.1\/24/);
    expect(await linkNames(ns.switch)).toEqual([
      'br-cl',
      'br-lan',
      'ccl',
      'lan',
      'lo',
      'n1',
      'n2',
      'rtr-cl',
      'rtr-lan',
    ]);
    expect(await sysctl(ns.router, 'net.ipv4.ip_forward')).toBe('1');
    expect(await sysctl(ns.router, 'net.ipv4.fib_multipath_hash_policy')).toBe('1');
    expect(await sysctl(ns.nodes[0]!.namespace, 'net.ipv4.conf.eth0.arp_ignore')).toBe('1');
    expect(await sysctl(ns.nodes[1]!.namespace, 'net.ipv4.conf.all.arp_announce')).toBe('2');
    expect(await mustRun('ip', ['-n', ns.lanClient, 'route', 'show', 'default'])).toContain('via 10.77.2.1');
    expect(await mustRun('ip', ['-n', ns.clusterClient, 'route', 'show', 'default'])).toContain(
      'via 10.77.1.1',
    );
    expect(await mustRun('ip', ['-n', ns.nodes[0]!.namespace, '-o', 'link', 'show', 'lo'])).toMatch(
      /state UNKNOWN|UP/,
    );

    // Forwarding across the router works: the LAN client reaches a node through it (a TCP RST from
    // the node's closed port 80 is an answer; a routing failure would be a timeout or exit 7 with no route).
    const curl = await runInNamespace(ns.lanClient, 'curl', [
      '-sS',
      '--max-time',
      '2',
      'http://10.77.1.11:80/',
    ]);
    expect(curl.stderr).toMatch(/Connection refused|Failed to connect/);
    expect(curl.stderr).not.toMatch(/timed out|No route/);
  });

  it('runs two labs side by side and removes one without touching the other', async () => {
    await labUp(b);
    const both = await listNamespaces();
    expect(both.filter((n) => n.startsWith('mbwtta-'))).toHaveLength(7);
    expect(both.filter((n) => n.startsWith('mbwttb-'))).toHaveLength(7);
    await removeLab(b.id);
    const after = await listNamespaces();
    expect(after.filter((n) => n.startsWith('mbwttb-'))).toEqual([]);
    expect(after.filter((n) => n.startsWith('mbwtta-'))).toHaveLength(7);
  });

  it('removes a half-built lab and kills the processes inside its namespaces', async () => {
    // A crash half-way: only two namespaces exist, with a process running in one.
    await mustRun('ip', ['netns', 'add', 'mbwttb-rtr']);
    await mustRun('ip', ['netns', 'add', 'mbwttb-n1']);
    const sleeper = spawn('ip', ['netns', 'exec', 'mbwttb-n1', 'sleep', '300'], { stdio: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await namespacePids('mbwttb-n1')).toContain(sleeper.pid);
    await removeLab(b.id);
    expect((await listNamespaces()).filter((n) => n.startsWith('mbwttb-'))).toEqual([]);
    expect(processAlive(sleeper.pid!)).toBe(false);
    // Removing an absent lab is not an error.
    await expect(removeLab(b.id)).resolves.toBeUndefined();
    expect((await runCommand('ip', ['netns', 'pids', 'mbwttb-n1'])).exitCode).not.toBe(0);
  });
});
