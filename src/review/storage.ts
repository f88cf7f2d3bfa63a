import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ReviewStorage } from './types';

/**
 * A {@link ReviewStorage} in one JSON file, readable by its owner only. Writes go to a
 * temporary file renamed over the old one, so a crash mid-write never leaves half a cache.
 */
export function fileReviewStorage(file: string): ReviewStorage {
  return {
    async read() {
      try {
        return await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    async write(data) {
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, data, { mode: 0o600 });
      await rename(tmp, file);
    },
  };
}

/**
 * Where the CLI keeps its review cache: `$XDG_CACHE_HOME/convergence-router/reviews.json`,
 * else under `~/.cache` (`%LOCALAPPDATA%` on Windows); undefined when no home is known.
 */
export function defaultCacheFile(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const base = env['XDG_CACHE_HOME'] || env['LOCALAPPDATA'] || (env['HOME'] ? path.join(env['HOME'], '.cache') : undefined);
  return base ? path.join(base, 'convergence-router', 'reviews.json') : undefined;
}
