/**
 * Structured logs: one JSON object per line (for machines, the default off a terminal) or a readable
 * line (for people at a terminal). Written to stderr so stdout stays free for a command's output.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'pretty';
export type LogFields = Record<string, unknown>;

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose lines all carry `fields` (for example `{ window }`). */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  name: string;
  level?: LogLevel;
  format?: LogFormat;
  /** Where lines go; defaults to stderr. */
  write?: (line: string) => void;
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { message: value.message, name: value.name };
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  return value;
}

function prettyValue(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(5);
  return JSON.stringify(value, jsonSafe);
}

export function createLogger(options: LoggerOptions, bound: LogFields = {}): Logger {
  const min = levelRank[options.level ?? 'info'];
  const format = options.format ?? (process.stderr.isTTY ? 'pretty' : 'json');
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (levelRank[level] < min) return;
    const all = { ...bound, ...fields };
    if (format === 'json') {
      write(JSON.stringify({ time: new Date().toISOString(), level, name: options.name, msg, ...all }, jsonSafe));
    } else {
      const time = new Date().toISOString().slice(11, 23);
      const kv = Object.entries(all).map(([k, v]) => `${k}=${prettyValue(v)}`).join(' ');
      write(`${time} ${level.toUpperCase().padEnd(5)} ${options.name}: ${msg}${kv ? ' ' + kv : ''}`);
    }
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}
