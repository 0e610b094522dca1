import { testTenant } from '../__testUtils__/tenants';
import { type BatchManifest, manifestLocation } from './BatchJobReader';
import { addBatchRow, batchRow, tenantOfJob } from './batchUsage';
import type { HourlyUsageRow } from '../database/types';

const ACCOUNT = '111111111111';
const job = (roleArn: string) => ({
  jobArn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:model-invocation-job/abc123`,
  modelId: 'amazon.nova-pro-v1:0',
  roleArn,
  status: 'Completed',
  endTime: 0,
  outputUri: 's3://bucket/out',
});

describe('whose a batch job is', () => {
  const alpha = testTenant({ tenantId: 'alpha' });
  const labels = testTenant({
    tenantId: 'labels',
    attribution: 'identity',
    principalArns: [`arn:aws:iam::${ACCOUNT}:role/team/workers`],
  });
  const twin = testTenant({
    tenantId: 'twin',
    attribution: 'identity',
    principalArns: [`arn:aws:iam::${ACCOUNT}:role/workers`],
  });
  const noTags = jest.fn(async () => ({}));
  const tagged = (tenant: string) => async () => ({
    'bedrock-tenancy:tenant': tenant,
  });

  it('is the tenant whose role ran it (its path aside), without reading tags', async () => {
    expect(
      await tenantOfJob(
        job(`arn:aws:iam::${ACCOUNT}:role/bedrock-tenant-alpha`),
        [alpha, labels],
        noTags,
      ),
    ).toBe(alpha);
    expect(
      await tenantOfJob(
        job(`arn:aws:iam::${ACCOUNT}:role/other/path/workers`),
        [alpha, labels],
        noTags,
      ),
    ).toBe(labels);
    expect(noTags).not.toHaveBeenCalled();
  });

  it("is nobody's when two tenants' roles claim it, or a tag names a tenant not bound here; a role of another account is not the tenant's", async () => {
    expect(
      await tenantOfJob(
        job(`arn:aws:iam::${ACCOUNT}:role/workers`),
        [labels, twin],
        tagged('labels'),
      ),
    ).toBeUndefined();
    expect(
      await tenantOfJob(
        job(`arn:aws:iam::${ACCOUNT}:role/x`),
        [alpha],
        tagged('gamma'),
      ),
    ).toBeUndefined();
    expect(
      await tenantOfJob(
        job('arn:aws:iam::999999999999:role/bedrock-tenant-alpha'),
        [alpha],
        noTags,
      ),
    ).toBeUndefined();
  });

  it('is the tenant its tag names when no role decides', async () => {
    expect(
      await tenantOfJob(
        job(`arn:aws:iam::${ACCOUNT}:role/x`),
        [alpha, labels],
        tagged('labels'),
      ),
    ).toBe(labels);
  });

  it('reads role ARNs of every partition', async () => {
    for (const partition of ['aws-cn', 'aws-us-gov'])
      expect(
        await tenantOfJob(
          job(`arn:${partition}:iam::${ACCOUNT}:role/bedrock-tenant-alpha`),
          [alpha, labels],
          noTags,
        ),
      ).toBe(alpha);
  });

  it('takes no role from what is not a whole role ARN: the tag decides', async () => {
    for (const roleArn of [
      `x-arn:aws:iam::${ACCOUNT}:role/bedrock-tenant-alpha`,
      `arn:aws:iam::${ACCOUNT}:role/bedrock-tenant-alpha/`,
    ])
      expect(
        await tenantOfJob(job(roleArn), [alpha, labels], tagged('labels')),
      ).toBe(labels);
  });
});

describe('manifestLocation', () => {
  it('is <output>/<job id>/manifest.json.out, with or without a prefix or trailing slash', () => {
    const arn = `arn:aws:bedrock:us-east-1:${ACCOUNT}:model-invocation-job/abc123`;
    expect(manifestLocation({ jobArn: arn, outputUri: 's3://b/out/' })).toEqual(
      {
        Bucket: 'b',
        Key: 'out/abc123/manifest.json.out',
      },
    );
    expect(manifestLocation({ jobArn: arn, outputUri: 's3://b/out' })).toEqual({
      Bucket: 'b',
      Key: 'out/abc123/manifest.json.out',
    });
    expect(manifestLocation({ jobArn: arn, outputUri: 's3://b' })).toEqual({
      Bucket: 'b',
      Key: 'abc123/manifest.json.out',
    });
    expect(
      manifestLocation({ jobArn: arn, outputUri: 'https://x' }),
    ).toBeUndefined();
  });
});

describe('a batch job as usage', () => {
  const alpha = testTenant({
    tenantId: 'alpha',
    inferenceProfiles: { prof1: 'us.amazon.nova-pro-v1:0' },
  });
  const manifest = {
    totalRecordCount: 100,
    processedRecordCount: 100,
    successRecordCount: 90,
    errorRecordCount: 10,
    inputTokenCount: 1_000_000,
    outputTokenCount: 200_000,
  };
  const ended = (minute: number, modelId = 'amazon.nova-pro-v1:0') => ({
    ...job(`arn:aws:iam::${ACCOUNT}:role/bedrock-tenant-alpha`),
    modelId,
    endTime: Date.parse('2026-11-20T10:00:00Z') + minute * 60_000,
  });
  const row = (minute: number, m: BatchManifest = manifest, modelId?: string) =>
    batchRow({
      job: ended(minute, modelId),
      tenant: alpha,
      manifest: m,
      accountId: ACCOUNT,
      region: 'us-east-1',
    });

  it("is the tenant's +batch row at the hour the job ended: records, errors and tokens of its manifest", () => {
    expect(row(59)).toMatchObject({
      tenantId: 'alpha',
      accountId: ACCOUNT,
      region: 'us-east-1',
      modelId: 'amazon.nova-pro-v1:0+batch',
      hour: '2026-11-20T10:00:00.000Z',
      invocations: 90,
      clientErrors: 10,
      inputTokens: 1_000_000,
      outputTokens: 200_000,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
    // a job on the tenant's profile (by ARN) is its model's batch usage
    expect(
      row(
        0,
        manifest,
        `arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/prof1`,
      ).modelId,
    ).toBe('amazon.nova-pro-v1:0+batch');
    // without a success count, the processed records
    const { successRecordCount: _s, ...processedOnly } = manifest;
    expect(
      row(0, { ...processedOnly, processedRecordCount: 70 }).invocations,
    ).toBe(70);
    expect(
      row(0, {
        inputTokenCount: 5,
        outputTokenCount: 6,
      }),
    ).toMatchObject({ invocations: 0, clientErrors: 0 });
  });

  it('adds the jobs that end in one hour on one model, and keeps other hours and models apart', () => {
    const rows = new Map<string, HourlyUsageRow>();
    addBatchRow(rows, row(5));
    addBatchRow(rows, row(50));
    addBatchRow(rows, row(65));
    addBatchRow(
      rows,
      row(6, manifest, 'anthropic.claude-3-haiku-20240307-v1:0'),
    );
    expect(
      [...rows.values()].map(r => [
        r.modelId,
        r.hour.slice(11, 13),
        r.invocations,
        r.clientErrors,
        r.inputTokens,
        r.outputTokens,
      ]),
    ).toEqual([
      ['amazon.nova-pro-v1:0+batch', '10', 180, 20, 2_000_000, 400_000],
      ['amazon.nova-pro-v1:0+batch', '11', 90, 10, 1_000_000, 200_000],
      [
        'anthropic.claude-3-haiku-20240307-v1:0+batch',
        '10',
        90,
        10,
        1_000_000,
        200_000,
      ],
    ]);
  });
});
