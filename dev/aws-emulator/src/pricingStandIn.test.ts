import type http from 'node:http';
import { pricingFixtures, pricingRoutes } from './pricingStandIn';

const call = (operation: string, body: Record<string, unknown>) =>
  pricingRoutes().reply({
    req: {
      headers: { 'x-amz-target': `AWSPriceListService.${operation}` },
    } as unknown as http.IncomingMessage,
    body,
  })!;

const products = (reply: { body: unknown }) =>
  ((reply.body as { PriceList: string[] }).PriceList ?? []).map(p =>
    JSON.parse(p),
  );

describe('the Price List stand-in', () => {
  it('pages GetProducts with a NextToken that only its own query accepts', () => {
    const query = {
      ServiceCode: 'AmazonBedrock',
      Filters: [
        { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-east-1' },
      ],
      MaxResults: 5,
    };
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const reply = call('GetProducts', { ...query, NextToken: token });
      expect(reply.status).toBe(200);
      seen.push(...products(reply).map(p => p.product.sku));
      token = (reply.body as { NextToken?: string }).NextToken;
      pages++;
    } while (token);
    const all = pricingFixtures('AmazonBedrock').filter(
      p => p.product.attributes.regionCode === 'us-east-1',
    );
    expect(seen).toEqual(all.map(p => p.product.sku));
    expect(pages).toBe(Math.ceil(all.length / 5));

    const first = call('GetProducts', query);
    const other = call('GetProducts', {
      ...query,
      Filters: [],
      NextToken: (first.body as { NextToken: string }).NextToken,
    });
    expect(other).toMatchObject({
      status: 400,
      errorType: 'InvalidNextTokenException',
    });
  });

  it('filters on any attribute, the service code apart', () => {
    const flex = products(
      call('GetProducts', {
        ServiceCode: 'AmazonBedrock',
        Filters: [
          { Type: 'TERM_MATCH', Field: 'model', Value: 'Nova Pro' },
          { Type: 'CONTAINS', Field: 'usagetype', Value: '-flex' },
        ],
      }),
    );
    expect(flex.map(p => p.product.attributes.inferenceType)).toEqual([
      'Input tokens flex',
      'Output tokens flex',
    ]);
    expect(
      products(
        call('GetProducts', {
          ServiceCode: 'AmazonBedrockFoundationModels',
          Filters: [
            { Type: 'ANY_OF', Field: 'regionCode', Value: 'us-west-2' },
          ],
        }),
      ).every(p => p.product.attributes.regionCode === 'us-west-2'),
    ).toBe(true);
    expect(products(call('GetProducts', { ServiceCode: 'AmazonEC2' }))).toEqual(
      [],
    );
    expect(call('GetProducts', {})).toMatchObject({
      status: 400,
      errorType: 'InvalidParameterException',
    });
    expect(
      call('GetProducts', { ServiceCode: 'AmazonBedrock', MaxResults: 101 }),
    ).toMatchObject({
      status: 400,
    });
  });

  it('leaves other services to the next stand-in', () => {
    expect(
      pricingRoutes().reply({
        req: {
          headers: { 'x-amz-target': 'AWSBudgetServiceGateway.UpdateBudget' },
        } as unknown as http.IncomingMessage,
        body: {},
      }),
    ).toBeUndefined();
  });
});
