/*
 * TEST-ONLY stand-in for the Amazon Bedrock batch inference REST API, which moto 5.2.1 lacks.
 * Part of the stand-in server of bedrockProfilesStandIn.ts: CreateModelInvocationJob,
 * GetModelInvocationJob, ListModelInvocationJobs (submitTimeAfter/Before, statusEquals,
 * maxResults, nextToken) and ListTagsForResource for job ARNs. A job stays `Submitted` until a
 * test finishes it (`finishBatchJob`), which also writes the `manifest.json.out` Bedrock leaves
 * in the job's output folder (through moto's S3), so readers get what AWS gives them.
 */
import { randomUUID } from 'node:crypto';
import type { StandInReply } from './bedrockGuardrailsStandIn';

type Tag = { key: string; value: string };

export type BatchJobStatus =
  | 'Submitted'
  | 'InProgress'
  | 'Completed'
  | 'PartiallyCompleted'
  | 'Failed'
  | 'Stopped'
  | 'Expired';

export interface StoredBatchJob {
  jobArn: string;
  jobName: string;
  modelId: string;
  roleArn: string;
  status: BatchJobStatus;
  submitTime: Date;
  lastModifiedTime: Date;
  endTime?: Date;
  inputDataConfig: unknown;
  /** `{ s3OutputDataConfig: { s3Uri } }` */
  outputDataConfig: { s3OutputDataConfig?: { s3Uri?: string } };
  clientRequestToken?: string;
  tags: Tag[];
  accountId: string;
  region: string;
  totalRecordCount?: number;
  processedRecordCount?: number;
  successRecordCount?: number;
  errorRecordCount?: number;
}

/** What Bedrock writes to `<output s3Uri>/<job id>/manifest.json.out` when a job ends. */
export interface BatchManifest {
  totalRecordCount: number;
  processedRecordCount: number;
  successRecordCount: number;
  errorRecordCount: number;
  inputTokenCount: number;
  outputTokenCount: number;
}

const PAGE = 100;

const summary = (j: StoredBatchJob) => ({
  jobArn: j.jobArn,
  jobName: j.jobName,
  modelId: j.modelId,
  roleArn: j.roleArn,
  status: j.status,
  submitTime: j.submitTime.toISOString(),
  lastModifiedTime: j.lastModifiedTime.toISOString(),
  ...(j.endTime ? { endTime: j.endTime.toISOString() } : {}),
  inputDataConfig: j.inputDataConfig,
  outputDataConfig: j.outputDataConfig,
  ...(j.clientRequestToken ? { clientRequestToken: j.clientRequestToken } : {}),
  ...(j.totalRecordCount !== undefined
    ? {
        totalRecordCount: j.totalRecordCount,
        processedRecordCount: j.processedRecordCount,
        successRecordCount: j.successRecordCount,
        errorRecordCount: j.errorRecordCount,
      }
    : {}),
});

/** The job id AWS puts last in a job ARN (and names the output folder after). */
export const batchJobId = (jobArn: string) => jobArn.split('/').pop()!;

export function batchRoutes(jobs: Map<string, StoredBatchJob>) {
  const find = (idOrArn: string, accountId: string, region: string) => {
    const j = jobs.get(batchJobId(idOrArn));
    return j && j.accountId === accountId && j.region === region
      ? j
      : undefined;
  };
  const notFound = (what: string): StandInReply => ({
    status: 404,
    body: { message: `${what} not found` },
    errorType: 'ResourceNotFoundException',
  });

  return (request: {
    method: string;
    path: string;
    query: URLSearchParams;
    body: any;
    accountId: string;
    region: string;
  }): StandInReply | undefined => {
    const { method, path, query, body, accountId, region } = request;
    if (path === '/model-invocation-job' && method === 'POST') {
      for (const field of [
        'jobName',
        'roleArn',
        'modelId',
        'inputDataConfig',
        'outputDataConfig',
      ]) {
        if (!body[field])
          return {
            status: 400,
            body: { message: `${field} is required` },
            errorType: 'ValidationException',
          };
      }
      const id = randomUUID().replace(/-/g, '').slice(0, 12);
      const now = new Date();
      const job: StoredBatchJob = {
        jobArn: `arn:aws:bedrock:${region}:${accountId}:model-invocation-job/${id}`,
        jobName: body.jobName,
        modelId: body.modelId,
        roleArn: body.roleArn,
        status: 'Submitted',
        submitTime: now,
        lastModifiedTime: now,
        inputDataConfig: body.inputDataConfig,
        outputDataConfig: body.outputDataConfig,
        clientRequestToken: body.clientRequestToken,
        tags: body.tags ?? [],
        accountId,
        region,
      };
      jobs.set(id, job);
      return { status: 200, body: { jobArn: job.jobArn } };
    }
    if (path === '/model-invocation-jobs' && method === 'GET') {
      const after = query.get('submitTimeAfter');
      const before = query.get('submitTimeBefore');
      const status = query.get('statusEquals');
      const max = Math.min(
        Number(query.get('maxResults') ?? PAGE) || PAGE,
        PAGE,
      );
      const all = [...jobs.values()]
        .filter(
          j =>
            j.accountId === accountId &&
            j.region === region &&
            (!after || j.submitTime.getTime() > Date.parse(after)) &&
            (!before || j.submitTime.getTime() < Date.parse(before)) &&
            (!status || j.status === status),
        )
        .sort((a, b) => b.submitTime.getTime() - a.submitTime.getTime());
      const start = Number(query.get('nextToken') ?? 0) || 0;
      const page = all.slice(start, start + max);
      return {
        status: 200,
        body: {
          invocationJobSummaries: page.map(summary),
          ...(start + max < all.length
            ? { nextToken: String(start + max) }
            : {}),
        },
      };
    }
    const one = /^\/model-invocation-job\/([^/]+)$/.exec(path);
    if (one && method === 'GET') {
      const j = find(decodeURIComponent(one[1]), accountId, region);
      return j ? { status: 200, body: summary(j) } : notFound('job');
    }
    if (
      path === '/listTagsForResource' &&
      method === 'POST' &&
      /:model-invocation-job\//.test(String(body.resourceARN))
    ) {
      const j = find(body.resourceARN, accountId, region);
      return j ? { status: 200, body: { tags: j.tags } } : notFound('job');
    }
    return undefined;
  };
}

/**
 * Ends a job as Bedrock does: its status and end time, the record counts on the job, and the
 * manifest written to its output folder with `putObject` (the caller's S3 client on moto).
 */
export async function finishBatchJob(
  job: StoredBatchJob,
  o: {
    status?: BatchJobStatus;
    endTime: Date;
    manifest: BatchManifest;
    putObject: (bucket: string, key: string, body: string) => Promise<void>;
  },
): Promise<void> {
  job.status = o.status ?? 'Completed';
  job.endTime = o.endTime;
  job.lastModifiedTime = o.endTime;
  job.totalRecordCount = o.manifest.totalRecordCount;
  job.processedRecordCount = o.manifest.processedRecordCount;
  job.successRecordCount = o.manifest.successRecordCount;
  job.errorRecordCount = o.manifest.errorRecordCount;
  const uri = job.outputDataConfig.s3OutputDataConfig?.s3Uri ?? '';
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`job ${job.jobArn} has no S3 output: ${uri}`);
  const prefix = m[2] && !m[2].endsWith('/') ? `${m[2]}/` : m[2];
  await o.putObject(
    m[1],
    `${prefix}${batchJobId(job.jobArn)}/manifest.json.out`,
    JSON.stringify(o.manifest),
  );
}
