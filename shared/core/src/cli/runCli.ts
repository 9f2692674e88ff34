import { existsSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { CrucibleError, describeError } from '../errors.js';
import { formatOptions } from '../config/formatHelp.js';
import { loadConfig, redactConfig } from '../config/loadConfig.js';
import { createLogger, type Logger, type LogFormat, type LogLevel } from '../log.js';

/**
 * A thin command-line front for a process: pick the subcommand, load and validate its config, run it,
 * map the outcome to an exit code (0 ok, 1 runtime failure, 2 usage/config error) and turn the first
 * SIGINT/SIGTERM into an abort signal (a second one exits at once).
 */
export interface CommandContext {
  logger: Logger;
  /** Aborted on SIGINT/SIGTERM; long-running commands stop and close their resources. */
  signal: AbortSignal;
  /** Where the command prints its result (stdout by default). */
  print: (text: string) => void;
}

export interface Command<S extends z.ZodObject = z.ZodObject> {
  summary: string;
  /** Extra help text shown after the options. */
  details?: string;
  schema: S;
  run: (config: z.output<S>, context: CommandContext) => Promise<number | void>;
}

export interface CliSpec {
  name: string;
  description: string;
  envPrefix?: string;
  /** Command names to commands; `default` runs when no command name is given. */
  commands: Record<string, Command<any>>;
}

export interface CliIo {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Installs signal handlers; tests pass a no-op. */
  onSignal?: (handler: (signal: string) => void) => () => void;
}

export function defineCommand<S extends z.ZodObject>(command: Command<S>): Command<S> {
  return command;
}

function commandList(spec: CliSpec): string {
  const names = Object.keys(spec.commands);
  const width = Math.max(...names.map((n) => n.length)) + 4;
  return names.map((n) => `  ${(n === 'default' ? '(none)' : n).padEnd(width)}${spec.commands[n]!.summary}`).join('\n');
}

export function formatCommandHelp(spec: CliSpec, name: string): string {
  const command = spec.commands[name]!;
  const prefix = spec.envPrefix ?? 'CRUCIBLE';
  const usage = name === 'default' ? spec.name : `${spec.name} ${name}`;
  const others = Object.keys(spec.commands).filter((n) => n !== name);
  return [
    `${usage} — ${command.summary}`,
    '',
    `Usage: ${usage} [options]`,
    '',
    'Options (precedence: defaults < --config file < environment < flags):',
    formatOptions(command.schema, prefix),
    ...(command.details ? ['', command.details] : []),
    ...(others.length && name === 'default' ? ['', 'Commands:', commandList(spec), '', `Run '${spec.name} <command> --help' for a command's options.`] : []),
  ].join('\n');
}

function formatOverview(spec: CliSpec): string {
  return [`${spec.name} — ${spec.description}`, '', `Usage: ${spec.name} <command> [options]`, '', 'Commands:', commandList(spec), '', `Run '${spec.name} <command> --help' for a command's options.`].join('\n');
}

function defaultSignals(handler: (signal: string) => void): () => void {
  const onInt = () => handler('SIGINT');
  const onTerm = () => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
}

/** Runs the CLI and resolves to the process exit code; never throws. */
export async function runCli(spec: CliSpec, io: CliIo): Promise<number> {
  const argv = [...io.argv];
  const first = argv[0];
  let name = 'default';
  if (first !== undefined && !first.startsWith('-')) {
    if (spec.commands[first]) {
      name = first;
      argv.shift();
    } else if (!spec.commands.default || Object.keys(spec.commands).length > 1) {
      io.stderr(`${spec.name}: unknown command '${first}'\n\n${formatOverview(spec)}\n`);
      return 2;
    }
  }
  const command = spec.commands[name];
  if (!command) {
    const wantsHelp = argv.includes('--help') || argv.includes('-h');
    (wantsHelp ? io.stdout : io.stderr)(formatOverview(spec) + '\n');
    return wantsHelp ? 0 : 2;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(formatCommandHelp(spec, name) + '\n');
    return 0;
  }
  const printConfig = argv.includes('--print-config');
  const envPrefix = spec.envPrefix ?? 'CRUCIBLE';
  let config: Record<string, unknown>;
  try {
    config = loadConfig(command.schema, { argv: argv.filter((a) => a !== '--print-config'), env: io.env, envPrefix }).config as Record<string, unknown>;
  } catch (error) {
    if (error instanceof CrucibleError) {
      io.stderr(`${spec.name}${name === 'default' ? '' : ' ' + name}: ${error.message}\nRun with --help to see every option.\n`);
      return 2;
    }
    throw error;
  }
  if (printConfig) {
    io.stdout(JSON.stringify(redactConfig(command.schema, config, envPrefix), null, 2) + '\n');
    return 0;
  }
  const logging = (config.logging ?? {}) as { level?: LogLevel; format?: LogFormat | 'auto' };
  const logger = createLogger({
    name: name === 'default' ? spec.name : `${spec.name}:${name}`,
    level: logging.level ?? 'info',
    ...(logging.format && logging.format !== 'auto' ? { format: logging.format } : {}),
    write: (line) => io.stderr(line + '\n'),
  });
  const controller = new AbortController();
  let signals = 0;
  const uninstall = (io.onSignal ?? defaultSignals)((signal) => {
    signals++;
    if (signals === 1) {
      logger.info('stopping', { signal });
      controller.abort(new CrucibleError('INTERNAL', `received ${signal}`));
    } else {
      logger.warn('second signal, exiting now', { signal });
      process.exit(130);
    }
  });
  try {
    const code = await command.run(config, { logger, signal: controller.signal, print: (t) => io.stdout(t.endsWith('\n') ? t : t + '\n') });
    return code ?? 0;
  } catch (error) {
    const usage = error instanceof CrucibleError && (error.code === 'USAGE' || error.code === 'CONFIG_INVALID');
    logger.error(usage ? 'invalid usage' : 'failed', { error: describeError(error) });
    if (!(error instanceof CrucibleError)) io.stderr(`${(error as Error)?.stack ?? String(error)}\n`);
    return usage ? 2 : 1;
  } finally {
    uninstall();
  }
}

/** The `main` of a bin: runs the CLI against this process and exits with its code. */
export function runCliMain(spec: CliSpec): void {
  runCli(spec, {
    argv: process.argv.slice(2),
    env: process.env,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  }).then(
    (code) => {
      process.exitCode = code;
      // Give stdout a moment to drain, then make sure lingering handles don't keep a finished CLI alive.
      setTimeout(() => process.exit(code), 200).unref();
    },
    (error: unknown) => {
      process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
      process.exit(1);
    },
  );
}

/**
 * Runs `spec` when the module at `moduleUrl` is the program node was started with (`node src/cli.ts`
 * under tsx in tests), and does nothing when it is imported (by a package's bin/ launcher, which calls
 * runCliMain itself, or by a test).
 */
export function runCliIfMain(moduleUrl: string, spec: CliSpec): void {
  const invoked = process.argv[1];
  if (invoked !== undefined && existsSync(invoked) && moduleUrl === pathToFileURL(realpathSync(invoked)).href) runCliMain(spec);
}
