import { describe, expect, it } from 'vitest';
import type { CurlRequest, CurlResult } from './backend.ts';
import { parseCurlArgs, runCurl } from './curl.ts';
import { StaticBackend } from './testing/static-backend.ts';

class FixedCurlBackend extends StaticBackend {
  requests: CurlRequest[] = [];
  result: CurlResult = {
    exitCode: 0,
    status: 200,
    headers: { server: 'echo' },
    body: 'node-a\n',
    remoteIp: '10.0.0.5',
    timeMs: 12.5,
  };
  override async curl(request: CurlRequest): Promise<CurlResult> {
    this.requests.push(request);
    return this.result;
  }
}

describe('curl arguments', () => {
  it('parses combined short flags, inline and separate values', () => {
    expect(parseCurlArgs(['-sSm5', '-o', '/dev/null', '-w', '%{http_code}', 'http://x/'])).toEqual({
      url: 'http://x/',
      silent: true,
      showError: true,
      includeHeaders: false,
      failOnHttpError: false,
      timeoutMs: 5000,
      output: '/dev/null',
      writeOut: '%{http_code}',
    });
    expect(parseCurlArgs(['--max-time', '0.5', '-i', 'x'])).toMatchObject({
      timeoutMs: 500,
      includeHeaders: true,
    });
  });

  it.each([
    [['-Z', 'http://x/'], 'curl: option -Z: is unknown'],
    [['-s'], 'curl: no URL specified'],
    [['-m'], 'curl: option -m: requires parameter'],
    [['--max-time', 'soon', 'x'], 'curl: option --max-time: expected a proper numerical parameter'],
  ])('%j is a usage error (exit 2)', (args, message) => {
    const result = parseCurlArgs(args);
    expect(result).toMatchObject({ code: 2 });
    expect('stderr' in result && result.stderr.split('\n')[0]).toBe(message);
  });
});

describe('curl output', () => {
  it('passes the timeout to the backend and formats -w', async () => {
    const backend = new FixedCurlBackend();
    const out = await runCurl(
      ['-s', '-m', '3', '-w', '%{http_code} %{time_total} %{remote_ip}\\n', 'http://10.77.100.33/'],
      backend,
      new Map(),
    );
    expect(backend.requests).toEqual([{ url: 'http://10.77.100.33/', timeoutMs: 3000 }]);
    expect(out).toEqual({ stdout: 'node-a\n200 0.012500 10.0.0.5\n', stderr: '', code: 0 });
  });

  it('prints 000 and the error for a failed request; -s alone hides the error', async () => {
    const backend = new FixedCurlBackend();
    backend.result = { exitCode: 28, body: '', timeMs: 2001 };
    const shown = await runCurl(
      ['-sS', '-w', '%{http_code}', 'http://10.77.100.33:8080/'],
      backend,
      new Map(),
    );
    expect(shown).toEqual({
      stdout: '000',
      stderr: 'curl: (28) Connection timed out after 2001 milliseconds\n',
      code: 28,
    });
    backend.result = { exitCode: 6, body: '', timeMs: 1 };
    expect(await runCurl(['-s', 'http://nowhere.lan/'], backend, new Map())).toEqual({
      stdout: '',
      stderr: '',
      code: 6,
    });
    expect((await runCurl(['http://nowhere.lan/'], backend, new Map())).stderr).toBe(
      'curl: (6) Could not resolve host: nowhere.lan\n',
    );
  });

  it('-f/--fail exits 22 on HTTP >= 400 without the body; -sS shows the error, -s hides it', async () => {
    const backend = new FixedCurlBackend();
    backend.result = { exitCode: 0, status: 404, body: 'not here\n', timeMs: 3 };
    const files = new Map<string, string>();
    expect(await runCurl(['-fsS', '-w', '%{http_code}', 'http://x/'], backend, files)).toEqual({
      stdout: '404',
      stderr: 'curl: (22) The requested URL returned error: 404\n',
      code: 22,
    });
    expect(await runCurl(['--fail', '-s', '-o', '/tmp/p', 'http://x/'], backend, files)).toEqual({
      stdout: '',
      stderr: '',
      code: 22,
    });
    expect(files.has('/tmp/p')).toBe(false);
    expect((await runCurl(['-f', 'http://x/'], backend, files)).stderr).toBe(
      'curl: (22) The requested URL returned error: 404\n',
    );
    // Without -f an error status is a successful transfer, as in curl.
    expect(await runCurl(['-s', 'http://x/'], backend, files)).toEqual({
      stdout: 'not here\n',
      stderr: '',
      code: 0,
    });
    backend.result = { ...backend.result, status: 399, body: 'fine\n' };
    expect((await runCurl(['-fs', 'http://x/'], backend, files)).code).toBe(0);
  });

  it('writes -o FILE into the router file map', async () => {
    const files = new Map<string, string>();
    const out = await runCurl(
      ['-s', '-o', '/tmp/page', 'http://10.77.100.33/'],
      new FixedCurlBackend(),
      files,
    );
    expect(out.stdout).toBe('');
    expect(files.get('/tmp/page')).toBe('node-a\n');
  });
});
