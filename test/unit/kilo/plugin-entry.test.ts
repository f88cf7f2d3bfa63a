import assert from 'node:assert/strict';
import type { PluginInput } from '@kilocode/plugin';
import plugin from '../../../src/kilo/plugin-entry';
import { chatOutput, HARD_REQUEST, providersData, tempProject, textPart, TWO_MODEL_YAML } from '../../support/kilo-fixtures';
import type { TempProject } from '../../support/kilo-fixtures';

/** The parts of Kilo's plugin context the plugin touches: the directory and two client calls. */
function context(dir: string, logged: string[]): PluginInput {
  const client = {
    config: { providers: () => Promise.resolve({ data: providersData('local', ['cheap', 'strong']) }) },
    app: {
      log: (o: { body: { message: string } }) => {
        logged.push(o.body.message);
        return Promise.resolve({});
      },
    },
  };
  return { directory: dir, worktree: dir, client } as unknown as PluginInput;
}

describe('kilo/plugin-entry', () => {
  let p: TempProject;
  beforeEach(() => {
    p = tempProject();
    p.write('.kilo/convergence-routing.yaml', TWO_MODEL_YAML);
  });
  afterEach(() => p.cleanup());

  it('exports the { id, server } module Kilo loads', () => {
    assert.equal(plugin.id, 'convergence-routing');
    assert.equal(typeof plugin.server, 'function');
  });

  it('wires chat.message to the router and sends problems to Kilo log', async () => {
    const logged: string[] = [];
    const hooks = await plugin.server(context(p.dir, logged), { typo: true });
    const out = chatOutput([textPart(HARD_REQUEST)]);
    await hooks['chat.message']?.({ sessionID: 's1' }, out as never);
    assert.deepEqual(out.message.model, { providerID: 'local', modelID: 'strong' });
    assert.ok(logged.some((m) => m.includes('"typo" is unknown')));
    assert.equal(typeof hooks.event, 'function');
    assert.equal(typeof hooks.config, 'function');
  });
});
