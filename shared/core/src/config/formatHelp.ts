import type { z } from 'zod';
import { configFields } from './schemaFields.js';

function showDefault(value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The options section of `--help`: every flag, its type, default, environment variable and meaning. */
export function formatOptions(schema: z.ZodObject, envPrefix: string): string {
  const fields = configFields(schema, envPrefix);
  const rows = fields.map((f) => {
    const value = f.kind === 'boolean' ? '' : f.choices ? ` <${f.choices.join('|')}>` : ` <${f.kind === 'other' ? 'json' : f.kind}>`;
    const left = `  --${f.flag}${value}`;
    const parts = [f.description || f.expected];
    if (f.hasDefault) parts.push(`default: ${f.secret ? '<redacted>' : showDefault(f.defaultValue) || '""'}`);
    else if (!f.optional) parts.push('required');
    parts.push(`env ${f.env}`);
    return { left, right: parts.join('; ') };
  });
  rows.push({ left: '  --config <file>', right: `JSON file with any of the options above, nested by their dots; env ${envPrefix}_CONFIG` });
  rows.push({ left: '  --print-config', right: 'print the resolved configuration (secrets redacted) and exit' });
  rows.push({ left: '  -h, --help', right: 'show this help' });
  const width = Math.min(44, Math.max(...rows.map((r) => r.left.length)) + 2);
  return rows
    .map((r) => (r.left.length + 1 > width ? `${r.left}\n${' '.repeat(width)}${r.right}` : `${r.left.padEnd(width)}${r.right}`))
    .join('\n');
}
