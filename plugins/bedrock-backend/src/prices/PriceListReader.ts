import {
  Filter,
  GetProductsCommand,
  PricingClient,
} from '@aws-sdk/client-pricing';
import { parseProduct, PriceListFact, type ProductSkip } from './parseProduct';

/** The two service codes Bedrock's prices are split across. */
export const BEDROCK_SERVICE_CODES = [
  'AmazonBedrock',
  'AmazonBedrockFoundationModels',
] as const;
/** GetProducts' largest page. */
const PAGE_SIZE = 100;
/** A guard against a list that never stops paging. */
const MAX_PAGES = 2_000;

/** What one read of the list found. */
export interface PriceListRead {
  facts: PriceListFact[];
  /** products read */
  products: number;
  /** token prices of models the suite cannot map to a model id, by Price List name */
  unmapped: Map<string, number>;
  /** products that are not on-demand token prices (images, provisioned throughput, ...) */
  skipped: number;
  /** products that could not be read */
  malformed: number;
  /** GetProducts calls made */
  calls: number;
}

/**
 * Reads Bedrock's token prices from the AWS Price List Query API (GetProducts, paged, both
 * service codes, filtered on the regions asked for or on none). Throws when the list cannot be
 * read: a partial read is never kept, so a run stores all of the list or nothing.
 */
export class PriceListReader {
  readonly #client: () => Promise<PricingClient>;
  readonly #regions: string[];
  readonly #pageSize: number;

  static create(options: {
    /** the Pricing client (its region: us-east-1, eu-central-1 or ap-south-1) */
    client: () => Promise<PricingClient>;
    /** regions whose prices are read; empty: every region */
    regions: string[];
    /** products per GetProducts call; default (and most) 100 */
    pageSize?: number;
  }) {
    return new PriceListReader(
      options.client,
      options.regions,
      Math.min(options.pageSize ?? PAGE_SIZE, PAGE_SIZE),
    );
  }

  private constructor(
    client: () => Promise<PricingClient>,
    regions: string[],
    pageSize: number,
  ) {
    this.#client = client;
    this.#regions = regions;
    this.#pageSize = pageSize;
  }

  async read(): Promise<PriceListRead> {
    const client = await this.#client();
    const out: PriceListRead = {
      facts: [],
      products: 0,
      unmapped: new Map(),
      skipped: 0,
      malformed: 0,
      calls: 0,
    };
    const regions = this.#regions.length ? this.#regions : [undefined];
    for (const serviceCode of BEDROCK_SERVICE_CODES) {
      for (const region of regions) {
        const filters: Filter[] = region
          ? [{ Type: 'TERM_MATCH', Field: 'regionCode', Value: region }]
          : [];
        let token: string | undefined;
        let pages = 0;
        do {
          const page = await client.send(
            new GetProductsCommand({
              ServiceCode: serviceCode,
              Filters: filters.length ? filters : undefined,
              FormatVersion: 'aws_v1',
              MaxResults: this.#pageSize,
              NextToken: token,
            }),
          );
          out.calls++;
          for (const raw of page.PriceList ?? []) {
            out.products++;
            this.#add(out, parseProduct(raw, serviceCode));
          }
          token = page.NextToken || undefined;
        } while (token && ++pages < MAX_PAGES);
      }
    }
    return out;
  }

  #add(
    out: PriceListRead,
    parsed:
      | { facts: PriceListFact[] }
      | { skipped: ProductSkip; name?: string },
  ) {
    if ('facts' in parsed) {
      out.facts.push(...parsed.facts);
    } else if (parsed.skipped === 'unmapped') {
      const name = parsed.name ?? '';
      out.unmapped.set(name, (out.unmapped.get(name) ?? 0) + 1);
    } else if (parsed.skipped === 'malformed') {
      out.malformed++;
    } else {
      out.skipped++;
    }
  }
}
