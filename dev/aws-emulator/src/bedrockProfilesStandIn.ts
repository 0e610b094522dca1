/*
 * TEST-ONLY stand-in for the Amazon Bedrock inference-profile REST API, which moto 5.2.1 lacks.
 * It answers CreateInferenceProfile, GetInferenceProfile, ListInferenceProfiles,
 * DeleteInferenceProfile and ListTagsForResource (for the profiles it holds), the guardrail API
 * (bedrockGuardrailsStandIn.ts), batch inference jobs (bedrockBatchStandIn.ts), the CloudWatch Logs Insights queries moto does not evaluate
 * (logsInsightsStandIn.ts, so one endpoint serves the identity-attributed collection too), the
 * AWS Budgets UpdateBudget and DescribeSubscribersForNotification calls moto lacks
 * (budgetsStandIn.ts: done with moto's own budgets), the AWS Price List Query API from fixture
 * documents (pricingStandIn.ts) and forwards every other request (for
 * example the invocation logging configuration) to moto unchanged.
 * It is not an emulator of Bedrock: just enough for the provisioning tests and for running the
 * tenant template in the local demo portal (`yarn emulator start` puts it in front of moto).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { batchRoutes, StoredBatchJob } from './bedrockBatchStandIn';
import { guardrailRoutes, StoredGuardrail } from './bedrockGuardrailsStandIn';
import { budgetsRoutes } from './budgetsStandIn';
import { pricingRoutes } from './pricingStandIn';
import { forwardRequest } from './forward';
import { startLogsInsightsStandIn } from './logsInsightsStandIn';

export interface StoredProfile {
  inferenceProfileName: string;
  inferenceProfileId: string;
  inferenceProfileArn: string;
  description?: string;
  copyFrom: string;
  clientRequestToken?: string;
  tags: Array<{ key: string; value: string }>;
  region: string;
  accountId: string;
}

export interface BedrockStandIn {
  endpoint: string;
  profiles: Map<string, StoredProfile>;
  guardrails: Map<string, StoredGuardrail>;
  /** batch inference jobs by job id (finish one with finishBatchJob) */
  batchJobs: Map<string, StoredBatchJob>;
  reset(): void;
  stop(): Promise<void>;
}

const regionOf = (req: http.IncomingMessage) =>
  /Credential=[^/]+\/\d+\/([^/]+)\//.exec(
    String(req.headers.authorization ?? ''),
  )?.[1] ?? 'us-east-1';

const accessKeyOf = (req: http.IncomingMessage) =>
  /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];

/**
 * The id the stand-in gives a profile: derived from account, region and name, so that the demo
 * data set (which reports traffic under these ids) is the same on every run.
 */
export function standInProfileId(
  accountId: string,
  region: string,
  name: string,
): string {
  const hex = createHash('sha256')
    .update(`${accountId}:${region}:${name}`)
    .digest();
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(hex.subarray(0, 12), b => chars[b % chars.length]).join('');
}

export async function startBedrockStandIn(options: {
  motoEndpoint: string;
  /** the account of callers moto does not know (moto's default account) */
  accountId: string;
  /** default: a free port */
  port?: number;
}): Promise<BedrockStandIn> {
  const profiles = new Map<string, StoredProfile>();
  const guardrails = new Map<string, StoredGuardrail>();
  const guardrailReply = guardrailRoutes(guardrails);
  const batchJobs = new Map<string, StoredBatchJob>();
  const batchReply = batchRoutes(batchJobs);
  const budgets = budgetsRoutes({ motoEndpoint: options.motoEndpoint });
  const pricing = pricingRoutes();
  const moto = new URL(options.motoEndpoint);
  const insights = await startLogsInsightsStandIn({
    upstream: options.motoEndpoint,
  });
  const insightsUrl = new URL(insights.endpoint);
  const INSIGHTS_TARGET =
    /^Logs_20140328\.(StartQuery|GetQueryResults|StopQuery)$/;
  // temporary credentials from moto's STS belong to the assumed role's account, as in AWS
  const accountOfKey = new Map<string, string>();
  const accountOf = async (req: http.IncomingMessage) => {
    const key = accessKeyOf(req);
    if (!key?.startsWith('ASIA')) return options.accountId;
    if (!accountOfKey.has(key)) {
      const res = await fetch(`${options.motoEndpoint}/moto-api/data.json`);
      const data = (await res.json()) as {
        iam?: {
          AccessKey?: Array<{ access_key_id: string; role_arn?: string }>;
        };
      };
      for (const k of data.iam?.AccessKey ?? []) {
        const account = /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(
          k.role_arn ?? '',
        )?.[1];
        if (account) accountOfKey.set(k.access_key_id, account);
      }
    }
    return accountOfKey.get(key) ?? options.accountId;
  };

  const send = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    errorType?: string,
  ) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    });
    res.end(JSON.stringify(body));
  };
  const summary = (p: StoredProfile) => ({
    inferenceProfileName: p.inferenceProfileName,
    inferenceProfileId: p.inferenceProfileId,
    inferenceProfileArn: p.inferenceProfileArn,
    description: p.description,
    models: [{ modelArn: p.copyFrom }],
    type: 'APPLICATION',
    status: 'ACTIVE',
  });
  const find = (idOrArn: string, accountId: string) =>
    [...profiles.values()].find(
      p =>
        p.accountId === accountId &&
        (p.inferenceProfileId === idOrArn || p.inferenceProfileArn === idOrArn),
    );

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () =>
      handle(req, res, Buffer.concat(chunks)).catch(e =>
        send(res, 500, { message: String(e) }, 'InternalServerException'),
      ),
    );
  });

  async function handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    raw: Buffer,
  ) {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const body = raw.length
      ? (() => {
          try {
            return JSON.parse(raw.toString());
          } catch {
            return {};
          }
        })()
      : {};
    const region = regionOf(req);
    const accountId = await accountOf(req);

    // the guardrail and batch job APIs: each answers its own paths
    const request = {
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      body,
      accountId,
      region,
    };
    const reply = guardrailReply(request) ?? batchReply(request);
    if (reply) {
      send(res, reply.status, reply.body, reply.errorType);
      return;
    }
    if (path === '/inference-profiles' && req.method === 'POST') {
      const name = body.inferenceProfileName as string;
      const same = [...profiles.values()].find(
        p =>
          p.accountId === accountId &&
          p.region === region &&
          p.inferenceProfileName === name,
      );
      if (same) {
        if (
          body.clientRequestToken &&
          same.clientRequestToken === body.clientRequestToken
        ) {
          send(res, 201, {
            inferenceProfileArn: same.inferenceProfileArn,
            status: 'ACTIVE',
          });
          return;
        }
        send(
          res,
          409,
          { message: `Inference profile ${name} already exists` },
          'ConflictException',
        );
        return;
      }
      const id = standInProfileId(accountId, region, name);
      const p: StoredProfile = {
        inferenceProfileName: name,
        inferenceProfileId: id,
        inferenceProfileArn: `arn:aws:bedrock:${region}:${accountId}:application-inference-profile/${id}`,
        description: body.description,
        copyFrom: body.modelSource?.copyFrom,
        clientRequestToken: body.clientRequestToken,
        tags: body.tags ?? [],
        region,
        accountId,
      };
      profiles.set(id, p);
      send(res, 201, {
        inferenceProfileArn: p.inferenceProfileArn,
        status: 'ACTIVE',
      });
      return;
    }
    if (path === '/inference-profiles' && req.method === 'GET') {
      const type =
        url.searchParams.get('type') ?? url.searchParams.get('typeEquals');
      const list =
        type === 'APPLICATION'
          ? [...profiles.values()].filter(
              p => p.region === region && p.accountId === accountId,
            )
          : [];
      send(res, 200, { inferenceProfileSummaries: list.map(summary) });
      return;
    }
    const one = /^\/inference-profiles\/(.+)$/.exec(path);
    if (one) {
      const p = find(decodeURIComponent(one[1]), accountId);
      if (!p) {
        send(res, 404, { message: 'not found' }, 'ResourceNotFoundException');
        return;
      }
      if (req.method === 'DELETE') {
        profiles.delete(p.inferenceProfileId);
        send(res, 200, {});
        return;
      }
      send(res, 200, summary(p));
      return;
    }
    if (path === '/listTagsForResource' && req.method === 'POST') {
      const p = find(body.resourceARN, accountId);
      if (p) {
        send(res, 200, { tags: p.tags });
        return;
      }
    }
    // resetting the emulator forgets the profiles and guardrails too
    if (path === '/moto-api/reset' && req.method === 'POST') {
      profiles.clear();
      guardrails.clear();
      batchJobs.clear();
      budgets.reset();
    }
    // the AWS Price List Query API, from the fixture price lists (moto has none)
    const price = pricing.reply({ req, body });
    if (price) {
      send(res, price.status, price.body, price.errorType);
      return;
    }
    // AWS Budgets: UpdateBudget (and what it needs) done with moto's budgets
    const budget = await budgets.reply({ req, body, callerAccount: accountId });
    if (budget) {
      send(res, budget.status, budget.body, budget.errorType);
      return;
    }
    // Logs Insights queries: the stand-in that evaluates them; everything else: moto
    const upstream = INSIGHTS_TARGET.test(String(req.headers['x-amz-target']))
      ? insightsUrl
      : moto;
    forwardRequest(req, res, raw, upstream);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    profiles,
    guardrails,
    batchJobs,
    reset: () => {
      profiles.clear();
      guardrails.clear();
      batchJobs.clear();
      budgets.reset();
    },
    stop: async () => {
      await new Promise<void>(resolve => server.close(() => resolve()));
      await insights.stop();
    },
  };
}
