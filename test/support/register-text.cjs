// Tests run TypeScript through tsx; the bundles import `.yaml` files as text through esbuild's
// `text` loader. This gives plain Node the same behaviour so both see the same module.
'use strict';
const fs = require('node:fs');

require.extensions['.yaml'] = (module, filename) => {
  module.exports = { default: fs.readFileSync(filename, 'utf8'), __esModule: true };
};
