import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { appendDecision } from '../../../src/kilo/logs';
import { tempProject } from '../../support/kilo-fixtures';
import type { TempProject } from '../../support/kilo-fixtures';

let pluginSource = '';

function io(cwd: string, env: Record<string, string> = {}): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), env: { CONVERGENCE_KILO_PLUGIN: pluginSource, ...env }, cwd };
}

describe('cli kilo', () => {
  let p: TempProject;
  beforeEach(() => {
    p = tempProject();
    pluginSource = path.join(p.home, 'kilo-plugin.js');
    writeFileSync(pluginSource, 'export default {};\n');
  });
  afterEach(() => p.cleanup());

  it('installs into --dir and says where', async () => {
    const t = io('/');
    assert.equal(await main(['kilo', 'install', '--dir', p.dir], t), 0);
    assert.match(t.stdout.join('\n'), /Installed the Kilo routing plugin at .*\.kilo\/plugin\/convergence-routing\.js/);
    assert.ok(existsSync(path.join(p.dir, '.kilo/plugin/convergence-routing.js')));
  });

  it('installs into the current folder by default, and is idempotent', async () => {
    assert.equal(await main(['kilo', 'install'], io(p.dir)), 0);
    const t = io(p.dir);
    assert.equal(await main(['kilo', 'install'], t), 0);
    assert.match(t.stdout.join('\n'), /already up to date/);
  });

  it('installs --global into the user-level Kilo folder', async () => {
    const t = io(p.dir, { HOME: p.home });
    assert.equal(await main(['kilo', 'install', '--global'], t), 0);
    assert.ok(existsSync(path.join(p.home, '.config/kilo/plugin/convergence-routing.js')));
  });

  it('exits 1 and asks for a build when the plugin bundle is missing', async () => {
    const t = io(p.dir, { CONVERGENCE_KILO_PLUGIN: path.join(p.dir, 'none.js') });
    assert.equal(await main(['kilo', 'install'], t), 1);
    assert.match(t.stderr[0] ?? '', /run "npm run build" first/);
  });

  it('exits 1 with one line when the project folder is missing', async () => {
    const t = io('/');
    assert.equal(await main(['kilo', 'install', '--dir', path.join(p.dir, 'missing')], t), 1);
    assert.equal(t.stderr.length, 1);
    assert.match(t.stderr[0] ?? '', /missing does not exist/);
  });

  it('exits 2 on an unknown subcommand or flag', async () => {
    const t = io('/');
    assert.equal(await main(['kilo', 'uninstall'], t), 2);
    assert.match(t.stderr[0] ?? '', /unknown subcommand "uninstall"/);
    assert.equal(await main(['kilo', 'install', '--force'], io('/')), 2);
  });

  it('shows the last routing decision with status', async () => {
    appendDecision(p.dir, { ts: 't', sessionID: 's', requestHash: 'h', requestPreview: 'x', selected: 'local/strong', previous: null, applied: true, confidenceLevel: 'HIGH', scores: [] });
    const t = io(p.dir);
    assert.equal(await main(['kilo', 'status'], t), 0);
    assert.match(t.stdout[0] ?? '', /^last routed: local\/strong \(HIGH\)/);
  });
});
