// Runs electronegativity's programmatic API in a process of its own: it registers globals, and it
// writes its SARIF report asynchronously (the process exits only once the report is on disk).
//
//   node security/electronegativity-run.ts STAGED_DIR SARIF_FILE ELECTRON_VERSION RESULT_FILE
//
// STAGED_DIR is a scratch copy (security/scan.ts makes it): a JavaScript file the tool's JavaScript
// path cannot read is renamed to .ts there, so that its TypeScript parser (which reads any modern
// JavaScript) scans it. RESULT_FILE receives {files, errors, fallbacks}: the files the tool's loader
// listed, its parse errors, and the files renamed with the reason.

import Module, { createRequire } from 'node:module';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

const [input, sarifFile, electronVersion, resultFile] = process.argv.slice(2);
if (!input || !sarifFile || !electronVersion || !resultFile) {
  console.error('usage: electronegativity-run.ts STAGED_DIR SARIF_FILE ELECTRON_VERSION RESULT_FILE');
  process.exit(2);
}

const require = createRequire(import.meta.url);
const toolRequire = createRequire(require.resolve('@doyensec/electronegativity/dist/locales/i18n.js'));

// The tool downloads translations and Electron's release list when it starts; offline, a retry of
// that request throws after the scan has begun and kills the process. The scan must be reproducible
// offline, so those downloads are answered "unavailable": the bundled English messages are used, and
// the release check (which needs a package.json, absent from out/ and src/) has nothing to compare.
const gotPath = toolRequire.resolve('got');
const offline = new Module(gotPath);
offline.filename = gotPath;
offline.loaded = true;
offline.exports = { __esModule: true, default: () => Promise.reject(new Error('offline scan')) };
require.cache[gotPath] = offline;

const run = require('@doyensec/electronegativity');
const { LoaderDirectory } = require('@doyensec/electronegativity/dist/loader/index.js');
const { Parser } = require('@doyensec/electronegativity/dist/parser/index.js');

interface Fallback {
  from: string;
  to: string;
  message: string;
}

/**
 * Files the tool's JavaScript path rejects: its parser falls back to Babel for newer syntax, but the
 * tree walker its checks run on predates private class fields. Parsed and walked as the finder does.
 */
function renameUnreadableJavaScript(files: string[]): Fallback[] {
  const parser = new Parser(false, true); // the runner's own settings
  const fallbacks: Fallback[] = [];
  for (const file of files.filter((name) => /\.jsx?$/.test(name))) {
    try {
      const [, data] = parser.parse(file, readFileSync(file, 'utf8'));
      const visit = (node: unknown, phase: string) =>
        data.Scope.updateFunctionScope(data.astParser.getNode(node), phase);
      data.astParser.traverseTree(data, {
        enter: (node: unknown) => visit(node, 'enter'),
        leave: (node: unknown) => visit(node, 'leave'),
      });
    } catch (error) {
      const to = file.replace(/\.jsx?$/, '.ts');
      renameSync(file, to);
      fallbacks.push({ from: file, to, message: (error as Error).message });
    }
  }
  return fallbacks;
}

async function listedFiles(dir: string): Promise<string[]> {
  const loader = new LoaderDirectory();
  await loader.load(dir);
  return [...loader.list_files];
}

const fallbacks = renameUnreadableJavaScript(await listedFiles(input));
const files = await listedFiles(input);

const result = await run({
  input,
  output: sarifFile,
  isSarif: true,
  customScan: [],
  excludeFromScan: [],
  isRelative: true,
  isVerbose: false,
  electronVersionOverride: electronVersion,
  parserPlugins: [],
});
writeFileSync(resultFile, JSON.stringify({ files, errors: result.errors, fallbacks }));
