// bpftrace support for VS Code: a thin client for the bpfls language server.
//
// Everything about the language lives in the server (STYLE rule 26). This file
// starts `bpfls serve` over stdio, hands it the user's settings, and offers a
// few commands. Plain JavaScript on purpose: no build step before `vsce package`.
'use strict';

const vscode = require('vscode');
const {
  LanguageClient,
  TransportKind,
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
} = require('vscode-languageclient/node');

const section = 'bpfls';
const verifyCommand = 'bpfls.verify'; // the server's workspace/executeCommand

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.LogOutputChannel | undefined} */
let output;

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
    diagnosticsDelay: cfg.get('diagnosticsDelay', 150),
    logLevel: cfg.get('logLevel', 'info'),
    verify: {
      enabled: cfg.get('verify.enabled', false),
      onSave: cfg.get('verify.onSave', false),
      prefix: cfg.get('verify.command', []),
      path: cfg.get('verify.path', ''),
      includeDirs: cfg.get('verify.includeDirs', []),
      params: cfg.get('verify.params', []),
      timeoutMs: Math.round(cfg.get('verify.timeout', 0) * 1000),
    },
  };
}

/** serverCommand resolves the binary: the bpfls.path setting, else bpfls on PATH. */
function serverCommand() {
  const configured = vscode.workspace.getConfiguration(section).get('path', '');
  return configured.trim() || 'bpfls';
}

function newClient() {
  const settings = serverSettings();
  const executable = {
    command: serverCommand(),
    args: ['serve', '--log-level', settings.logLevel],
    transport: TransportKind.stdio,
  };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'bpftrace' },
      { scheme: 'untitled', language: 'bpftrace' },
    ],
    initializationOptions: settings,
    outputChannel: output,
  };
  return new LanguageClient(section, 'bpftrace (bpfls)', { run: executable, debug: executable }, clientOptions);
}

async function startClient() {
  client = newClient();
  try {
    await client.start();
    // Offer "Verify with bpftrace" only when the server can do it.
    const commands = client.initializeResult?.capabilities?.executeCommandProvider?.commands || [];
    await vscode.commands.executeCommand('setContext', 'bpfls.canVerify', commands.includes(verifyCommand));
  } catch (err) {
    vscode.window.showErrorMessage(`bpfls: could not start the language server: ${err.message || err}`);
  }
}

async function restartClient() {
  if (client) {
    const old = client;
    client = undefined;
    await old.stop().catch(() => {});
  }
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
    const result = await client.sendRequest(ExecuteCommandRequest.type, params);
    if (typeof result === 'string' && result !== '') {
      vscode.window.showInformationMessage(`bpfls: ${result}`);
    }
  } catch (err) {
    vscode.window.showErrorMessage(`bpfls: verify: ${err.message || err}`);
  }
}

async function onConfigurationChanged(event) {
  if (!event.affectsConfiguration(section)) {
    return;
  }
  if (event.affectsConfiguration(`${section}.path`)) {
    await restartClient(); // a different binary needs a new process
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
  output = vscode.window.createOutputChannel('bpftrace (bpfls)', { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('bpfls.verifyFile', verifyFile),
    vscode.commands.registerCommand('bpfls.restart', restartClient),
    vscode.commands.registerCommand('bpfls.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
  );
  await startClient();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
