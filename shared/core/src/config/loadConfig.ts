import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CrucibleError } from '../errors.js';
import { configFields, type ConfigField } from './schemaFields.js';

/**
 * Loads one process's configuration. Precedence, lowest first: the schema's defaults < the config file
 * (`--config <file.json>` or `<PREFIX>_CONFIG`) < environment variables (`<PREFIX>_WALLET_NAME`) <
 * flags (`--wallet.name`). Unknown flags, unknown file keys and invalid values are all reported in
 * one CONFIG_INVALID error that names each field, the value given, where it came from and what was
 * expected.
 */
export type ConfigSourceName = 'default' | 'file' | 'env' | 'flag';

export interface LoadConfigOptions {
  argv: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  /** Environment variable prefix, e.g. `CRUCIBLE`. */
  envPrefix?: string;
}

export interface LoadedConfig<T> {
  config: T;
  /** Where each leaf's value came from, keyed by flag name. */
  sources: Record<string, ConfigSourceName>;
  configFile?: string;
}

export interface ParsedArgs {
  flags: Map<string, string | true>;
  positionals: string[];
}

/** Splits argv into `--flag value`, `--flag=value`, bare boolean flags and positionals. */
export function parseArgs(argv: readonly string[], booleanFlags: ReadonlySet<string>): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const body = arg.slice(2);
    const eq = body.indexOf('=');
    if (eq >= 0) {
      flags.set(body.slice(0, eq), body.slice(eq + 1));
      continue;
    }
    if (booleanFlags.has(body)) {
      const next = argv[i + 1];
      if (next === 'true' || next === 'false') {
        flags.set(body, next);
        i++;
      } else {
        flags.set(body, true);
      }
      continue;
    }
    if (body.startsWith('no-') && booleanFlags.has(body.slice(3))) {
      flags.set(body.slice(3), 'false');
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined || (next.startsWith('--') && next.length > 2)) {
      flags.set(body, true);
    } else {
      flags.set(body, next);
      i++;
    }
  }
  return { flags, positionals };
}

/** Turns a flag/env string into the field's type; leaves it a string when it can't, so zod names the problem. */
function coerce(field: ConfigField, raw: string | true): unknown {
  if (raw === true) return field.kind === 'boolean' ? true : raw;
  switch (field.kind) {
    case 'number': {
      const trimmed = raw.trim();
      if (trimmed === '') return raw;
      const n = Number(trimmed.replace(/_/g, ''));
      return Number.isNaN(n) ? raw : n;
    }
    case 'boolean':
      if (/^(true|1|yes)$/i.test(raw)) return true;
      if (/^(false|0|no)$/i.test(raw)) return false;
      return raw;
    case 'array':
      return raw === '' ? [] : raw.split(',').map((s) => s.trim());
    case 'other':
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return raw;
      }
    default:
      return raw;
  }
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

function closestFlag(flag: string, fields: ConfigField[]): ConfigField | undefined {
  let best: ConfigField | undefined;
  let bestDistance = 3;
  for (const field of fields) {
    const d = editDistance(flag, field.flag);
    if (d < bestDistance) {
      best = field;
      bestDistance = d;
    }
  }
  return best;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function getPath(source: unknown, path: string[]): unknown {
  let node = source;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function show(value: unknown, secret: boolean): string {
  if (secret && value !== undefined) return '"<redacted>"';
  if (value === undefined) return '(missing)';
  const text = JSON.stringify(value);
  return text.length > 80 ? text.slice(0, 77) + '...' : text;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new CrucibleError('CONFIG_FILE_UNREADABLE', `cannot read config file ${file}`, { cause, details: { file } });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new CrucibleError('CONFIG_FILE_UNREADABLE', `config file ${file} is not valid JSON: ${(cause as Error).message}`, {
      cause,
      details: { file },
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CrucibleError('CONFIG_FILE_UNREADABLE', `config file ${file} must hold a JSON object`, { details: { file } });
  }
  return parsed as Record<string, unknown>;
}

export function loadConfig<S extends z.ZodObject>(schema: S, options: LoadConfigOptions): LoadedConfig<z.output<S>> {
  const envPrefix = options.envPrefix ?? 'CRUCIBLE';
  const env = options.env ?? {};
  const fields = configFields(schema, envPrefix);
  const byFlag = new Map(fields.map((f) => [f.flag, f]));
  const booleans = new Set(fields.filter((f) => f.kind === 'boolean').map((f) => f.flag));
  const { flags, positionals } = parseArgs(options.argv, booleans);
  const problems: string[] = [];

  if (positionals.length > 0) problems.push(`unexpected argument${positionals.length > 1 ? 's' : ''}: ${positionals.join(' ')}`);

  const configFlag = flags.get('config');
  flags.delete('config');
  const configFile = typeof configFlag === 'string' ? configFlag : env[`${envPrefix}_CONFIG`];
  if (configFlag === true) problems.push('--config: expected a file path');

  const raw: Record<string, unknown> = configFile ? readConfigFile(configFile) : {};
  const sources: Record<string, ConfigSourceName> = {};
  for (const field of fields) {
    sources[field.flag] = getPath(raw, field.path) === undefined ? 'default' : 'file';
  }
  for (const field of fields) {
    const value = env[field.env];
    if (value !== undefined && value !== '') {
      setPath(raw, field.path, coerce(field, value));
      sources[field.flag] = 'env';
    }
  }
  for (const [flag, value] of flags) {
    const field = byFlag.get(flag);
    if (!field) {
      const near = closestFlag(flag, fields);
      problems.push(`--${flag}: unknown flag${near ? ` (did you mean --${near.flag}?)` : ''}`);
      continue;
    }
    if (value === true && field.kind !== 'boolean') {
      problems.push(`--${flag}: expected ${field.expected} after the flag, got nothing`);
      continue;
    }
    setPath(raw, field.path, coerce(field, value));
    sources[field.flag] = 'flag';
  }

  // A nested section nobody set is parsed as `{}`, so its fields' own defaults apply (zod 4 doesn't
  // parse a `.default()` value) and a missing required field is named. Sections are never optional.
  const sections = new Map<string, ConfigField[]>();
  for (const field of fields) {
    for (let n = 1; n < field.path.length; n++) {
      const key = field.path.slice(0, n).join('.');
      sections.set(key, [...(sections.get(key) ?? []), field]);
    }
  }
  for (const [key, members] of [...sections].sort((a, b) => a[0].split('.').length - b[0].split('.').length)) {
    const path = key.split('.');
    if (getPath(raw, path) === undefined && members.length > 0) setPath(raw, path, {});
  }

  const result = schema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        const where = issue.path.length ? `${issue.path.join('.')}.` : '';
        problems.push(`config file: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => where + k).join(', ')}`);
        continue;
      }
      const path = issue.path.map(String);
      const field = fields.find((f) => f.path.join('.') === path.slice(0, f.path.length).join('.'));
      if (!field) {
        problems.push(`${path.join('.') || '(config)'}: ${issue.message}`);
        continue;
      }
      const source = sources[field.flag] ?? 'default';
      const origin = source === 'flag' ? `--${field.flag}` : source === 'env' ? `${field.env}` : source === 'file' ? `${field.path.join('.')} in ${configFile}` : `--${field.flag}`;
      const value = getPath(raw, field.path);
      const expected = issue.code === 'custom' || issue.code === 'invalid_format' ? issue.message : `expected ${field.expected}`;
      problems.push(`${origin} = ${show(value, field.secret)}: ${expected}`);
    }
  }
  if (problems.length > 0) {
    throw new CrucibleError('CONFIG_INVALID', `invalid configuration (${problems.length} problem${problems.length > 1 ? 's' : ''}):\n  ${problems.join('\n  ')}`, {
      details: { problems },
    });
  }
  return { config: result.data as z.output<S>, sources, ...(configFile ? { configFile } : {}) };
}

/** The resolved config with every secret field replaced, for `--print-config` and start-up logs. */
export function redactConfig(schema: z.ZodObject, config: unknown, envPrefix = 'CRUCIBLE'): unknown {
  const copy = structuredClone(config) as Record<string, unknown>;
  for (const field of configFields(schema, envPrefix)) {
    if (field.secret && getPath(copy, field.path) !== undefined) setPath(copy, field.path, '<redacted>');
  }
  return copy;
}
