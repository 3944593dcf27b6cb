// The interactive (PTY) vbash: line editing, op mode and configure mode with EdgeOS prompts,
// commit-confirm with an injectable minute.

import { compareLines } from './config/compare.ts';
import { curlyLinesAt, setLines } from './config/format.ts';
import { subtree } from './config/tree.ts';
import { CFG_WRAPPER, OP_WRAPPER, faultStage, runCommand } from './commands.ts';
import type { ChannelContext } from './commands.ts';
import { ConnectionDropped, sleep } from './faults.ts';
import { invalidCommandOutput, runOpCommand } from './opmode.ts';
import { tokenize } from './script.ts';
import type { ShellIo } from './script.ts';
import type { ConfigSession } from './store.ts';

export interface ShellOptions {
  ctx: ChannelContext;
  username: string;
  /** Writes to the terminal (already in \r\n form). */
  write(text: string): void;
  /** Ends the shell with an exit status. */
  close(code: number): void;
  /** Milliseconds in a commit-confirm "minute" (tests shrink it). */
  minuteMs: number;
  /** Registers a commit-confirm timer with the emulator, so it survives this channel and dies with stop(). */
  scheduleRevert(ms: number, revert: () => Promise<void>): { cancel(): void };
}

const OP_SHELL_COMMANDS = new Set([
  'cat',
  'curl',
  'echo',
  'sleep',
  'hostname',
  CFG_WRAPPER,
  OP_WRAPPER,
  'vbash',
  'bash',
]);

/** Splits a command line into words the way vbash would (quotes, no expansion needed here). */
function wordsOf(line: string): string[] | string {
  try {
    return tokenize(line).flatMap((t) =>
      t.type === 'word' ? [t.segments.map((s) => (s.kind === 'lit' ? s.text : `$${s.name}`)).join('')] : [],
    );
  } catch (err) {
    return (err as Error).message;
  }
}

export class InteractiveShell {
  private readonly opts: ShellOptions;
  private line = '';
  private queue: Promise<void> = Promise.resolve();
  private session: ConfigSession | null = null;
  /** Settles the `Proceed? [confirm]` question; null means interrupted (^C or hang-up). */
  private awaitingConfirm: ((answer: string | null) => void) | null = null;
  private pendingRevert: { cancel(): void } | null = null;
  private closed = false;
  private hungUp = false;
  private lastWasCr = false;

  constructor(opts: ShellOptions) {
    this.opts = opts;
  }

  private get ctx(): ChannelContext {
    return this.opts.ctx;
  }

  private out(text: string): void {
    if (!this.closed) this.opts.write(text.replace(/\r?\n/g, '\r\n'));
  }

  private hostName(): string {
    return [...(subtree(this.ctx.store.running, ['system', 'host-name'])?.keys() ?? [])][0] ?? 'ubnt';
  }

  prompt(): void {
    const who = `${this.opts.username}@${this.hostName()}`;
    this.out(this.session === null ? `${who}:~$ ` : `[edit]\n${who}# `);
  }

  start(): void {
    const name = this.ctx.store.dialect === 'edgeos' ? 'EdgeOS' : 'VyOS';
    this.out(`Welcome to ${name}\n\n`);
    this.prompt();
  }

  /** Feeds terminal input: echoes, edits the line, and queues complete lines. */
  onData(chunk: string): void {
    for (const ch of chunk) {
      if (ch === '\n' && this.lastWasCr) {
        this.lastWasCr = false;
        continue;
      }
      this.lastWasCr = ch === '\r';
      if (ch === '\r' || ch === '\n') {
        const line = this.line;
        this.line = '';
        this.out('\n');
        this.enqueue(line);
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.line.length > 0) {
          this.line = this.line.slice(0, -1);
          this.out('\b \b');
        }
      } else if (ch === '\x03' && this.awaitingConfirm !== null) {
        this.line = '';
        this.out('^C\n');
        this.settleConfirm(null);
      } else if (ch === '\x03') {
        this.line = '';
        this.out('^C\n');
        this.enqueue(null);
      } else if (ch === '\x04' && this.line === '') {
        this.enqueue('exit');
      } else if (ch >= ' ' && ch !== '\x7f') {
        this.line += ch;
        this.out(ch);
      }
    }
  }

  /**
   * The channel went away (client disconnect or exit): answers a pending question as interrupted,
   * and once the queued commands have drained, drops the candidate, as logging out does on EdgeOS.
   */
  hangUp(): void {
    if (this.hungUp) return;
    this.hungUp = true;
    this.closed = true;
    this.settleConfirm(null);
    this.queue = this.queue.then(() => {
      this.session?.discard();
      this.session = null;
    });
  }

  private settleConfirm(answer: string | null): void {
    const settle = this.awaitingConfirm;
    this.awaitingConfirm = null;
    settle?.(answer);
  }

  private enqueue(line: string | null): void {
    if (this.awaitingConfirm !== null && line !== null) {
      this.settleConfirm(line);
      return;
    }
    this.queue = this.queue.then(async () => {
      if (this.closed) return;
      try {
        if (line !== null && line.trim() !== '') await this.execute(line.trim());
      } catch (err) {
        if (err instanceof ConnectionDropped) {
          this.closed = true;
          return;
        }
        this.out(`internal error: ${(err as Error).message}\n`);
      }
      if (!this.closed) {
        await sleep(this.ctx.faults.delayMs);
        this.prompt();
      }
    });
  }

  private io(): ShellIo {
    return { out: (t) => this.out(t), err: (t) => this.out(t) };
  }

  private async execute(line: string): Promise<void> {
    const words = wordsOf(line);
    if (typeof words === 'string') {
      this.out(`${words}\n`);
      return;
    }
    if (this.session === null) await this.opMode(words);
    else await this.configureMode(words, this.session);
  }

  private async opMode(words: string[]): Promise<void> {
    const [cmd = ''] = words;
    const joined = words.join(' ');
    if (cmd === 'configure') {
      this.session = this.ctx.store.openSession();
    } else if (cmd === 'exit' || cmd === 'logout') {
      this.finish(0);
    } else if (joined === 'terminal length 0' || cmd === 'terminal') {
      return;
    } else if (cmd === 'show') {
      const result = await runOpCommand(words, this.ctx);
      this.out(result.stdout + result.stderr);
    } else if (OP_SHELL_COMMANDS.has(cmd)) {
      await runCommand(words, this.io(), this.ctx, true);
    } else {
      this.out(invalidCommandOutput(words));
    }
  }

  private finish(code: number): void {
    this.closed = true;
    this.opts.close(code);
  }

  private async commit(session: ConfigSession): Promise<boolean> {
    const outcome = await session.commit(faultStage(this.ctx));
    if (!outcome.ok) this.out(`${outcome.lines.join('\n')}\n`);
    else if (!outcome.changed) this.out('No configuration changes to commit\n');
    return outcome.ok && outcome.changed;
  }

  private askConfirm(): Promise<string | null> {
    return new Promise((resolve) => {
      this.awaitingConfirm = resolve;
    });
  }

  private async commitConfirm(session: ConfigSession, minutesWord: string | undefined): Promise<void> {
    const minutes = minutesWord === undefined ? 10 : Number(minutesWord);
    if (!Number.isInteger(minutes) || minutes < 1) {
      this.out(`  Invalid value for commit-confirm: "${minutesWord}" (minutes, 1 or more)\n`);
      return;
    }
    this.out(
      `commit confirm will be automatically reboot in ${minutes} minutes unless confirmed\nProceed? [confirm]`,
    );
    const reply = await this.askConfirm();
    if (reply === null) return;
    const answer = reply.trim().toLowerCase();
    if (answer !== '' && answer !== 'y' && answer !== 'yes' && answer !== 'confirm') {
      this.out('commit-confirm canceled\n');
      return;
    }
    if (!(await this.commit(session))) return;
    this.pendingRevert?.cancel();
    const store = this.ctx.store;
    this.pendingRevert = this.opts.scheduleRevert(minutes * this.opts.minuteMs, async () => {
      this.pendingRevert = null;
      await store.commit(store.saved);
    });
  }

  private async configureMode(words: string[], session: ConfigSession): Promise<void> {
    const [cmd = '', ...rest] = words;
    const joined = words.join(' ');
    switch (cmd) {
      case 'set':
      case 'delete': {
        const shown = cmd === 'set' ? (session.set(rest) ?? []) : session.deleteOutcome(rest).lines;
        if (shown.length > 0) this.out(`\n${shown.join('\n')}\n\n`);
        return;
      }
      case 'commit':
        await this.commit(session);
        return;
      case 'commit-confirm':
        await this.commitConfirm(session, rest[0]);
        return;
      case 'confirm':
        if (this.pendingRevert === null) this.out('No confirm pending\n');
        else {
          this.pendingRevert.cancel();
          this.pendingRevert = null;
        }
        return;
      case 'save':
        this.ctx.store.save();
        this.out(`Saving configuration to '/config/config.boot'...\nDone\n`);
        return;
      case 'discard':
        session.discard();
        this.out('  Changes have been discarded\n');
        return;
      case 'compare':
        this.out(`${this.compare(session).join('\n')}\n`);
        return;
      case 'exit':
        if (joined === 'exit discard') session.discard();
        else if (session.changed) {
          this.out(
            `Cannot exit: configuration modified.\nUse 'exit discard' to discard the changes and exit.\n`,
          );
          return;
        }
        this.session = null;
        this.out('exit\n');
        return;
      case 'run':
        await this.opMode(rest);
        return;
      case 'show':
        if (joined === 'show configuration commands') {
          this.out(
            setLines(session.candidate, this.ctx.store.schema, this.ctx.store.dialect).join('\n') + '\n',
          );
          return;
        }
        this.out(`${this.showCandidate(session, rest).join('\n')}\n`);
        return;
      default:
        this.out(`\n  Invalid command: [${cmd}]\n\n`);
    }
  }

  private showCandidate(session: ConfigSession, path: string[]): string[] {
    const shown = curlyLinesAt(session.candidate, this.ctx.store.schema, path);
    return shown.length === 0 ? ['Configuration under specified path is empty'] : shown.map((l) => ` ${l}`);
  }

  /** This session's candidate against the running config, in the curly diff form. */
  private compare(session: ConfigSession): string[] {
    const diff = compareLines(this.ctx.store.running, session.candidate, this.ctx.store.schema);
    return diff.length === 0 ? ['No changes between working and active configurations.'] : diff;
  }
}
