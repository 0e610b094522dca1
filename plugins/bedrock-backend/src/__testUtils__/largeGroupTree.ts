/*
 * TEST-ONLY: a department of 1,000 groups over three levels owning 5,000 entities (2,000 of
 * them tenants), for the tests that a large group tree is read in bounded requests.
 */
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_REGIONS,
  ANNOTATION_TENANT_ID,
} from '@bedrock-tenancy/plugin-bedrock-common';

/**
 * The counts, by hand: `engineering` has 10 departments (`d<a>`), each 9 sections
 * (`d<a>-s<b>`), each 10 teams (`d<a>-s<b>-t<c>`): 10 + 90 + 900 = 1,000 descendants. Each
 * descendant owns 5 entities: 2 tenants (Components), 2 Systems (never tenants), 1 Component
 * without annotations. The root owns none.
 */
export const LARGE_TREE = {
  root: 'group:default/engineering',
  descendants: 1000,
  owned: 5000,
  tenants: 2000,
  unannotated: 1000,
  /** the part a member reads: department d3 (1 + 9 + 90 groups), plus the root group */
  member: {
    department: 'group:default/d3',
    groups: 1 + 100,
    owned: 100 * 5,
    tenants: 100 * 2,
    unannotated: 100,
  },
} as const;

/** Where the catalog's read rules of a test find the department of an entity (`d<a>`). */
export const DEPARTMENT_ANNOTATION = 'example.com/department';
const departmentOf = (name: string) => ({
  [DEPARTMENT_ANNOTATION]: name.split('-')[0],
});

const groupEntity = (
  name: string,
  parent: string | undefined,
  children: string[],
  relations: Array<{ type: string; targetRef: string }> = [],
  namespace = 'default',
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace, annotations: departmentOf(name) },
  spec: { type: 'team', children, ...(parent ? { parent } : {}) },
  relations,
});

/** One AWS account per tenant (account attribution: two tenants cannot share one). */
const accountOf = (tenantId: string) =>
  String(
    [...tenantId].reduce((n, c) => (n * 131 + c.charCodeAt(0)) % 9e11, 17) +
      1e11,
  );

/**
 * The entity `k` of a group, its owner written one of the four ways the catalog sees: the bare
 * name, `group:<name>`, the full ref, or only the ownedBy relation the catalog computes.
 */
function ownedEntity(group: string, k: number, spelling: number) {
  const name = `${group}-e${k}`;
  const tenant = k < 2;
  const owner = [group, `group:${group}`, `group:default/${group}`][spelling];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: k === 2 || k === 3 ? 'System' : 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        ...departmentOf(group),
        ...(tenant
          ? {
              [ANNOTATION_TENANT_ID]: name,
              [ANNOTATION_ACCOUNT_ID]: accountOf(name),
              [ANNOTATION_REGIONS]: 'us-east-1',
            }
          : {}),
      },
    },
    spec: { type: 'service', owner: owner ?? 'someone-else' },
    relations:
      spelling === 3
        ? [{ type: 'ownedBy', targetRef: `group:default/${group}` }]
        : [],
  };
}

/** The catalog of the large tree, with entities outside it that must never be counted. */
export function largeGroupTree() {
  const groups: object[] = [];
  const owned: object[] = [];
  const departments: string[] = [];
  let n = 0;
  const own = (name: string) => {
    for (let k = 0; k < 5; k++) owned.push(ownedEntity(name, k, (n + k) % 4));
    n++;
  };
  for (let a = 0; a < 10; a++) {
    const dept = `d${a}`;
    departments.push(dept);
    const sections: string[] = [];
    const viaRelation: Array<{ type: string; targetRef: string }> = [];
    for (let b = 0; b < 9; b++) {
      const section = `${dept}-s${b}`;
      // odd sections are linked by the parentOf relation only, even ones by spec.children
      if (b % 2)
        viaRelation.push({
          type: 'parentOf',
          targetRef: `group:default/${section}`,
        });
      else sections.push(b % 4 ? section : `group:default/${section}`);
      const teams = Array.from({ length: 10 }, (_, c) => `${section}-t${c}`);
      groups.push(groupEntity(section, dept, teams));
      own(section);
      for (const team of teams) {
        groups.push(groupEntity(team, section, []));
        own(team);
      }
    }
    groups.push(groupEntity(dept, 'engineering', sections, viaRelation));
    own(dept);
  }
  const outside = [
    groupEntity('outsiders', undefined, []),
    ownedEntity('outsiders', 0, 0),
    ownedEntity('outsiders', 1, 3),
    // same names in another namespace: the shorthand owner "d0" there is group:elsewhere/d0
    groupEntity('d0', undefined, [], [], 'elsewhere'),
    {
      ...ownedEntity('d0', 4, 0),
      metadata: {
        name: 'elsewhere-e0',
        namespace: 'elsewhere',
        annotations: {},
      },
    },
  ];
  return [
    groupEntity('engineering', undefined, departments),
    ...groups,
    ...owned,
    ...outside,
  ];
}

/**
 * The catalog read decision of a member of department `d<a>`, as a permission policy would
 * answer it: conditions of the catalog's own rules, met by the root and the department.
 */
export const departmentReadDecision = (a: number) => ({
  result: 'CONDITIONAL' as const,
  pluginId: 'catalog',
  resourceType: 'catalog-entity',
  conditions: {
    anyOf: [`d${a}`, 'engineering'].map(value => ({
      rule: 'HAS_ANNOTATION',
      resourceType: 'catalog-entity',
      params: { annotation: DEPARTMENT_ANNOTATION, value },
    })),
  },
});

/** What a member of department `d<a>` may read of the large tree: the root and the department. */
export const readsDepartment =
  (a: number) => (entity: { metadata: { name: string; namespace?: string } }) =>
    entity.metadata.namespace === 'default' &&
    (entity.metadata.name === 'engineering' ||
      entity.metadata.name === `d${a}` ||
      entity.metadata.name.startsWith(`d${a}-`));
