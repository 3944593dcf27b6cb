#!/usr/bin/env node
// The CLI needs Node 24 (@kubernetes/client-node 2.x crashes on older Node): say so plainly
// instead of failing deep inside a dependency.
import { existsSync } from 'node:fs';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `metallb-bgp-wizard needs Node.js 24 or newer; this is ${process.version}. ` +
      'From a checkout, run it as "npm run cli -- <command>", which uses the bundled Node 24.\n',
  );
  process.exit(2);
}
// A checkout runs the TypeScript sources (a stale build must not shadow them); an installed
// package has no sources there and runs the built bundle, since Node does not strip types under
// node_modules.
const sources = new URL('../src/main/cli/index.ts', import.meta.url);
const built = new URL('../out/main/cli.js', import.meta.url);
await import(existsSync(sources) ? sources.href : built.href);
