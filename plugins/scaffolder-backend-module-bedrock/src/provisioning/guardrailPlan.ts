/*
 * A tenant's guardrail: the operator's defaults (bedrock.provisioning.guardrail), what a template
 * may ask on top of them (tighten, never loosen), and the CreateGuardrail request it becomes.
 * Pure: validated before any AWS call.
 */
import { GuardrailPiiEntityType } from '@aws-sdk/client-bedrock';
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import type { GuardrailRequest } from './types';

export const STRENGTHS = ['NONE', 'LOW', 'MEDIUM', 'HIGH'] as const;
export type Strength = (typeof STRENGTHS)[number];
/** Weakest first: ANONYMIZE lets the text through masked, BLOCK stops it. */
export const PII_ACTIONS = ['ANONYMIZE', 'BLOCK'] as const;
export type PiiAction = (typeof PII_ACTIONS)[number];

/** Content filter name in config and templates -> the API's filter type. */
export const CONTENT_FILTERS = {
  hate: 'HATE',
  insults: 'INSULTS',
  sexual: 'SEXUAL',
  violence: 'VIOLENCE',
  misconduct: 'MISCONDUCT',
  promptAttack: 'PROMPT_ATTACK',
} as const;
export type ContentFilter = keyof typeof CONTENT_FILTERS;

export interface FilterStrengths {
  input: Strength;
  /** always NONE for promptAttack (AWS only checks prompts for attacks) */
  output: Strength;
}

export interface DeniedTopic {
  name: string;
  definition: string;
  examples: string[];
}

export interface GuardrailPolicy {
  contentFilters: Record<ContentFilter, FilterStrengths>;
  deniedTopics: DeniedTopic[];
  piiEntities: Array<{ type: string; action: PiiAction }>;
  blockedInputMessage: string;
  blockedOutputMessage: string;
}

/** The operator's defaults. */
export interface GuardrailDefaults extends GuardrailPolicy {
  /** every tenant gets a guardrail; a template cannot opt out */
  required: boolean;
  /** the tenant role may invoke models only with its guardrail; a template cannot turn it off */
  enforce: boolean;
}

/** The guardrail a tenant gets: the defaults tightened by its template. */
export interface GuardrailSpec extends GuardrailPolicy {
  enforce: boolean;
}

const strength = z.enum(STRENGTHS);
const filterSchema = z
  .object({ input: strength.optional(), output: strength.optional() })
  .strict();
const topicSchema = z
  .object({
    name: z
      .string()
      .regex(/^[0-9a-zA-Z_ !?.-]{1,100}$/, 'letters, digits, spaces and _-!?.'),
    definition: z.string().min(1).max(200),
    examples: z.array(z.string().min(1).max(100)).max(5).default([]),
  })
  .strict();
const piiSchema = z
  .object({
    type: z.string().refine(
      v => (Object.values(GuardrailPiiEntityType) as string[]).includes(v),
      v => ({
        message: `"${v}" is not a PII entity type Bedrock knows, e.g. EMAIL, PHONE, NAME`,
      }),
    ),
    action: z.enum(PII_ACTIONS),
  })
  .strict();
const message = z.string().min(1).max(500);

const filtersSchema = z
  .object(
    Object.fromEntries(
      Object.keys(CONTENT_FILTERS).map(k => [k, filterSchema.optional()]),
    ) as Record<ContentFilter, z.ZodOptional<typeof filterSchema>>,
  )
  .strict();

/** `bedrock.provisioning.guardrail` */
export const guardrailDefaultsSchema = z
  .object({
    required: z.boolean().default(false),
    enforce: z.boolean().default(false),
    contentFilters: filtersSchema.default({}),
    deniedTopics: z.array(topicSchema).max(30).default([]),
    piiEntities: z.array(piiSchema).default([]),
    blockedInputMessage: message.default(
      'This request was blocked by your organisation’s guardrail.',
    ),
    blockedOutputMessage: message.default(
      'The answer was blocked by your organisation’s guardrail.',
    ),
  })
  .strict();

/** The `guardrail` input of the create and update actions. */
export const guardrailInputSchema = z
  .object({
    enabled: z.boolean().optional(),
    enforce: z.boolean().optional(),
    contentFilters: filtersSchema.optional(),
    deniedTopics: z.array(topicSchema).max(30).optional(),
    piiEntities: z.array(piiSchema).optional(),
    blockedInputMessage: message.optional(),
    blockedOutputMessage: message.optional(),
  })
  .strict();
export type GuardrailInput = z.infer<typeof guardrailInputSchema>;

/** Reads the operator defaults; undefined when the section is absent. Throws naming the bad key. */
export function readGuardrailDefaults(
  raw: unknown,
): GuardrailDefaults | undefined {
  if (raw === undefined) return undefined;
  const r = guardrailDefaultsSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(
      `bedrock.provisioning.guardrail.${i.path.join('.')}: ${i.message}`,
    );
  }
  const d = r.data;
  return {
    ...d,
    contentFilters: Object.fromEntries(
      Object.keys(CONTENT_FILTERS).map(k => {
        const f = d.contentFilters[k as ContentFilter];
        return [
          k,
          {
            input: f?.input ?? 'NONE',
            output: k === 'promptAttack' ? 'NONE' : f?.output ?? 'NONE',
          },
        ];
      }),
    ) as Record<ContentFilter, FilterStrengths>,
  };
}

const invalid = (problems: string[]) =>
  new InputError(`Invalid input: ${problems.join('; ')}`);

const weaker = <T extends string>(order: readonly T[], a: T, b: T) =>
  order.indexOf(a) < order.indexOf(b);

/**
 * The tenant's guardrail from the operator defaults and the template's input, or undefined when
 * the tenant has none. A template may raise strengths, add topics and PII entities, turn BLOCK on
 * where the default anonymises, word the messages and turn enforcement on; every attempt to go
 * below the defaults is an InputError naming each field, before any AWS call.
 */
export function resolveGuardrail(
  defaults: GuardrailDefaults | undefined,
  input: GuardrailInput | undefined,
): GuardrailSpec | undefined {
  const problems: string[] = [];
  const wanted = input?.enabled ?? Boolean(defaults?.required);
  if (!wanted) {
    if (defaults?.required && input?.enabled === false)
      problems.push(
        'guardrail.enabled: every tenant has a guardrail here (bedrock.provisioning.guardrail.required)',
      );
    if (problems.length) throw invalid(problems);
    return undefined;
  }
  if (!defaults) {
    throw invalid([
      'guardrail: this portal has no guardrail defaults (bedrock.provisioning.guardrail); ask the platform team to configure them',
    ]);
  }

  const contentFilters = { ...defaults.contentFilters };
  for (const [key, asked] of Object.entries(input?.contentFilters ?? {})) {
    const k = key as ContentFilter;
    const base = defaults.contentFilters[k];
    const next = {
      input: asked?.input ?? base.input,
      output: asked?.output ?? base.output,
    };
    for (const side of ['input', 'output'] as const) {
      if (weaker(STRENGTHS, next[side], base[side]))
        problems.push(
          `guardrail.contentFilters.${k}.${side}: ${next[side]} is weaker than the default ${base[side]}`,
        );
    }
    if (k === 'promptAttack' && next.output !== 'NONE')
      problems.push(
        'guardrail.contentFilters.promptAttack.output: must be NONE (prompt attacks are checked on input only)',
      );
    contentFilters[k] = next;
  }

  const deniedTopics = [...defaults.deniedTopics];
  for (const t of input?.deniedTopics ?? []) {
    if (deniedTopics.some(d => d.name.toLowerCase() === t.name.toLowerCase()))
      problems.push(
        `guardrail.deniedTopics: "${t.name}" is already a default topic; a template adds topics, it cannot redefine one`,
      );
    else deniedTopics.push({ ...t, examples: t.examples ?? [] });
  }

  const piiEntities = [...defaults.piiEntities];
  for (const p of input?.piiEntities ?? []) {
    const i = piiEntities.findIndex(d => d.type === p.type);
    if (i < 0) piiEntities.push(p);
    else if (weaker(PII_ACTIONS, p.action, piiEntities[i].action))
      problems.push(
        `guardrail.piiEntities.${p.type}: ${p.action} is weaker than the default ${piiEntities[i].action}`,
      );
    else piiEntities[i] = p;
  }

  if (defaults.enforce && input?.enforce === false)
    problems.push(
      'guardrail.enforce: enforcement is on for every tenant here (bedrock.provisioning.guardrail.enforce)',
    );

  const spec: GuardrailSpec = {
    contentFilters,
    deniedTopics,
    piiEntities,
    blockedInputMessage:
      input?.blockedInputMessage ?? defaults.blockedInputMessage,
    blockedOutputMessage:
      input?.blockedOutputMessage ?? defaults.blockedOutputMessage,
    enforce: input?.enforce ?? defaults.enforce,
  };
  const request = guardrailRequest(spec);
  if (
    !request.contentPolicyConfig &&
    !request.topicPolicyConfig &&
    !request.sensitiveInformationPolicyConfig
  )
    problems.push(
      'guardrail: no content filter, denied topic or PII entity is set, so the guardrail would stop nothing',
    );
  if (problems.length) throw invalid(problems);
  return spec;
}

export function guardrailRequest(spec: GuardrailPolicy): GuardrailRequest {
  const filters = (Object.keys(CONTENT_FILTERS) as ContentFilter[])
    .map(k => ({
      type: CONTENT_FILTERS[k],
      inputStrength: spec.contentFilters[k].input,
      outputStrength: spec.contentFilters[k].output,
    }))
    .filter(f => f.inputStrength !== 'NONE' || f.outputStrength !== 'NONE');
  return {
    blockedInputMessaging: spec.blockedInputMessage,
    blockedOutputsMessaging: spec.blockedOutputMessage,
    ...(filters.length
      ? { contentPolicyConfig: { filtersConfig: filters } }
      : {}),
    ...(spec.deniedTopics.length
      ? {
          topicPolicyConfig: {
            topicsConfig: spec.deniedTopics.map(t => ({
              name: t.name,
              definition: t.definition,
              examples: t.examples,
              type: 'DENY' as const,
            })),
          },
        }
      : {}),
    ...(spec.piiEntities.length
      ? {
          sensitiveInformationPolicyConfig: {
            piiEntitiesConfig: spec.piiEntities.map(p => ({
              type: p.type as GuardrailPiiEntityType,
              action: p.action,
            })),
          },
        }
      : {}),
  };
}

export type { GuardrailRequest } from './types';
