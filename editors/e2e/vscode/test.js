// End-to-end test of the bpfls VS Code extension in a real VS Code (code-server),
// driven through Debian's chromium with playwright-core. Started by vscode/run.sh,
// which installs the .vsix into a fresh code-server and passes:
//   CS_URL     workbench URL with ?folder= pointing at a copy of the fixtures
//   OUT        directory for screenshots; nvim-initialize.json there, if present,
//              says which features the server advertises
//   PLAYWRIGHT path of the playwright-core package
//   SETTINGS_JSON the user settings.json of that code-server (the settings case edits it)
// Prints one "PASS vscode/<case>", "FAIL vscode/<case>: why" or "SKIP vscode/<case>: why"
// line per case and exits 1 if any case failed.
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { chromium } = require(process.env.PLAYWRIGHT || 'playwright-core');

const url = process.env.CS_URL;
const out = process.env.OUT || '.';
const t0 = Date.now();
let failed = 0;

const log = (s) => console.log(`  [${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}`);
const pass = (name, detail) => console.log(`PASS vscode/${name}${detail ? ` (${detail})` : ''}`);
const fail = (name, why) => { failed++; console.log(`FAIL vscode/${name}: ${why}`); };
const skip = (name, why) => console.log(`SKIP vscode/${name}: ${why}`);
const squash = (s) => s.replace(/\s+/g, ' ').trim();
// needReal skips a case that needs a real part, or fails it when CI requires every real part.
const needReal = (name, why) => (process.env.BPFLS_REQUIRE_REAL === '1' ? fail(name, `${why} (BPFLS_REQUIRE_REAL=1)`) : skip(name, why));
const kernelBTF = '/sys/kernel/btf/vmlinux';
const onPath = (cmd) => (process.env.PATH || '').split(':').some((d) => {
  try {
    fs.accessSync(path.join(d, cmd), fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
});

// advertised reads the capabilities the Neovim test recorded from the same server.
function advertised() {
  try {
    return JSON.parse(fs.readFileSync(path.join(out, 'nvim-initialize.json'), 'utf8')).capabilities || {};
  } catch {
    return null;
  }
}

// firstNvimDiagnostic is the syntax error the Neovim test got from the same server.
function firstNvimDiagnostic() {
  try {
    return JSON.parse(fs.readFileSync(path.join(out, 'nvim-syntax-error.json'), 'utf8'));
  } catch {
    return null;
  }
}

// quickInput opens a quick input (Ctrl+P: files, F1: commands), types text and clicks
// the entry whose label starts with it.
async function quickInput(page, key, text) {
  await page.keyboard.press('Escape');
  await page.keyboard.press(key);
  await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 15000 });
  await page.keyboard.type(text);
  const row = page.locator(`.quick-input-list .monaco-list-row[aria-label^="${text}"]`).first();
  await row.waitFor({ timeout: 15000 });
  await row.click();
}

// command runs a command from the palette by its title.
async function command(page, title) {
  await quickInput(page, 'F1', title);
}

async function openFile(page, name) {
  await quickInput(page, 'Control+P', name);
  await page.waitForSelector(`.tab.active[data-resource-name="${name}"]`, { timeout: 15000 });
  await page.waitForSelector('.editor-instance .view-lines .view-line', { timeout: 15000 });
}

async function languageOf(page) {
  return squash(await page.locator('.statusbar-item[id="status.editor.mode"]').innerText({ timeout: 10000 }));
}

async function goTo(page, line, col) {
  await page.keyboard.press('Control+G');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 10000 });
  await page.keyboard.type(`${line}:${col}`);
  await page.keyboard.press('Enter');
}

async function problemsText(page) {
  return squash(await page.locator('.markers-panel .monaco-list-rows').innerText().catch(() => ''));
}

const cases = {
  async language_id(page) {
    await openFile(page, 'syntax_error.bt');
    const lang = await languageOf(page);
    if (lang !== 'bpftrace') return fail('language_id', `status bar language of syntax_error.bt is "${lang}"`);
    pass('language_id', 'syntax_error.bt is bpftrace');
  },

  async diagnostic(page) {
    await page.waitForSelector('.editor-instance .squiggly-error', { timeout: 60000 });
    log('error squiggle shown');
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'bpfls' });
    await row.first().waitFor({ timeout: 30000 });
    const text = await problemsText(page);
    await page.screenshot({ path: path.join(out, 'vscode-problems.png') });
    log(`Problems: ${text}`);
    const m = /bpfls\W*(syntax[\w/.-]*)\W*\[Ln (\d+), Col (\d+)\]/.exec(text);
    if (!m || m[2] !== '6') return fail('diagnostic', `no bpfls syntax… problem at Ln 6 in "${text}"`);
    const nvim = firstNvimDiagnostic();
    if (nvim && !text.includes(`${nvim.message} bpfls`)) {
      return fail('diagnostic', `Problems lack the message Neovim got ("${nvim.message}"): "${text}"`);
    }
    pass('diagnostic', `squiggle and Problems: ${nvim ? `${nvim.message} ` : ''}${m[0]}`);
  },

  // status_item: the language status item of a bpftrace file names the target version,
  // where it came from, the kernel data and the server's state (the bundled one).
  async status_item(page) {
    await openFile(page, 'syntax_error.bt');
    const hover = await openLanguageStatus(page, /bpftrace 0\.17/);
    if (!hover) return fail('status_item', 'no "bpftrace 0.17" in the language status hover');
    const text = squash(await hover.innerText());
    await page.screenshot({ path: path.join(out, 'vscode-status-item.png') });
    await page.keyboard.press('Escape');
    for (const want of ['set in bpfls.targetVersion', 'kernel ', 'bpfls running (bundled)', 'Select Target Version']) {
      if (!text.includes(want)) return fail('status_item', `"${want}" missing from the status item: "${text}"`);
    }
    pass('status_item', text.slice(0, 160));
  },

  // log_levels: the output channel shows the server's JSON log as leveled lines.
  async log_levels(page) {
    await command(page, 'bpfls: Show Output');
    const view = page.locator('.output-view .view-lines');
    const line = view.locator('.view-line', { hasText: 'target bpftrace' });
    try {
      await line.first().waitFor({ timeout: 15000 });
    } catch {
      return fail('log_levels', `no "target bpftrace" line in the output: "${squash(await view.innerText().catch(() => ''))}"`);
    }
    const text = squash(await view.innerText());
    const first = squash(await line.first().innerText());
    await page.screenshot({ path: path.join(out, 'vscode-output.png') });
    await page.keyboard.press('Control+Shift+M'); // back to Problems, which later cases read
    if (/\[error\]\s*\{/.test(text) || !/\[info\]/.test(text)) {
      return fail('log_levels', `raw JSON or no info level in the output: "${text.slice(0, 300)}"`);
    }
    pass('log_levels', first.slice(0, 120));
  },

  // select_target: clicking the status item's link offers the versions; picking auto
  // makes the server ask the bpftrace in PATH, and the item says so.
  async select_target(page) {
    await openFile(page, 'valid.bt');
    const pick = async (version) => {
      const hover = await openLanguageStatus(page, /bpftrace \d/);
      if (!hover) return false;
      await hover.locator('a', { hasText: 'Select Target Version' }).first().click();
      const row = page.locator(`.quick-input-list .monaco-list-row[aria-label^="${version}"]`).first();
      if (!(await row.waitFor({ timeout: 15000 }).then(() => true, () => false))) return false;
      await row.click();
      return true;
    };
    if (!(await pick('auto'))) return fail('select_target', 'the status item link did not offer target versions');
    const want = onPath('bpftrace') ? /bpftrace 0\.\d+\W+auto: \/\S*bpftrace/ : /auto: no usable bpftrace/;
    const after = await openLanguageStatus(page, want);
    if (!after) return fail('select_target', `after picking auto the status item does not match ${want}`);
    const text = squash(await after.innerText());
    await page.screenshot({ path: path.join(out, 'vscode-status-auto.png') });
    // Back to 0.17, which the cases after this one expect.
    if (!(await pick('0.17')) || !(await openLanguageStatus(page, /bpftrace 0\.17\W+set in bpfls\.targetVersion/))) {
      return fail('select_target', 'picking 0.17 again did not reach the status item');
    }
    await page.keyboard.press('Escape');
    pass('select_target', text.slice(0, 160));
  },
  async shebang_language_id(page) {
    await openFile(page, 'shebang-script');
    const lang = await languageOf(page);
    if (lang !== 'bpftrace') return fail('shebang_language_id', `status bar language of shebang-script is "${lang}"`);
    pass('shebang_language_id', '"#!/usr/bin/env bpftrace" file without extension is bpftrace');
  },

  async completion(page, caps) {
    if (!caps) return skip('completion', 'no capabilities recorded by the Neovim suite');
    if (!caps.completionProvider) return skip('completion', 'server does not advertise completionProvider');
    if (!fs.existsSync(kernelBTF)) return needReal('completion', 'no kernel BTF');
    await openFile(page, 'completion.bt');
    await goTo(page, 2, 'kprobe:vfs_'.length + 1);
    // Kernel knowledge may still be loading in the background: ask again for a while.
    // The widget lists many vfs_* functions; typing "re" narrows it as a user would.
    const rows = page.locator('.suggest-widget .monaco-list-row');
    const row = rows.filter({ has: page.locator('.label-name', { hasText: /^vfs_read$/ }) });
    const deadline = Date.now() + 20000;
    let found = false;
    while (!found && Date.now() < deadline) {
      await command(page, 'Trigger Suggest');
      if (!(await rows.first().waitFor({ timeout: 3000 }).then(() => true, () => false))) continue;
      await page.keyboard.type('re');
      found = await row.first().waitFor({ timeout: 3000 }).then(() => true, () => false);
      if (!found) {
        await page.keyboard.press('Escape');
        await page.keyboard.press('Backspace');
        await page.keyboard.press('Backspace');
      }
    }
    if (!found) {
      const shown = squash(await page.locator('.suggest-widget').innerText().catch(() => ''));
      return fail('completion', `no vfs_read in the suggest widget: "${shown}"`);
    }
    await page.screenshot({ path: path.join(out, 'vscode-completion.png') });
    await page.keyboard.press('Escape');
    pass('completion', 'suggest widget offers vfs_read after "kprobe:vfs_" (narrowed by typing "re")');
  },

  async hover(page, caps) {
    if (!caps) return skip('hover', 'no capabilities recorded by the Neovim suite');
    if (!caps.hoverProvider) return skip('hover', 'server does not advertise hoverProvider');
    await openFile(page, 'valid.bt');
    await goTo(page, 5, '\t@reads[comm] = '.length + 2);
    await command(page, 'Show or Focus Hover');
    const hover = page.locator('.monaco-hover-content', { hasText: 'count' });
    try {
      await hover.first().waitFor({ timeout: 20000 });
    } catch {
      return fail('hover', 'no hover mentioning "count" on count()');
    }
    const text = squash(await hover.first().innerText());
    await page.keyboard.press('Escape');
    pass('hover', text.slice(0, 80));
  },

  // verify_command: "bpfls: Verify with bpftrace" (bpfls.verify.enabled is on in settings.json)
  // runs the real bpftrace, compile only, and its error shows in Problems with source bpftrace.
  async verify_command(page, caps) {
    const cmds = caps && caps.executeCommandProvider && caps.executeCommandProvider.commands;
    if (!cmds || !cmds.includes('bpfls.verify')) return skip('verify_command', 'server does not advertise bpfls.verify');
    if (!onPath('bpftrace')) return needReal('verify_command', 'no bpftrace on PATH');
    await openFile(page, 'syntax_error.bt');
    await command(page, 'bpfls: Verify with bpftrace');
    const want = /bpftrace\W*[\w/.-]*\W*\[Ln 6, Col \d+\]/;
    let text = '';
    const deadline = Date.now() + 60000;
    while (Date.now() < deadline && !want.test(text)) {
      await page.waitForTimeout(250);
      text = await problemsText(page);
    }
    const said = squash(await page.locator('.notifications-toasts').innerText().catch(() => ''));
    await page.screenshot({ path: path.join(out, 'vscode-verify.png') });
    if (!want.test(text)) {
      return fail('verify_command', `no bpftrace problem at Ln 6 within 60 s; Problems: "${text}"; notifications: "${said}"`);
    }
    const m = /syntax_error\.bt \d+ (.*?\[Ln 6, Col \d+\]).*?([^\]]*bpftrace\W*[\w/.-]*\W*\[Ln 6, Col \d+\])/.exec(text);
    pass('verify_command', m ? m[2].trim() : text.slice(0, 100));
  },

  // code_action: the quick fix for a misspelt kernel function is in the Quick Fix menu,
  // applies, and the warning goes away.
  async code_action(page, caps) {
    if (!caps) return skip('code_action', 'no capabilities recorded by the Neovim suite');
    if (!caps.codeActionProvider) return skip('code_action', 'server does not advertise codeActionProvider');
    if (!fs.existsSync(kernelBTF)) return needReal('code_action', 'no kernel BTF');
    await openFile(page, 'quickfix.bt');
    const squiggle = page.locator('.editor-instance .squiggly-warning, .editor-instance .squiggly-error');
    await squiggle.first().waitFor({ timeout: 30000 });
    await goTo(page, 2, 'kprobe:'.length + 2);
    await command(page, 'Quick Fix...');
    const item = page.locator('.action-widget .monaco-list-row', { hasText: 'vfs_read' });
    try {
      await item.first().waitFor({ timeout: 15000 });
    } catch {
      const shown = squash(await page.locator('.action-widget').innerText().catch(() => ''));
      return fail('code_action', `no quick fix mentioning vfs_read: "${shown}"`);
    }
    const title = squash(await item.first().innerText());
    await page.screenshot({ path: path.join(out, 'vscode-quickfix.png') });
    // The menu takes keys (pointer events land on its overlay); its first fix is focused.
    await page.keyboard.press('Enter');
    try {
      await page.locator('.editor-instance .view-line', { hasText: 'kprobe:vfs_read' }).first().waitFor({ timeout: 10000 });
      await squiggle.first().waitFor({ state: 'detached', timeout: 30000 });
    } catch {
      return fail('code_action', `after "${title}" the line or the warning did not change`);
    }
    pass('code_action', `"${title}" applied, warning gone`);
  },

  // settings: bpfls.targetVersion 0.17 (in settings.json from the start) makes "5s" an
  // error; editing settings.json to 0.26 must reach the server and clear it.
  async settings(page) {
    const file = process.env.SETTINGS_JSON;
    await openFile(page, 'version.bt');
    const squiggle = page.locator('.editor-instance .squiggly-error');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'version.bt' });
    try {
      await squiggle.first().waitFor({ timeout: 30000 });
    } catch {
      return fail('settings', 'targetVersion 0.17: no error squiggle in version.bt');
    }
    // Edit settings.json the way a user does: in the editor, then save and close it.
    const cfg = JSON.parse(fs.readFileSync(file, 'utf8'));
    const setVersion = async (v) => {
      cfg['bpfls.targetVersion'] = v;
      await command(page, 'Preferences: Open User Settings (JSON)');
      await page.waitForSelector('.tab.active[data-resource-name="settings.json"]', { timeout: 15000 });
      await page.locator('.editor-instance .view-lines').first().click();
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText(JSON.stringify(cfg, null, 2));
      await page.keyboard.press('Control+S');
      await page.waitForSelector('.tab.active[data-resource-name="settings.json"]:not(.dirty)', { timeout: 15000 });
      await page.keyboard.press('Control+W');
      await openFile(page, 'version.bt');
    };
    await setVersion('0.26');
    try {
      await squiggle.first().waitFor({ state: 'detached', timeout: 30000 });
      await row.first().waitFor({ state: 'detached', timeout: 10000 });
    } catch {
      return fail('settings', 'targetVersion 0.26 in settings.json: the error stayed');
    }
    await page.screenshot({ path: path.join(out, 'vscode-settings-0.26.png') });
    await setVersion('0.17');
    try {
      await squiggle.first().waitFor({ timeout: 30000 });
    } catch {
      return fail('settings', 'back to 0.17: the error did not return');
    }
    pass('settings', '0.17: error squiggle in version.bt; 0.26 via settings.json: none; 0.17: again');
  },

  async valid_file(page) {
    await openFile(page, 'valid.bt');
    // Nothing to wait for when all is well: give the server a moment to publish.
    await page.waitForTimeout(3000);
    const squiggles = await page.locator('.editor-instance .squiggly-error, .editor-instance .squiggly-warning').count();
    if (squiggles > 0) return fail('valid_file', `${squiggles} squiggles in valid.bt`);
    pass('valid_file', 'no squiggles 3 s after opening valid.bt');
  },

  // format_on_save: with "editor.formatOnSave" on for bpftrace (settings.json), an edit and
  // Ctrl+S write exactly what `bpfls fmt` prints: the server's edits through the extension.
  async format_on_save(page, caps) {
    if (!caps) return skip('format_on_save', 'no capabilities recorded by the Neovim suite');
    if (!caps.documentFormattingProvider) return skip('format_on_save', 'server does not advertise documentFormattingProvider');
    const file = path.join(new URL(url).searchParams.get('folder'), 'unformatted.bt');
    const want = execFileSync(process.env.BPFLS, ['fmt', file], { encoding: 'utf8' });
    await openFile(page, 'unformatted.bt');
    await goTo(page, 7, 1);
    await page.keyboard.press('End');
    await page.keyboard.type(' ');
    await page.keyboard.press('Control+S');
    let got = '';
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline && got !== want) {
      await page.waitForTimeout(250);
      got = fs.readFileSync(file, 'utf8');
    }
    await page.screenshot({ path: path.join(out, 'vscode-format-on-save.png') });
    if (got !== want) return fail('format_on_save', `saved file is not formatted:\n${got}\nwant:\n${want}`);
    pass('format_on_save', `saved unformatted.bt is what bpfls fmt prints (${want.split('\n').length - 1} lines)`);
  },

};

// Cases of the session with the universal package and no bpfls anywhere (MODE=missing).
const missingCases = {
  async missing_server(page) {
    await openFile(page, 'syntax_error.bt');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'language server was not found' });
    try {
      await toast.first().waitFor({ timeout: 30000 });
    } catch {
      return fail('missing_server', `no "not found" message: "${squash(await page.locator('.notifications-toasts').innerText().catch(() => ''))}"`);
    }
    const text = squash(await toast.first().innerText());
    await page.screenshot({ path: path.join(out, 'vscode-missing-server.png') });
    const toasts = await page.locator('.notifications-toasts .notification-toast').count();
    for (const want of ['Open Setting', 'Install Instructions']) {
      if (!text.includes(want)) return fail('missing_server', `no "${want}" button: "${text}"`);
    }
    if (toasts !== 1) return fail('missing_server', `${toasts} notifications, want the one message`);
    await toast.first().locator('.monaco-button', { hasText: 'Install Instructions' }).click();
    try {
      await page.locator('.tab', { hasText: 'Preview' }).first().waitFor({ timeout: 15000 });
    } catch {
      return fail('missing_server', '"Install Instructions" opened no preview of the README');
    }
    pass('missing_server', text.slice(0, 200));
  },
};

// openLanguageStatus opens the language status hover ({} next to the language) and
// returns it once it matches want, or null.
async function openLanguageStatus(page, want) {
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    await page.keyboard.press('Escape');
    await page.locator('.statusbar-item[id="status.languageStatus"]').click({ timeout: 10000 }).catch(() => {});
    // One row per status item; their parent holds them all.
    const hover = page.locator('.hover-language-status').first().locator('xpath=..');
    if (await hover.waitFor({ timeout: 3000 }).then(() => true, () => false)) {
      if (want.test(squash(await hover.innerText()))) return hover;
    }
    await page.waitForTimeout(500);
  }
  return null;
}

async function main() {
  const profile = fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'chromium-profile-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 900 },
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  page.on('pageerror', (e) => log(`pageerror: ${e.message}`));
  const caps = advertised();
  try {
    await page.goto(url);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => {});
    log('workbench rendered');
    for (const [name, run] of Object.entries(process.env.MODE === 'missing' ? missingCases : cases)) {
      const before = failed;
      try {
        await run(page, caps);
      } catch (e) {
        fail(name, e.message.split('\n')[0]);
      }
      if (failed > before) {
        await page.screenshot({ path: path.join(out, `vscode-fail-${name}.png`) }).catch(() => {});
        await page.keyboard.press('Escape').catch(() => {});
      }
      log(`${name} done`);
    }
  } catch (e) {
    fail('workbench', e.message.split('\n')[0]);
    await page.screenshot({ path: path.join(out, 'vscode-fail-workbench.png') }).catch(() => {});
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.exit(failed > 0 ? 1 : 0);
}

main();
