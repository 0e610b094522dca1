import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  BudgetIncrease,
  BudgetIncreaseList,
  BudgetIncreaseRequest,
  ChargebackFormat,
  EntitySummary,
  GroupRollup,
  UnattributedReport,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { BedrockApi, BedrockRange } from './BedrockApi';

const seg = (value: string) => encodeURIComponent(value);

/** `/entity/:kind/:namespace/:name/<rest>`, each part escaped. */
function entityPath(entity: CompoundEntityRef, rest: string): string {
  const { kind, namespace, name } = entity;
  return `/entity/${seg(kind)}/${seg(namespace)}/${seg(name)}/${rest}`;
}

function rangeParams(range: BedrockRange): URLSearchParams {
  return 'preset' in range
    ? new URLSearchParams({ range: range.preset })
    : new URLSearchParams({ from: range.from, to: range.to });
}

/**
 * {@link BedrockApi} over HTTP, against the bedrock backend plugin.
 *
 * @public
 */
export class BedrockClient implements BedrockApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  static create(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    return new BedrockClient(options.discoveryApi, options.fetchApi);
  }

  private constructor(discoveryApi: DiscoveryApi, fetchApi: FetchApi) {
    this.#discoveryApi = discoveryApi;
    this.#fetchApi = fetchApi;
  }

  async getEntitySummary(options: {
    entity: CompoundEntityRef;
    range: BedrockRange;
  }): Promise<EntitySummary> {
    const { kind, namespace, name } = options.entity;
    const path = `/entity/${seg(kind)}/${seg(namespace)}/${seg(name)}/summary`;
    return this.#get(`${path}?${rangeParams(options.range)}`);
  }

  async getGroupRollup(options: {
    group: CompoundEntityRef;
    range: BedrockRange;
    includeChildren?: boolean;
  }): Promise<GroupRollup> {
    const { namespace, name } = options.group;
    const query = rangeParams(options.range);
    if (options.includeChildren !== undefined)
      query.set('includeChildren', String(options.includeChildren));
    return this.#get(`/group/${seg(namespace)}/${seg(name)}/rollup?${query}`);
  }

  async getChargeback(options: {
    group: CompoundEntityRef;
    month: string;
    format: ChargebackFormat;
    includeChildren?: boolean;
  }): Promise<{ fileName: string; blob: Blob }> {
    const { namespace, name } = options.group;
    const query = new URLSearchParams({
      month: options.month,
      format: options.format,
    });
    if (options.includeChildren !== undefined)
      query.set('includeChildren', String(options.includeChildren));
    const baseUrl = await this.#discoveryApi.getBaseUrl('bedrock');
    const response = await this.#fetchApi.fetch(
      `${baseUrl}/group/${seg(namespace)}/${seg(name)}/chargeback?${query}`,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const disposition = response.headers.get('content-disposition') ?? '';
    const fileName =
      /filename="([^"]+)"/.exec(disposition)?.[1] ??
      `bedrock-chargeback-${namespace}-${name}-${options.month}${
        options.format === 'focus' ? '-focus.csv' : `.${options.format}`
      }`;
    return { fileName, blob: await response.blob() };
  }

  async refreshEntity(options: { entity: CompoundEntityRef }): Promise<void> {
    const { kind, namespace, name } = options.entity;
    const baseUrl = await this.#discoveryApi.getBaseUrl('bedrock');
    const response = await this.#fetchApi.fetch(
      `${baseUrl}/entity/${seg(kind)}/${seg(namespace)}/${seg(name)}/refresh`,
      { method: 'POST' },
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
  }

  async getBudgetIncreases(options: {
    entity: CompoundEntityRef;
  }): Promise<BudgetIncreaseList> {
    return this.#get(entityPath(options.entity, 'budget-increases'));
  }

  async requestBudgetIncrease(options: {
    entity: CompoundEntityRef;
    request: BudgetIncreaseRequest;
  }): Promise<BudgetIncrease> {
    return this.#post(
      entityPath(options.entity, 'budget-increases'),
      options.request,
    );
  }

  async decideBudgetIncrease(options: {
    id: string;
    decision: 'approve' | 'decline';
    note?: string;
  }): Promise<BudgetIncrease> {
    const note = options.note?.trim();
    return this.#post(
      `/budget-increases/${seg(options.id)}/${seg(options.decision)}`,
      note ? { note } : {},
    );
  }

  async getUnattributedUsage(options: {
    month?: string;
  }): Promise<UnattributedReport> {
    const query = new URLSearchParams(
      options.month ? { month: options.month } : {},
    );
    return this.#get(`/admin/unattributed?${query}`);
  }

  async #get<T>(path: string): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('bedrock');
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }

  async #post<T>(path: string, body: unknown): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('bedrock');
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
