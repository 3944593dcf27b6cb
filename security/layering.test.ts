// Each layering rule of eslint.config.js, fed a fixture that breaks it, at a path inside the layer it
// guards: the project's own configuration must refuse it. Allowed imports are checked alongside, so
// a rule that refuses everything fails too.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root, overrideConfigFile: join(root, 'eslint.config.js') });
});

interface Reported {
  rule: string | null;
  line: number;
  message: string;
}

/** Our rules' complaints when `code` is linted as if it lived at `filePath`. */
async function lint(code: string, filePath: string): Promise<Reported[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  expect(result, `${filePath} is linted, not ignored`).toBeDefined();
  const fatal = result!.messages.filter((message) => message.fatal);
  expect(fatal, `${filePath} parses`).toEqual([]);
  return result!.messages
    .filter((message) => message.ruleId?.startsWith('mbw/'))
    .map((message) => ({ rule: message.ruleId, line: message.line, message: message.message }));
}

function fixture(name: string): string {
  return readFileSync(join(import.meta.dirname, 'fixtures', 'layering', name), 'utf8');
}

describe('src/shared is pure', () => {
  it('refuses node:fs', async () => {
    const reported = await lint(fixture('shared-imports-node-fs.ts'), 'src/shared/plan/fixture.ts');
    expect(reported).toEqual([
      {
        rule: 'mbw/layering',
        line: 2,
        message: expect.stringMatching(/^src\/shared must not import "node:fs": shared is pure code/),
      },
    ]);
  });

  it('refuses bare built-in names, subpaths and dynamic imports', async () => {
    const reported = await lint(fixture('shared-imports-bare-builtins.ts'), 'src/shared/net/fixture.ts');
    expect(reported.map((entry) => [entry.line, /"([^"]+)"/.exec(entry.message)?.[1]])).toEqual([
      [2, 'os'],
      [3, 'http'],
      [4, 'fs/promises'],
      [7, 'child_process'],
    ]);
  });

  it('refuses Electron and network libraries', async () => {
    const reported = await lint(fixture('shared-imports-network.ts'), 'src/shared/fixture.ts');
    expect(reported.map((entry) => /"([^"]+)"/.exec(entry.message)?.[1])).toEqual([
      'electron',
      'ssh2',
      'ws',
      '@kubernetes/client-node',
    ]);
  });

  it('refuses other layers', async () => {
    const reported = await lint(fixture('shared-imports-main.ts'), 'src/shared/plan/fixture.ts');
    expect(reported.map((entry) => entry.message.split(':')[0])).toEqual([
      'src/shared must not import src/main/errors.ts',
      'src/shared must not import lab/kube/index.ts',
    ]);
  });

  it('accepts its own modules and pure libraries', async () => {
    const code = [
      "import { parse } from 'yaml';",
      "import { z } from 'zod';",
      "import { validateTopology } from '../topology/index.ts';",
      "import type { ProgressEvent } from '../progress.ts';",
      'export const used = [parse, z, validateTopology];',
      'export type Used = ProgressEvent;',
    ].join('\n');
    expect(await lint(code, 'src/shared/plan/fixture.ts')).toEqual([]);
  });
});

describe('src/renderer imports src/shared only', () => {
  it('refuses main, the preload and the lab', async () => {
    const reported = await lint(fixture('renderer-imports-main.ts'), 'src/renderer/steps/fixture.ts');
    expect(reported.map((entry) => entry.message.split(':')[0])).toEqual([
      'src/renderer must not import src/main/services/index.ts',
      'src/renderer must not import src/preload/index.ts',
      'src/renderer must not import lab/router/index.ts',
    ]);
  });

  it('refuses Node and Electron', async () => {
    const reported = await lint(fixture('renderer-imports-node.ts'), 'src/renderer/fixture.ts');
    expect(reported.map((entry) => /"([^"]+)"/.exec(entry.message)?.[1])).toEqual(['node:path', 'electron']);
  });

  it('accepts shared code, its own files and UI libraries', async () => {
    const code = [
      "import { Button } from '@mantine/core';",
      "import type { WizardApi } from '../../shared/contract.ts';",
      "import { api } from '../api.ts';",
      'export const used = [Button, api];',
      'export type Used = WizardApi;',
    ].join('\n');
    expect(await lint(code, 'src/renderer/steps/fixture.ts')).toEqual([]);
  });
});

describe('src/preload', () => {
  it('refuses our code outside src/shared', async () => {
    const reported = await lint(fixture('preload-imports-main.ts'), 'src/preload/fixture.ts');
    expect(reported.map((entry) => entry.message.split(':')[0])).toEqual([
      'src/preload must not import src/main/ipc/index.ts',
    ]);
  });

  it('accepts electron and the shared contract', async () => {
    const code = [
      "import { contextBridge } from 'electron';",
      "import type { WizardApi } from '../shared/contract.ts';",
      'export const used = contextBridge;',
      'export type Used = WizardApi;',
    ].join('\n');
    expect(await lint(code, 'src/preload/fixture.ts')).toEqual([]);
  });
});

describe('lab/', () => {
  it('refuses src/main outside tests and testing.ts', async () => {
    const reported = await lint(fixture('lab-imports-main.ts'), 'lab/fixture.ts');
    expect(reported.map((entry) => entry.message.split(':')[0])).toEqual([
      'lab must not import src/main/services/index.ts',
    ]);
  });

  it('lets a lab test import src/main, through a testing.ts or index.ts', async () => {
    const code =
      "import { cliHarness } from '../../src/main/cli/testing.ts';\nexport const used = cliHarness;";
    expect(await lint(code, 'lab/netns/fixture.test.ts')).toEqual([]);
  });

  it('refuses src/renderer even in a test', async () => {
    const reported = await lint(fixture('lab-imports-renderer.ts'), 'lab/router/fixture.test.ts');
    expect(reported.map((entry) => entry.message.split(':')[0])).toEqual([
      'lab must not import src/renderer/api.ts',
    ]);
  });
});

describe('src/main', () => {
  it('refuses the lab outside tests and testing.ts', async () => {
    const reported = await lint(fixture('main-imports-lab.ts'), 'src/main/services/fixture.ts');
    expect(reported.map((entry) => entry.message.split(':')[0])).toEqual([
      'src/main must not import lab/kube/index.ts',
    ]);
  });

  it('lets tests and testing.ts start the lab', async () => {
    const code =
      "import { startKubeEmulator } from '../../../lab/kube/index.ts';\nexport const used = startKubeEmulator;";
    expect(await lint(code, 'src/main/services/fixture.test.ts')).toEqual([]);
    expect(await lint(code, 'src/main/services/testing.ts')).toEqual([]);
  });
});

describe('modules are entered through their index.ts', () => {
  it('refuses a file behind another module’s index.ts', async () => {
    const reported = await lint(fixture('main-imports-module-internals.ts'), 'src/main/services/fixture.ts');
    expect(reported).toEqual([
      {
        rule: 'mbw/import-through-index',
        line: 2,
        message: expect.stringMatching(
          /^import src\/main\/kube\/index\.ts, not src\/main\/kube\/install\.ts/,
        ),
      },
    ]);
  });

  it('accepts the index.ts from outside and any file from inside', async () => {
    const outside = "import { installMetallb } from '../kube/index.ts';\nexport const used = installMetallb;";
    expect(await lint(outside, 'src/main/services/fixture.ts')).toEqual([]);
    const inside = "import { installMetallb } from './install.ts';\nexport const used = installMetallb;";
    expect(await lint(inside, 'src/main/kube/fixture.ts')).toEqual([]);
  });
});

describe('windows state their hardening literally', () => {
  it('refuses a shared options object', async () => {
    const reported = await lint(fixture('window-shared-options.ts'), 'src/main/fixture.ts');
    expect(reported).toEqual([
      {
        rule: 'mbw/hardened-web-preferences',
        line: 8,
        message: expect.stringContaining('must receive an object literal with a literal webPreferences'),
      },
    ]);
  });

  it('refuses nodeIntegration on and webSecurity off', async () => {
    const reported = await lint(fixture('window-node-integration.ts'), 'src/main/fixture.ts');
    expect(reported.map((entry) => entry.message)).toEqual([
      'new BrowserWindow(…): webPreferences must say `nodeIntegration: false` literally',
      'new BrowserWindow(…): webPreferences must say `webSecurity: true` literally',
    ]);
  });

  it('accepts the app’s own windows', async () => {
    const source = readFileSync(join(root, 'src/main/index.ts'), 'utf8');
    expect(source.match(/new BrowserWindow\(/g)?.length).toBeGreaterThanOrEqual(2);
    expect(await lint(source, 'src/main/index.ts')).toEqual([]);
  });
});
