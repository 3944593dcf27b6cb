import { describe, expect, it } from 'vitest';
import { runScript } from './script.ts';

async function run(src: string, results: Record<string, number> = {}) {
  const calls: string[][] = [];
  let out = '';
  let err = '';
  const code = await runScript(src, {
    io: { out: (t) => (out += t), err: (t) => (err += t) },
    run: async (argv, io) => {
      calls.push(argv);
      io.out(`ran ${argv.length}\n`);
      return results[argv[1] ?? ''] ?? 0;
    },
  });
  return { code, calls, out, err };
}

const PLANNER_SCRIPT = `#!/bin/vbash
# comment
W=/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper

$W begin || exit 1
$W set protocols bgp 64512 parameters router-id 192.168.1.1 || { $W discard; $W end; exit 2; }
$W delete protocols bgp 64512 neighbor 192.168.1.209 || { $W discard; $W end; exit 2; }
$W commit || { $W discard; $W end; exit 3; }
$W save || { $W end; exit 4; }
$W end
`;

describe('router script interpreter', () => {
  it('runs the planner script in order with $W expanded', async () => {
    const r = await run(PLANNER_SCRIPT);
    expect(r.code).toBe(0);
    expect(r.calls.map((c) => c.slice(0, 2).join(' '))).toEqual([
      '/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper begin',
      '/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper set',
      '/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper delete',
      '/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper commit',
      '/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper save',
      '/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper end',
    ]);
  });

  it('takes the || branch on failure: discard, end, exit 3', async () => {
    const r = await run(PLANNER_SCRIPT, { commit: 1 });
    expect(r.code).toBe(3);
    expect(r.calls.map((c) => c[1])).toEqual(['begin', 'set', 'delete', 'commit', 'discard', 'end']);
  });

  it('keeps quoted words whole and expands inside double quotes only', async () => {
    const r = await run(`A='x y'\n"$A" 'lit $A' "a\\"b" \${A}z ''`);
    expect(r.calls).toEqual([['x y', 'lit $A', 'a"b', 'x', 'yz', '']]);
  });

  it('supports &&, ;, echo, exit status of the last command and $?', async () => {
    const r = await run(
      `false && echo no; true && echo yes; cmd fail; echo "status $?"; exit 7; echo never`,
      { fail: 5 },
    );
    expect(r.out).toBe('yes\nran 2\nstatus 5\n');
    expect(r.code).toBe(7);
  });

  it('refuses pipes and redirections with a syntax error instead of half-running', async () => {
    for (const src of ['echo a | cat', 'echo a > /tmp/x', 'echo $(id)', '{ echo a', "echo 'open"]) {
      const r = await run(src);
      expect(r.code, src).toBe(2);
      expect(r.err, src).toMatch(/^vbash: line 1: /);
      expect(r.calls, src).toEqual([]);
    }
  });

  it('refuses shell reserved words in command position before running anything', async () => {
    const words = ['for', 'if', 'while', 'until', 'do', 'done', 'then', 'else', 'elif', 'fi'];
    for (const word of [...words, 'case', 'esac', 'function', 'select', '[[', '!']) {
      const r = await run(`W=w; $W begin\n$W set x; ${word} x`);
      expect(r.code, word).toBe(2);
      expect(r.err, word).toBe(
        `vbash: line 2: syntax error near reserved word \`${word}': not supported by this router's script runner\n`,
      );
      expect(r.calls, word).toEqual([]);
    }
    const loop = await run('W=w; $W begin; $W set a; for x in 1; do :; done');
    expect(loop.code).toBe(2);
    expect(loop.calls).toEqual([]);
  });

  it('treats reserved words as ordinary words outside command position or when quoted', async () => {
    const r = await run(`cmd for if done; 'for' x; A=1 "if"`);
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([['cmd', 'for', 'if', 'done'], ['for', 'x'], ['if']]);
  });

  it('reports the line of a misplaced brace', async () => {
    const r = await run('true\n}\n');
    expect(r.err).toBe("vbash: line 2: syntax error near unexpected token `}'\n");
  });
});
