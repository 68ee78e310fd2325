// Unit tests of the parts of the extension that need no VS Code: finding the server
// and turning its JSON log into leveled lines. Run: node --test editors/vscode/test/
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { findServer } = require('../server');
const { formatLine } = require('../log');

function tree() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bpfls-find-'));
  const exe = (dir) => {
    fs.mkdirSync(dir, { recursive: true });
    const f = path.join(dir, 'bpfls');
    fs.writeFileSync(f, '#!/bin/sh\n', { mode: 0o755 });
    return f;
  };
  return { root, exe };
}

test('findServer: setting, then bundled, then PATH, then GOPATH/bin', () => {
  const { root, exe } = tree();
  const configured = exe(path.join(root, 'configured'));
  const bundled = exe(path.join(root, 'ext', 'server'));
  const onPath = exe(path.join(root, 'path'));
  const goBin = exe(path.join(root, 'gopath', 'bin'));
  const env = { PATH: path.join(root, 'path'), GOPATH: path.join(root, 'gopath') };
  assert.deepStrictEqual(findServer(configured, path.join(root, 'ext'), env), { path: configured, source: 'bpfls.path setting' });
  assert.deepStrictEqual(findServer('', path.join(root, 'ext'), env), { path: bundled, source: 'bundled' });
  assert.deepStrictEqual(findServer('', path.join(root, 'universal'), env), { path: onPath, source: 'PATH' });
  assert.deepStrictEqual(findServer('', path.join(root, 'universal'), { PATH: '', GOPATH: env.GOPATH }),
    { path: goBin, source: path.join(root, 'gopath', 'bin') });
  const none = findServer('', path.join(root, 'universal'), { PATH: path.join(root, 'nothing') });
  assert.ok(none.missing.includes('PATH') && none.missing.some((m) => m.endsWith(path.join('go', 'bin'))), JSON.stringify(none));
  fs.chmodSync(onPath, 0o644); // not executable: skipped
  assert.strictEqual(findServer('', path.join(root, 'universal'), env).path, goBin);
  const bad = findServer(path.join(root, 'no-such'), path.join(root, 'ext'), env);
  assert.ok(bad.missing && bad.configured, 'a bpfls.path that names nothing is reported, not silently replaced');
  fs.rmSync(root, { recursive: true, force: true });
});

test('formatLine: zap JSON becomes the level and a readable line', () => {
  assert.deepStrictEqual(
    formatLine('{"level":"info","ts":"2026-01-01T00:00:00Z","logger":"bpfls.lsp","msg":"target bpftrace version","version":"0.17","n":2}'),
    { level: 'info', text: '[bpfls.lsp] target bpftrace version version=0.17 n=2' });
  assert.strictEqual(formatLine('{"level":"warn","msg":"x"}').level, 'warn');
  assert.strictEqual(formatLine('{"level":"debug","msg":"x"}').level, 'debug');
  assert.strictEqual(formatLine('{"level":"error","msg":"boom","stacktrace":"a\\nb"}').text, 'boom\na\nb');
  assert.deepStrictEqual(formatLine('panic: oops'), { level: 'info', text: 'panic: oops' });
  assert.deepStrictEqual(formatLine('[1,2]'), { level: 'info', text: '[1,2]' });
});
