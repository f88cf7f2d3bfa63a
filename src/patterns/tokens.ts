import type { LanguageId } from './types';

/** One lexical token: its text and where it is (UTF-16 offsets). */
export interface Token {
  value: string;
  start: number;
  end: number;
}

const OPERATORS = [
  '>>>=', '...', '===', '!==', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??=', '//=', '..=',
  '=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=',
  '**', '<<', '>>', '->', '::', ':=', '<-', '//', '..', '&^',
];
/** Python operators as Prism's Python grammar splits them (`->` and `...` are not one token there). */
const PY_OPERATORS = ['**=', '//=', '==', '!=', ':=', '<=', '>=', '<<', '>>', '<>', '**', '//', '+=', '-=', '%=', '*=', '/='];

function byFirst(ops: readonly string[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const op of ops) {
    const k = op[0] ?? '';
    m.set(k, [...(m.get(k) ?? []), op]);
  }
  return m;
}
const BY_FIRST = byFirst(OPERATORS);
const PY_BY_FIRST = byFirst(PY_OPERATORS);

/** Letters, digits, `_`, `$` and anything beyond Latin-1 punctuation continue an identifier. */
function isIdent(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c >= 0xc0;
}
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x3000 || c === 0x1680 || c === 0x202f || c === 0x205f;
}

/**
 * Splits source text into the tokens a copy-paste detector compares, close to jscpd 4's
 * Prism-based tokens in its default ("mild") mode: whitespace is dropped, comments are kept,
 * a string literal is one token, a template literal is split at its `${…}` parts. Never
 * throws; unterminated literals run to the end of the text.
 */
export function tokenize(text: string, language: LanguageId): Token[] {
  const out: Token[] = [];
  const js = language === 'javascript' || language === 'typescript' || language === 'tsx';
  const hashComments = language === 'python';
  const n = text.length;
  let i = 0;
  // Template-literal nesting: each entry is the brace depth at which the `${` was opened.
  const templates: number[] = [];
  let braces = 0;
  const push = (s: number, e: number): void => {
    out.push({ value: text.slice(s, e), start: s, end: e });
  };
  const scanString = (s: number, quote: string, multiline: boolean): number => {
    let j = s + quote.length;
    while (j < n) {
      const ch = text[j];
      if (ch === '\\' && language !== 'go') {
        j += 2;
        continue;
      }
      if (text.startsWith(quote, j)) return j + quote.length;
      if (ch === '\n' && !multiline) return j;
      j++;
    }
    return n;
  };
  const scanTemplate = (s: number): void => {
    // From `s` (just after "`" or "}"), emit string chunks up to "${" or the closing "`".
    let j = s;
    const chunkStart = j;
    while (j < n) {
      const ch = text[j];
      if (ch === '\\') {
        j += 2;
        continue;
      }
      if (ch === '`') {
        if (j > chunkStart) push(chunkStart, j);
        push(j, j + 1);
        i = j + 1;
        return;
      }
      if (ch === '$' && text[j + 1] === '{') {
        if (j > chunkStart) push(chunkStart, j);
        push(j, j + 2);
        templates.push(braces);
        braces++;
        i = j + 2;
        return;
      }
      j++;
    }
    if (j > chunkStart) push(chunkStart, j);
    i = n;
  };
  const regexAllowed = (): boolean => {
    const prev = out[out.length - 1];
    if (!prev) return true;
    const v = prev.value;
    if (/^[A-Za-z_$][\w$]*$/.test(v)) return /^(return|typeof|instanceof|in|of|new|delete|void|throw|case|do|else|yield|await)$/.test(v);
    if (/^[\d.]/.test(v)) return false;
    return !(v === ')' || v === ']' || v === '}' || v.startsWith('"') || v.startsWith("'") || v.startsWith('`'));
  };
  while (i < n) {
    const code = text.charCodeAt(i);
    if (isSpace(code)) {
      i++;
      continue;
    }
    const ch = text[i] ?? '';
    const start = i;
    // comments
    if ((ch === '/' && text[i + 1] === '/' && !hashComments) || (ch === '#' && hashComments)) {
      const e = text.indexOf('\n', i);
      i = e < 0 ? n : e;
      push(start, i);
      continue;
    }
    if (ch === '/' && text[i + 1] === '*' && !hashComments) {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
      push(start, i);
      continue;
    }
    // strings
    if (language === 'python' && /[rRbBuUfF]/.test(ch)) {
      const m = /^[rRbBuUfF]{1,2}(?=['"])/.exec(text.slice(i, i + 3));
      if (m) {
        const q = text.slice(i + m[0].length, i + m[0].length + 3);
        const quote = q === '"""' || q === "'''" ? q : q[0] ?? '"';
        i = scanString(i + m[0].length, quote, quote.length === 3);
        push(start, i);
        continue;
      }
    }
    if (language === 'rust' && (ch === 'r' || ch === 'b') && /^(br|r|b)#*"/.test(text.slice(i, i + 8))) {
      const m = /^(br|r|b)(#*)"/.exec(text.slice(i, i + 40));
      if (m) {
        const close = `"${m[2] ?? ''}`;
        const e = m[1] === 'b' && !m[2] ? scanString(i + 1, '"', true) : text.indexOf(close, i + m[0].length);
        i = e < 0 ? n : m[1] === 'b' && !m[2] ? e : e + close.length;
        push(start, i);
        continue;
      }
    }
    if (language === 'rust' && ch === '#' && /^#!?\[/.test(text.slice(i, i + 3))) {
      // An attribute is one token for Prism's Rust grammar.
      let j = text.indexOf('[', i) + 1;
      let depth = 1;
      while (j < n && depth > 0) {
        const c = text[j];
        if (c === '"') j = scanString(j, '"', true) - 1;
        else if (c === '[') depth++;
        else if (c === ']') depth--;
        j++;
      }
      i = j;
      push(start, i);
      continue;
    }
    if (ch === '"' || ch === "'") {
      if (language === 'rust' && ch === "'" && /^'[A-Za-z_]\w*(?!')/.test(text.slice(i, i + 40)) && text[i + 2] !== "'") {
        // a lifetime or label, not a char literal
        const m = /^'[A-Za-z_]\w*/.exec(text.slice(i, i + 80));
        i += m?.[0].length ?? 1;
        push(start, i);
        continue;
      }
      const triple = (language === 'python' || language === 'java') && text.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
      i = scanString(i, triple, triple.length === 3 || language === 'rust');
      push(start, i);
      continue;
    }
    if (ch === '`') {
      if (js) {
        push(i, i + 1);
        scanTemplate(i + 1);
        continue;
      }
      const e = text.indexOf('`', i + 1);
      i = e < 0 ? n : e + 1;
      push(start, i);
      continue;
    }
    if (js && ch === '/' && regexAllowed()) {
      let j = i + 1;
      let cls = false;
      let ok = false;
      while (j < n && text[j] !== '\n') {
        const c = text[j];
        if (c === '\\') {
          j += 2;
          continue;
        }
        if (c === '[') cls = true;
        else if (c === ']') cls = false;
        else if (c === '/' && !cls) {
          ok = true;
          break;
        }
        j++;
      }
      if (ok) {
        j++;
        while (j < n && /[a-z]/.test(text[j] ?? '')) j++;
        i = j;
        push(start, i);
        continue;
      }
    }
    if (js && ch === '}' && templates.length > 0 && templates[templates.length - 1] === braces - 1) {
      templates.pop();
      braces--;
      push(i, i + 1);
      scanTemplate(i + 1);
      continue;
    }
    if (isIdent(code)) {
      let j = i + 1;
      if (code >= 48 && code <= 57) {
        for (; j < n; j++) {
          const c = text.charCodeAt(j);
          if (c === 46 && text.charCodeAt(j + 1) === 46) break;
          if (!(isIdent(c) || c === 46) || c === 36 || c >= 0xc0) break;
        }
      } else while (j < n && isIdent(text.charCodeAt(j))) j++;
      i = j;
      push(start, i);
      continue;
    }
    const ops = (language === 'python' ? PY_BY_FIRST : BY_FIRST).get(ch);
    let len = 1;
    if (ops) for (const op of ops) if (op.length > len && text.startsWith(op, i)) len = op.length;
    if (ch === '{') braces++;
    if (ch === '}') braces = Math.max(0, braces - 1);
    i += len;
    push(start, i);
  }
  return out;
}

/** Regions between `jscpd:ignore-start` and `jscpd:ignore-end` (whole lines), which jscpd skips. */
export function ignoredRegions(text: string): [number, number][] {
  const regions: [number, number][] = [];
  let from = 0;
  for (;;) {
    const s = text.indexOf('jscpd:ignore-start', from);
    if (s < 0) break;
    const e = text.indexOf('jscpd:ignore-end', s);
    if (e < 0) break;
    const lineStart = text.lastIndexOf('\n', s - 1) + 1;
    const nl = text.indexOf('\n', e);
    const lineEnd = nl < 0 ? text.length : nl;
    regions.push([lineStart, lineEnd]);
    from = lineEnd;
  }
  return regions;
}
