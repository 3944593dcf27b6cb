// Entry point of the `metallb-bgp-wizard` command.

import { text } from 'node:stream/consumers';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { runCli } from './run.ts';

/** Reads one line from the terminal; with `secret` nothing typed is echoed. */
function promptOnTerminal(question: string, options: { secret: boolean }): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      if (options.secret) process.stderr.write('\n');
      resolve(answer);
    });
    muted = options.secret;
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: (chunk) => process.stdout.write(chunk),
  stderr: (chunk) => process.stderr.write(chunk),
  readStdin: () => text(process.stdin),
  interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
  prompt: promptOnTerminal,
  onInterrupt: (cancel) => {
    // The first Ctrl-C cancels: the running step stops and the router is left in a stated state.
    process.once('SIGINT', () => {
      process.stderr.write('\ncancelling; the router and cluster are left in a stated state...\n');
      cancel();
      process.once('SIGINT', () => process.exit(130));
    });
  },
});
process.exitCode = code;
