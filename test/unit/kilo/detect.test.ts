import assert from 'node:assert/strict';
import { detectIntegration, isRooCodeApi, KILO_EXTENSION_ID, ROO_EXTENSION_ID } from '../../../src/kilo/detect';
import { FakeRooCodeApi } from '../../support/fake-roo-api';

const api = (): FakeRooCodeApi => new FakeRooCodeApi([{ name: 'default', settings: { apiProvider: 'openrouter' } }]);

describe('kilo/detect', () => {
  it('uses the plugin for Kilo Code 7 and says whether it is installed', () => {
    const ext = [{ id: KILO_EXTENSION_ID, version: '7.2.14', isActive: true, exports: undefined }];
    const without = detectIntegration(ext);
    assert.equal(without.kind, 'kilo-plugin');
    assert.match(without.summary, /Kilo Code 7.2.14: run "Install Kilo Routing Plugin"/);
    assert.match(detectIntegration(ext, { pluginInstalled: true }).summary, /the routing plugin chooses the model before each generation/);
  });

  it('uses the API of an active Kilo Code 5.x', () => {
    const i = detectIntegration([{ id: 'KiloCode.Kilo-Code', version: '5.4.1', isActive: true, exports: api() }]);
    assert.equal(i.kind, 'legacy-api');
    assert.equal(i.kind === 'legacy-api' && i.flavor, 'kilo5');
    assert.match(i.summary, /^Kilo Code 5.4.1: "Apply Recommended Model" switches its API profile/);
  });

  it('uses Roo Code API when only Roo is there', () => {
    const i = detectIntegration([{ id: ROO_EXTENSION_ID, version: '3.30.0', isActive: true, exports: api() }]);
    assert.equal(i.kind === 'legacy-api' && i.flavor, 'roo');
  });

  it('prefers Kilo 7 over Roo and says Roo is also there', () => {
    const i = detectIntegration([
      { id: ROO_EXTENSION_ID, version: '3.30.0', isActive: true, exports: api() },
      { id: KILO_EXTENSION_ID, version: '7.0.0', isActive: true },
    ]);
    assert.equal(i.kind, 'kilo-plugin');
    assert.match(i.others[0] ?? '', /Roo Code 3.30.0 is also installed/);
  });

  it('falls back to Roo when Kilo 5 is installed but inactive', () => {
    const i = detectIntegration([
      { id: KILO_EXTENSION_ID, version: '5.0.0', isActive: false },
      { id: ROO_EXTENSION_ID, version: '3.30.0', isActive: true, exports: api() },
    ]);
    assert.equal(i.kind === 'legacy-api' && i.flavor, 'roo');
    assert.match(i.others[0] ?? '', /Kilo Code 5.0.0 is also installed/);
  });

  it('says plainly when a legacy extension is not active yet', () => {
    const i = detectIntegration([{ id: KILO_EXTENSION_ID, version: '5.0.0', isActive: false }]);
    assert.equal(i.kind, 'legacy-inactive');
    assert.match(i.summary, /installed but it is not active yet/);
  });

  it('says plainly when neither is installed', () => {
    const i = detectIntegration([{ id: 'ms-python.python', version: '1.0.0', isActive: true }]);
    assert.equal(i.kind, 'none');
    assert.equal(i.summary, 'Neither Kilo Code nor Roo Code is installed: recommendations are shown but not applied.');
  });

  it('recognises the API by its methods', () => {
    assert.equal(isRooCodeApi(api()), true);
    assert.equal(isRooCodeApi({ getConfiguration: () => ({}) }), false);
    assert.equal(isRooCodeApi(undefined), false);
  });
});
