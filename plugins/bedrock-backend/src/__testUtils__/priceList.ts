/**
 * Price List product documents as GetProducts returns them (each element of `PriceList` is one,
 * as a JSON string), for the price list tests.
 */
export interface TestTerm {
  effectiveDate: string;
  unit: string;
  usd: string;
  description?: string;
}

let skus = 0;

/** One product document with an OnDemand term per `terms` entry. */
export function priceListProduct(o: {
  serviceCode?: string;
  attributes: Record<string, string>;
  terms: TestTerm[];
}): string {
  const serviceCode = o.serviceCode ?? 'AmazonBedrock';
  const sku = `TESTSKU${String(++skus).padStart(9, '0')}`;
  const onDemand: Record<string, Record<string, unknown>> = {};
  o.terms.forEach((t, i) => {
    const code = `TERM${i}CODE`;
    const rate = `${sku}.${code}.6YS6EN2CT7`;
    onDemand[`${sku}.${code}`] = {
      sku,
      offerTermCode: code,
      effectiveDate: t.effectiveDate,
      termAttributes: {},
      priceDimensions: {
        [rate]: {
          rateCode: rate,
          unit: t.unit,
          description: t.description ?? '',
          beginRange: '0',
          endRange: 'Inf',
          appliesTo: [],
          pricePerUnit: { USD: t.usd },
        },
      },
    };
  });
  return JSON.stringify({
    product: {
      productFamily: 'Amazon Bedrock',
      attributes: { servicecode: serviceCode, ...o.attributes },
      sku,
    },
    serviceCode,
    terms: { OnDemand: onDemand },
    version: '20261201101522',
    publicationDate: '2026-12-01T10:15:22Z',
  });
}

/** An AmazonBedrock (natively sold model) product. */
export const nativeProduct = (
  attributes: Record<string, string>,
  ...terms: TestTerm[]
) => priceListProduct({ serviceCode: 'AmazonBedrock', attributes, terms });

/** An AmazonBedrockFoundationModels (Marketplace-sold model) product. */
export const marketplaceProduct = (
  servicename: string,
  usagetype: string,
  region: string,
  ...terms: TestTerm[]
) =>
  priceListProduct({
    serviceCode: 'AmazonBedrockFoundationModels',
    attributes: {
      servicename: `${servicename} (Amazon Bedrock Edition)`,
      usagetype,
      regionCode: region,
    },
    terms,
  });
