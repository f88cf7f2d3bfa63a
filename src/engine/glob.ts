/** Turns a wildcard pattern (`*` any run of characters, `?` one) into an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const ch of glob) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}

/** True when any glob matches any of the names (a model has a profile id and a Kilo id). */
export function matchesAny(globs: readonly RegExp[], names: readonly (string | undefined)[]): boolean {
  for (const g of globs) {
    for (const n of names) if (n !== undefined && g.test(n)) return true;
  }
  return false;
}
