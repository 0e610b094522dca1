/*
 * A tenant in several regions: one regional plan per region (profiles, topic, alarms, guardrail),
 * and the global resources put together from them: one role whose invoke policy covers every
 * region, one dashboard with every region's widgets, one budget.
 */
import {
  ANNOTATION_INFERENCE_PROFILES,
  ANNOTATION_REGIONS,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { ProvisioningConfig } from '../config';
import type { TenantSpec } from './inputs';
import type { PolicyDocument, PolicyStatement } from './policies';
import { buildRegionPlan, pricedModelId } from './tenantPlan';
import type { GuardrailRef, ProfileRef, TenantPlan } from './types';

/** Existing profiles by region, then by model id. */
export type ExistingProfiles = Record<
  string,
  Record<string, ProfileRef | undefined>
>;

const union = (values: Array<string | string[] | undefined>) => {
  const all = [
    ...new Set(values.flatMap(v => (v === undefined ? [] : [v].flat()))),
  ];
  return all.length === 1 && values.every(v => typeof v === 'string')
    ? all[0]
    : all;
};

/** One document with each statement (by Sid) once, its resources and condition values united. */
export function mergePolicies(docs: PolicyDocument[]): PolicyDocument {
  if (docs.length === 1) return docs[0];
  const bySid = new Map<string, PolicyStatement[]>();
  for (const d of docs) {
    for (const st of d.Statement) {
      bySid.set(st.Sid, [...(bySid.get(st.Sid) ?? []), st]);
    }
  }
  const Statement = [...bySid.values()].map(sts => {
    const [first] = sts;
    const merged: PolicyStatement = { ...first };
    if (sts.some(x => x.Resource !== undefined)) {
      merged.Resource = union(sts.map(x => x.Resource));
    }
    if (first.Condition) {
      merged.Condition = Object.fromEntries(
        Object.entries(first.Condition).map(([op, keys]) => [
          op,
          Object.fromEntries(
            Object.keys(keys).map(k => [
              k,
              union(sts.map(x => x.Condition?.[op]?.[k])),
            ]),
          ),
        ]),
      );
    }
    return merged;
  });
  return { Version: '2012-10-17', Statement };
}

/** The first region's header, then each region's widgets below the previous region's, titled with it. */
function mergeDashboards(plans: TenantPlan[]): Record<string, unknown> {
  if (plans.length === 1) return plans[0].dashboard.body;
  const widgets = (p: TenantPlan) => p.dashboard.body.widgets as any[];
  const [header] = widgets(plans[0]);
  let top = header.height as number;
  const out = [header];
  for (const p of plans) {
    const body = widgets(p).slice(1);
    const height = Math.max(...body.map(w => w.y + w.height)) - header.height;
    for (const w of body) {
      out.push({
        ...w,
        y: w.y - header.height + top,
        properties: {
          ...w.properties,
          title: `${p.region}: ${w.properties.title}`,
        },
      });
    }
    top += height;
  }
  return { widgets: out };
}

/**
 * Computes everything a tenant consists of, in every region of `spec.regions`. With one region
 * it is that region's plan, as before there were several.
 */
export function buildTenantPlan(
  spec: TenantSpec,
  cfg: ProvisioningConfig,
  existing: ExistingProfiles = {},
  guardrails: Record<string, GuardrailRef | undefined> = {},
): TenantPlan {
  const plans = spec.regions.map(region =>
    buildRegionPlan(
      { ...spec, region },
      cfg,
      existing[region] ?? {},
      guardrails[region],
    ),
  );
  const [primary] = plans;
  const profiles = plans.flatMap(p => p.profiles);
  return {
    ...primary,
    regions: spec.regions,
    regional: plans.map(p => ({
      region: p.region,
      profiles: p.profiles,
      topic: p.topic,
      alarms: p.alarms,
      ...(p.guardrail ? { guardrail: p.guardrail } : {}),
    })),
    role: {
      ...primary.role,
      invokePolicy: mergePolicies(plans.map(p => p.role.invokePolicy)),
    },
    profiles,
    dashboard: { ...primary.dashboard, body: mergeDashboards(plans) },
    annotations: {
      ...primary.annotations,
      [ANNOTATION_REGIONS]: spec.regions.join(','),
      ...(primary.annotations[ANNOTATION_INFERENCE_PROFILES] !== undefined
        ? {
            [ANNOTATION_INFERENCE_PROFILES]: profiles
              .map(p => `${p.id}=${pricedModelId(p)}`)
              .join(','),
          }
        : {}),
    },
  };
}
