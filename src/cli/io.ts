import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

/** What a command may touch; tests pass their own. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/** Bad input from the user: printed as one line on stderr, exit code 2, never a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type CommandResult = number;

/** One subcommand: `convergence-route <name> ...`. */
export interface Command {
  name: string;
  /** One-line usage shown in `--help` and in usage errors. */
  usage: string;
  summary: string;
  run: (args: string[], io: CliIO) => Promise<CommandResult> | CommandResult;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict flag parsing; turns node's parse errors into {@link UsageError}s naming the flag. */
export function parseFlags<T extends Options>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] ?? err.message : String(err);
    throw new UsageError(`${message.replace(/\. To specify a positional argument.*$/, '')}; usage: ${usage}`);
  }
}

/** Comma-separated list flag → trimmed, non-empty items. */
export function listFlag(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
