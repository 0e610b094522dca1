import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { catalogWith, userCredentials } from '../__testUtils__/lightServices';
import { EntityReader } from './EntityReader';

const shop = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'shop', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/team' },
};
const ann = userCredentials('user:default/ann');
const bob = userCredentials('user:default/bob');
/** a plugin acting for bob: not ann, and not bob without his actor either */
const pluginForBob = {
  $$type: '@backstage/BackstageCredentials',
  principal: { type: 'service', subject: 'plugin:x', actor: bob.principal },
} as unknown as BackstageCredentials;

/** The catalog of `shop`, hiding it from the callers in `hidden`, counting its reads. */
function catalog() {
  const inner = catalogWith([shop]);
  const hidden = new Set<string>();
  const getEntityByRef = jest.fn(async (ref: string, options: any) => {
    const p = options.credentials.principal;
    const who = p.userEntityRef ?? p.actor?.userEntityRef;
    return hidden.has(who) ? undefined : inner.getEntityByRef(ref, options);
  });
  return { catalog: { getEntityByRef } as any, hidden, getEntityByRef };
}

describe('EntityReader', () => {
  it('answers 404 for an entity the catalog does not show the caller, reading with their credentials', async () => {
    const c = catalog();
    const reader = EntityReader.create({ catalog: c.catalog, ttlMs: 0 });
    await expect(reader.read('component:default/other', ann)).rejects.toThrow(
      new NotFoundError('No entity component:default/other found'),
    );
    await expect(
      reader.read('component:default/shop', ann),
    ).resolves.toMatchObject({ metadata: { name: 'shop' } });
    expect(c.getEntityByRef).toHaveBeenLastCalledWith(
      'component:default/shop',
      { credentials: ann },
    );
    c.hidden.add('user:default/bob');
    await expect(reader.read('component:default/shop', bob)).rejects.toThrow(
      NotFoundError,
    );
  });

  it('reuses a read per caller only: one who cannot see the entity gets a 404 whoever read it before', async () => {
    let clock = 0;
    const c = catalog();
    const reader = EntityReader.create({
      catalog: c.catalog,
      ttlMs: 10_000,
      now: () => clock,
    });
    const ref = 'component:default/shop';
    await reader.read(ref, ann);
    await reader.read(ref, ann);
    expect(c.getEntityByRef).toHaveBeenCalledTimes(1);

    c.hidden.add('user:default/bob');
    await expect(reader.read(ref, bob)).rejects.toThrow(NotFoundError);
    await expect(reader.read(ref, pluginForBob)).rejects.toThrow(NotFoundError);
    // a failed read is not kept: bob sees it as soon as the catalog shows it to him
    c.hidden.delete('user:default/bob');
    await expect(reader.read(ref, bob)).resolves.toMatchObject({
      kind: 'Component',
    });
    expect(c.getEntityByRef).toHaveBeenCalledTimes(4);

    // a change in what ann may see shows once the TTL is over
    c.hidden.add('user:default/ann');
    await expect(reader.read(ref, ann)).resolves.toBeDefined();
    clock += 10_001;
    await expect(reader.read(ref, ann)).rejects.toThrow(NotFoundError);
  });

  it('never keeps an anonymous read', async () => {
    const c = catalog();
    const reader = EntityReader.create({ catalog: c.catalog, ttlMs: 10_000 });
    const anonymous = {
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'none' },
    } as unknown as BackstageCredentials;
    await reader.read('component:default/shop', anonymous);
    await reader.read('component:default/shop', anonymous);
    expect(c.getEntityByRef).toHaveBeenCalledTimes(2);
  });
});
