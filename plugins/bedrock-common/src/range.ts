import { z } from 'zod';

/**
 * The range presets of the summary and roll-up.
 *
 * @public
 */
export const RANGE_PRESETS = ['24h', '7d', '30d', 'mtd'] as const;
/** @public */
export type RangePreset = (typeof RANGE_PRESETS)[number];

/**
 * Query of the entity summary and group roll-up: a preset, or an explicit from/to.
 *
 * @public
 */
export const rangeQuerySchema = z
  .object({
    range: z.enum(RANGE_PRESETS).optional(),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
  })
  .strict()
  .refine(q => !(q.range && (q.from || q.to)), {
    message: 'give either range or from/to, not both',
  })
  .refine(q => !q.to || q.from, { message: 'to needs from' })
  .refine(q => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to',
  });
/** @public */
export type RangeQuery = z.infer<typeof rangeQuerySchema>;
