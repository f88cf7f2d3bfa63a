import { ANTI_PATTERNS } from './types';
import type { Domain, PatternProfile, RequestAnalysis, RouteRequest, Strength } from './types';

/**
 * A family of words that says something about a request. Each group counts once however many
 * of its words appear, and its effect is bounded by the figures here, so no single keyword can
 * move a score by more than a small, known amount.
 */
interface KeywordGroup {
  name: string;
  /** Alternatives matched as whole words, case-insensitively (a regular-expression source). */
  words: string;
  domain?: Domain;
  /** Added to difficulty (may be negative). */
  difficulty: number;
  /** Added to criticality. */
  criticality: number;
  /** Strengths this group calls for, with how much each matters. */
  strengths: Partial<Record<Strength, number>>;
}

const GROUPS: readonly KeywordGroup[] = [
  {
    name: 'security',
    words: String.raw`auth\w*|jwt|oauth|login|password|session token|csrf|xss|encrypt\w*|crypt\w*|secrets?|permission|rbac|sanitiz\w*|vulnerab\w*|email verification|2fa|mfa|signup|sign[- ]up`,
    domain: 'security',
    difficulty: 0.1,
    criticality: 0.5,
    strengths: { security: 1, 'error-handling': 0.5 },
  },
  {
    name: 'data',
    words: String.raw`sql|postgres\w*|mysql|sqlite|database|schema|migrations?|transactions?|orm|query|queries|index(?:es)?|mongo\w*|redis`,
    domain: 'data',
    difficulty: 0.06,
    criticality: 0.25,
    strengths: { sql: 1 },
  },
  {
    name: 'concurrency',
    words: String.raw`concurren\w*|race condition|deadlock|thread\w*|mutex|locks?|async\w*|parallel\w*|goroutines?|workers?|queue`,
    domain: 'concurrency',
    difficulty: 0.08,
    criticality: 0.2,
    strengths: { concurrency: 1, reasoning: 0.5 },
  },
  {
    name: 'api',
    words: String.raw`api|endpoints?|rest(?:ful)?|graphql|grpc|webhooks?|routes?|http|server|middleware|sdk`,
    domain: 'api',
    difficulty: 0.04,
    criticality: 0.05,
    strengths: { 'api-design': 1, architecture: 0.3 },
  },
  {
    name: 'ui',
    words: String.raw`ui|css|html|react|vue|svelte|angular|components?|layout|button|modal|frontend|front-end|tailwind|styles?`,
    domain: 'ui',
    difficulty: 0.02,
    criticality: 0,
    strengths: { frontend: 1 },
  },
  {
    name: 'tests',
    words: String.raw`tests?|unit tests?|spec|coverage|mocks?|fixtures?|pytest|jest|mocha|vitest`,
    domain: 'tests',
    difficulty: 0.02,
    criticality: 0,
    strengths: { testing: 1 },
  },
  {
    name: 'refactor',
    words: String.raw`refactor\w*|restructur\w*|clean ?up|extract|decouple|simplify|dedupe|deduplicate|split`,
    domain: 'refactor',
    difficulty: 0.04,
    criticality: 0,
    strengths: { refactoring: 1, architecture: 0.3 },
  },
  {
    name: 'docs',
    words: String.raw`docs?|documentation|readme|docstrings?|jsdoc|tsdoc|comments?|changelog|explain`,
    domain: 'docs',
    difficulty: -0.04,
    criticality: 0,
    strengths: { documentation: 1 },
  },
  {
    name: 'scope',
    words: String.raw`system|production|architecture|architect|design|scalab\w*|distributed|microservices?|from scratch|end[- ]to[- ]end|platform|framework|pipeline|infrastructure|full[- ]stack`,
    difficulty: 0.22,
    criticality: 0.15,
    strengths: { architecture: 1, reasoning: 0.5 },
  },
  {
    name: 'breadth',
    words: String.raw`entire|whole|across|every file|all files|codebase|repository|monorepo|multiple files|project-wide`,
    difficulty: 0.1,
    criticality: 0,
    strengths: { agentic: 1, 'long-context': 0.5 },
  },
  {
    name: 'debugging',
    words: String.raw`bug|fix\w*|error|exception|traceback|stack ?trace|crash\w*|fails?|failing|broken|regression|incorrect\w*|wrong|unexpected\w*|does not work|doesn't work`,
    difficulty: 0.06,
    criticality: 0.05,
    strengths: { debugging: 1 },
  },
  {
    name: 'algorithmic',
    words: String.raw`algorithm\w*|optimi[sz]\w*|performance|complexity|dynamic programming|graph|parser|compiler|numerical|matrix|recursion|recursive`,
    difficulty: 0.1,
    criticality: 0,
    strengths: { algorithms: 1, reasoning: 0.7 },
  },
  {
    name: 'robustness',
    words: String.raw`robust\w*|retr(?:y|ies)|idempoten\w*|fault[- ]toleran\w*|resilien\w*|validat\w*|edge cases?|rate limit\w*|backoff`,
    difficulty: 0.06,
    criticality: 0.1,
    strengths: { 'error-handling': 1 },
  },
  {
    name: 'money',
    words: String.raw`payments?|billing|invoices?|stripe|checkout|financial|ledger|money`,
    difficulty: 0.05,
    criticality: 0.3,
    strengths: { security: 0.5, 'error-handling': 0.5 },
  },
  {
    name: 'trivial',
    words: String.raw`rename|typo|spelling|reformat|format|indent\w*|whitespace|bump|add (?:a )?log|print statement|one[- ]liner|small change|tweak|lint`,
    difficulty: -0.3,
    criticality: -0.1,
    strengths: { speed: 1 },
  },
];

/**
 * One pass over the text finds every group at once: each group is a capture, and one more
 * capture counts list separators. Sixteen separate scans cost several times more.
 */
const LIST_SEPARATOR = String.raw`,|;|\band\b|\bwith\b|\n\s*[-*\d]`;
const SCANNER = new RegExp(`${GROUPS.map((g) => `\\b(${g.words})\\b`).join('|')}|(${LIST_SEPARATOR})`, 'gi');
const LIST_CAPTURE = GROUPS.length + 1;
/** Each group's strengths as pairs, computed once rather than on every request. */
const GROUP_STRENGTHS = GROUPS.map((g) => Object.entries(g.strengths) as [Strength, number][]);

/** Which groups a text mentions, and how many list separators it has. */
function scan(text: string): { groups: boolean[]; listItems: number } {
  const groups = new Array<boolean>(GROUPS.length).fill(false);
  let listItems = 0;
  SCANNER.lastIndex = 0;
  for (let m = SCANNER.exec(text); m !== null; m = SCANNER.exec(text)) {
    if (m[LIST_CAPTURE] !== undefined) {
      listItems++;
      continue;
    }
    for (let i = 1; i < LIST_CAPTURE; i++) {
      if (m[i] !== undefined) {
        groups[i - 1] = true;
        break;
      }
    }
  }
  return { groups, listItems };
}

const HARD_LANGUAGES = /^(rust|rs|cpp|c\+\+|c|haskell|hs|scala|ocaml|ml)$/i;

/** A request with none of the groups above: a small, ordinary coding request. */
const BASE_DIFFICULTY = 0.3;
/** Upper bounds of each kind of contribution, so that the sum stays interpretable. */
const MAX_GROUP_SUM = 0.45;
const MAX_LENGTH_BONUS = 0.12;
const MAX_LIST_BONUS = 0.12;
const MAX_CONTEXT_BONUS = 0.1;
const MAX_PATTERN_BONUS = 0.08;

const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

/**
 * Estimates how hard and how critical a request is, which areas it touches and which model
 * strengths it calls for. Deterministic and cheap: a handful of precompiled regular
 * expressions over the text, bounded contributions, no allocation proportional to the models.
 */
export function analyzeRequest(request: RouteRequest): RequestAnalysis {
  const text = request.text;
  const reasons: string[] = [];
  const domains: Domain[] = [];
  const strengths: Partial<Record<Strength, number>> = {};
  let groupDifficulty = 0;
  let criticality = 0;

  const found = scan(text);
  for (let i = 0; i < GROUPS.length; i++) {
    const g = GROUPS[i];
    if (!g || !found.groups[i]) continue;
    groupDifficulty += g.difficulty;
    criticality += g.criticality;
    if (g.domain) domains.push(g.domain);
    for (const [s, w] of GROUP_STRENGTHS[i] ?? []) {
      strengths[s] = Math.max(strengths[s] ?? 0, w);
    }
    reasons.push(g.name);
  }
  groupDifficulty = clamp(groupDifficulty, -0.3, MAX_GROUP_SUM);

  // Longer requests tend to ask for more; the effect is logarithmic and capped. Only the
  // request's own words count: pasted code, tracebacks and logs make a text long without
  // asking for more (a ten-line traceback is one bug, not ten deliverables).
  const prose = withoutPastedMaterial(text);
  const words = countWords(prose);
  const lengthBonus = clamp((Math.log2(Math.max(words, 1) / 12) / 4) * MAX_LENGTH_BONUS, 0, MAX_LENGTH_BONUS);
  // "JWT, PostgreSQL, email verification": each listed item is another deliverable.
  const listItems = prose === text ? found.listItems : scan(prose).listItems;
  const listBonus = Math.min(listItems * 0.03, MAX_LIST_BONUS);

  let contextBonus = 0;
  if (request.selectionLines && request.selectionLines > 0) {
    contextBonus += clamp(Math.log10(request.selectionLines) / 4, 0, 1) * 0.06;
    if (request.selectionLines > 400) strengths['long-context'] = Math.max(strengths['long-context'] ?? 0, 0.7);
  }
  const languages = request.languages ?? [];
  if (languages.some((l) => HARD_LANGUAGES.test(l))) contextBonus += 0.03;
  if (languages.length > 1 && new Set(languages.map((l) => l.toLowerCase())).size > 1) contextBonus += 0.02;
  contextBonus = Math.min(contextBonus, MAX_CONTEXT_BONUS);

  const patternBonus = patternDifficulty(request.patternProfile);

  const difficulty = clamp(BASE_DIFFICULTY + groupDifficulty + lengthBonus + listBonus + contextBonus + patternBonus, 0.02, 0.98);
  criticality = clamp(criticality, 0, 1);
  if (difficulty >= 0.6) strengths.reasoning = Math.max(strengths.reasoning ?? 0, 0.5);

  // Agent turns read context and write code; both grow with difficulty. Rough, documented in
  // docs/convergence-scoring.md; used for cost and latency estimates only.
  const estimatedInputTokens = Math.round(3000 + text.length / 4 + (request.selectionLines ?? 0) * 12 + 30000 * difficulty * difficulty);
  const estimatedOutputTokens = Math.round(150 + 6000 * difficulty * difficulty);

  if (lengthBonus > 0.02) reasons.push(`${words} words`);
  if (listBonus > 0) reasons.push(`${Math.min(listItems, 4)}+ listed items`);
  if (patternBonus > 0) reasons.push('session anti-patterns');

  return {
    difficulty,
    criticality,
    domains,
    strengthsCalledFor: strengths,
    estimatedInputTokens,
    estimatedOutputTokens,
    reasons,
  };
}

/** Tangled session code makes any change to it harder: up to a small, fixed bonus. */
function patternDifficulty(profile: PatternProfile | undefined): number {
  if (!profile) return 0;
  let perKloc = 0;
  for (const p of ANTI_PATTERNS) perKloc += profile[p] ?? 0;
  // 20 anti-pattern findings per thousand lines is heavy; saturate there.
  return clamp(perKloc / 20, 0, 1) * MAX_PATTERN_BONUS;
}

/** A line that opens or closes a fenced block (``` or ~~~, as in Markdown). */
const FENCE = /^\s*(```|~~~)/;
/** Lines pasted from a terminal or a log rather than written: REPL and shell prompts, quotes. */
const PASTED_LINE = /^(?:\s*(?:>>>|\.\.\.|\$|In \[\d+\]:|Out\[\d+\]:)(?:\s|$)|>| {4}|\t)/;
const TRACEBACK_START = /^\s*Traceback \(most recent call last\):/;

/**
 * The request's prose: the text without fenced code blocks, Python-style tracebacks, indented
 * (code) lines, prompt lines of pasted terminal sessions and quoted lines. Used for the length
 * and list counts only; keywords are still read everywhere (a traceback does say "bug").
 */
export function withoutPastedMaterial(text: string): string {
  const lines = text.split('\n');
  const kept: string[] = [];
  let fence: string | undefined;
  let traceback = false;
  for (const line of lines) {
    const f = FENCE.exec(line);
    if (fence !== undefined) {
      if (f && f[1] === fence) fence = undefined;
      continue;
    }
    if (f) {
      fence = f[1];
      continue;
    }
    if (traceback) {
      // A traceback runs over indented frames and ends at its unindented exception line.
      if (/^\s/.test(line)) continue;
      traceback = false;
      if (line.trim() !== '') continue;
    }
    if (TRACEBACK_START.test(line)) {
      traceback = true;
      continue;
    }
    if (PASTED_LINE.test(line)) continue;
    kept.push(line);
  }
  return kept.length === lines.length ? text : kept.join('\n');
}

function countWords(text: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || c === 10 || c === 9 || c === 13;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

/** Words describing difficulty, for recommendations. */
export function describeDifficulty(d: number): string {
  if (d < 0.2) return 'trivial';
  if (d < 0.4) return 'routine';
  if (d < 0.6) return 'moderate';
  if (d < 0.8) return 'hard';
  return 'very hard';
}
