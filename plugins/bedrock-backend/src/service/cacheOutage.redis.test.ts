/*
 * A Redis outage under Backstage's real cache service (CacheManager, store redis, a redis-server
 * of the test's own), as the plugin wires it (plugin.ts: BoundedCache.wrap): the plugin answers
 * within bedrock.cache.timeoutMs whatever Redis does, and once Redis is back (frozen and thawed,
 * or killed and started again) its writes land there again. The reconnect needs @keyv/redis 5
 * (the portal's resolution, see the README): 4.x leaves node-redis's socket error unheard, so the
 * client neither reconnects nor fails its queued commands.
 */
import {
  CacheManager,
  cacheServiceFactory,
} from '@backstage/backend-defaults/cache';
import {
  CacheService,
  coreServices,
  createServiceFactory,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DEMO_TENANTS, demoTenantEntity } from '@bedrock-tenancy/demo';
import request from 'supertest';
import { bindEntities } from '../__testUtils__/bindings';
import { startRedisServer } from '../__testUtils__/redisServer';
import { startBedrockBackend } from '../__testUtils__/startBedrockBackend';
import { readBedrockConfig } from '../config';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { BoundedCache } from './BoundedCache';

jest.setTimeout(60_000);

type RedisServer = Awaited<ReturnType<typeof startRedisServer>>;

/** backend.cache as app-config.production.yaml sets it, on the test's redis-server. */
const cacheConfig = (url: string) => ({ store: 'redis', connection: url });

const settings = readBedrockConfig(new ConfigReader({}));
/** the bound of every cache call: the timeout, and time for a busy CI machine */
const BOUND_MS = settings.cache.timeoutMs + 500;

/** The plugin's cache over Backstage's cache service for plugin `bedrock`, wired as plugin.ts does. */
function pluginCache(redis: RedisServer) {
  const logger = mockServices.logger.mock();
  const config = new ConfigReader({
    backend: { cache: cacheConfig(redis.url) },
  });
  const manager = CacheManager.fromConfig(config);
  const cache = BoundedCache.wrap({
    cache: manager.forPlugin('bedrock'),
    timeoutMs: readBedrockConfig(config).cache.timeoutMs,
    logger,
  });
  /**
   * Test clean-up: closes the node-redis client. Backstage's cache service has no close, and a
   * Redis killed under a connected client is the failure under test.
   */
  const close = async () => {
    const keyv = (manager as any).getClientWithTtl('bedrock');
    const client = keyv?.store?.client;
    if (client?.isOpen) await client.disconnect();
  };
  const warnings = () => logger.warn.mock.calls.map(([message]) => message);
  return { cache, warnings, close };
}

/** The call's answer, failing the test when it takes longer than `ms`. */
async function within<T>(ms: number, call: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([call, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The key Backstage stores for the plugin's cache key `key` (no namespace configured). */
const stored = (key: string) =>
  `bedrock:${Buffer.from(key).toString('base64')}`;

/**
 * Writes `prefix-<n>` every 250 ms, each write answering within the bound, until one of them is
 * in Redis; fails the test after `ms`.
 */
async function untilWritesLand(
  cache: CacheService,
  redis: RedisServer,
  prefix: string,
  ms: number,
) {
  const start = Date.now();
  const written: string[] = [];
  while (Date.now() - start < ms) {
    const key = `${prefix}-${written.length}`;
    await within(BOUND_MS, cache.set(key, written.length));
    written.push(stored(key));
    const keys = await redis.keys();
    if (written.some(k => keys.includes(k))) return;
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(`no write landed in Redis within ${ms} ms`);
}

/** Uncaught exceptions and unhandled rejections while the test runs (jest also fails on them). */
function escapes() {
  const seen: unknown[] = [];
  const record = (e: unknown) => void seen.push(e);
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  return {
    seen,
    stop() {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
    },
  };
}

describe('the plugin through a Redis outage', () => {
  it('answers within the bound while Redis hangs, and caches again once it answers', async () => {
    const escaped = escapes();
    const redis = await startRedisServer();
    const { cache, warnings, close } = pluginCache(redis);
    try {
      await within(BOUND_MS, cache.set('before', 1));
      expect(await within(BOUND_MS, cache.get('before'))).toBe(1);
      expect(await redis.keys()).toEqual([stored('before')]);

      // frozen: connections stay open, nothing is answered
      redis.pause();
      expect(await within(BOUND_MS, cache.get('before'))).toBeUndefined();
      await within(BOUND_MS, cache.set('during', 2));
      await within(BOUND_MS, cache.delete('before'));
      expect(warnings()).toEqual([
        'Bedrock cache unavailable: answers are computed without it',
      ]);

      redis.resume();
      // the cache is tried again 5 s after the failure
      await untilWritesLand(cache, redis, 'after', 10_000);
      expect(await within(BOUND_MS, cache.get('before'))).toBe(1);
    } finally {
      await close();
      await redis.stop();
      escaped.stop();
    }
    expect(escaped.seen).toEqual([]);
  });
  it('caches again after Redis is killed and started again, with nothing thrown uncaught', async () => {
    const escaped = escapes();
    const redis = await startRedisServer();
    const { cache, warnings, close } = pluginCache(redis);
    try {
      await within(BOUND_MS, cache.set('before', 1));
      await redis.stop();
      // killed: the data went with it, and every call still answers within the bound
      expect(await within(BOUND_MS, cache.get('before'))).toBeUndefined();
      await within(BOUND_MS, cache.set('during', 2));
      expect(warnings()).toContain(
        'Bedrock cache unavailable: answers are computed without it',
      );

      await redis.start();
      await untilWritesLand(cache, redis, 'after', 20_000);
      await within(BOUND_MS, cache.set('again', 3));
      expect(await within(BOUND_MS, cache.get('again'))).toBe(3);
    } finally {
      await close();
      await redis.stop();
      escaped.stop();
    }
    expect(escaped.seen).toEqual([]);
  });
});

describe('the summary route with Redis down', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const checkout = DEMO_TENANTS.find(t => t.tenantId === 'checkout-assistant')!;
  const path = `/api/bedrock/entity/component/default/${checkout.tenantId}/summary?range=7d`;

  async function backend(
    config: Record<string, unknown>,
    cache: ServiceFactory,
  ) {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    await bindEntities(knex, [demoTenantEntity(checkout)]);
    return startBedrockBackend({
      entities: [demoTenantEntity(checkout)],
      knex,
      accountId: checkout.accountId,
      config,
      features: [cache],
    });
  }

  it('answers 200 with the real cache service on a stopped Redis', async () => {
    const redis = await startRedisServer();
    await redis.stop();
    const server = await backend(
      { backend: { cache: cacheConfig(redis.url) } },
      cacheServiceFactory,
    );
    try {
      for (let i = 0; i < 2; i++) {
        const res = await request(server).get(path).timeout(5_000);
        expect(res.status).toBe(200);
        expect(res.body.tenant.tenantId).toBe(checkout.tenantId);
      }
    } finally {
      await server.stop();
    }
  });

  it('answers 200 within the bound when the cache never answers', async () => {
    const never = () => new Promise<never>(() => {});
    const hanging: CacheService = {
      get: never,
      set: never,
      delete: never,
      withOptions: () => hanging,
    };
    const server = await backend(
      {},
      createServiceFactory({
        service: coreServices.cache,
        deps: {},
        factory: () => hanging,
      }),
    );
    try {
      const start = Date.now();
      const res = await request(server).get(path).timeout(5_000);
      expect(res.status).toBe(200);
      expect(Date.now() - start).toBeLessThan(BOUND_MS + 2_000);
    } finally {
      await server.stop();
    }
  });
});
