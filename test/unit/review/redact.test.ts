import assert from 'node:assert/strict';
import { isEnvFile, REDACTED, redactSecrets } from '../../../src/review/redact';

describe('redactSecrets', () => {
  it('replaces provider tokens wherever they appear', () => {
    const tokens = [
      'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv',
      'sk-proj-abcdefghijklmnopqrstuvwxyz012345',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
      'AKIAIOSFODNN7EXAMPLE',
      'xoxb-123456789012-abcdefghij',
      'AIzaSyA-1234567890abcdefghijklmnopqrstu',
      'sk_live_abcdefghijklmnop1234',
      'npm_abcdefghijklmnopqrstuvwxyz0123456789',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    ];
    for (const t of tokens) {
      const { text, count } = redactSecrets(`call(${t}); // uses ${t}`);
      assert.ok(!text.includes(t), `${t} survived: ${text}`);
      assert.equal(count, 2, t);
    }
  });

  it('keeps the user and host of a connection string and drops only its password', () => {
    const { text } = redactSecrets('const url = "postgres://admin:hunter2@db.internal:5432/app";');
    assert.equal(text, `const url = "postgres://admin:${REDACTED}@db.internal:5432/app";`);
  });

  it('redacts quoted values under secret-looking names but leaves ordinary strings', () => {
    const code = [
      'const password = "correct horse battery";',
      'config = { "apiKey": \'abc123xyz\', user: "bob" };',
      'client_secret: `s3cr3t-value`',
      'const greeting = "hello world";',
    ].join('\n');
    const { text, count } = redactSecrets(code);
    assert.equal(count, 3);
    assert.ok(!text.includes('correct horse') && !text.includes('abc123xyz') && !text.includes('s3cr3t-value'));
    assert.ok(text.includes('user: "bob"') && text.includes('"hello world"'));
  });

  it('leaves reads of secrets from the environment alone', () => {
    const code = 'const apiKey = process.env.ANTHROPIC_API_KEY;\nfunction tokenize(s) { return s.split(" "); }';
    assert.deepEqual(redactSecrets(code), { text: code, count: 0 });
  });

  it('replaces a private key block with the same number of lines', () => {
    const code = ['before', '-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA', 'q83hd73hs', '-----END RSA PRIVATE KEY-----', 'after'].join('\n');
    const { text } = redactSecrets(code);
    const lines = text.split('\n');
    assert.equal(lines.length, 6);
    assert.equal(lines[0], 'before');
    assert.equal(lines[1], REDACTED);
    assert.equal(lines[5], 'after');
    assert.ok(!text.includes('MIIE'));
  });

  it('redacts a private key cut off before its END line', () => {
    const { text } = redactSecrets('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA');
    assert.ok(!text.includes('b3Blbn'));
  });

  it('treats every value in a .env file as a secret', () => {
    const { text, count } = redactSecrets('DATABASE_HOST=db.local\nexport PORT=5432\n# comment=kept', { file: 'app/.env.production' });
    assert.equal(text, `DATABASE_HOST=${REDACTED}\nexport PORT=${REDACTED}\n# comment=kept`);
    assert.equal(count, 2);
  });

  it('redacts .env-style secret lines inside other files', () => {
    const { text } = redactSecrets('echo start\nexport STRIPE_SECRET_KEY=whsec_abc\nDEBUG=true', { file: 'deploy.sh' });
    assert.equal(text, `echo start\nexport STRIPE_SECRET_KEY=${REDACTED}\nDEBUG=true`);
  });

  it('redacts extra secrets the host names, such as the API key itself', () => {
    const { text } = redactSecrets('// my key is custom-key-material-42 ok', { extraSecrets: ['custom-key-material-42'] });
    assert.equal(text, `// my key is ${REDACTED} ok`);
  });

  it('leaves token counts and ordinary code under secret-looking names alone', () => {
    const code = [
      'usage.input_tokens = "gen_ai.usage.input_tokens";',
      'const tokenizer = "cl100k";',
      'NOOP_TOKEN = Object.freeze({ dispose() {} });',
      'secret = secret.substring(prefix.length);',
      'API_TOKEN = readToken();',
    ].join('\n');
    assert.deepEqual(redactSecrets(code), { text: code, count: 0 });
  });

  it('handles minified-size input without backtracking blow-ups', () => {
    // Each of these took minutes with unbounded runs tried from every word boundary.
    for (const text of ['a.'.repeat(200_000), '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(20_000), '\n'.repeat(200_000) + 'x']) {
      const { text: out } = redactSecrets(text);
      assert.equal(out.split('\n').length, text.split('\n').length);
    }
  });

  it('does not count an already redacted value again', () => {
    assert.equal(redactSecrets(`const password = "${REDACTED}";`).count, 0);
  });
});

describe('isEnvFile', () => {
  it('recognises .env files by name only', () => {
    for (const f of ['.env', '/a/b/.env.local', 'C:\\x\\.env.test', 'prod.env', '.envrc']) assert.ok(isEnvFile(f), f);
    for (const f of ['env.ts', 'src/.environment.ts', 'dotenv.js', undefined]) assert.ok(!isEnvFile(f), String(f));
  });
});
