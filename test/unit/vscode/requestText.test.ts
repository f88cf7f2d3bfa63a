import assert from 'node:assert/strict';
import { commandArgs, functionRequestText, prefill } from '../../../src/vscode/requestText';

describe('vscode/requestText', () => {
  it('pre-fills the request from the selection, with whitespace collapsed', () => {
    assert.equal(prefill('  add retries\n   to the client ', 'older request'), 'add retries to the client');
  });

  it('pre-fills the last request when nothing is selected', () => {
    assert.equal(prefill('   ', 'older request'), 'older request');
    assert.equal(prefill('', undefined), '');
  });

  it('cuts a long selection to 500 characters', () => {
    assert.equal(prefill('x'.repeat(900), undefined).length, 500);
  });

  it('describes work on a function with its language and length', () => {
    assert.equal(functionRequestText({ name: 'verify', startLine: 3, endLine: 12 }, 'go'), 'Change the go function verify (10 lines)');
  });

  it('encodes command-link arguments without bare parentheses', () => {
    const encoded = commandArgs([{ text: 'f (10 lines)' }]);
    assert.doesNotMatch(encoded, /[()\s]/);
    assert.deepEqual(JSON.parse(decodeURIComponent(encoded)), [{ text: 'f (10 lines)' }]);
  });
});
