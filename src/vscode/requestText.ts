/** Request texts the extension writes for the user; pure so unit tests can pin them down. */
import type { FunctionSpan } from './functionAt';

/** The input box's starting value: the selected text if any (first 500 characters), else the last request. */
export function prefill(selectionText: string, last: string | undefined): string {
  const sel = selectionText.trim().replace(/\s+/g, ' ');
  return sel !== '' ? sel.slice(0, 500) : (last ?? '');
}

/** The request routed for "work on this function". */
export function functionRequestText(fn: FunctionSpan, languageId: string): string {
  return `Change the ${languageId} function ${fn.name} (${fn.endLine - fn.startLine + 1} lines)`;
}

/** Command-link arguments; parentheses are escaped too, or they would end the Markdown link. */
export function commandArgs(args: unknown[]): string {
  return encodeURIComponent(JSON.stringify(args)).replace(/\(/g, '%28').replace(/\)/g, '%29');
}
