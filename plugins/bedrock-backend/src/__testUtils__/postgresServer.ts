/*
 * TEST-ONLY: a PostgreSQL cluster of the test's own (initdb into a temporary directory, trust
 * auth, a free port of 127.0.0.1), to stop and start again under a connected backend. The
 * machine's shared PostgreSQL is never touched.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './freePort';

const run = promisify(execFile);

/** the OS user the server runs as when the test runs as root (initdb refuses root) */
const OS_USER = process.env.BEDROCK_TEST_POSTGRES_OS_USER ?? 'postgres';

/** PostgreSQL's binaries: BEDROCK_TEST_POSTGRES_BINDIR, else `pg_config --bindir`. */
function binDir(): string {
  if (process.env.BEDROCK_TEST_POSTGRES_BINDIR)
    return process.env.BEDROCK_TEST_POSTGRES_BINDIR;
  try {
    return execFileSync('pg_config', ['--bindir']).toString().trim();
  } catch {
    return '/usr/lib/postgresql/15/bin';
  }
}

/** Whether a PostgreSQL server can be started here (its binaries exist). */
export function postgresServerAvailable(): boolean {
  try {
    execFileSync(join(binDir(), 'initdb'), ['--version']);
    return true;
  } catch {
    return false;
  }
}

/**
 * Initialises a cluster and starts it: `stop()` shuts it down fast (connected clients are cut
 * with 57P01, as in a restart), `start()` starts it again on the same port and data directory
 * (the data survives), `destroy()` stops it and removes the directory. As root, every server
 * command runs as the `postgres` OS user (`runuser`), which owns the directory.
 */
export async function startPostgresServer() {
  const bin = binDir();
  if (!postgresServerAvailable())
    throw new Error(
      `no PostgreSQL server binaries in ${bin}: install them (apt-get install postgresql) or set BEDROCK_TEST_POSTGRES_BINDIR`,
    );
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bedrock-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', OS_USER]).toString());
    const gid = Number(execFileSync('id', ['-g', OS_USER]).toString());
    chownSync(dir, uid, gid);
  }
  const pg = (tool: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', OS_USER, '--', join(bin, tool), ...args])
      : run(join(bin, tool), args);

  await pg('initdb', [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  // pg_ctl hands -o to a shell: the directory is quoted
  const serverOptions = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-k '${dir}'`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ].join(' ');
  let running = false;
  const server = {
    port,
    /** knex/pg connection settings of the cluster's `postgres` database */
    connection: {
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database: 'postgres',
    },
    url: `postgresql://postgres@127.0.0.1:${port}`,
    async start() {
      await pg('pg_ctl', [
        '-D',
        data,
        '-l',
        join(dir, 'server.log'),
        '-o',
        serverOptions,
        '-w',
        '-t',
        '60',
        'start',
      ]);
      running = true;
    },
    /** a fast shutdown: open sessions are terminated, the data is kept */
    async stop() {
      if (!running) return;
      await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
      running = false;
    },
    async destroy() {
      try {
        if (running)
          await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        running = false;
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    await server.start();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return server;
}

export type PostgresServer = Awaited<ReturnType<typeof startPostgresServer>>;
