import { mockServices } from '@backstage/backend-test-utils';
import { tenantChannel } from '@bedrock-tenancy/plugin-bedrock-common';
import { publishTenantChanged } from './signals';

describe('publishTenantChanged', () => {
  it('says only which tenant changed, once per tenant, on its own channel', async () => {
    const publish = jest.fn(async () => {});
    await publishTenantChanged(
      { publish },
      [
        'component:default/docs-summarizer',
        'component:default/search-rag',
        'component:default/docs-summarizer',
      ],
      mockServices.logger.mock(),
    );
    expect(publish.mock.calls.map(c => (c as any)[0])).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: 'bedrock:tenant:component:default/docs-summarizer',
        // no figures: pages refetch through the permission-checked API
        message: {
          type: 'bedrock-tenant-changed',
          entityRef: 'component:default/docs-summarizer',
        },
      },
      {
        recipients: { type: 'broadcast' },
        channel: 'bedrock:tenant:component:default/search-rag',
        message: {
          type: 'bedrock-tenant-changed',
          entityRef: 'component:default/search-rag',
        },
      },
    ]);
  });

  it('keeps going when publishing fails', async () => {
    const publish = jest
      .fn()
      .mockRejectedValueOnce(new Error('events bus down'))
      .mockResolvedValue(undefined);
    const logger = mockServices.logger.mock();
    await publishTenantChanged(
      { publish },
      ['component:default/a', 'component:default/b'],
      logger,
    );
    expect(publish).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('uses one channel name for any spelling of an entity ref', () => {
    expect(tenantChannel('Component:Default/Docs')).toBe(
      tenantChannel('component:default/docs'),
    );
  });
});
