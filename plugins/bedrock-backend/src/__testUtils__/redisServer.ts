/* TEST-ONLY: a redis-server of the test's own, on a free port, to stop and start again. */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { promisify } from 'node:util';
import { freePort } from './freePort';

const REDIS_SERVER = process.env.BEDROCK_TEST_REDIS_SERVER ?? 'redis-server';
const REDIS_CLI = process.env.BEDROCK_TEST_REDIS_CLI ?? 'redis-cli';

/** Whether something on the port answers PING with PONG. */
function pong(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('data', data => done(data.toString().startsWith('+PONG')));
    socket.on('connect', () => socket.write('PING\r\n'));
  });
}

async function until(what: string, ok: () => Promise<boolean>, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms`);
    await new Promise(r => setTimeout(r, 50));
  }
}

/**
 * Starts `redis-server` on a free port of 127.0.0.1, without persistence: `stop()` kills it (the
 * data goes with it), `start()` starts it again on the same port, `pause()` freezes it (its
 * connections stay open, nothing is answered) until `resume()`, `keys()` lists what it holds.
 */
export async function startRedisServer() {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const server = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const started = spawn(
        REDIS_SERVER,
        // no persistence: a restart starts empty
        ['--port', String(port), '--bind', '127.0.0.1', '--save', ''].concat([
          '--appendonly',
          'no',
        ]),
        { stdio: 'ignore' },
      );
      child = started;
      await until(`redis-server answering on ${port}`, async () => {
        if (started.exitCode !== null)
          throw new Error(`redis-server exited with ${started.exitCode}`);
        return pong(port);
      });
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      running.kill('SIGKILL');
      await once(running, 'exit');
      await until(`port ${port} free`, async () => !(await pong(port)));
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
    /** every key in the server (the cache's keys as stored, namespace included) */
    async keys(): Promise<string[]> {
      const { stdout } = await promisify(execFile)(REDIS_CLI, [
        '-p',
        String(port),
        '--scan',
      ]);
      return stdout.split('\n').filter(Boolean).sort();
    },
  };
  await server.start();
  return server;
}
