// Which Kilo (or Roo) is installed, and so which integration is active, from the list of
// extensions the host sees. The host passes `vscode.extensions.all` mapped to plain objects.
import type { RooCodeAPI } from '@roo-code/types';
import type { LegacyFlavor } from './legacy-adapter';

/** Kilo Code's extension id, for both Kilo 7 and the legacy 5.x line. */
export const KILO_EXTENSION_ID = 'kilocode.kilo-code';
/** Roo Code's extension id. */
export const ROO_EXTENSION_ID = 'RooVeterinaryInc.roo-cline';

/** An installed extension as the host sees it. */
export interface HostExtension {
  id: string;
  /** `packageJSON.version`. */
  version: string;
  isActive: boolean;
  /** What `activate()` returned (only meaningful when active). */
  exports?: unknown;
}

/** The integration in force, with one sentence for the panel. */
export type Integration =
  | { kind: 'kilo-plugin'; extensionId: string; version: string; pluginInstalled: boolean; summary: string; others: string[] }
  | { kind: 'legacy-api'; flavor: LegacyFlavor; extensionId: string; version: string; api: RooCodeAPI; summary: string; others: string[] }
  | { kind: 'legacy-inactive'; flavor: LegacyFlavor; extensionId: string; version: string; summary: string; others: string[] }
  | { kind: 'none'; summary: string; others: string[] };

const METHODS = ['getConfiguration', 'getProfiles', 'upsertProfile', 'setActiveProfile', 'getActiveProfile', 'startNewTask', 'isReady', 'on', 'off'] as const;

/** True when a value has the methods the legacy adapter calls. */
export function isRooCodeApi(value: unknown): value is RooCodeAPI {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return METHODS.every((m) => typeof v[m] === 'function');
}

const major = (version: string): number => Number.parseInt(/^\s*v?(\d+)/.exec(version)?.[1] ?? 'NaN', 10);

const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export interface DetectOptions {
  /** Whether the Kilo plugin is installed for this workspace (or user-level). */
  pluginInstalled?: boolean | undefined;
}

/**
 * Picks the integration: Kilo 7 (the plugin) first, then Kilo 5.x's API, then Roo Code's.
 * Kilo 7's `activate()` exports no API; 5.x and Roo export a RooCodeAPI once active.
 */
export function detectIntegration(extensions: readonly HostExtension[], options: DetectOptions = {}): Integration {
  const kilo = extensions.find((e) => sameId(e.id, KILO_EXTENSION_ID));
  const roo = extensions.find((e) => sameId(e.id, ROO_EXTENSION_ID));
  const others: string[] = [];
  const kiloMajor = kilo ? major(kilo.version) : NaN;

  if (kilo && kiloMajor >= 7) {
    if (roo) others.push(`Roo Code ${roo.version} is also installed; routing goes through Kilo Code only`);
    const pluginInstalled = options.pluginInstalled === true;
    const summary = pluginInstalled
      ? `Kilo Code ${kilo.version}: the routing plugin chooses the model before each generation.`
      : `Kilo Code ${kilo.version}: run "Install Kilo Routing Plugin" so the model is chosen before each generation; until then recommendations are shown only.`;
    return { kind: 'kilo-plugin', extensionId: kilo.id, version: kilo.version, pluginInstalled, summary, others };
  }

  const legacy: { ext: HostExtension; flavor: LegacyFlavor; name: string }[] = [];
  if (kilo) legacy.push({ ext: kilo, flavor: 'kilo5', name: 'Kilo Code' });
  if (roo) legacy.push({ ext: roo, flavor: 'roo', name: 'Roo Code' });
  const usable = legacy.find((l) => l.ext.isActive && isRooCodeApi(l.ext.exports));
  for (const l of legacy) if (l !== (usable ?? legacy[0])) others.push(`${l.name} ${l.ext.version} is also installed`);
  if (usable) {
    return {
      kind: 'legacy-api',
      flavor: usable.flavor,
      extensionId: usable.ext.id,
      version: usable.ext.version,
      api: usable.ext.exports as RooCodeAPI,
      summary: `${usable.name} ${usable.ext.version}: "Apply Recommended Model" switches its API profile; the model applies from the next request.`,
      others,
    };
  }
  const first = legacy[0];
  if (first) {
    const why = first.ext.isActive ? 'it exposes no API this version can use' : 'it is not active yet (open its panel once)';
    return {
      kind: 'legacy-inactive',
      flavor: first.flavor,
      extensionId: first.ext.id,
      version: first.ext.version,
      summary: `${first.name} ${first.ext.version} is installed but ${why}; recommendations are shown only.`,
      others,
    };
  }
  return { kind: 'none', summary: 'Neither Kilo Code nor Roo Code is installed: recommendations are shown but not applied.', others };
}
