import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { EVENT_TYPES, EventType } from './events';

const thresholdsSchema = z.array(z.number().min(1).max(1000)).min(1);

export interface NotifySettings {
  /** send owner notifications at all */
  enabled: boolean;
  events: Record<EventType, boolean>;
  /** percentages of the budget limit (actual spend) that notify once per period */
  budgetThresholds: number[];
  /** publish a "tenant changed" signal after each collection */
  signals: boolean;
}

export const DEFAULT_BUDGET_THRESHOLDS = [50, 80, 100];

/** Reads `bedrock.notifications` and `bedrock.signals`; every event type is on by default. */
export function readNotifySettings(config: Config): NotifySettings {
  const c = config.getOptionalConfig('bedrock.notifications');
  const events = Object.fromEntries(
    EVENT_TYPES.map(t => [
      t,
      c?.getOptionalBoolean(`events.${t}.enabled`) ?? true,
    ]),
  ) as Record<EventType, boolean>;
  const raw = c?.getOptional('budgetThresholds') ?? DEFAULT_BUDGET_THRESHOLDS;
  const parsed = thresholdsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InputError(
      `bedrock.notifications.budgetThresholds must list percentages between 1 and 1000, e.g. [50, 80, 100]: ${parsed.error.issues[0].message}`,
    );
  }
  const budgetThresholds = [...new Set(parsed.data)];
  return {
    enabled: c?.getOptionalBoolean('enabled') ?? true,
    events,
    budgetThresholds,
    signals: config.getOptionalBoolean('bedrock.signals.enabled') ?? true,
  };
}
