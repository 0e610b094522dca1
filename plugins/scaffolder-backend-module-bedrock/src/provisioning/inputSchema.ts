/*
 * One input schema per action, read two ways. Without a configuration it is what the action
 * declares (`schema.input`: each field's type, whether it may be left out, its description: the
 * template form and the scaffolder's own check). With bedrock.provisioning it is the parser: the
 * same fields, each checked against the configuration and the AWS limits, defaults filled in.
 */
import { z as zod, type ZodTypeAny } from 'zod';
import type { ProvisioningConfig } from '../config';

/** The zod the fields are built with: this package's for the parser, the scaffolder's for `schema.input`. */
export type Zod = typeof zod;

/** One input field: its type and description, and what the parser adds to it. */
export interface InputField<T extends ZodTypeAny = ZodTypeAny> {
  type: T;
  /** The parser's checks (the declared schema leaves them out, so the form keeps its messages). */
  check?: (type: T, cfg: ProvisioningConfig) => ZodTypeAny;
  /** May be left out. */
  optional?: boolean;
  /** May be left out; the parser fills this in. */
  default?: (cfg: ProvisioningConfig) => unknown;
}

/** An input field; typed so that `check` gets the field's own zod type. */
export const field = <T extends ZodTypeAny>(f: InputField<T>) =>
  f as unknown as InputField;

/** The fields of an action's input, built with the zod given. */
export type InputFields = (z: Zod) => Record<string, InputField>;

/** The declared schema of one field, as the action's `schema.input` gives it. */
export const declaredField = (f: InputField): ZodTypeAny =>
  f.optional || f.default ? f.type.optional() : f.type;

/** The parser of an action's input: its fields checked against the configuration. */
export function inputParser(
  fields: InputFields,
  cfg: ProvisioningConfig,
  z: Zod = zod,
) {
  return z.object(
    Object.fromEntries(
      Object.entries(fields(z)).map(([name, f]) => {
        let type = f.check ? f.check(f.type, cfg) : f.type;
        if (f.default) type = type.default(f.default(cfg));
        else if (f.optional) type = type.optional();
        return [name, type];
      }),
    ),
  );
}
