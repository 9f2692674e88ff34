import { z } from 'zod';

/**
 * The flat view of a process's config schema: one entry per leaf, with the flag and environment
 * variable that set it. Flags use Bittensor's spelling: nested keys joined with dots, camelCase
 * segments in kebab-case (`wallet.name` → `--wallet.name`, `rpcPort` → `--rpc-port`).
 */
export type FieldKind = 'string' | 'number' | 'boolean' | 'enum' | 'array' | 'other';

export interface ConfigField {
  path: string[];
  flag: string;
  env: string;
  kind: FieldKind;
  description: string;
  defaultValue: unknown;
  hasDefault: boolean;
  optional: boolean;
  secret: boolean;
  choices?: string[];
  /** What a valid value looks like, for help and error messages. */
  expected: string;
}

type AnySchema = z.core.$ZodType;

function def(schema: AnySchema): { type: string; [key: string]: unknown } {
  return (schema as unknown as { _zod: { def: { type: string } } })._zod.def;
}

function meta(schema: AnySchema): Record<string, unknown> | undefined {
  return z.globalRegistry.get(schema as z.ZodType) as Record<string, unknown> | undefined;
}

export function kebab(segment: string): string {
  return segment.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

function envSegment(segment: string): string {
  return kebab(segment).replace(/[-.]/g, '_').toUpperCase();
}

interface Unwrapped {
  inner: AnySchema;
  description: string;
  defaultValue: unknown;
  hasDefault: boolean;
  optional: boolean;
  secret: boolean;
}

/** Peels default/optional/nullable/pipe wrappers, collecting what each layer says about the field. */
function unwrap(schema: AnySchema): Unwrapped {
  const out: Unwrapped = { inner: schema, description: '', defaultValue: undefined, hasDefault: false, optional: false, secret: false };
  let current = schema;
  for (;;) {
    const m = meta(current);
    if (m) {
      if (!out.description && typeof m.description === 'string') out.description = m.description;
      if (m.secret === true) out.secret = true;
    }
    const d = def(current);
    if (d.type === 'default' || d.type === 'prefault') {
      if (!out.hasDefault) {
        out.hasDefault = true;
        out.defaultValue = d.defaultValue;
      }
      current = d.innerType as AnySchema;
    } else if (d.type === 'optional' || d.type === 'nullable') {
      out.optional = true;
      current = d.innerType as AnySchema;
    } else if (d.type === 'pipe') {
      current = d.in as AnySchema;
    } else {
      out.inner = current;
      return out;
    }
  }
}

function describeNumber(schema: AnySchema): string {
  const checks = (def(schema).checks as Array<{ _zod: { def: Record<string, unknown> } }> | undefined) ?? [];
  const parts: string[] = [];
  let integer = false;
  for (const check of checks) {
    const c = check._zod.def;
    if (c.check === 'number_format' && typeof c.format === 'string' && /int/.test(c.format)) integer = true;
    if (c.check === 'greater_than') parts.push(`${c.inclusive ? '>=' : '>'} ${String(c.value)}`);
    if (c.check === 'less_than') parts.push(`${c.inclusive ? '<=' : '<'} ${String(c.value)}`);
  }
  return `${integer ? 'an integer' : 'a number'}${parts.length ? ' ' + parts.join(' and ') : ''}`;
}

function classify(inner: AnySchema): Pick<ConfigField, 'kind' | 'expected' | 'choices'> {
  const d = def(inner);
  switch (d.type) {
    case 'string':
      return { kind: 'string', expected: 'a string' };
    case 'number':
    case 'int':
      return { kind: 'number', expected: describeNumber(inner) };
    case 'boolean':
      return { kind: 'boolean', expected: 'true or false' };
    case 'enum': {
      const choices = Object.values(d.entries as Record<string, string>).map(String);
      return { kind: 'enum', expected: `one of ${choices.join(', ')}`, choices };
    }
    case 'literal': {
      const values = (d.values as unknown[]).map(String);
      return { kind: 'enum', expected: `one of ${values.join(', ')}`, choices: values };
    }
    case 'array':
      return { kind: 'array', expected: 'a comma-separated list' };
    default:
      return { kind: 'other', expected: 'a JSON value' };
  }
}

export function isObjectSchema(schema: AnySchema): boolean {
  return def(unwrap(schema).inner).type === 'object';
}

/** Every leaf of an object schema, in declaration order, nested objects flattened. */
export function configFields(schema: AnySchema, envPrefix: string, path: string[] = []): ConfigField[] {
  const { inner } = unwrap(schema);
  const shape = (def(inner).shape ?? {}) as Record<string, AnySchema>;
  const fields: ConfigField[] = [];
  for (const [key, child] of Object.entries(shape)) {
    const childPath = [...path, key];
    if (isObjectSchema(child)) {
      fields.push(...configFields(child, envPrefix, childPath));
      continue;
    }
    const u = unwrap(child);
    fields.push({
      path: childPath,
      flag: childPath.map(kebab).join('.'),
      env: [envPrefix, ...childPath.map(envSegment)].join('_'),
      description: u.description,
      defaultValue: u.defaultValue,
      hasDefault: u.hasDefault,
      optional: u.optional,
      secret: u.secret,
      ...classify(u.inner),
    });
  }
  return fields;
}
