import assert from 'node:assert/strict';
import { FilePoll } from '../../../src/vscode/filePoll';
import type { PollTimers } from '../../../src/vscode/filePoll';

/** Timers that run only when the test says so. */
function manualTimers(): PollTimers & { tick: () => void; cleared: boolean } {
  let f: (() => void) | undefined;
  const t = {
    cleared: false,
    setInterval: (g: () => void) => {
      f = g;
      return 1;
    },
    clearInterval: () => {
      t.cleared = true;
    },
    tick: () => f?.(),
  };
  return t;
}

describe('vscode/filePoll', () => {
  it('calls back once when the file is no longer as last recorded, and not again for the same state', async () => {
    let state = '10:5';
    let changes = 0;
    const timers = manualTimers();
    const poll = new FilePoll(() => Promise.resolve(state), () => changes++, 5000, timers);
    poll.record('10:5');
    await poll.check();
    assert.equal(changes, 0, 'unchanged');
    state = '11:7';
    await poll.check();
    assert.equal(changes, 1, 'written');
    await poll.check();
    assert.equal(changes, 1, 'the same change is reported once');
    state = 'missing';
    await poll.check();
    assert.equal(changes, 2, 'deleted');
    poll.dispose();
    assert.ok(timers.cleared);
  });

  it('does not call back for a change the reader already recorded (the watcher saw it first)', async () => {
    let changes = 0;
    const poll = new FilePoll(() => Promise.resolve('12:9'), () => changes++, 5000, manualTimers());
    poll.record('10:5');
    poll.record('12:9');
    await poll.check();
    assert.equal(changes, 0);
  });

  it('takes the first state it sees as the baseline when nothing was recorded', async () => {
    let state = 'missing';
    let changes = 0;
    const poll = new FilePoll(() => Promise.resolve(state), () => changes++, 5000, manualTimers());
    await poll.check();
    assert.equal(changes, 0);
    state = '1:1';
    await poll.check();
    assert.equal(changes, 1, 'created');
  });

  it('checks on its timer, one check at a time', async () => {
    let calls = 0;
    let release: (() => void) | undefined;
    const timers = manualTimers();
    const poll = new FilePoll(
      () => {
        calls++;
        return new Promise<string>((r) => (release = () => r('1:1')));
      },
      () => undefined,
      5000,
      timers,
    );
    timers.tick();
    timers.tick();
    assert.equal(calls, 1, 'a slow stat is not stacked');
    release?.();
    await new Promise((r) => setImmediate(r));
    timers.tick();
    assert.equal(calls, 2);
    poll.dispose();
  });
});
