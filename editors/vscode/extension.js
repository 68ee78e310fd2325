// bpftrace support for VS Code: a thin client for the bpfls language server.
//
// Everything about the language lives in the server (STYLE rule 26). This file
// finds and starts `bpfls serve` (server.js), hands it the user's settings,
// shows what it checks against in a language status item (status.js), and
// offers a few commands. Plain JavaScript on purpose: no build step before
// `vsce package`.
'use strict';

const vscode = require('vscode');
const {
  LanguageClient,
  State,
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
} = require('vscode-languageclient/node');
const { findServer, spawnServer } = require('./server');
const { logLine } = require('./log');
const { StatusItem } = require('./status');

const section = 'bpfls';
const verifyCommand = 'bpfls.verify'; // the server's workspace/executeCommand
const statusNotification = 'bpfls/status';
// Settings that name or run programs: read from the user's own settings only,
// and not at all in an untrusted workspace (package.json declares them
// machine-scoped and restricted as well).
const programSettings = ['path', 'verify.enabled', 'verify.onSave', 'verify.command', 'verify.path'];

/** @type {vscode.ExtensionContext} */
let ctx;
/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.LogOutputChannel} */
let output;
/** @type {StatusItem} */
let status;
let server; // {path, source} of the running binary
let serverProcess;

/** userSetting reads a setting that names a program: the user's value or the default, never a workspace's. */
function userSetting(key, fallback) {
  if (!vscode.workspace.isTrusted) return fallback;
  const info = vscode.workspace.getConfiguration(section).inspect(key);
  if (!info) return fallback;
  return info.globalValue !== undefined ? info.globalValue : info.defaultValue !== undefined ? info.defaultValue : fallback;
}

/**
 * serverSettings is the one shape of settings the server sees (lsp/settings.go):
 * as initializationOptions at start, and as `settings.bpfls` in
 * workspace/didChangeConfiguration afterwards.
 */
function serverSettings() {
  const cfg = vscode.workspace.getConfiguration(section);
  return {
    targetVersion: cfg.get('targetVersion', 'auto'),
    kernelBTF: cfg.get('kernelBTF', ''),
    kernelSnapshot: cfg.get('kernelSnapshot', ''),
    kernelHeaders: cfg.get('kernelHeaders', ''),
    diagnosticsDelay: cfg.get('diagnosticsDelay', 150),
    logLevel: cfg.get('logLevel', 'info'),
    verify: {
      enabled: userSetting('verify.enabled', false),
      onSave: userSetting('verify.onSave', false),
      prefix: userSetting('verify.command', []),
      path: userSetting('verify.path', ''),
      includeDirs: cfg.get('verify.includeDirs', []),
      params: cfg.get('verify.params', []),
      timeoutMs: Math.round(cfg.get('verify.timeout', 0) * 1000),
    },
  };
}

/** notFound shows the one message for a missing server, with what to do. */
async function notFound(found) {
  const where = found.missing.join(', ');
  output.error(`bpfls not found; looked in: ${where}`);
  status.setServer('not found', where);
  const openSetting = 'Open Setting';
  const instructions = 'Install Instructions';
  const msg = found.configured
    ? `bpfls: the bpfls.path setting does not name an executable (${where.replace(/^bpfls\.path \(|\)$/g, '')}).`
    : 'bpfls: the bpfls language server was not found. Install a platform-specific build of this extension, ' +
      'run `go install github.com/bpfls/bpfls/cmd/bpfls@latest`, or set bpfls.path.';
  const choice = await vscode.window.showErrorMessage(msg, openSetting, instructions);
  if (choice === openSetting) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'bpfls.path');
  } else if (choice === instructions) {
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(ctx.extensionUri, 'README.md'));
  }
}

function newClient(found, settings) {
  const serverOptions = async () => {
    const { process: proc, streams } = await spawnServer(found.path, settings.logLevel, (line) => logLine(output, line));
    serverProcess = proc;
    proc.once('exit', (code, signal) => {
      output.info(`bpfls exited (${signal || `code ${code}`})`);
      if (serverProcess === proc) serverProcess = undefined;
    });
    return streams;
  };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'bpftrace' },
      { scheme: 'untitled', language: 'bpftrace' },
    ],
    initializationOptions: settings,
    outputChannel: output,
  };
  const c = new LanguageClient(section, 'bpftrace (bpfls)', serverOptions, clientOptions);
  c.onDidChangeState((e) => {
    const names = { [State.Starting]: 'starting', [State.Running]: 'running', [State.Stopped]: 'stopped' };
    status.setServer(names[e.newState] || "unknown", found.source);
  });
  c.onNotification(statusNotification, (st) => {
    status.setServerStatus(st);
    output.info(`target bpftrace ${st.target.version} (${st.target.reason}); kernel: ${st.kernel.description}`);
  });
  return c;
}

async function startClient() {
  const found = findServer(userSetting('path', '').trim(), ctx.extensionPath, process.env);
  if (found.missing) {
    server = undefined;
    notFound(found); // not awaited: activation must not wait for the user to answer
    return;
  }
  server = found;
  output.info(`starting ${found.path} (${found.source})`);
  client = newClient(found, serverSettings());
  try {
    await client.start();
    // Offer "Verify with bpftrace" only when the server can do it.
    const commands = client.initializeResult?.capabilities?.executeCommandProvider?.commands || [];
    await vscode.commands.executeCommand('setContext', 'bpfls.canVerify', commands.includes(verifyCommand));
  } catch (err) {
    output.error(`starting ${found.path}: ${err.message || err}`);
    status.setServer("failed", found.source);
    vscode.window.showErrorMessage(`bpfls: ${found.path} did not start: ${err.message || err}`, 'Show Output')
      .then((c) => c && output.show(true));
  }
}

async function stopClient() {
  if (!client) return;
  const old = client;
  client = undefined;
  await old.stop().catch(() => {});
  if (serverProcess) serverProcess.kill();
}

async function restartClient() {
  await stopClient();
  await startClient();
}

/** verifyFile asks the server to compile the active file with the real bpftrace. */
async function verifyFile() {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'bpftrace') {
    vscode.window.showWarningMessage('bpfls: open a bpftrace file to verify it');
    return;
  }
  if (!client || !client.isRunning()) {
    vscode.window.showErrorMessage('bpfls: the language server is not running');
    return;
  }
  if (editor.document.isDirty) {
    await editor.document.save();
  }
  const params = { command: verifyCommand, arguments: [editor.document.uri.toString()] };
  try {
    await client.sendRequest(ExecuteCommandRequest.type, params);
  } catch (err) {
    vscode.window.showErrorMessage(`bpfls: verify: ${err.message || err}`);
  }
}

/** selectTargetVersion offers the versions of the bpfls.targetVersion enum and saves the pick. */
async function selectTargetVersion() {
  const prop = ctx.extension.packageJSON.contributes.configuration.properties['bpfls.targetVersion'];
  const cfg = vscode.workspace.getConfiguration(section);
  const current = cfg.get('targetVersion', 'auto');
  const items = prop.enum.map((v, i) => ({
    label: v,
    description: v === current ? 'current' : '',
    detail: prop.enumDescriptions && prop.enumDescriptions[i],
  }));
  const pick = await vscode.window.showQuickPick(items, { title: 'Target bpftrace version', placeHolder: `now: ${current}` });
  if (!pick) return;
  const info = cfg.inspect('targetVersion');
  const where = info && info.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  try {
    await cfg.update('targetVersion', pick.label, where);
  } catch (err) {
    vscode.window.showErrorMessage(`bpfls: setting bpfls.targetVersion: ${err.message || err}`);
  }
}

async function showVersion() {
  const ext = ctx.extension.packageJSON.version;
  const info = client && client.initializeResult && client.initializeResult.serverInfo;
  const srv = server ? `${info ? `${info.name} ${info.version}` : 'bpfls (not running)'} from ${server.source} (${server.path})` : 'no server found';
  const target = status.summary();
  const msg = `bpfls extension ${ext}; server ${srv}${target ? `; ${target}` : ''}`;
  output.info(msg);
  await vscode.window.showInformationMessage(msg);
}

async function onConfigurationChanged(event) {
  if (!event.affectsConfiguration(section)) return;
  if (event.affectsConfiguration(`${section}.path`) || !client) {
    await restartClient(); // a different binary needs a new process; a missing one may now be set
    return;
  }
  if (client && client.isRunning()) {
    await client.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { [section]: serverSettings() },
    });
  }
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  ctx = context;
  output = vscode.window.createOutputChannel('bpftrace (bpfls)', { log: true });
  status = new StatusItem('bpfls.selectTargetVersion');
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand('bpfls.verifyFile', verifyFile),
    vscode.commands.registerCommand('bpfls.restart', restartClient),
    vscode.commands.registerCommand('bpfls.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('bpfls.showVersion', showVersion),
    vscode.commands.registerCommand('bpfls.selectTargetVersion', selectTargetVersion),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
    // Trust granted: the settings that run programs now apply.
    vscode.workspace.onDidGrantWorkspaceTrust(restartClient),
  );
  if (!vscode.workspace.isTrusted) {
    output.info(`untrusted workspace: ${programSettings.map((s) => `bpfls.${s}`).join(', ')} are ignored`);
  }
  await startClient();
}

function deactivate() {
  return stopClient();
}

module.exports = { activate, deactivate };
