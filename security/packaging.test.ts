// electron-builder.yml, checked without building (electron-builder downloads Electron, which this
// machine cannot): the targets, the fuses, what goes into the installer, the icons, and that the
// MetalLB manifests land where the packaged app looks for them.

import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { MANIFEST_PINS, bundledManifest } from '../src/main/kube/index.ts';
import type { MetallbVersion } from '../src/shared/topology/index.ts';

const root = join(import.meta.dirname, '..');
const configFile = join(root, 'electron-builder.yml');
/** The parts of the config this test reads; electron-builder's schema check below covers the rest. */
interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  extraResources: { from: string; to: string; filter: string[] }[];
  electronFuses: Record<string, boolean>;
  asar: boolean;
  npmRebuild: boolean;
  nodeGypRebuild: boolean;
  buildDependenciesFromSource: boolean;
  linux: { target: string[]; icon: string; maintainer: string; description: string };
  mac: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
}

const config = parse(readFileSync(configFile, 'utf8')) as BuilderConfig;

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1'), `${file} is a PNG`).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function targetsOf(platform: 'linux' | 'mac' | 'win'): string[] {
  return config[platform].target;
}

describe('electron-builder.yml', () => {
  it('names the app and its maintainer', () => {
    expect(config.appId).toMatch(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/);
    expect(config.productName).toBe('MetalLB BGP Wizard');
    expect(config.linux.maintainer).toMatch(/^.+ <[^@\s]+@[^@\s]+>$/);
    expect(config.linux.description.length).toBeGreaterThan(20);
  });

  it('builds AppImage and deb, dmg, and nsis', () => {
    expect(targetsOf('linux').sort()).toEqual(['AppImage', 'deb']);
    expect(targetsOf('mac')).toEqual(['dmg']);
    expect(targetsOf('win')).toEqual(['nsis']);
  });

  it('sets the fuses: no run-as-node, no NODE_OPTIONS or --inspect, cookies encrypted, the app only from a verified asar', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.asar).toBe(true);
  });

  it('compiles nothing native and runs no dependency install script', () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.nodeGypRebuild).toBe(false);
    expect(config.buildDependenciesFromSource).toBe(false);
  });

  it('packs the build and ships the MetalLB manifests beside app.asar', () => {
    expect(config.files).toContain('out/**');
    expect(config.files).toContain('!out/**/*.map');
    expect(config.extraResources).toEqual([{ from: 'resources/metallb', to: 'metallb', filter: ['**/*'] }]);
    for (const [version, pins] of Object.entries(MANIFEST_PINS))
      for (const pin of pins)
        expect(existsSync(join(root, 'resources/metallb', version, pin.file)), `${version}/${pin.file}`).toBe(
          true,
        );
  });

  it('lets the packaged app find and verify every bundled manifest where extraResources puts it', async () => {
    // process.resourcesPath of an installed app, laid out as extraResources does.
    const resourcesPath = mkdtempSync(join(tmpdir(), 'mbw-resources-'));
    try {
      for (const entry of config.extraResources)
        cpSync(join(root, entry.from), join(resourcesPath, entry.to), { recursive: true });
      for (const version of Object.keys(MANIFEST_PINS) as MetallbVersion[]) {
        const manifest = await bundledManifest(version, { resourcesDir: resourcesPath });
        expect(manifest.text.length, version).toBeGreaterThan(1000);
      }
    } finally {
      rmSync(resourcesPath, { recursive: true, force: true });
    }
  });

  it('has icons at the sizes each platform needs', () => {
    expect(pngSize(join(root, config.mac.icon))).toEqual({ width: 1024, height: 1024 });
    expect(pngSize(join(root, config.win.icon)).width).toBeGreaterThanOrEqual(256);
    for (const size of [16, 32, 64, 128, 256, 512])
      expect(pngSize(join(root, config.linux.icon, `${size}x${size}.png`))).toEqual({
        width: size,
        height: size,
      });
  });

  it('passes electron-builder’s own configuration schema', async () => {
    // Resolved from electron-builder's own install: the app-builder-lib it would use.
    const fromBuilder = createRequire(
      createRequire(join(root, 'package.json')).resolve('electron-builder/package.json'),
    );
    const { getConfig, validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = fromBuilder('builder-util');
    const loaded = await getConfig(root, configFile, null);
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
    // The validator is real: a misspelt option is refused.
    await expect(
      validateConfiguration({ ...loaded, electronFusez: {} }, new DebugLogger(false)),
    ).rejects.toThrow(/electronFusez/);
  });
});
