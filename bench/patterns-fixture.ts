/**
 * A deterministic, realistic 3,000-line TypeScript module for the pattern benchmarks: services
 * with branching, loops, error handling, some copies, some deep nesting, imports.
 */
export function syntheticModule(targetLines = 3000): string {
  const parts: string[] = [
    "import { readFile } from 'node:fs/promises';",
    "import path from 'node:path';",
    "import type { Request } from './types';",
    "import { log, metrics } from './telemetry';",
    '',
  ];
  let i = 0;
  const lines = (): number => parts.reduce((n, p) => n + p.split('\n').length, 0);
  while (lines() < targetLines) {
    const k = i++;
    switch (k % 5) {
      case 0:
        parts.push(`export interface Order${k} {
  id: string;
  total: number;
  items: { sku: string; qty: number; price: number }[];
  status: 'open' | 'paid' | 'shipped';
}
`);
        break;
      case 1:
        parts.push(`export function priceOrder${k}(order: Order${k - 1}, discount: number): number {
  let total = 0;
  for (const item of order.items) {
    if (item.qty <= 0) {
      continue;
    }
    const line = item.qty * item.price;
    if (discount > 0 && line > 100) {
      total += line * (1 - discount);
    } else if (line > 50) {
      total += line * 0.98;
    } else {
      total += line;
    }
  }
  return Math.round(total * 100) / 100;
}
`);
        break;
      case 2:
        parts.push(`export class Service${k} {
  private readonly cache = new Map<string, number>();
  constructor(private readonly base: string) {}

  async load(name: string): Promise<string | undefined> {
    const file = path.join(this.base, name);
    try {
      const text = await readFile(file, 'utf8');
      metrics.count('load', 1);
      return text;
    } catch (err) {
      log.warn(\`could not read \${file}\`, err);
      return undefined;
    }
  }

  score(values: number[]): number {
    let best = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] ?? 0;
      if (v > best) {
        best = v;
      }
    }
    this.cache.set(String(values.length), best);
    return best;
  }
}
`);
        break;
      case 3:
        parts.push(`export function route${k}(req: Request, mode: string): string {
  if (req.method === 'GET') {
    if (req.path.startsWith('/api')) {
      for (const h of req.headers) {
        if (h.name === 'accept') {
          switch (h.value) {
            case 'json':
              return mode === 'strict' ? 'json-strict' : 'json';
            case 'text':
              return 'text';
            default:
              if (mode && h.value.length > 3) {
                return 'other';
              }
          }
        }
      }
    }
    return 'static';
  }
  return req.method === 'POST' && req.path !== '/' ? 'write' : 'none';
}
`);
        break;
      default:
        parts.push(`export const summarize${k} = (xs: readonly number[]): { min: number; max: number; mean: number } => {
  if (xs.length === 0) return { min: 0, max: 0, mean: 0 };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const x of xs) {
    min = Math.min(min, x);
    max = Math.max(max, x);
    sum += x;
  }
  return { min, max, mean: sum / xs.length };
};
`);
    }
  }
  return parts.join('\n').split('\n').slice(0, targetLines).join('\n') + '\n';
}
