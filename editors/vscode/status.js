// The language status items of a bpftrace file: the target bpftrace version and
// where it came from (clicking picks another), and the kernel data in use with the
// server's state. They read the server's bpfls/status notification and the client's
// state.
'use strict';

const vscode = require('vscode');

/** kernelText names the kernel data briefly: the running kernel's release, or the file's name. */
function kernelText(k) {
  const base = (p) => p.split('/').pop();
  switch (k.kind) {
    case 'running': return `kernel ${k.description.replace(/^the running kernel\s*/, '') || '(running)'}`;
    case 'snapshot': return `kernel snapshot ${base(k.description.replace(/^snapshot /, ''))}`;
    case 'btf': return `kernel BTF ${base(k.description.replace(/^BTF file /, ''))}`;
    default: return 'no kernel data';
  }
}

class StatusItem {
  constructor(command) {
    this.target = vscode.languages.createLanguageStatusItem('bpfls.target', { language: 'bpftrace' });
    this.target.name = 'bpfls target version';
    this.server = vscode.languages.createLanguageStatusItem('bpfls.server', { language: 'bpftrace' });
    this.server.name = 'bpfls server';
    this.command = command;
    this.state = 'starting';
    this.where = '';
    this.st = undefined;
    this.render();
  }

  /** setServer records the server's state ("starting", "running", "stopped", "not found") and where it is. */
  setServer(state, where) {
    this.state = state;
    this.where = where;
    this.render();
  }

  /** setServerStatus records a bpfls/status notification. */
  setServerStatus(st) {
    this.st = st;
    this.render();
  }

  /** summary is one line for messages and logs. */
  summary() {
    if (!this.st) return '';
    return `target bpftrace ${this.st.target.version} (${this.st.target.reason}); kernel: ${this.st.kernel.description}`;
  }

  render() {
    const { target: t, server: s } = this;
    const ok = this.state === 'running';
    s.busy = t.busy = this.state === 'starting';
    s.severity = t.severity = ok ? vscode.LanguageStatusSeverity.Information : vscode.LanguageStatusSeverity.Error;
    t.command = { title: 'Select Target Version', command: this.command, tooltip: 'Pick the bpftrace version to check against' };
    s.command = { title: 'Show Output', command: 'bpfls.showOutput' };
    if (this.state === 'not found') {
      t.text = 'bpfls: server not found';
      t.detail = 'no bpftrace checks';
      s.text = 'bpfls not found';
      s.detail = `looked in ${this.where}`;
      s.command = { title: 'Open Setting', command: 'workbench.action.openSettings', arguments: ['bpfls.path'] };
      return;
    }
    s.detail = `bpfls ${this.state}${this.where ? ` (${this.where})` : ''}`;
    if (!this.st) {
      t.text = 'bpftrace: …';
      t.detail = ok ? 'waiting for the server' : `server ${this.state}`;
      s.text = 'kernel: …';
      return;
    }
    const tg = this.st.target;
    t.text = `bpftrace ${tg.version}`;
    if (tg.source === 'setting') t.detail = 'set in bpfls.targetVersion';
    else if (tg.source === 'installed') t.detail = `auto: ${tg.binary}`;
    else t.detail = 'auto: no usable bpftrace, so the newest';
    t.accessibilityInformation = { label: `target bpftrace ${tg.version}: ${tg.reason}` };
    s.text = kernelText(this.st.kernel);
  }

  dispose() {
    this.target.dispose();
    this.server.dispose();
  }
}

module.exports = { StatusItem };
