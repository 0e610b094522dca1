import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A running moto server: the AWS of the tests and of the local portal. */
export interface MotoServer {
  endpoint: string;
  port: number;
  /** Forgets every resource (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'moto server is not installed for python3. Install it with: pip install "moto[server]"';

/** Fails with a clear message when python3 cannot import moto's server. */
export function assertMotoInstalled(): void {
  const r = spawnSync('python3', ['-c', 'import moto, flask, flask_cors'], {
    stdio: 'ignore',
  });
  if (r.error || r.status !== 0) throw new Error(INSTALL_HINT);
}

/** Asks the OS for a free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Polls moto's data endpoint until it answers 200. */
export async function waitForMoto(endpoint: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      throw new Error(
        `moto server at ${endpoint} did not answer within ${timeoutMs} ms`,
      );
    }
    await new Promise(r => setTimeout(r, 150));
  }
}

export async function resetMoto(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
}

/**
 * Starts `python3 -m moto.server` on a loopback port and waits until it answers.
 * The child dies with this process.
 */
export async function startMoto(
  options: { port?: number; quiet?: boolean } = {},
): Promise<MotoServer> {
  assertMotoInstalled();
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    'python3',
    ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)],
    {
      env: {
        ...process.env,
        MOTO_IAM_LOAD_MANAGED_POLICIES: 'true',
      },
      stdio: options.quiet === false ? 'inherit' : 'ignore',
    },
  );
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitForMoto(endpoint);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return {
    endpoint,
    port,
    reset: () => resetMoto(endpoint),
    stop: () =>
      new Promise<void>(resolve => {
        if (exited) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
