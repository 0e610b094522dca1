import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CHARGEBACK_FORMATS,
  CHARGEBACK_MONTH_PATTERN,
  ChargebackExport,
  ChargebackUnattributed,
} from '@bedrock-tenancy/plugin-bedrock-common';
import express from 'express';
import { z } from 'zod';
import { iso } from '../lib/time';
import { groupParamsSchema, parseParams } from './entityAccess';
import { EntityReader } from './EntityReader';
import { groupChargeback } from './chargeback';
import { chargebackCsv } from './chargebackCsv';
import { chargebackFocusCsv } from './chargebackFocus';
import { GroupRollupService } from './GroupRollupService';
import type { TimeRange } from './range';

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
 * as a FinOps FOCUS CSV (chargebackFocus.ts). Each download is an audit event `chargeback-export`
 * whose actor is the person who asked (the request's credentials).
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
    /** records each download: who, which group, month and format (the actor is the caller) */
    auditor?: AuditorService;
    /** admins' unattributed rows of the month (undefined for anyone else) */
    unattributed?: (
      credentials: BackstageCredentials,
      range: TimeRange,
    ) => Promise<ChargebackUnattributed[] | undefined>;
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
    const includeChildren = q.data.includeChildren
      ? q.data.includeChildren === 'true'
      : o.includeChildGroups;
    const format = q.data.format ?? 'json';
    const groupRef = stringifyEntityRef({
      kind: 'group',
      namespace: p.namespace,
      name: p.name,
    });
    // a data export: who downloaded which group's chargeback (the actor is the request's caller)
    const audit = await o.auditor?.createEvent({
      eventId: 'chargeback-export',
      severityLevel: 'medium',
      request: req,
      meta: { groupRef, month, format, includeChildren },
    });
    let body: ChargebackExport;
    try {
      body = await groupChargeback({
        ...o,
        groupRef,
        month,
        includeChildren,
        credentials: await o.httpAuth.credentials(req),
        now,
      });
    } catch (error) {
      await audit?.fail({ error: error as Error });
      throw error;
    }
    await audit?.success({
      meta: {
        tenants: body.tenants.length,
        unreadableTenants: body.unreadableTenants,
        // an admin's export also names every account-region's spend no tenant owns
        ...(body.unattributed
          ? { unattributedAccountRegions: body.unattributed.length }
          : {}),
      },
    });
    const file = `bedrock-chargeback-${p.namespace}-${p.name}-${month}`;
    res.setHeader('Cache-Control', 'no-store');
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
