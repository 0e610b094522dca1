import type {
  BudgetBlock,
  EntitySummary,
  Section,
} from '@bedrock-tenancy/plugin-bedrock-common';

/** The data of a section, or null, and why it is missing. */
export function sectionParts<T>(s: Section<T>): {
  data: T | null;
  unavailable: string | null;
} {
  return s.status === 'ok'
    ? { data: s.data, unavailable: null }
    : { data: null, unavailable: s.message };
}

/** The tenant part of a summary. */
export const tenantOf = (s: EntitySummary) => ({
  entityRef: s.tenant.entityRef,
  tenantId: s.tenant.tenantId,
  accountId: s.tenant.accountId,
  regions: s.tenant.regions,
});

/** The budget part of a summary: the block without its threshold list. */
export function budgetOf(s: EntitySummary) {
  const { data, unavailable } = sectionParts<BudgetBlock | null>(s.budget);
  return {
    budget: data && {
      name: data.name,
      limitUsd: data.limitUsd,
      actualSpendUsd: data.actualSpendUsd,
      forecastedSpendUsd: data.forecastedSpendUsd,
      usedFraction: data.usedFraction,
      runsOutOn: data.runsOutOn,
    },
    budgetUnavailable: unavailable,
  };
}
