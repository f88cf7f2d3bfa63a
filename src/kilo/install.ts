import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PLUGIN_FILE_NAME, projectPaths, userPluginDir } from './paths';
import { writeFileAtomic } from './state';

type Env = Readonly<Record<string, string | undefined>>;

/** Where to install the Kilo plugin and from what. */
export interface InstallOptions {
  /** The project whose `.kilo/plugin/` receives the plugin; required unless `global`. */
  project?: string | undefined;
  /** Install into the user-level Kilo folder (`~/.config/kilo/plugin/`) instead. */
  global?: boolean | undefined;
  /** For `$XDG_CONFIG_HOME` and `$HOME`. */
  env?: Env | undefined;
  home?: string | undefined;
  /** The built plugin (`dist/kilo-plugin.js`); found next to the running bundle when absent. */
  source?: string | undefined;
}

export interface InstallResult {
  /** The installed file. */
  target: string;
  action: 'installed' | 'updated' | 'unchanged';
  /** Another installed copy Kilo would also load (project and global both), if any. */
  alsoInstalledAt?: string | undefined;
  /** One or two sentences for the user. */
  message: string;
}

/** A problem the user can fix (no project folder, no built plugin); the message says which. */
export class InstallError extends Error {
  override readonly name = 'InstallError';
}

/**
 * The built plugin: `kilo-plugin.js` beside the running bundle (dist/cli.js, dist/extension.js),
 * or the repository's `dist/` when running from source.
 */
export function findPluginBundle(from: string = __dirname): string | undefined {
  const candidates = [path.join(from, 'kilo-plugin.js'), path.resolve(from, '..', '..', 'dist', 'kilo-plugin.js')];
  return candidates.find((c) => existsSync(c));
}

/**
 * Copies the plugin into a Kilo plugin folder, where Kilo loads it by itself on its next start.
 * Idempotent: the same file again is `unchanged`; a different one is replaced atomically.
 */
export function installKiloPlugin(options: InstallOptions): InstallResult {
  const env = options.env ?? {};
  const source = options.source ?? findPluginBundle();
  if (!source || !existsSync(source)) {
    throw new InstallError(`the built Kilo plugin was not found${source ? ` at ${source}` : ' next to this program'}; run "npm run build" first`);
  }
  const body = readFileSync(source);
  let dir: string;
  let other: string | undefined;
  if (options.global) {
    dir = userPluginDir(env, options.home);
    if (options.project) other = path.join(projectPaths(options.project).pluginDir, PLUGIN_FILE_NAME);
  } else {
    if (!options.project) throw new InstallError('no project folder given; pass --dir PROJECT or --global');
    let isDir = false;
    try {
      isDir = statSync(options.project).isDirectory();
    } catch {
      // reported below
    }
    if (!isDir) throw new InstallError(`project folder ${options.project} does not exist or is not a folder`);
    dir = projectPaths(options.project).pluginDir;
    other = path.join(userPluginDir(env, options.home), PLUGIN_FILE_NAME);
  }
  const target = path.join(dir, PLUGIN_FILE_NAME);
  const existing = existsSync(target) ? readFileSync(target) : undefined;
  const action: InstallResult['action'] = existing === undefined ? 'installed' : existing.equals(body) ? 'unchanged' : 'updated';
  if (action !== 'unchanged') writeFileAtomic(target, body.toString('utf8'));
  const alsoInstalledAt = other !== undefined && existsSync(other) ? other : undefined;
  const where = options.global ? 'for every project (user-level Kilo folder)' : 'for this project';
  let message =
    action === 'unchanged'
      ? `The Kilo routing plugin at ${target} is already up to date.`
      : `${action === 'installed' ? 'Installed' : 'Updated'} the Kilo routing plugin at ${target} ${where}. Kilo loads it when it next starts (restart kilo, or reload the VS Code window).`;
  if (alsoInstalledAt) message += ` Note: another copy is installed at ${alsoInstalledAt}; Kilo would load both and route twice, so remove one.`;
  return { target, action, alsoInstalledAt, message };
}

/** Where the plugin is installed now, if anywhere: for the panel and for detectIntegration. */
export function installedPlugin(options: { project?: string | undefined; env?: Env | undefined; home?: string | undefined }): { project?: string; global?: string } {
  const out: { project?: string; global?: string } = {};
  if (options.project) {
    const p = path.join(projectPaths(options.project).pluginDir, PLUGIN_FILE_NAME);
    if (existsSync(p)) out.project = p;
  }
  const g = path.join(userPluginDir(options.env ?? {}, options.home), PLUGIN_FILE_NAME);
  if (existsSync(g)) out.global = g;
  return out;
}
