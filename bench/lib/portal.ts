/*
 * The real portal backend for benchmarks: the production bundle of packages/backend
 * (`yarn build:backend`) unpacked into a scratch folder and started with NODE_ENV=production on a
 * fresh PostgreSQL database (every plugin in its own schema), with a bench config. Stopped and the
 * database dropped afterwards.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';

export const ROOT = path.resolve(__dirname, '../..');

export function buildBackend() {
  const r = spawnSync('yarn', ['build:backend'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) throw new Error('yarn build:backend failed');
}

/**
 * Unpacks the bundle under the repository (third-party modules resolve from its node_modules),
 * linking the suite's packages to their built copies.
 */
export function unpackBundle(): string {
  const bundle = path.join(ROOT, 'packages/backend/dist/bundle.tar.gz');
  if (!fs.existsSync(bundle)) {
    throw new Error(`${bundle} missing: run yarn build:backend`);
  }
  fs.mkdirSync(path.join(ROOT, 'artifacts'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ROOT, 'artifacts', 'bench-backend-'));
  const r = spawnSync('tar', ['xzf', bundle, '-C', dir], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('could not unpack the backend bundle');
  // every workspace package in the bundle (packages/*, plugins/*), linked by its name
  for (const top of ['packages', 'plugins']) {
    const parent = path.join(dir, top);
    if (!fs.existsSync(parent)) continue;
    for (const entry of fs.readdirSync(parent)) {
      const manifest = path.join(parent, entry, 'package.json');
      if (!fs.existsSync(manifest)) continue;
      const { name } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
      const link = path.join(dir, 'node_modules', name);
      if (fs.existsSync(link)) continue;
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(path.join(parent, entry), link);
    }
  }
  return dir;
}

export interface Database {
  name: string;
  connection: {
    host: string;
    port: number;
    user: string;
    password?: string;
    database: string;
  };
  /** a client on the database, for filling tables */
  knex: Knex;
  drop(): Promise<void>;
}

/** A fresh PostgreSQL database (BENCH_POSTGRES_URL, default the local one). */
export async function createDatabase(prefix: string): Promise<Database> {
  const url = new URL(
    process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432',
  );
  const name = `${prefix}_${Date.now()}_${process.pid}`;
  const connection = {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    database: name,
  };
  const admin = knexFactory({
    client: 'pg',
    connection: { ...connection, database: 'postgres' },
  });
  await admin.raw(`CREATE DATABASE ${name}`);
  const knex = knexFactory({
    client: 'pg',
    connection,
    pool: { min: 0, max: 4 },
  });
  return {
    name,
    connection,
    knex,
    async drop() {
      await knex.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

export interface Portal {
  baseUrl: string;
  /** a signed-in user's token (the guest provider, as configured by the caller) */
  userToken(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts the bundled backend with `config` (merged over the bench basics: port, database,
 * memory cache, permissions on) and waits until it answers.
 */
export async function startPortal(options: {
  bundleDir: string;
  db: Database;
  port: number;
  config: Record<string, unknown>;
  /** extra node flags, e.g. --cpu-prof */
  nodeArgs?: string[];
  logFile: string;
}): Promise<Portal> {
  const { bundleDir, db, port } = options;
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = {
    app: { baseUrl, title: 'bench' },
    backend: {
      baseUrl,
      listen: { host: '127.0.0.1', port },
      database: {
        client: 'pg',
        connection: db.connection,
        pluginDivisionMode: 'schema',
      },
      cache: { store: 'memory' },
    },
    permission: { enabled: true },
    ...options.config,
  };
  const configFile = path.join(bundleDir, 'app-config.bench.yaml');
  // JSON is YAML
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const log = fs.openSync(options.logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      'packages/backend/dist/index.cjs.js',
      '--config',
      configFile,
    ],
    {
      cwd: bundleDir,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', log, log],
    },
  );
  const exited = new Promise<number | null>(resolve =>
    child.on('exit', code => resolve(code)),
  );
  const portal: Portal = {
    baseUrl,
    async userToken() {
      const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      if (!res.ok) {
        throw new Error(
          `guest sign-in failed: ${res.status} ${await res.text()}`,
        );
      }
      const body: any = await res.json();
      return body.backstageIdentity.token;
    },
    stop: () => stopChild(child, exited),
  };
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `backend exited with ${child.exitCode}; see ${options.logFile}`,
      );
    }
    try {
      const res = await fetch(`${baseUrl}/api/bedrock/health`);
      if (res.ok) return portal;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await portal.stop();
      throw new Error(`backend did not start; see ${options.logFile}`);
    }
    await sleep(500);
  }
}

/** SIGINT lets the backend shut down cleanly (and write its CPU profile); SIGKILL after 30 s. */
async function stopChild(child: ChildProcess, exited: Promise<unknown>) {
  if (child.exitCode !== null) return;
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export function machineLoad() {
  const [one, five] = os.loadavg();
  return `load average ${one.toFixed(2)} (1 min), ${five.toFixed(
    2,
  )} (5 min) on ${os.cpus().length} cores`;
}
