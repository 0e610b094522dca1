/*
 * Bench group tree (issue 20): one organization group over several levels of descendant groups
 * (departments, sections, teams; spec.children, as adopters model them), the teams owning
 * components, some of them Bedrock tenants. The tenants are the ones of ./tenants (same names,
 * annotations, bindings and usage: tenancyConfig(n), fillUsage(n)); the other components carry
 * no tenancy annotations. The bench user owns every group of the tree, not bench-other (whose
 * tenant must answer 403).
 */
import fs from 'node:fs';
import { component, FOREIGN, group, ORG, tenantName } from './tenants';

export interface TreeShape {
  departments: number;
  /** sections per department */
  sections: number;
  /** teams per section */
  teams: number;
  /** components the teams own, round robin */
  components: number;
  /** the first `tenants` components are Bedrock tenants */
  tenants: number;
}

/** 10 departments x 9 sections x 10 teams: 1,000 descendant groups, 5,000 components, 2,000 tenants. */
export const TREE: TreeShape = {
  departments: 10,
  sections: 9,
  teams: 10,
  components: 5000,
  tenants: 2000,
};

/** --smoke --tree: the same levels, a few of each */
export const SMOKE_TREE: TreeShape = {
  departments: 2,
  sections: 2,
  teams: 2,
  components: 20,
  tenants: 8,
};

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The groups under the root, level by level: [{ name, type, children }]. */
function descendants(shape: TreeShape) {
  const departments = range(shape.departments).map(d => `bench-dept-${d}`);
  const sections = range(shape.departments).flatMap(d =>
    range(shape.sections).map(s => `bench-sect-${d}-${s}`),
  );
  const teams = sections.map(section =>
    range(shape.teams).map(
      t => `${section.replace('bench-sect-', 'bench-team-')}-${t}`,
    ),
  );
  return {
    departments,
    sections,
    teams: teams.flat(),
    groups: [
      ...departments.map((name, d) =>
        group(
          name,
          'department',
          sections.slice(d * shape.sections, (d + 1) * shape.sections),
        ),
      ),
      ...sections.map((name, s) => group(name, 'section', teams[s])),
      ...teams.flat().map(name => group(name, 'team')),
    ],
  };
}

/** Groups under the root (1,000 for TREE). */
export const descendantCount = (shape: TreeShape) =>
  shape.departments * (1 + shape.sections * (1 + shape.teams));

/** Components that are not tenants are named so. */
export const serviceName = (j: number) => `bench-service-${j}`;

/**
 * Writes the catalog file (YAML documents as JSON): the tree, its components, and bench-other
 * with the foreign tenant (tenant index `shape.tenants`). Returns the entity count.
 */
export function writeTreeCatalog(file: string, shape: TreeShape): number {
  const { departments, teams, groups } = descendants(shape);
  const docs: object[] = [
    group(ORG, 'organization', departments),
    ...groups,
    group('bench-other', 'team'),
    ...range(shape.components).map(j => {
      const owner = teams[j % teams.length];
      return j < shape.tenants
        ? component(tenantName(j), owner, j)
        : component(serviceName(j - shape.tenants), owner);
    }),
    component(FOREIGN, 'bench-other', shape.tenants),
  ];
  fs.writeFileSync(file, docs.map(d => JSON.stringify(d)).join('\n---\n'));
  return docs.length;
}

/** The guest user's ownership claims: the root and every group under it, not bench-other. */
export function treeOwnership(shape: TreeShape) {
  const { departments, sections, teams } = descendants(shape);
  return [
    'user:default/bench-user',
    ...[ORG, ...departments, ...sections, ...teams].map(
      g => `group:default/${g}`,
    ),
  ];
}
