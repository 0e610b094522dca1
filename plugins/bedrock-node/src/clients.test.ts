import { ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsClientFactory, type AwsCallInfo } from './clients';
import { isAwsError, orUndefined } from './errors';

const credentials = async () => async () => ({
  accessKeyId: 'AKIATEST',
  secretAccessKey: 'x',
});

describe('AwsClientFactory', () => {
  let server: Server;
  let endpoint: string;
  let requests = 0;

  beforeAll(async () => {
    // answers nothing: every request hangs until the client gives up
    server = createServer(() => {
      requests++;
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(r => server.close(r));
  });

  it('builds the clients of an account + region once, Budgets and Cost Explorer in us-east-1', async () => {
    const factory = AwsClientFactory.create({ credentials });
    const a = await factory.forTarget('123456789012', 'eu-west-1');
    expect(await factory.forTarget('123456789012', 'eu-west-1')).toBe(a);
    expect(await a.cloudwatch.config.region()).toBe('eu-west-1');
    expect(await a.budgets.config.region()).toBe('us-east-1');
    expect(await a.costExplorer.config.region()).toBe('us-east-1');
    expect(await a.cloudwatchProbe.config.maxAttempts()).toBe(1);
    expect(await a.cloudwatch.config.maxAttempts()).toBe(3);
  });

  it('fails a hung call after the request timeout, retried up to maxAttempts, and counts it once', async () => {
    const seen: AwsCallInfo[] = [];
    const factory = AwsClientFactory.create({
      credentials,
      endpoint,
      maxAttempts: 2,
      requestTimeoutMs: 300,
      onCall: c => {
        seen.push(c);
      },
    });
    const aws = await factory.forTarget('123456789012', 'us-east-1');
    requests = 0;
    const started = Date.now();
    await expect(
      aws.cloudwatch.send(new ListMetricsCommand({})),
    ).rejects.toThrow(/timed? ?out/i);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(requests).toBe(2);
    expect(factory.calls).toBe(1);
    expect(seen).toEqual([
      {
        accountId: '123456789012',
        region: 'us-east-1',
        service: 'cloudwatch',
        command: 'ListMetrics',
        mutating: false,
      },
    ]);
  });
});

describe('AWS errors', () => {
  const error = (name: string) => Object.assign(new Error('x'), { name });

  it('matches by exception name only', () => {
    expect(isAwsError(error('NoSuchEntity'), 'NoSuchEntity')).toBe(true);
    expect(isAwsError(error('AccessDenied'), 'NoSuchEntity')).toBe(false);
    expect(isAwsError({ Code: 'NoSuchEntity' }, 'NoSuchEntity')).toBe(false);
    expect(isAwsError(undefined, 'NoSuchEntity')).toBe(false);
  });

  it('turns a not-found read into undefined and rethrows anything else', async () => {
    await expect(
      orUndefined(() => Promise.reject(error('NotFound')), 'NotFound'),
    ).resolves.toBeUndefined();
    await expect(
      orUndefined(() => Promise.reject(error('Throttling')), 'NotFound'),
    ).rejects.toThrow('x');
  });
});
