/*
 * TEST-ONLY stand-in for the AWS Price List Query API (service `pricing`, JSON 1.1 protocol,
 * target `AWSPriceListService.<Operation>`), which moto lacks. Part of the stand-in server of
 * bedrockProfilesStandIn.ts. It answers GetProducts (and DescribeServices) from the fixture
 * documents under `fixtures/pricing/<ServiceCode>.json`, product documents in the format
 * GetProducts returns them (each element of `PriceList` is one of them as a JSON string):
 * `product.attributes`, `terms.OnDemand["<sku>.<offerTermCode>"]` with `effectiveDate` and
 * `priceDimensions["<rateCode>"].{unit, pricePerUnit.USD, description}` (see the fixtures' README).
 *
 * Filters: TERM_MATCH and EQUALS (exact, on `ServiceCode` or any product attribute), CONTAINS,
 * ANY_OF and NONE_OF (comma-separated values). Paging: `MaxResults` (default and most 100) and an
 * opaque `NextToken`, tied to the query it came from, as AWS's is.
 */
import type http from 'node:http';
import amazonBedrock from '../fixtures/pricing/AmazonBedrock.json';
import amazonBedrockFoundationModels from '../fixtures/pricing/AmazonBedrockFoundationModels.json';
import type { StandInReply } from './bedrockGuardrailsStandIn';

const TARGET_PREFIX = 'AWSPriceListService.';
const MAX_RESULTS = 100;

type Json = Record<string, any>;
interface Filter {
  Type?: string;
  Field?: string;
  Value?: string;
}

/** The fixture products, by service code (a new fixture file is added here). */
const FIXTURES: Record<string, Json[]> = {
  AmazonBedrock: amazonBedrock,
  AmazonBedrockFoundationModels: amazonBedrockFoundationModels,
};

/** The fixture products of a service code (none for a code without a fixture file). */
export function pricingFixtures(serviceCode: string): Json[] {
  return Object.hasOwn(FIXTURES, serviceCode) ? FIXTURES[serviceCode] : [];
}

/** The service codes that have fixtures. */
export function pricingServiceCodes(): string[] {
  return Object.keys(FIXTURES).sort();
}

function valueOf(product: Json, field: string): string | undefined {
  if (field.toLowerCase() === 'servicecode') return product.serviceCode;
  const attributes: Json = product.product?.attributes ?? {};
  const key = Object.keys(attributes).find(
    k => k.toLowerCase() === field.toLowerCase(),
  );
  const v = key === undefined ? undefined : attributes[key];
  return typeof v === 'string' ? v : undefined;
}

function matches(product: Json, f: Filter): boolean {
  const v = valueOf(product, f.Field ?? '');
  const want = f.Value ?? '';
  const list = want.split(',').map(x => x.trim());
  switch (f.Type ?? 'TERM_MATCH') {
    case 'TERM_MATCH':
    case 'EQUALS':
      return v === want;
    case 'CONTAINS':
      return v !== undefined && v.includes(want);
    case 'ANY_OF':
      return v !== undefined && list.includes(v);
    case 'NONE_OF':
      return v === undefined || !list.includes(v);
    default:
      return false;
  }
}

const error = (
  status: number,
  type: string,
  message: string,
): StandInReply => ({
  status,
  body: { __type: type, Message: message },
  errorType: type,
});

/** The query a NextToken belongs to: a token of another query is refused. */
const queryKey = (body: Json) =>
  JSON.stringify([body.ServiceCode, body.Filters ?? [], body.FormatVersion]);

function getProducts(body: Json): StandInReply {
  const serviceCode = body.ServiceCode;
  if (typeof serviceCode !== 'string' || !serviceCode)
    return error(400, 'InvalidParameterException', 'ServiceCode is required');
  const max = Number(body.MaxResults ?? MAX_RESULTS);
  if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS)
    return error(
      400,
      'InvalidParameterException',
      `MaxResults must be between 1 and ${MAX_RESULTS}`,
    );
  const filters = (body.Filters ?? []) as Filter[];
  const found = pricingFixtures(serviceCode).filter(p =>
    filters.every(f => matches(p, f)),
  );
  let offset = 0;
  if (body.NextToken) {
    try {
      const t = JSON.parse(
        Buffer.from(String(body.NextToken), 'base64').toString('utf8'),
      );
      if (t.q !== queryKey(body) || !Number.isInteger(t.o)) throw new Error();
      offset = t.o;
    } catch {
      return error(
        400,
        'InvalidNextTokenException',
        'The pagination token is invalid or belongs to another query',
      );
    }
  }
  const page = found.slice(offset, offset + max);
  const next = offset + max < found.length ? offset + max : undefined;
  return {
    status: 200,
    body: {
      FormatVersion: body.FormatVersion ?? 'aws_v1',
      PriceList: page.map(p => JSON.stringify(p)),
      ...(next === undefined
        ? {}
        : {
            NextToken: Buffer.from(
              JSON.stringify({ q: queryKey(body), o: next }),
            ).toString('base64'),
          }),
    },
  };
}

/**
 * The Price List part of the stand-in: answers a request it takes, or returns undefined for one
 * that is not a Price List call.
 */
export function pricingRoutes() {
  return {
    reply(request: {
      req: http.IncomingMessage;
      body: unknown;
    }): StandInReply | undefined {
      const target = String(request.req.headers['x-amz-target'] ?? '');
      if (!target.startsWith(TARGET_PREFIX)) return undefined;
      const body = (request.body ?? {}) as Json;
      switch (target.slice(TARGET_PREFIX.length)) {
        case 'GetProducts':
          return getProducts(body);
        case 'DescribeServices':
          return {
            status: 200,
            body: {
              FormatVersion: 'aws_v1',
              Services: pricingServiceCodes()
                .filter(c => !body.ServiceCode || c === body.ServiceCode)
                .map(ServiceCode => ({ ServiceCode, AttributeNames: [] })),
            },
          };
        default:
          return error(
            400,
            'UnknownOperationException',
            `The Price List stand-in does not answer ${target}`,
          );
      }
    },
  };
}
