import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CodeReviewer, defaultCacheFile, fileReviewStorage, patternHeuristic } from '../review';
import type { CodeReview, HeuristicReviewer, ReviewErrorKind, ReviewLogger } from '../review';
import { loadCliConfig } from './config';
import { parseFlags, UsageError } from './io';
import type { CliIO, Command } from './io';

const USAGE = 'convergence-route review <file> [--json] [--timeout-ms N] [--config F]';

/** The `--json` shape, exactly as the issue names it. */
export interface ReviewJson extends CodeReview {
  cached: boolean;
  source: 'claude' | 'heuristic-fallback';
  /** Why Claude did not review it, when `source` is the fallback. */
  error?: string;
}

/** The model id the CLI records reviews under: it reviews files, not a model's output. */
const CLI_MODEL_ID = 'cli';

/** Kinds the reviewer already logs (to stderr here), so the text output need not repeat them. */
const LOGGED: ReadonlySet<ReviewErrorKind> = new Set(['auth', 'rate-limit', 'server', 'rejected', 'network', 'timeout', 'malformed']);

function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) <= 0) {
    throw new UsageError(`${flag}: "${value}" is not a positive whole number of milliseconds; usage: ${USAGE}`);
  }
  return Number(value);
}

/** Builds the command around a heuristic, so the pattern detectors can be put in its place. */
export function makeReviewCommand(heuristic: HeuristicReviewer): Command {
  async function run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseFlags(args, { json: { type: 'boolean' }, 'timeout-ms': { type: 'string' }, config: { type: 'string' } }, USAGE);
    if (positionals.length !== 1) {
      throw new UsageError(`${positionals.length === 0 ? 'missing the file to review' : `one file at a time, got ${positionals.length}`}; usage: ${USAGE}`);
    }
    const name = positionals[0] ?? '';
    const timeoutMs = positiveInt('--timeout-ms', values['timeout-ms']);
    let code: string;
    try {
      code = readFileSync(path.resolve(io.cwd, name), 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${name}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    if (code.trim() === '') throw new UsageError(`${name} is empty: nothing to review`);

    const { config, warnings } = loadCliConfig(io, values.config);
    for (const w of warnings) io.err(`warning: ${w}`);
    const settings = { ...config.opus, ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
    const cacheFile = settings.cache ? defaultCacheFile(io.env) : undefined;
    const logger: ReviewLogger = { info: () => undefined, warn: (m) => io.err(`warning: ${m}`), error: (m) => io.err(`error: ${m}`) };
    const reviewer = new CodeReviewer({
      settings,
      env: io.env,
      logger,
      ...(cacheFile !== undefined ? { storage: fileReviewStorage(cacheFile) } : {}),
    });
    let result: ReviewJson;
    try {
      const outcome = await reviewer.requestReview({ code, modelId: CLI_MODEL_ID, file: name });
      if (outcome.ok) {
        result = { ...outcome.review, cached: outcome.cached, source: 'claude' };
      } else {
        result = { ...(await heuristic.review(code, name)), cached: false, source: 'heuristic-fallback', error: outcome.error.message };
        if (!values.json && !LOGGED.has(outcome.error.kind)) io.err(`note: ${outcome.error.message}`);
      }
      await reviewer.flush();
    } finally {
      reviewer.dispose();
    }
    io.out(values.json ? JSON.stringify(result, null, 2) : renderReview(name, result, heuristic.name));
    return 0;
  }
  return { name: 'review', usage: USAGE, summary: 'review one file with Claude (or the local heuristic without a key)', run };
}

/** The readable form. */
export function renderReview(file: string, r: ReviewJson, heuristicName: string): string {
  const source = r.source === 'claude' ? `Claude${r.cached ? ' (cached)' : ''}` : `local heuristic (${heuristicName}): Claude review unavailable`;
  const q = r.codeQuality;
  const out = [
    `Review of ${file} by ${source}`,
    `Robustness:  ${r.robustness}/100`,
    `Quality:     readability ${q.readability}, maintainability ${q.maintainability}, testability ${q.testability}, security ${q.security}`,
    `Patterns:    ${r.patterns.length > 0 ? r.patterns.join(', ') : 'none found'}`,
  ];
  if (r.reasoning.length > 0) out.push('Why:', ...r.reasoning.map((line) => `  - ${line}`));
  return out.join('\n');
}

export const reviewCommand: Command = makeReviewCommand(patternHeuristic);
