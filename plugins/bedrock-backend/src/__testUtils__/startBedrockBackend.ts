/* TEST-ONLY: the plugin alone on a test backend, for the API tests and the load benchmark. */
import { ServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Knex } from 'knex';
import { bedrockPlugin } from '../plugin';

/**
 * Serves the plugin from `knex` with these catalog entities. The collector is off and AWS is an
 * endpoint that never answers: a page view that called AWS would fail.
 */
export async function startBedrockBackend(options: {
  entities: object[];
  knex: Knex;
  accountId: string;
  /** more service factories, e.g. a permissions mock */
  features?: ServiceFactory[];
  /** the catalog, instead of an in-memory one holding `entities` */
  catalog?: ServiceFactory;
  /** more config at the top level, e.g. backend.cache */
  config?: Record<string, unknown>;
}) {
  const { server } = await startTestBackend({
    features: [
      bedrockPlugin,
      options.catalog ??
        catalogServiceMock.factory({ entities: options.entities as any }),
      mockServices.database.factory({ knex: options.knex }),
      mockServices.rootConfig.factory({
        data: {
          aws: {
            accounts: [
              {
                accountId: options.accountId,
                accessKeyId: 'AKIATEST',
                secretAccessKey: 'test-secret',
              },
            ],
          },
          bedrock: {
            aws: { endpoint: 'http://127.0.0.1:9' },
            collector: { enabled: false },
          },
          ...options.config,
        },
      }),
      ...(options.features ?? []),
    ],
  });
  return server;
}
