// An HTTP echo server for one lab node, like agnhost netexec's /hostname: it answers on every address
// of its namespace (node address and the Service IPs bound on lo) and names the node that answered.
//
//   ip netns exec mbwX-n1 <node> lab/netns/echo.ts --name worker1 --port 80

import http from 'node:http';
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface EchoReply {
  node: string;
  client: string;
  /** The address the client connected to: a Service IP or the node's own. */
  server: string;
  method: string;
  path: string;
}

export function startEchoServer(options: {
  name: string;
  port: number;
  host?: string;
}): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const reply: EchoReply = {
      node: options.name,
      client: request.socket.remoteAddress ?? '',
      server: request.socket.localAddress ?? '',
      method: request.method ?? 'GET',
      path: request.url ?? '/',
    };
    const body = `${JSON.stringify(reply)}\n`;
    response.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      'X-Node': options.name,
      // One request per connection: every curl is a new flow, hashed afresh by the router's ECMP.
      Connection: 'close',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve(server));
  });
}

export interface EchoProcess {
  node: string;
  namespace: string;
  pid: number;
}

/**
 * Spawns this file as a separate Node process inside `namespace` and resolves once it listens.
 * Output goes to `logFile`. The process is not detached from the caller's process group, but the
 * lab's cleanup kills it by PID (and by namespace) anyway.
 */
export function spawnEchoServer(options: {
  namespace: string;
  name: string;
  port: number;
  logFile: string;
}): Promise<EchoProcess> {
  const script = fileURLToPath(import.meta.url);
  const log = openSync(options.logFile, 'a');
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      options.namespace,
      process.execPath,
      script,
      '--name',
      options.name,
      '--port',
      String(options.port),
    ],
    { stdio: ['ignore', 'pipe', log] },
  );
  closeSync(log);
  const stdout = child.stdout;
  if (!stdout) throw new Error('echo server: spawn gave no stdout pipe');
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `echo server for ${options.name} in ${options.namespace} did not start within 15 s; see ${options.logFile}`,
        ),
      );
    }, 15_000);
    stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening')) {
        clearTimeout(timer);
        // Stop reading so the pipe does not keep the parent's event loop busy; the server logs nothing more.
        stdout.destroy();
        child.unref();
        resolve({ node: options.name, namespace: options.namespace, pid: child.pid ?? 0 });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `echo server for ${options.name} in ${options.namespace} exited with ${code}; see ${options.logFile}`,
        ),
      );
    });
  });
}

export function parseEchoArgs(argv: string[]): { name: string; port: number } {
  let name = '';
  let port = 80;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--name' && value !== undefined) {
      name = value;
      i++;
    } else if (arg === '--port' && value !== undefined) {
      port = Number.parseInt(value, 10);
      i++;
    } else {
      throw new Error(`echo server: unknown argument "${arg}"; usage: echo.ts --name NODE [--port 80]`);
    }
  }
  if (!name) throw new Error('echo server: --name NODE is required');
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`echo server: --port must be 1-65535, got ${argv.join(' ')}`);
  return { name, port };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const options = parseEchoArgs(process.argv.slice(2));
    const server = await startEchoServer(options);
    const stop = () => server.close(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    console.log(`echo server for ${options.name} listening on port ${options.port}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
