import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_TENANT_ID,
  ChargebackExport,
  GroupRollup,
} from '@bedrock-tenancy/plugin-bedrock-common';
import request from 'supertest';
import { bindEntities } from '../__testUtils__/bindings';
import { boundedCatalog } from '../__testUtils__/boundedCatalog';
import {
  departmentReadDecision,
  LARGE_TREE,
  largeGroupTree,
} from '../__testUtils__/largeGroupTree';
import { startBedrockBackend } from '../__testUtils__/startBedrockBackend';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';

jest.setTimeout(120_000);

const ADMIN = 'user:default/admin';
const MEMBER = 'user:default/dana';
const entities = largeGroupTree();
const tenants = entities.filter(
  (e: any) => e.metadata.annotations?.[ANNOTATION_TENANT_ID],
);
/** the member's catalog read decision: the catalog's own rules, applied by the plugin */
const memberDecision = departmentReadDecision(3);
const MONTH = new Date().toISOString().slice(0, 7);

/**
 * The Group roll-up, the chargeback export and the Group card over a department of 1,000 groups
 * and 5,000 entities, through the routes, against a catalog that fails any request naming more
 * than 50 refs (431, as a real catalog behind a server answers a URL that grew with the tree)
 * and pages by 25 whatever limit is asked. The tree is read once with the plugin's credentials;
 * what each caller sees of it follows the caller's catalog read decision.
 */
describe('a large group tree through the routes', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const { catalog, calls } = boundedCatalog({
    entities,
    maxRefs: 50,
    maxPage: 25,
  });
  const authorize = jest.fn(
    async (reqs: any[]) =>
      reqs.map(() => ({ result: AuthorizeResult.ALLOW })) as any,
  );
  let server: any;
  let limited: any;

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    await bindEntities(knex, tenants);
    const start = (rollup?: object) =>
      startBedrockBackend({
        entities,
        knex,
        accountId: '123456789012',
        catalog: createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => catalog,
        }),
        config: {
          bedrock: {
            aws: { endpoint: 'http://127.0.0.1:9' },
            collector: { enabled: false },
            ...(rollup ? { rollup } : {}),
          },
        },
        features: [
          mockServices.permissions.mock({
            authorize,
            authorizeConditional: async (reqs, options) =>
              reqs.map(r =>
                r.permission.name === 'catalog.entity.read' &&
                (options?.credentials.principal as any).userEntityRef === MEMBER
                  ? memberDecision
                  : { result: AuthorizeResult.ALLOW },
              ) as any,
          }).factory,
        ],
      });
    server = await start();
    limited = await start({ maxGroups: 500, maxEntities: 400 });
  });

  const get = (s: any, path: string, user: string) =>
    request(s)
      .get(`/api/bedrock${path}`)
      .set('Authorization', mockCredentials.user.header(user));

  it('answers the Group card, the roll-up and the export of the whole tree for an admin', async () => {
    calls.length = 0;
    // what the card asks: the default range and row limit
    const card = await get(
      server,
      '/group/default/engineering/rollup?range=30d&includeChildren=true',
      ADMIN,
    );
    expect(card.status).toBe(200);
    const r = card.body as GroupRollup;
    expect(r.groups).toHaveLength(1 + LARGE_TREE.descendants);
    expect(r.tenantCount).toBe(LARGE_TREE.tenants);
    expect(r.totals.tenants).toBe(LARGE_TREE.tenants);
    expect(r.tenants).toHaveLength(50);
    // counted, listed up to the limit
    expect(r.unannotatedCount).toBe(LARGE_TREE.unannotated);
    expect(r.unannotated).toHaveLength(50);
    expect(r.unverified).toEqual([]);
    expect(r.unverifiedCount).toBe(0);
    // every page of every owner batch was followed, with the plugin's own credentials
    const queries = calls.filter(c => c.method === 'queryEntities');
    expect(queries.filter(c => 'cursor' in c.request).length).toBeGreaterThan(
      0,
    );
    const treeReads = calls.filter(c => c.method !== 'getEntityByRef');
    expect(treeReads.length).toBeGreaterThan(100);
    for (const c of treeReads)
      expect(c.credentials.principal).toEqual({
        type: 'service',
        subject: 'plugin:bedrock',
      });

    const res = await get(
      server,
      `/group/default/engineering/chargeback?month=${MONTH}`,
      ADMIN,
    );
    expect(res.status).toBe(200);
    const e = res.body as ChargebackExport;
    const refs = e.tenants.map(t => t.entityRef);
    expect(refs).toHaveLength(LARGE_TREE.tenants);
    expect(new Set(refs).size).toBe(LARGE_TREE.tenants);
    expect(e.groups).toHaveLength(1 + LARGE_TREE.descendants);
    expect(
      e.tenants.find(t => t.entityRef === 'component:default/d7-s4-t2-e1'),
    ).toMatchObject({
      owner: 'group:default/d7-s4-t2',
      ownerParents: [
        'group:default/d7-s4',
        'group:default/d7',
        'group:default/engineering',
      ],
    });
  });

  it('shows a member only the part of the tree the catalog lets them read', async () => {
    // the admin's roll-up read the tree: the member's reads none of it again
    await get(server, '/group/default/engineering/rollup', ADMIN);
    calls.length = 0;
    authorize.mockClear();
    const res = await get(
      server,
      '/group/default/engineering/rollup?range=30d&limit=2000',
      MEMBER,
    );
    expect(res.status).toBe(200);
    const r = res.body as GroupRollup;
    expect(r.groups).toHaveLength(LARGE_TREE.member.groups);
    expect(r.tenantCount).toBe(LARGE_TREE.member.tenants);
    expect(r.unannotated).toHaveLength(LARGE_TREE.member.unannotated);
    for (const t of r.tenants)
      expect(t.entityRef).toMatch(/^component:default\/d3-/);
    // one catalog read (the group), no per-entity permission call: the decision's conditions
    // were applied to the shared tree
    expect(calls.map(c => c.method)).toEqual(['getEntityByRef']);
    expect(authorize).not.toHaveBeenCalled();
    const e = (
      await get(
        server,
        `/group/default/engineering/chargeback?month=${MONTH}&format=json`,
        MEMBER,
      )
    ).body as ChargebackExport;
    expect(e.tenants).toHaveLength(LARGE_TREE.member.tenants);
  });

  it('answers 400 saying how to narrow the view past bedrock.rollup.maxGroups and maxEntities', async () => {
    // the limits hold for the whole tree, whoever asks: a member who reads a part of it gets
    // the same answer (the tree is read once for every caller)
    for (const [path, user] of [
      ['/group/default/engineering/rollup?range=30d', ADMIN],
      [`/group/default/engineering/chargeback?month=${MONTH}`, ADMIN],
      ['/group/default/engineering/rollup?range=30d', MEMBER],
    ]) {
      const res = await get(limited, path, user);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toBe(
        'the group tree of group:default/engineering has more than 500 groups: open the roll-up of one of its child groups, or of this group without its children (includeChildren=false)',
      );
    }
    // a department: 101 groups, but 500 entities
    const dept = await get(limited, '/group/default/d3/rollup', MEMBER);
    expect(dept.status).toBe(400);
    expect(dept.body.error.message).toBe(
      'the groups of the roll-up of group:default/d3 own more than 400 catalog entities: open the roll-up of one of its child groups, or of this group without its children (includeChildren=false)',
    );
    // narrower views answer
    const team = await get(limited, '/group/default/d3-s4/rollup', MEMBER);
    expect(team.status).toBe(200);
    expect((team.body as GroupRollup).groups).toHaveLength(11);
    expect((team.body as GroupRollup).tenantCount).toBe(22);
    const own = await get(
      limited,
      '/group/default/engineering/rollup?includeChildren=false',
      ADMIN,
    );
    expect(own.status).toBe(200);
    expect((own.body as GroupRollup).groups).toEqual([LARGE_TREE.root]);
  });
});
