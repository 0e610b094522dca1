import {
  ListModelInvocationJobsCommand,
  ListTagsForResourceCommand,
  ModelInvocationJobSummary,
} from '@aws-sdk/client-bedrock';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { z } from 'zod';

/** Jobs that no longer run: whatever they processed is billed, and their manifest is written. */
const ENDED = new Set([
  'Completed',
  'PartiallyCompleted',
  'Failed',
  'Stopped',
  'Expired',
]);
/** A job runs at most this long (timeoutDurationInHours up to 168): list from this far back. */
const LONGEST_JOB_MS = 7 * 86_400_000;

/** What Bedrock writes to `<output s3Uri>/<job id>/manifest.json.out` when a job ends. */
const manifestSchema = z.object({
  totalRecordCount: z.number().nonnegative().optional(),
  processedRecordCount: z.number().nonnegative().optional(),
  successRecordCount: z.number().nonnegative().optional(),
  errorRecordCount: z.number().nonnegative().optional(),
  inputTokenCount: z.number().nonnegative(),
  outputTokenCount: z.number().nonnegative(),
});
export type BatchManifest = z.infer<typeof manifestSchema>;

/** A batch inference job that ended in the window, as listed. */
export interface EndedBatchJob {
  jobArn: string;
  /** the model or inference profile the job ran on */
  modelId: string;
  /** the service role Bedrock ran the job with */
  roleArn: string;
  status: string;
  endTime: number;
  /** `s3://bucket/prefix/` of its output */
  outputUri: string;
}

/**
 * The AWS reads of batch inference: the jobs of an account-region that ended in a window
 * (ListModelInvocationJobs, free), a job's tags, and its manifest (one S3 GetObject). Manifests
 * of ended jobs never change, so each is read once per process.
 */
export class BatchJobReader {
  readonly #clients: AwsClientFactory;
  /** job ARN -> manifest (null: the job left none) */
  readonly #manifests = new Map<string, BatchManifest | null>();

  constructor(clients: AwsClientFactory) {
    this.#clients = clients;
  }

  async endedJobs(
    accountId: string,
    region: string,
    window: { from: number; to: number },
  ): Promise<EndedBatchJob[]> {
    const { bedrock } = await this.#clients.forTarget(accountId, region);
    const out: EndedBatchJob[] = [];
    let nextToken: string | undefined;
    do {
      const page = await bedrock.send(
        new ListModelInvocationJobsCommand({
          submitTimeAfter: new Date(window.from - LONGEST_JOB_MS),
          maxResults: 100,
          nextToken,
        }),
      );
      for (const j of page.invocationJobSummaries ?? []) {
        const job = endedJob(j);
        if (job && job.endTime >= window.from && job.endTime < window.to)
          out.push(job);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  }

  async tags(
    accountId: string,
    region: string,
    jobArn: string,
  ): Promise<Record<string, string>> {
    const { bedrock } = await this.#clients.forTarget(accountId, region);
    const res = await bedrock.send(
      new ListTagsForResourceCommand({ resourceARN: jobArn }),
    );
    return Object.fromEntries(
      (res.tags ?? []).map(t => [t.key ?? '', t.value ?? '']),
    );
  }

  /** The job's manifest; null when it left none (a job that failed before it processed). */
  async manifest(
    accountId: string,
    region: string,
    job: EndedBatchJob,
  ): Promise<BatchManifest | null> {
    if (this.#manifests.has(job.jobArn))
      return this.#manifests.get(job.jobArn)!;
    const location = manifestLocation(job);
    let manifest: BatchManifest | null = null;
    if (location) {
      const { s3 } = await this.#clients.forTarget(accountId, region);
      try {
        const res = await s3.send(new GetObjectCommand(location));
        const text = (await res.Body?.transformToString()) ?? '';
        manifest = manifestSchema.parse(JSON.parse(text));
      } catch (e) {
        if ((e as Error).name !== 'NoSuchKey') throw e;
      }
    }
    this.#manifests.set(job.jobArn, manifest);
    return manifest;
  }
}

function endedJob(j: ModelInvocationJobSummary): EndedBatchJob | undefined {
  if (!j.jobArn || !j.modelId || !j.status || !ENDED.has(j.status))
    return undefined;
  const end = j.endTime ?? j.lastModifiedTime;
  const uri = j.outputDataConfig?.s3OutputDataConfig?.s3Uri;
  if (!end || !uri) return undefined;
  return {
    jobArn: j.jobArn,
    modelId: j.modelId,
    roleArn: j.roleArn ?? '',
    status: j.status,
    endTime: new Date(end).getTime(),
    outputUri: uri,
  };
}

/** `s3://bucket/prefix` + `/<job id>/manifest.json.out`: where Bedrock leaves the summary. */
export function manifestLocation(
  job: Pick<EndedBatchJob, 'jobArn' | 'outputUri'>,
): { Bucket: string; Key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(job.outputUri);
  const jobId = job.jobArn.split('/').pop();
  if (!m || !jobId) return undefined;
  const prefix = m[2] && !m[2].endsWith('/') ? `${m[2]}/` : m[2];
  return { Bucket: m[1], Key: `${prefix}${jobId}/manifest.json.out` };
}
