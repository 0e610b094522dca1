import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  bedrockBindingManagePermission,
  CHARGEBACK_MONTH_PATTERN,
} from '@bedrock-tenancy/plugin-bedrock-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { DAY_MS, floorHour, HOUR_MS, iso } from '../lib/time';
import { monthRange } from '../service/chargeback';
import type { TimeRange } from '../service/range';
import type { UnattributedService } from './UnattributedService';

/** The longest range the admin view reads at once: three months of daily sums. */
export const MAX_UNATTRIBUTED_DAYS = 93;

const querySchema = z
  .object({
    month: z
      .string()
      .regex(CHARGEBACK_MONTH_PATTERN, 'a calendar month, YYYY-MM')
      .optional(),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
  })
  .strict();

function rangeOf(query: unknown, now: number): TimeRange {
  const q = querySchema.safeParse(query);
  const usage = `use month=YYYY-MM, or from=<ISO 8601>&to=<ISO 8601> at most ${MAX_UNATTRIBUTED_DAYS} days apart`;
  if (!q.success) {
    const issue = q.error.issues[0];
    throw new InputError(
      `invalid query: ${issue.path.join('.') || 'query'}: ${
        issue.message
      }; ${usage}`,
    );
  }
  const { month, from, to } = q.data;
  if (month && (from || to))
    throw new InputError(`invalid query: month or from/to, not both; ${usage}`);
  if (!from && to)
    throw new InputError(`invalid query: to without from; ${usage}`);
  if (!from) return monthRange(month ?? iso(now).slice(0, 7), now);
  const start = floorHour(Date.parse(from));
  const end = to
    ? Math.ceil(Date.parse(to) / HOUR_MS) * HOUR_MS
    : floorHour(now) + HOUR_MS;
  if (end <= start)
    throw new InputError(`invalid query: from must be before to; ${usage}`);
  if (end - start > MAX_UNATTRIBUTED_DAYS * DAY_MS)
    throw new InputError(`invalid query: the range is too long; ${usage}`);
  return { from: start, to: end };
}

/**
 * GET /admin/unattributed?month=YYYY-MM | from=&to=: per account and region, the account's
 * Bedrock usage, the part its bound tenants are attributed and the unattributed rest, with
 * estimated costs (UnattributedReport). Bedrock admins only (bedrock.binding.manage): everyone
 * else gets 403 before anything is read. Without a query: the current month.
 */
export function createUnattributedRouter(o: {
  httpAuth: HttpAuthService;
  service: UnattributedService;
  now?: () => number;
}): express.Router {
  const now = o.now ?? Date.now;
  const router = Router();
  router.get('/admin/unattributed', async (req, res) => {
    const credentials = await o.httpAuth.credentials(req, { allow: ['user'] });
    if (!(await o.service.isAdmin(credentials))) {
      throw new NotAllowedError(
        `Usage no tenant owns is shown to Bedrock admins only (${bedrockBindingManagePermission.name})`,
      );
    }
    const range = rangeOf(req.query, now());
    res.setHeader('Cache-Control', 'no-store');
    res.json(await o.service.report(range));
  });
  return router;
}
