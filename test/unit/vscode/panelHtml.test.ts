import assert from 'node:assert/strict';
import { panelHtml } from '../../../src/vscode/panelHtml';

const input = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'abc123+/=',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/panel.css?a=1&b="2"',
};

describe('vscode/panelHtml', () => {
  const html = panelHtml(input);
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';

  it("denies everything by default and allows scripts only by nonce", () => {
    assert.match(csp, /^default-src 'none';/);
    assert.match(csp, /script-src 'nonce-abc123\+\/='/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, new RegExp(`style-src ${input.cspSource.replace(/[.+]/g, '\\$&')}(;|$)`));
  });

  it('has exactly one script, with the nonce and a src, and no inline code or style', () => {
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0]?.[1] ?? '', /nonce="abc123\+\/=" src="https:\/\/file\+/);
    assert.equal(scripts[0]?.[2], '');
    assert.doesNotMatch(html, /<style|style="/);
  });

  it('escapes attribute values', () => {
    assert.ok(html.includes('href="https://file+.vscode-resource.vscode-cdn.net/ext/media/panel.css?a=1&amp;b=&quot;2&quot;"'));
  });
});
