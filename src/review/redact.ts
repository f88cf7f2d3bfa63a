/**
 * Secret redaction for everything that leaves the machine: the code sent for review and any
 * message built from a server answer. Replacements keep the line count, so a changed range
 * given in the original's line numbers still points at the same lines afterwards.
 */

/** What replaces a secret. Short and unmistakable, so the reviewer sees that a value was there. */
export const REDACTED = '[REDACTED]';

/** The text with secrets replaced, and how many were found. */
export interface Redaction {
  text: string;
  count: number;
}

/**
 * Words that make a name a secret's name. `token` but not `tokens`/`tokenize`: token counts
 * (`input_tokens = "..."`) are everywhere in code that calls language models.
 */
const SECRET_WORD =
  '(?:secret|token(?!s|iz)|passw(?:or)?d|passphrase|pwd|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth[_-]?key|credentials?|session[_-]?key|signing[_-]?key|encryption[_-]?key)';

/**
 * A name containing a secret word (in assignments and object keys). Every open-ended run in
 * these patterns is bounded: minified code has lines of hundreds of kilobytes, and an
 * unbounded run tried from every word boundary would take quadratic time.
 */
const SECRET_NAME = `[A-Za-z0-9_.-]{0,40}${SECRET_WORD}[A-Za-z0-9_.-]{0,40}`;

/**
 * Token formats that are secrets wherever they appear. Prefix-anchored so ordinary identifiers
 * do not match; lengths are the issuers' documented minimums or a little below.
 */
const TOKEN_PATTERNS: readonly RegExp[] = [
  /\bsk-ant-[A-Za-z0-9_-]{8,}/g, // Anthropic
  /\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}/g, // OpenAI and look-alikes
  /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/g, // GitHub
  /\bglpat-[A-Za-z0-9_-]{20,}/g, // GitLab
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bAIza[0-9A-Za-z_-]{35}/g, // Google API keys
  /\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}/g, // Stripe
  /\bnpm_[A-Za-z0-9]{36}\b/g, // npm
  /\bhf_[A-Za-z0-9]{30,}/g, // Hugging Face
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWTs
  /\b(?:Bearer|Basic)\s+[A-Za-z0-9._~+/-]{16,}=*/g, // Authorization header values
];

/** `-----BEGIN ... PRIVATE KEY-----` blocks, including one cut off before its END line. */
const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g;

/** `scheme://user:password@host`: the password goes, the rest stays readable. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]{0,30}:\/\/[^\s:/@'"`]{1,128}:)([^\s@'"`/]{1,256})(@)/gi;

/** `password = "..."`, `"apiKey": '...'`, `token: \`...\``: a quoted value under a secret name. */
const QUOTED_ASSIGNMENT = new RegExp(`(\\b${SECRET_NAME}['"\`]?[ \\t]*(?::=|=>|[:=])[ \\t]*)(['"\`])([^'"\`\\n]{3,})\\2`, 'gi');

/**
 * `export API_TOKEN=abc123`: a dotenv or shell line (upper-case name, no spaces around `=`)
 * under a secret name, in any file. Code such as `API_TOKEN = readToken()` does not match.
 * Horizontal space only: `\s*` at a line start would run across blank lines, in quadratic time.
 */
const ENV_SECRET_LINE = new RegExp(`^([ \\t]*(?:export[ \\t]+)?[A-Z0-9_]{0,40}${SECRET_WORD.toUpperCase()}[A-Z0-9_]{0,40}=)([^\\s'"\`#][^\\n]*)$`, 'gm');

/** Any `.env` line: in a `.env` file every value is treated as a secret. */
const ENV_ANY_LINE = /^([ \t]*(?:export[ \t]+)?[A-Za-z_][A-Za-z0-9_.-]*[ \t]*=[ \t]*)(\S[^\n]*)$/gm;

/** True for `.env`, `.env.local`, `prod.env`, `.envrc`: files whose every value is a secret. */
export function isEnvFile(file: string | undefined): boolean {
  if (file === undefined) return false;
  const base = file.split(/[\\/]/).pop() ?? file;
  return /^\.env(?:rc|\..+)?$/i.test(base) || /\.env$/i.test(base);
}

const keepLines = (secret: string): string => REDACTED + '\n'.repeat((secret.match(/\n/g) ?? []).length);

/**
 * Replaces secrets in `text`: private keys, known token formats, passwords in connection
 * strings, quoted values under secret names, `.env`-style lines, and any of `extraSecrets`
 * (the host passes the API key itself, so it can never be echoed back).
 */
export function redactSecrets(text: string, options: { file?: string | undefined; extraSecrets?: readonly string[] } = {}): Redaction {
  let count = 0;
  let out = text;
  const swap = (re: RegExp, replace: (m: string, ...groups: string[]) => string): void => {
    out = out.replace(re, (m: string, ...rest: unknown[]) => {
      // Capture groups come first, then the numeric offset; unmatched groups are undefined.
      const groups = rest.slice(0, rest.findIndex((x) => typeof x === 'number')).map((g) => (typeof g === 'string' ? g : ''));
      const next = replace(m, ...groups);
      if (next !== m) count++;
      return next;
    });
  };
  for (const secret of options.extraSecrets ?? []) {
    if (secret.length < 8) continue; // too short to hunt for without mangling ordinary text
    const parts = out.split(secret);
    count += parts.length - 1;
    out = parts.join(REDACTED);
  }
  swap(PRIVATE_KEY, (m) => keepLines(m));
  for (const re of TOKEN_PATTERNS) swap(re, () => REDACTED);
  swap(URL_PASSWORD, (_m, scheme = '', _pw, at = '') => `${scheme}${REDACTED}${at}`);
  swap(QUOTED_ASSIGNMENT, (m, lead = '', quote = '', value = '') => (value === REDACTED ? m : `${lead}${quote}${REDACTED}${quote}`));
  swap(isEnvFile(options.file) ? ENV_ANY_LINE : ENV_SECRET_LINE, (m, lead = '', value = '') =>
    value.startsWith(REDACTED) ? m : `${lead}${REDACTED}`,
  );
  return { text: out, count };
}
