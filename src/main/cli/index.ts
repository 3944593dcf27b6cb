// Entry point of the `metallb-bgp-wizard` command.

import { text } from 'node:stream/consumers';
import { runCli } from './run.ts';

const code = await runCli(process.argv.slice(2), {
  stdout: (chunk) => process.stdout.write(chunk),
  stderr: (chunk) => process.stderr.write(chunk),
  readStdin: () => text(process.stdin),
});
process.exitCode = code;
