#!/usr/bin/env node
// `npm run app`: browser mode (src/main/web/browser-mode.ts). Plain JavaScript, so that starting it
// loads no TypeScript stripper, and it turns Node's compile cache on before the app's modules load:
// stripping and compiling them is most of a cold start, and from the second start on they come
// from the cache (in the OS temp directory).
import { enableCompileCache } from 'node:module';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `the wizard needs Node.js 24 or newer; this is ${process.version}. ` +
      'From a checkout, run "npm run app", which uses the bundled Node 24.\n',
  );
  process.exit(2);
}
enableCompileCache();
// browser-mode.ts is this program's own entry, not part of the web adapter's API (index.ts).
// eslint-disable-next-line mbw/import-through-index
const { browserModeExitCode } = await import('../src/main/web/browser-mode.ts');
process.exit(await browserModeExitCode(process.argv.slice(2)));
