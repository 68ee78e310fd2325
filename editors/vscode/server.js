// Finding and starting the bpfls binary.
//
// Order, as rust-analyzer does it: the bpfls.path setting (from the user's
// own settings only: it names a program), the binary bundled in a platform
// package (server/bpfls), bpfls in PATH, then ~/go/bin and $GOPATH/bin,
// where `go install` puts it and where a PATH taken from a login shell may
// not reach.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const childProcess = require('child_process');

/** isExecutable reports whether file is a regular file we may execute. */
function isExecutable(file) {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * findServer returns {path, source} for the first bpfls found, or
 * {missing: [...places looked]} when there is none. configured is the
 * user's bpfls.path ('' when unset); extensionDir holds a bundled binary in
 * platform packages; env is the extension host's environment.
 */
function findServer(configured, extensionDir, env) {
  const exe = process.platform === 'win32' ? 'bpfls.exe' : 'bpfls';
  const looked = [];
  if (configured) {
    const file = configured.startsWith('~/') ? path.join(os.homedir(), configured.slice(2)) : configured;
    if (isExecutable(file)) return { path: file, source: 'bpfls.path setting' };
    return { missing: [`bpfls.path (${configured}: not an executable file)`], configured: true };
  }
  const bundled = path.join(extensionDir, 'server', exe);
  if (isExecutable(bundled)) return { path: bundled, source: 'bundled' };
  looked.push('the extension (this is the universal package, without a server)');
  for (const dir of (env.PATH || '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, exe))) return { path: path.join(dir, exe), source: 'PATH' };
  }
  looked.push('PATH');
  const goDirs = [path.join(os.homedir(), 'go', 'bin')];
  for (const dir of (env.GOPATH || '').split(path.delimiter)) {
    if (dir) goDirs.push(path.join(dir, 'bin'));
  }
  for (const dir of goDirs) {
    if (isExecutable(path.join(dir, exe))) return { path: path.join(dir, exe), source: dir };
  }
  looked.push(...new Set(goDirs));
  return { missing: looked };
}

/**
 * spawnServer starts `bpfls serve` and hands its stdio to the language
 * client; onLog receives each line bpfls writes to stderr (its JSON log).
 */
function spawnServer(file, logLevel, onLog) {
  const proc = childProcess.spawn(file, ['serve', '--log-level', logLevel], { stdio: ['pipe', 'pipe', 'pipe'] });
  let rest = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    for (const line of lines) if (line.trim()) onLog(line);
  });
  return new Promise((resolve, reject) => {
    proc.once('error', reject);
    proc.once('spawn', () => resolve({ process: proc, streams: { reader: proc.stdout, writer: proc.stdin } }));
  });
}

module.exports = { findServer, spawnServer, isExecutable };
