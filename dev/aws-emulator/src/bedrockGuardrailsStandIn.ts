/*
 * TEST-ONLY stand-in for the Amazon Bedrock guardrail REST API, which moto 5.2.1 lacks. Part of
 * the stand-in server of bedrockProfilesStandIn.ts: CreateGuardrail, GetGuardrail,
 * UpdateGuardrail, CreateGuardrailVersion, ListGuardrails, DeleteGuardrail, and
 * TagResource / UntagResource / ListTagsForResource for guardrail ARNs. It keeps what it is sent
 * and checks only what AWS would refuse in a way our callers could trip over (required fields,
 * names, strengths, the prompt-attack output strength, unknown ids). It never evaluates content.
 */
import { createHash } from 'node:crypto';

type Tag = { key: string; value: string };

/** The policy part of a guardrail: what CreateGuardrail/UpdateGuardrail send. */
export interface GuardrailPolicies {
  description?: string;
  blockedInputMessaging: string;
  blockedOutputsMessaging: string;
  topicPolicyConfig?: { topicsConfig: any[] };
  contentPolicyConfig?: { filtersConfig: any[] };
  wordPolicyConfig?: unknown;
  sensitiveInformationPolicyConfig?: {
    piiEntitiesConfig?: any[];
    regexesConfig?: any[];
  };
  contextualGroundingPolicyConfig?: unknown;
}

export interface StoredGuardrail {
  guardrailId: string;
  guardrailArn: string;
  name: string;
  region: string;
  accountId: string;
  clientRequestToken?: string;
  tags: Tag[];
  createdAt: Date;
  updatedAt: Date;
  draft: GuardrailPolicies;
  /** published versions "1", "2", ...: each a snapshot of the draft when it was made */
  versions: Map<string, GuardrailPolicies & { createdAt: Date }>;
  versionTokens: Map<string, string>;
}

export interface StandInReply {
  status: number;
  body: unknown;
  errorType?: string;
}

/** The id the stand-in gives a guardrail: derived from account, region and name, like AWS's 12 characters. */
export function standInGuardrailId(
  accountId: string,
  region: string,
  name: string,
): string {
  const hex = createHash('sha256')
    .update(`guardrail:${accountId}:${region}:${name}`)
    .digest();
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(hex.subarray(0, 12), b => chars[b % chars.length]).join('');
}

const NAME = /^[0-9a-zA-Z_-]{1,50}$/;
const STRENGTHS = ['NONE', 'LOW', 'MEDIUM', 'HIGH'];
const FILTER_TYPES = [
  'SEXUAL',
  'VIOLENCE',
  'HATE',
  'INSULTS',
  'MISCONDUCT',
  'PROMPT_ATTACK',
];
const PII_ACTIONS = ['BLOCK', 'ANONYMIZE', 'NONE'];

const invalid = (message: string): StandInReply => ({
  status: 400,
  body: { message },
  errorType: 'ValidationException',
});
const notFound = (id: string): StandInReply => ({
  status: 404,
  body: { message: `Guardrail ${id} not found` },
  errorType: 'ResourceNotFoundException',
});

/** The first reason AWS would refuse these policies, or undefined. */
function policyProblem(body: any): string | undefined {
  if (!NAME.test(body.name ?? ''))
    return `name must match [0-9a-zA-Z-_]{1,50}, got "${body.name}"`;
  for (const key of ['blockedInputMessaging', 'blockedOutputsMessaging']) {
    const v = body[key];
    if (typeof v !== 'string' || v.length < 1 || v.length > 500)
      return `${key} must be 1-500 characters`;
  }
  for (const f of body.contentPolicyConfig?.filtersConfig ?? []) {
    if (!FILTER_TYPES.includes(f.type))
      return `unknown content filter type ${f.type}`;
    if (
      !STRENGTHS.includes(f.inputStrength) ||
      !STRENGTHS.includes(f.outputStrength)
    )
      return `content filter ${f.type}: strengths are NONE, LOW, MEDIUM or HIGH`;
    if (f.type === 'PROMPT_ATTACK' && f.outputStrength !== 'NONE')
      return 'PROMPT_ATTACK filter: outputStrength must be NONE';
  }
  for (const t of body.topicPolicyConfig?.topicsConfig ?? []) {
    if (!t.name || !t.definition || t.type !== 'DENY')
      return 'a denied topic needs a name, a definition and type DENY';
  }
  for (const p of body.sensitiveInformationPolicyConfig?.piiEntitiesConfig ??
    []) {
    if (!p.type || !PII_ACTIONS.includes(p.action))
      return `PII entity ${p.type}: action is BLOCK, ANONYMIZE or NONE`;
  }
  return undefined;
}

const policiesOf = (body: any): GuardrailPolicies => ({
  description: body.description,
  blockedInputMessaging: body.blockedInputMessaging,
  blockedOutputsMessaging: body.blockedOutputsMessaging,
  topicPolicyConfig: body.topicPolicyConfig,
  contentPolicyConfig: body.contentPolicyConfig,
  wordPolicyConfig: body.wordPolicyConfig,
  sensitiveInformationPolicyConfig: body.sensitiveInformationPolicyConfig,
  contextualGroundingPolicyConfig: body.contextualGroundingPolicyConfig,
});

/** GetGuardrail's view of a version: the *Config inputs come back as policies. */
function describe(g: StoredGuardrail, version: string) {
  const p = version === 'DRAFT' ? g.draft : g.versions.get(version)!;
  return {
    name: g.name,
    guardrailId: g.guardrailId,
    guardrailArn: g.guardrailArn,
    version,
    status: 'READY',
    description: p.description,
    blockedInputMessaging: p.blockedInputMessaging,
    blockedOutputsMessaging: p.blockedOutputsMessaging,
    topicPolicy: p.topicPolicyConfig
      ? { topics: p.topicPolicyConfig.topicsConfig }
      : undefined,
    contentPolicy: p.contentPolicyConfig
      ? { filters: p.contentPolicyConfig.filtersConfig }
      : undefined,
    sensitiveInformationPolicy: p.sensitiveInformationPolicyConfig
      ? {
          piiEntities: p.sensitiveInformationPolicyConfig.piiEntitiesConfig,
          regexes: p.sensitiveInformationPolicyConfig.regexesConfig,
        }
      : undefined,
    createdAt: g.createdAt.toISOString(),
    updatedAt: g.updatedAt.toISOString(),
  };
}

const summaryOf = (g: StoredGuardrail, version: string) => ({
  id: g.guardrailId,
  arn: g.guardrailArn,
  status: 'READY',
  name: g.name,
  description:
    (version === 'DRAFT' ? g.draft : g.versions.get(version))?.description ??
    undefined,
  version,
  createdAt: g.createdAt.toISOString(),
  updatedAt: g.updatedAt.toISOString(),
});

/**
 * Answers the guardrail requests among those the stand-in receives; undefined for any other
 * request (which then goes on to the profile routes or moto).
 */
export function guardrailRoutes(guardrails: Map<string, StoredGuardrail>) {
  const find = (idOrArn: string, accountId: string, region: string) => {
    const id = /:guardrail\/([a-z0-9]+)$/.exec(idOrArn)?.[1] ?? idOrArn;
    const g = guardrails.get(id);
    return g && g.accountId === accountId && g.region === region
      ? g
      : undefined;
  };

  return (request: {
    method: string;
    path: string;
    query: URLSearchParams;
    body: any;
    accountId: string;
    region: string;
  }): StandInReply | undefined => {
    const { method, path, query, body, accountId, region } = request;

    if (path === '/guardrails' && method === 'POST') {
      const problem = policyProblem(body);
      if (problem) return invalid(problem);
      const same = [...guardrails.values()].find(
        g =>
          g.accountId === accountId &&
          g.region === region &&
          g.name === body.name,
      );
      if (same) {
        if (
          body.clientRequestToken &&
          body.clientRequestToken === same.clientRequestToken
        ) {
          return {
            status: 202,
            body: {
              guardrailId: same.guardrailId,
              guardrailArn: same.guardrailArn,
              version: 'DRAFT',
              createdAt: same.createdAt.toISOString(),
            },
          };
        }
        return {
          status: 409,
          body: { message: `Guardrail ${body.name} already exists` },
          errorType: 'ConflictException',
        };
      }
      const id = standInGuardrailId(accountId, region, body.name);
      const now = new Date();
      const g: StoredGuardrail = {
        guardrailId: id,
        guardrailArn: `arn:aws:bedrock:${region}:${accountId}:guardrail/${id}`,
        name: body.name,
        region,
        accountId,
        clientRequestToken: body.clientRequestToken,
        tags: body.tags ?? [],
        createdAt: now,
        updatedAt: now,
        draft: policiesOf(body),
        versions: new Map(),
        versionTokens: new Map(),
      };
      guardrails.set(id, g);
      return {
        status: 202,
        body: {
          guardrailId: id,
          guardrailArn: g.guardrailArn,
          version: 'DRAFT',
          createdAt: now.toISOString(),
        },
      };
    }

    if (path === '/guardrails' && method === 'GET') {
      const identifier = query.get('guardrailIdentifier');
      if (identifier) {
        const g = find(identifier, accountId, region);
        if (!g) return notFound(identifier);
        return {
          status: 200,
          body: {
            guardrails: ['DRAFT', ...g.versions.keys()].map(v =>
              summaryOf(g, v),
            ),
          },
        };
      }
      const all = [...guardrails.values()].filter(
        g => g.accountId === accountId && g.region === region,
      );
      const max = Number(query.get('maxResults') ?? 1000);
      const start = Number(query.get('nextToken') ?? 0);
      const page = all.slice(start, start + max);
      return {
        status: 200,
        body: {
          guardrails: page.map(g => summaryOf(g, 'DRAFT')),
          nextToken: start + max < all.length ? String(start + max) : undefined,
        },
      };
    }

    const one = /^\/guardrails\/([^/]+)$/.exec(path);
    if (one) {
      const identifier = decodeURIComponent(one[1]);
      const g = find(identifier, accountId, region);
      if (!g) return notFound(identifier);
      const version = query.get('guardrailVersion') ?? 'DRAFT';
      if (method === 'GET') {
        if (version !== 'DRAFT' && !g.versions.has(version))
          return notFound(`${identifier}:${version}`);
        return { status: 200, body: describe(g, version) };
      }
      if (method === 'PUT') {
        const problem = policyProblem(body);
        if (problem) return invalid(problem);
        g.name = body.name;
        g.draft = policiesOf(body);
        g.updatedAt = new Date();
        return {
          status: 202,
          body: {
            guardrailId: g.guardrailId,
            guardrailArn: g.guardrailArn,
            version: 'DRAFT',
            updatedAt: g.updatedAt.toISOString(),
          },
        };
      }
      if (method === 'POST') {
        const token = body.clientRequestToken;
        const repeated = token ? g.versionTokens.get(token) : undefined;
        const made = repeated ?? String(g.versions.size + 1);
        if (!repeated) {
          g.versions.set(made, {
            ...structuredClone(g.draft),
            description: body.description ?? g.draft.description,
            createdAt: new Date(),
          });
          if (token) g.versionTokens.set(token, made);
        }
        return {
          status: 202,
          body: { guardrailId: g.guardrailId, version: made },
        };
      }
      if (method === 'DELETE') {
        if (query.get('guardrailVersion')) {
          if (!g.versions.delete(version))
            return notFound(`${identifier}:${version}`);
        } else guardrails.delete(g.guardrailId);
        return { status: 202, body: {} };
      }
    }

    const arn = String(body?.resourceARN ?? '');
    if (
      method !== 'POST' ||
      !['/listTagsForResource', '/tagResource', '/untagResource'].includes(
        path,
      ) ||
      !arn.includes(':guardrail/')
    )
      return undefined;
    const tagged = find(arn, accountId, region);
    if (!tagged) return notFound(arn);
    if (path === '/tagResource') {
      for (const t of body.tags ?? []) {
        tagged.tags = [...tagged.tags.filter(x => x.key !== t.key), t];
      }
      return { status: 200, body: {} };
    }
    if (path === '/untagResource') {
      const keys = new Set<string>(body.tagKeys ?? []);
      tagged.tags = tagged.tags.filter(t => !keys.has(t.key));
      return { status: 200, body: {} };
    }
    return { status: 200, body: { tags: tagged.tags } };
  };
}
