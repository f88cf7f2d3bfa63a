import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Default size at which a log is rotated: the current file becomes `<name>.1`. */
export const DEFAULT_LOG_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Appends one JSON record as one line. When the line would take the file past `maxBytes`, the
 * file is first renamed to `<file>.1` (replacing an older `.1`), so a log never grows without
 * bound and the most recent history (between `maxBytes` and twice that) stays readable.
 * Synchronous on purpose: one short line costs tens of microseconds, and a write that finishes
 * before the hook returns cannot be lost when Kilo exits right after a one-shot `kilo run`.
 */
export function appendJsonLine(file: string, record: unknown, maxBytes: number = DEFAULT_LOG_MAX_BYTES): void {
  const line = JSON.stringify(record) + '\n';
  let size = -1;
  try {
    size = statSync(file).size;
  } catch {
    prepareDataDir(path.dirname(file));
  }
  if (size > 0 && size + Buffer.byteLength(line) > maxBytes) renameSync(file, `${file}.1`);
  appendFileSync(file, line);
}

/**
 * Creates a data folder with a `.gitignore` that ignores everything in it: decisions, outcomes
 * and session state are this machine's, not the project's history.
 */
export function prepareDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const ignore = path.join(dir, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '# Convergence Router: local routing logs and session state\n*\n');
}

/** A line that could not be read back, with where it was. */
export interface BadLine {
  file: string;
  line: number;
  message: string;
}

/**
 * Reads every record of a rotated log, oldest first (`<file>.1`, then `<file>`). Lines that are
 * not JSON objects (a torn last line after a crash, a hand edit) are skipped and reported,
 * never fatal. Missing files read as empty.
 */
export function readJsonLines(file: string): { records: Record<string, unknown>[]; bad: BadLine[] } {
  const records: Record<string, unknown>[] = [];
  const bad: BadLine[] = [];
  for (const f of [`${file}.1`, file]) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i]?.trim();
      if (!raw) continue;
      try {
        const v: unknown = JSON.parse(raw);
        if (typeof v === 'object' && v !== null && !Array.isArray(v)) records.push(v as Record<string, unknown>);
        else bad.push({ file: f, line: i + 1, message: 'not a JSON object' });
      } catch (err) {
        bad.push({ file: f, line: i + 1, message: err instanceof Error ? err.message : String(err) });
      }
    }
  }
  return { records, bad };
}
