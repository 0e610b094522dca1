import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CHARGEBACK_FORMATS,
  CHARGEBACK_MONTH_PATTERN,
} from '@bedrock-tenancy/plugin-bedrock-common';
import express from 'express';
import { z } from 'zod';
import { iso } from '../lib/time';
import { groupParamsSchema, parseParams } from './entityAccess';
import { EntityReader } from './EntityReader';
import { buildChargeback, monthRange, ownerParents } from './chargeback';
import { chargebackCsv } from './chargebackCsv';
import { chargebackFocusCsv } from './chargebackFocus';
import { GroupRollupService } from './GroupRollupService';

const querySchema = z
  .object({
    month: z
      .string()
      .regex(CHARGEBACK_MONTH_PATTERN, 'a calendar month, YYYY-MM')
      .optional(),
    includeChildren: z.enum(['true', 'false']).optional(),
    format: z.enum(CHARGEBACK_FORMATS).optional(),
  })
  .strict();

/**
 * GET /group/:namespace/:name/chargeback?month=YYYY-MM&format=csv|json|focus&includeChildren=
 *
 * The chargeback export of one month: the Group roll-up of that month for the same caller (so
 * the same permission checks: tenants the caller may not read are left out and counted), per
 * model, with billed cost, budget, owner and the owner's parent groups. `focus`: the usage rows
 * as a FinOps FOCUS CSV (chargebackFocus.ts).
 */
export function addChargebackRoutes(
  router: express.Router,
  o: {
    httpAuth: HttpAuthService;
    catalog: CatalogService;
    entities: EntityReader;
    groups: GroupRollupService;
    includeChildGroups: boolean;
    now: () => number;
  },
) {
  router.get('/group/:namespace/:name/chargeback', async (req, res) => {
    const p = parseParams(groupParamsSchema, req.params);
    const q = querySchema.safeParse(req.query);
    if (!q.success) {
      const issue = q.error.issues[0];
      throw new InputError(
        `invalid chargeback query: ${issue.path.join('.') || 'query'}: ${
          issue.message
        }; use month=YYYY-MM, format=${CHARGEBACK_FORMATS.join(
          '|',
        )}, includeChildren=true|false`,
      );
    }
    const now = o.now();
    const month = q.data.month ?? iso(now).slice(0, 7);
    const range = monthRange(month, now);
    const includeChildren = q.data.includeChildren
      ? q.data.includeChildren === 'true'
      : o.includeChildGroups;
    const credentials = await o.httpAuth.credentials(req);
    const group = await o.entities.read(
      stringifyEntityRef({
        kind: 'group',
        namespace: p.namespace,
        name: p.name,
      }),
      credentials,
    );
    const rollup = await o.groups.detailedRollup({
      group,
      includeChildren,
      range,
      credentials,
    });
    const parents = await ownerParents(
      o.catalog,
      rollup.tenants.map(t => t.owner),
      credentials,
    );
    const body = buildChargeback({ rollup, month, parents, now });
    const file = `bedrock-chargeback-${p.namespace}-${p.name}-${month}`;
    res.setHeader('Cache-Control', 'no-store');
    const format = q.data.format ?? 'json';
    if (format === 'focus') {
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="${file}-focus.csv"`,
      );
      res.type('text/csv; charset=utf-8').send(chargebackFocusCsv(body));
      return;
    }
    if (format === 'csv') {
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="${file}.csv"`,
      );
      res.type('text/csv; charset=utf-8').send(chargebackCsv(body));
      return;
    }
    res.setHeader('Content-Disposition', `attachment; filename="${file}.json"`);
    res.json(body);
  });
}
