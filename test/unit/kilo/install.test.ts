import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findPluginBundle, InstallError, installedPlugin, installKiloPlugin } from '../../../src/kilo/install';
import { tempProject } from '../../support/kilo-fixtures';
import type { TempProject } from '../../support/kilo-fixtures';

describe('kilo/install', () => {
  let p: TempProject;
  let source: string;
  beforeEach(() => {
    p = tempProject();
    source = path.join(p.home, 'kilo-plugin.js');
    writeFileSync(source, 'export default { id: "convergence-routing", server: async () => ({}) };\n');
  });
  afterEach(() => p.cleanup());

  it('copies the plugin into the project .kilo/plugin folder', () => {
    const r = installKiloPlugin({ project: p.dir, source, env: {}, home: p.home });
    assert.equal(r.action, 'installed');
    assert.equal(r.target, path.join(p.dir, '.kilo/plugin/convergence-routing.js'));
    assert.equal(readFileSync(r.target, 'utf8'), readFileSync(source, 'utf8'));
    assert.match(r.message, /^Installed the Kilo routing plugin at .* for this project\. Kilo loads it when it next starts/);
  });

  it('does nothing the second time and says so', () => {
    installKiloPlugin({ project: p.dir, source, env: {}, home: p.home });
    const r = installKiloPlugin({ project: p.dir, source, env: {}, home: p.home });
    assert.equal(r.action, 'unchanged');
    assert.match(r.message, /already up to date/);
  });

  it('replaces an older copy', () => {
    installKiloPlugin({ project: p.dir, source, env: {}, home: p.home });
    writeFileSync(source, '// newer\n');
    const r = installKiloPlugin({ project: p.dir, source, env: {}, home: p.home });
    assert.equal(r.action, 'updated');
    assert.equal(readFileSync(r.target, 'utf8'), '// newer\n');
  });

  it('installs for every project into the user-level Kilo folder, honouring XDG_CONFIG_HOME', () => {
    const xdg = path.join(p.home, 'xdg');
    const r = installKiloPlugin({ global: true, source, env: { XDG_CONFIG_HOME: xdg }, home: p.home });
    assert.equal(r.target, path.join(xdg, 'kilo/plugin/convergence-routing.js'));
    const r2 = installKiloPlugin({ global: true, source, env: {}, home: p.home });
    assert.equal(r2.target, path.join(p.home, '.config/kilo/plugin/convergence-routing.js'));
  });

  it('warns when a second copy would make Kilo route twice', () => {
    installKiloPlugin({ global: true, source, env: {}, home: p.home });
    const r = installKiloPlugin({ project: p.dir, source, env: {}, home: p.home });
    assert.equal(r.alsoInstalledAt, path.join(p.home, '.config/kilo/plugin/convergence-routing.js'));
    assert.match(r.message, /another copy is installed at .*route twice/);
  });

  it('names a missing project folder', () => {
    assert.throws(() => installKiloPlugin({ project: path.join(p.dir, 'nope'), source, env: {} }), (e: unknown) => e instanceof InstallError && /nope does not exist/.test(e.message));
  });

  it('asks for a build when the plugin bundle is missing', () => {
    assert.throws(() => installKiloPlugin({ project: p.dir, source: path.join(p.dir, 'missing.js'), env: {} }), /run "npm run build" first/);
  });

  it('says where the plugin is installed', () => {
    assert.deepEqual(installedPlugin({ project: p.dir, env: {}, home: p.home }), {});
    const r = installKiloPlugin({ project: p.dir, source, env: {}, home: p.home });
    assert.deepEqual(installedPlugin({ project: p.dir, env: {}, home: p.home }), { project: r.target });
    const g = installKiloPlugin({ global: true, source, env: {}, home: p.home });
    assert.deepEqual(installedPlugin({ env: {}, home: p.home }), { global: g.target });
  });

  it('finds the bundle next to the running program', () => {
    assert.equal(findPluginBundle(p.home), source);
    assert.equal(findPluginBundle(p.dir), undefined);
  });
});
