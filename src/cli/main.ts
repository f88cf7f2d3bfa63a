import { COMMANDS } from './commands';
import { UsageError } from './io';
import type { CliIO } from './io';

function help(): string {
  const lines = ['convergence-route — score candidate models locally and pick one', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.usage}`, `      ${c.summary}`);
  return lines.join('\n');
}

/**
 * Runs one CLI invocation and returns its exit code: 0 success, 1 failure while working,
 * 2 bad input (one line on stderr, never a stack trace).
 */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`convergence-route: unknown command "${name}"; commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`convergence-route ${name}: ${err.message}`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.err(`convergence-route ${name}: ${message}`);
    return 1;
  }
}
