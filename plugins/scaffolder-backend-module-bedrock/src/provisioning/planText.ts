/* The preview and the changes of a run as Markdown: what a template's `output.text` shows. */
import type { PlanEntry, TenantPreview } from './tenantPreview';
import type { TenantPlan } from './tenantPlan';

const code = (v: unknown) =>
  `\`${(typeof v === 'string' ? v : JSON.stringify(v) ?? 'none').replace(
    /`/g,
    "'",
  )}\``;
const block = (v: unknown) =>
  `\n\n\`\`\`json\n${JSON.stringify(v, null, 2)}\n\`\`\`\n`;

/** Short values inline, documents (policies, filters, metric lists) as JSON blocks. */
function details(d: Record<string, unknown>): string {
  return Object.entries(d)
    .map(([k, v]) => {
      const inline = typeof v !== 'object' || v === null;
      return inline
        ? `  - ${k}: ${code(v)}`
        : `  - ${k}:${block(v).replace(/\n/g, '\n    ')}`;
    })
    .join('\n');
}

function entry(e: PlanEntry, withDetails: boolean): string {
  const head = `- **${e.resource}** ${code(e.name)}`;
  if (e.diff?.length) {
    return [
      head,
      ...e.diff.map(d => `  - ${d.path}: ${code(d.from)} → ${code(d.to)}`),
    ].join('\n');
  }
  return withDetails && e.details ? `${head}\n${details(e.details)}` : head;
}

/** The dry run's plan: every resource to create, change or delete, with documents and diffs. */
export function renderPreview(
  plan: TenantPlan,
  preview: TenantPreview,
): string {
  const n = (k: keyof Omit<TenantPreview, 'note'>) => preview[k].length;
  const lines = [
    `## Plan for tenant ${code(plan.tenantId)} in ${
      plan.accountId
    } ${plan.regions.join(', ')} (${plan.attribution} attribution)`,
    '',
    `${n('create')} to create, ${n('update')} to change, ${n(
      'delete',
    )} to delete, ${n('unchanged')} unchanged. Nothing has been changed.`,
  ];
  if (preview.note) lines.push('', `> ${preview.note}`);
  const section = (
    title: string,
    entries: PlanEntry[],
    withDetails: boolean,
  ) => {
    if (!entries.length) return;
    lines.push('', `### ${title}`, '');
    lines.push(...entries.map(e => entry(e, withDetails)));
  };
  section('Create', preview.create, true);
  section('Change', preview.update, true);
  section('Delete', preview.delete, true);
  section('Unchanged', preview.unchanged, false);
  return `${lines.join('\n')}\n`;
}

/** What a run changed (its change log), for the same output after a real run. */
export function renderChanges(plan: TenantPlan, changes: string[]): string {
  return [
    `## Tenant ${code(plan.tenantId)} in ${plan.accountId} ${plan.regions.join(
      ', ',
    )} (${plan.attribution} attribution)`,
    '',
    changes.length
      ? `${changes.length} changes:`
      : 'Nothing changed: AWS already matched the plan.',
    '',
    ...changes.map(c => `- ${c}`),
    '',
  ].join('\n');
}
