import { createHash } from 'node:crypto';
import type { TemplateActionOptions } from '@backstage/plugin-scaffolder-node';
import { z as zod } from 'zod';
import {
  declaredField,
  type InputFields,
  type Zod,
} from '../provisioning/inputSchema';

/** Deterministic checkpoint key: the same action with the same input resumes the same checkpoint. */
export function checkpointKey(action: string, input: unknown): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(input ?? {}))
    .digest('hex')
    .slice(0, 16);
  return `${action}:${digest}`;
}

/** Makes a value JSON-clean (drops undefined) for ctx.output and checkpoints. */
export const json = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** The zod the scaffolder hands to schema functions (its own copy, not this package's `zod`). */
export type SchemaZod = Parameters<
  Required<NonNullable<TemplateActionOptions['schema']>>['input'][string]
>[0];
type SchemaField = (z: SchemaZod) => ReturnType<SchemaZod['any']>;

/**
 * An action's `schema.input`, from its one input schema (provisioning/inputs.ts): each field's
 * type, optionality and description, built with the scaffolder's zod. The handler parses
 * `ctx.input` with the same schema and the configuration's checks.
 */
export function actionInput(fields: InputFields): Record<string, SchemaField> {
  return Object.fromEntries(
    Object.keys(fields(zod)).map(name => [
      name,
      (z: SchemaZod) =>
        declaredField(
          fields(z as unknown as Zod)[name],
        ) as unknown as ReturnType<SchemaZod['any']>,
    ]),
  );
}
