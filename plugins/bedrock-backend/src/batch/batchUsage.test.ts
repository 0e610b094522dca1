import { testTenant } from '../__testUtils__/tenants';
import { manifestLocation } from './BatchJobReader';
import { tenantOfJob } from './batchUsage';

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
