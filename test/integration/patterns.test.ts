import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConvergenceApi } from '../../src/vscode/extension';
import { extension, hoverText, showWorkspaceFile, waitFor, workspaceFolder } from './helpers';

describe('pattern detection in the editor', () => {
  let api: ConvergenceApi;
  let doc: vscode.TextDocument;

  before(async () => {
    api = (await extension()).exports;
    doc = await showWorkspaceFile('src', 'loader.ts');
  });

  it('shows the function\'s findings with their reasons in the hover once the edit tracker has analysed it', async () => {
    const text = await waitFor('a hover with the swallowed error', async () => {
      const t = await hoverText(doc.uri, new vscode.Position(3, 20));
      return t.includes('ERROR_SWALLOWING') && t;
    });
    assert.match(text, /`loadConfig`/);
    assert.match(text, /- `ERROR_SWALLOWING`: \S/);
  });

  it('finds an import cycle between two open files once edits pause, without a save', async () => {
    const folder = workspaceFolder();
    const files = ['ring-a.ts', 'ring-b.ts'].map((name) => vscode.Uri.joinPath(folder.uri, 'src', name));
    const [a, b] = files;
    assert.ok(a && b);
    const hasCycle = (): boolean | undefined => api.session.snapshot().patterns?.some((p) => p.pattern === 'TIGHT_COUPLING' && p.places.some((x) => x.uri.endsWith('ring-a.ts')));
    assert.ok(!hasCycle());
    try {
      await vscode.workspace.fs.writeFile(a, new TextEncoder().encode("import { b } from './ring-b';\nexport const a = (): number => b() + 1;\n"));
      await vscode.workspace.fs.writeFile(b, new TextEncoder().encode("import { a } from './ring-a';\nexport const b = (): number => a() - 1;\n"));
      const docs = await Promise.all(files.map((f) => vscode.workspace.openTextDocument(f)));
      assert.ok(docs.every((d) => !d.isDirty));
      await waitFor('TIGHT_COUPLING for the two files', hasCycle);
    } finally {
      for (const f of files) await vscode.workspace.fs.delete(f);
    }
  });

  it('routes with the session pattern profile and lists the patterns in the panel snapshot', async () => {
    await waitFor('a pattern profile', () => api.session.snapshot().patterns?.some((p) => p.pattern === 'ERROR_SWALLOWING'));
    const d = api.session.preview({ text: 'Fix error handling in the loader', languages: ['typescript'] });
    assert.ok(d.scores.every((s) => s.breakdown.patternMatch !== undefined), 'pattern match is scored');
    const place = api.session.snapshot().patterns?.find((p) => p.pattern === 'ERROR_SWALLOWING')?.places[0];
    assert.ok(place?.uri.endsWith('loader.ts'));
  });
});
