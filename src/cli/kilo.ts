import path from 'node:path';
import { InstallError, installKiloPlugin } from '../kilo/install';
import { readActivity } from '../kilo/logs';
import { parseFlags, UsageError } from './io';
import type { CliIO, Command } from './io';

const USAGE = 'convergence-route kilo install [--dir PROJECT] [--global] | kilo status [--dir PROJECT]';

function install(args: string[], io: CliIO): number {
  const { values, positionals } = parseFlags(args, { dir: { type: 'string' }, global: { type: 'boolean' } }, USAGE);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; usage: ${USAGE}`);
  const project = path.resolve(io.cwd, values.dir ?? '.');
  try {
    // CONVERGENCE_KILO_PLUGIN points at another build of the plugin (a dev build, a test's copy).
    const source = io.env['CONVERGENCE_KILO_PLUGIN'];
    const result = installKiloPlugin({ project, global: values.global === true, env: io.env, ...(source ? { source } : {}) });
    io.out(result.message);
    return 0;
  } catch (err) {
    if (err instanceof InstallError) {
      io.err(`convergence-route kilo install: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

function status(args: string[], io: CliIO): number {
  const { values, positionals } = parseFlags(args, { dir: { type: 'string' } }, USAGE);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; usage: ${USAGE}`);
  const project = path.resolve(io.cwd, values.dir ?? '.');
  io.out(readActivity(project).text);
  return 0;
}

function run(args: string[], io: CliIO): number {
  const [sub, ...rest] = args;
  if (sub === 'install') return install(rest, io);
  if (sub === 'status') return status(rest, io);
  throw new UsageError(sub === undefined ? `missing a subcommand; usage: ${USAGE}` : `unknown subcommand "${sub}"; usage: ${USAGE}`);
}

export const kiloCommand: Command = {
  name: 'kilo',
  usage: USAGE,
  summary: 'install the Kilo routing plugin into a project (or for every project), or show what it routed',
  run,
};
