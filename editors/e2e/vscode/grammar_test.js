// Tokenizes a bpftrace script with editors/vscode's TextMate grammar, using the same
// vscode-textmate and oniguruma that code-server ships, and checks the scopes of
// chosen tokens. Needs VSCODE_MODULES (code-server's lib/vscode/node_modules).
// Prints "PASS grammar/<case>" or "FAIL grammar/<case>: why" per case; exits 1 on failure.
'use strict';

const fs = require('fs');
const path = require('path');

const modules = process.env.VSCODE_MODULES;
const tm = require(path.join(modules, 'vscode-textmate'));
const onig = require(path.join(modules, 'vscode-oniguruma'));
const grammarPath = path.join(__dirname, '../../vscode/syntaxes/bpftrace.tmLanguage.json');

const script = [
  '#!/usr/bin/env bpftrace', // 1
  '#include <linux/sched.h>', // 2
  '/* block',                 // 3
  '   comment */',            // 4
  'kprobe:vfs_read, uprobe:/bin/bash:readline /pid == 42/', // 5
  '{',                        // 6
  '\t$n = arg2 + 0x10;  // count bytes', // 7
  '\t@bytes[comm, $1] = sum($n);', // 8
  '\tif ($n > 1_000) { printf("big %d\\n", $n); }', // 9
  '\t$t = (struct task_struct *)curtask; $p = $t->parent->pid;', // 10
  '}',                        // 11
  'END { clear(@bytes); }',   // 12
];

// [case, line (1-based), token text, scope the token must carry ("!scope": must not)]
const want = [
  ['shebang', 1, '#!/usr/bin/env bpftrace', 'comment.line.shebang.bpftrace'],
  ['preprocessor', 2, 'include', 'keyword.control.directive.bpftrace'],
  ['include_path', 2, '<linux/sched.h>', 'string.quoted.other.lt-gt.include.bpftrace'],
  ['block_comment', 4, '   comment ', 'comment.block.bpftrace'],
  ['probe_provider', 5, 'kprobe', 'entity.name.function.probe.provider.bpftrace'],
  ['probe_target', 5, ':vfs_read', 'entity.name.function.probe.target.bpftrace'],
  ['uprobe_path', 5, ':/bin/bash:readline', 'entity.name.function.probe.target.bpftrace'],
  ['predicate', 5, '42', 'constant.numeric.bpftrace'],
  ['predicate_scope', 5, 'pid', 'meta.predicate.bpftrace'],
  ['scratch_variable', 7, '$n', 'variable.other.scratch.bpftrace'],
  ['hex_number', 7, '0x10', 'constant.numeric.bpftrace'],
  ['line_comment', 7, ' count bytes', 'comment.line.double-slash.bpftrace'],
  ['map', 8, '@bytes', 'variable.other.map.bpftrace'],
  ['positional', 8, '$1', 'variable.parameter.positional.bpftrace'],
  ['call', 8, 'sum', 'entity.name.function.call.bpftrace'],
  ['keyword', 9, 'if', 'keyword.control.bpftrace'],
  ['digit_separator', 9, '1_000', 'constant.numeric.bpftrace'],
  ['string', 9, 'big ', 'string.quoted.double.bpftrace'],
  ['format_verb', 9, '%d', 'constant.other.placeholder.bpftrace'],
  ['escape', 9, '\\n', 'constant.character.escape.bpftrace'],
  ['struct_keyword', 10, 'struct', 'storage.type.bpftrace'],
  ['member', 10, 'parent', 'variable.other.member.bpftrace'],
  ['block_scope', 10, 'curtask', 'meta.block.bpftrace'],
  ['begin_end_probe', 12, 'END', 'entity.name.function.probe.provider.bpftrace'],
  ['no_probe_in_block', 10, 'curtask', '!entity.name.function.probe.provider.bpftrace'],
  ['no_probe_in_call', 12, 'clear', '!entity.name.function.probe.provider.bpftrace'],
];

// First lines that must (true) or must not (false) make a file bpftrace, checked against
// the firstLine pattern in editors/vscode/package.json.
const firstLines = [
  ['#!/usr/bin/env bpftrace', true],
  ['#!/usr/bin/bpftrace', true],
  ['#!/usr/local/bin/bpftrace -v', true],
  ['#! /usr/bin/env -S bpftrace --unsafe', true],
  ['#!/bin/sh', false],
  ['#!/usr/bin/env python3 # bpftrace', false],
  ['#!/usr/bin/bpftrace-wrapper', false],
  ['// bpftrace', false],
];

function checkFirstLine() {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../vscode/package.json'), 'utf8'));
  const re = new RegExp(manifest.contributes.languages[0].firstLine);
  const wrong = firstLines.filter(([line, want]) => re.test(line) !== want);
  if (wrong.length === 0) {
    console.log(`PASS grammar/first_line (${firstLines.length} shebang lines)`);
    return 0;
  }
  console.log(`FAIL grammar/first_line: ${wrong.map(([l, w]) => `${JSON.stringify(l)} should${w ? '' : ' not'} match`).join('; ')}`);
  return 1;
}

async function main() {
  const wasm = fs.readFileSync(path.join(modules, 'vscode-oniguruma/release/onig.wasm'));
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new tm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p) => new onig.OnigScanner(p), createOnigString: (s) => new onig.OnigString(s) }),
    loadGrammar: async () => tm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath),
  });
  const grammar = await registry.loadGrammar('source.bpftrace');
  let stack = tm.INITIAL;
  const lines = script.map((text) => {
    const r = grammar.tokenizeLine(text, stack);
    stack = r.ruleStack;
    return r.tokens.map((t) => ({ text: text.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
  let failed = checkFirstLine();
  for (const [name, line, text, scope] of want) {
    const tok = lines[line - 1].find((t) => t.text.trim() === text.trim());
    const negate = scope.startsWith('!');
    if (tok && tok.scopes.includes(scope.replace(/^!/, '')) !== negate) {
      console.log(`PASS grammar/${name}`);
      continue;
    }
    failed++;
    const got = tok ? tok.scopes.join(' ') : `no token "${text}"; tokens: ${lines[line - 1].map((t) => JSON.stringify(t.text)).join(' ')}`;
    console.log(`FAIL grammar/${name}: line ${line} "${text}" wants ${scope}; has ${got}`);
  }
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((e) => {
  console.log(`FAIL grammar/load: ${e.message}`);
  process.exit(1);
});
