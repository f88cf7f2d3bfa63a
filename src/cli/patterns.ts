import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { analyzeFiles, languageOfPath } from '../patterns/index';
import type { BatchInput, BatchResult } from '../patterns/index';
import { parseFlags, UsageError } from './io';
import type { CliIO, Command } from './io';

const USAGE = 'convergence-route patterns <file-or-dir>... [--json]';
const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', '.git']);
const MINIFIED_NAME = /[.-]min\.[cm]?js$/i;

/** Files to analyse under the given paths, in a stable order; directories are walked. */
export function collectFiles(paths: readonly string[], cwd: string): string[] {
  const out = new Set<string>();
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return; // unreadable directory: skipped, like a permission-denied folder in any walker
    }
    for (const name of entries) {
      const full = path.join(dir, name);
      let st;
      try {
        st = statSync(full);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (!SKIP_DIRS.has(name)) walk(full);
      } else if (st.isFile() && languageOfPath(name) && !MINIFIED_NAME.test(name) && !/\.d\.[cm]?ts$/.test(name)) out.add(full);
    }
  };
  for (const p of paths) {
    const full = path.resolve(cwd, p);
    if (!existsSync(full)) throw new UsageError(`no such file or directory: ${p}`);
    const st = statSync(full);
    if (st.isDirectory()) walk(full);
    else if (!languageOfPath(full)) throw new UsageError(`${p}: not a language the detectors parse (TypeScript, TSX, JavaScript, Python, Go, Java, Rust)`);
    else out.add(full);
  }
  return [...out];
}

/** The `--json` shape, exactly as the issue names it. */
export function patternsJson(result: BatchResult): object {
  return {
    files: result.files.map((f) => ({
      file: f.file,
      language: f.language,
      findings: f.findings.map((x) => ({ pattern: x.pattern, startLine: x.startLine, endLine: x.endLine, strength: x.strength, message: x.message })),
    })),
    profile: result.profile,
  };
}

function readable(result: BatchResult): string {
  const lines: string[] = [];
  for (const f of result.files) {
    const note = f.skipped ? `, not analysed: ${f.skipped}` : f.hasErrors ? ', has syntax errors (sound parts analysed)' : '';
    lines.push(`${f.file} (${f.language}, ${f.lines} lines${note})`);
    if (f.findings.length === 0 && !f.skipped) lines.push('  no findings');
    for (const x of f.findings) {
      const where = x.startLine === x.endLine ? `${x.startLine}` : `${x.startLine}-${x.endLine}`;
      lines.push(`  ${where.padEnd(11)} ${x.pattern.padEnd(23)} ${x.strength.toFixed(2)}  ${x.message}`);
    }
  }
  lines.push('', 'Profile (findings per 1,000 lines):');
  const entries = Object.entries(result.profile);
  if (entries.length === 0) lines.push('  (none)');
  for (const [p, v] of entries) lines.push(`  ${p.padEnd(23)} ${v.toFixed(2)}`);
  return lines.join('\n');
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, { json: { type: 'boolean' } }, USAGE);
  if (positionals.length === 0) throw new UsageError(`name at least one file or directory; usage: ${USAGE}`);
  const files = collectFiles(positionals, io.cwd);
  const inputs: BatchInput[] = [];
  for (const full of files) {
    let text: string;
    try {
      text = readFileSync(full, 'utf8');
    } catch (err) {
      io.err(`warning: could not read ${full}: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    const rel = path.relative(io.cwd, full);
    inputs.push({ file: rel.startsWith('..') ? full : rel.split(path.sep).join('/'), text });
  }
  const result = await analyzeFiles(inputs);
  for (const f of result.failures) io.err(`warning: detector failed: ${f}`);
  io.out(values.json ? JSON.stringify(patternsJson(result)) : readable(result));
  return 0;
}

export const patternsCommand: Command = { name: 'patterns', usage: USAGE, summary: 'list the design patterns and anti-patterns found in files or directories', run };
