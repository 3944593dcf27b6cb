import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOG_ROTATE_BYTES, dataDirectory, ensureDataDirectory, openAppLog } from './index.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mbw-data-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('dataDirectory', () => {
  it('uses $XDG_CONFIG_HOME when set', () => {
    expect(dataDirectory({ XDG_CONFIG_HOME: '/x/conf' }, '/home/u')).toBe('/x/conf/metallb-bgp-wizard');
  });

  it('defaults to ~/.config, also when XDG_CONFIG_HOME is empty or relative', () => {
    expect(dataDirectory({}, '/home/u')).toBe('/home/u/.config/metallb-bgp-wizard');
    expect(dataDirectory({ XDG_CONFIG_HOME: '' }, '/home/u')).toBe('/home/u/.config/metallb-bgp-wizard');
    expect(dataDirectory({ XDG_CONFIG_HOME: 'conf' }, '/home/u')).toBe('/home/u/.config/metallb-bgp-wizard');
  });
});

describe('ensureDataDirectory', () => {
  it('creates the folder with its parents, mode 0700, and tightens an existing one', async () => {
    const target = join(dir, 'conf', 'metallb-bgp-wizard');
    await ensureDataDirectory(target);
    expect((await stat(target)).mode & 0o777).toBe(0o700);
    const loose = join(dir, 'loose');
    await mkdir(loose, { mode: 0o755 });
    await ensureDataDirectory(loose);
    expect((await stat(loose)).mode & 0o777).toBe(0o700);
    await ensureDataDirectory(loose);
  });
});

describe('openAppLog', () => {
  it('appends timestamped lines to wizard.log with mode 0600', async () => {
    const log = openAppLog(dir);
    expect(log.file).toBe(join(dir, 'wizard.log'));
    log.write('apply: started');
    log.write('apply: done');
    await log.close();
    log.write('after close is ignored');
    const lines = (await readFile(log.file, 'utf8')).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z apply: started$/);
    expect(lines[1]).toMatch(/Z apply: done$/);
    expect(lines[2]).toBe('');
    expect((await stat(log.file)).mode & 0o777).toBe(0o600);
  });

  it('never writes a registered secret, in any form', async () => {
    const secret = 'p@ss"w\nrd';
    const log = openAppLog(dir);
    log.redact(secret);
    log.redact('');
    log.write(`ssh ubnt@192.168.1.1 password=${secret}; retrying`);
    log.write(`request ${JSON.stringify({ password: secret })}`);
    log.write(`prefix${secret}suffix`);
    await log.close();
    const text = await readFile(log.file, 'utf8');
    expect(text).not.toContain('p@ss');
    expect(text).not.toContain('w\\nrd');
    expect(text).not.toContain('w\\u000ard');
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/ ssh ubnt@192\.168\.1\.1 password=\[redacted\]; retrying$/);
    expect(lines[1]).toMatch(/ request \{"password":"\[redacted\]"\}$/);
    expect(lines[2]).toMatch(/ prefix\[redacted\]suffix$/);
  });

  it('keeps each entry on one line by escaping control characters', async () => {
    const log = openAppLog(dir);
    log.write('first\nsecond\r\u001b[31mred\u2028');
    await log.close();
    const text = await readFile(log.file, 'utf8');
    expect(text.split('\n')).toHaveLength(2);
    expect(text).toContain('first\\u000asecond\\u000d\\u001b[31mred\\u2028');
  });

  it('rotates at about 1 MB and keeps one previous file', async () => {
    const log = openAppLog(dir);
    const line = 'x'.repeat(1000);
    const perMb = Math.ceil(LOG_ROTATE_BYTES / 1026);
    for (let i = 0; i < perMb * 2 + 10; i += 1) log.write(`${i} ${line}`);
    await log.close();
    const current = await stat(log.file);
    const previous = await stat(`${log.file}.1`);
    expect(current.size).toBeLessThanOrEqual(LOG_ROTATE_BYTES);
    expect(previous.size).toBeLessThanOrEqual(LOG_ROTATE_BYTES);
    expect(previous.size).toBeGreaterThan(LOG_ROTATE_BYTES - 2000);
    expect((await stat(`${log.file}.1`)).mode & 0o777).toBe(0o600);
    // The newest line is in the current file, and the oldest lines are gone.
    const text = await readFile(log.file, 'utf8');
    expect(text).toContain(` ${perMb * 2 + 9} x`);
    const older = await readFile(`${log.file}.1`, 'utf8');
    expect(older).not.toMatch(/Z 0 x/);
  });

  it('appends to an existing log across opens', async () => {
    const first = openAppLog(dir);
    first.write('one');
    await first.close();
    const second = openAppLog(dir);
    second.write('two');
    await second.close();
    const text = await readFile(second.file, 'utf8');
    expect(text).toMatch(/Z one\n.*Z two\n$/);
  });
});
