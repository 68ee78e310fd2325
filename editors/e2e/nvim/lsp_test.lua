-- End-to-end test of bpfls in a real Neovim (0.7.2 headless or newer), using the
-- shipped files: editors/vim/ftdetect/bpftrace.vim and editors/nvim/lsp/bpfls.lua.
--
--   BPFLS=/path/to/bpfls NVIM_CONFIG=editors/nvim FIXTURES=editors/e2e/testdata OUT=dir \
--     nvim --headless -u NONE -i NONE -c 'luafile editors/e2e/nvim/lsp_test.lua'
--
-- Prints one "PASS nvim/<case>", "FAIL nvim/<case>: why" or "SKIP nvim/<case>: why"
-- line per case, writes the server's initialize result to $OUT/nvim-initialize.json,
-- and exits 1 if any case failed.
local env = {
  server = assert(os.getenv('BPFLS'), 'BPFLS not set'),
  config = assert(os.getenv('NVIM_CONFIG'), 'NVIM_CONFIG not set'),
  fixtures = assert(os.getenv('FIXTURES'), 'FIXTURES not set'),
  out = os.getenv('OUT') or '.',
  timeout = tonumber(os.getenv('TIMEOUT_MS') or '15000'),
}

local failed = 0
local function say(s) io.stdout:write(s .. '\n') end
local function pass(name, detail) say(('PASS nvim/%s%s'):format(name, detail and (' (' .. detail .. ')') or '')) end
local function fail(name, why) failed = failed + 1; say(('FAIL nvim/%s: %s'):format(name, why)) end
local function skip(name, why) say(('SKIP nvim/%s: %s'):format(name, why)) end
-- need_real skips a case that needs a real part, or fails it when CI requires every real part.
local function need_real(name, why)
  if os.getenv('BPFLS_REQUIRE_REAL') == '1' then return fail(name, why .. ' (BPFLS_REQUIRE_REAL=1)') end
  skip(name, why)
end

-- The shipped filetype detection (editors/vim, beside editors/nvim) must be on the
-- runtimepath before ":filetype on".
vim.opt.runtimepath:prepend(env.config .. '/../vim')
vim.cmd('filetype on')

-- Every publishDiagnostics the server sends, per URI, in order.
local published = {}
local default_publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  published[result.uri] = published[result.uri] or {}
  table.insert(published[result.uri], result.diagnostics)
  return default_publish(err, result, ctx, config)
end

local function open(name)
  local file = env.fixtures .. '/' .. name
  -- ":edit" of the current file reloads it, and Neovim 0.7 then sends didClose without
  -- a new didOpen: only switch buffers.
  if vim.api.nvim_buf_get_name(0) ~= file then vim.cmd('edit ' .. vim.fn.fnameescape(file)) end
  local bufnr = vim.api.nvim_get_current_buf()
  return bufnr, vim.uri_from_bufnr(bufnr)
end

local function fmt_diag(d)
  return ('%d:%d %s [%s] %s'):format(d.range.start.line + 1, d.range.start.character + 1,
    tostring(d.source), tostring(d.code), d.message)
end

local cases = {}

function cases.filetype()
  local bt = select(1, open('syntax_error.bt'))
  local script = select(1, open('shebang-script'))
  if vim.bo[bt].filetype ~= 'bpftrace' or vim.bo[script].filetype ~= 'bpftrace' then
    return fail('filetype', ('syntax_error.bt is %q, shebang-script is %q'):format(vim.bo[bt].filetype, vim.bo[script].filetype))
  end
  -- first lines that must (true) or must not (false) make an extension-less file bpftrace
  local first_lines = {
    { '#!/usr/bin/env bpftrace', true }, { '#!/usr/bin/bpftrace', true },
    { '#!/usr/local/bin/bpftrace -v', true }, { '#! /usr/bin/env -S bpftrace --unsafe', true },
    { '#!/bin/sh', false }, { '#!/usr/bin/env python3 # bpftrace', false },
    { '#!/usr/bin/bpftrace-wrapper', false }, { '// bpftrace', false },
  }
  for i, c in ipairs(first_lines) do
    local file = ('%s/first-line-%d'):format(env.out, i)
    vim.fn.writefile({ c[1], 'BEGIN { exit(); }' }, file)
    vim.cmd('edit ' .. vim.fn.fnameescape(file))
    if (vim.bo.filetype == 'bpftrace') ~= c[2] then
      return fail('filetype', ('first line %q gives filetype %q'):format(c[1], vim.bo.filetype))
    end
    vim.cmd('bwipeout')
  end
  pass('filetype', ('*.bt and %d first lines'):format(#first_lines))
end

-- start launches the server with the shipped config (only the binary path and test
-- settings differ) and waits for the initialize handshake.
local client_id, exited = nil, {}
local opts = { -- the shape of lsp/settings.go
  targetVersion = '0.17', diagnosticsDelay = 0, logLevel = 'debug',
  verify = { enabled = true, onSave = false }, -- only the verify case runs bpftrace (compile only)
}
local function start()
  local cfg = dofile(env.config .. '/lsp/bpfls.lua')
  local cmd = vim.deepcopy(cfg.cmd)
  cmd[1] = env.server
  client_id = vim.lsp.start_client({
    name = 'bpfls',
    cmd = cmd,
    root_dir = env.fixtures,
    filetypes = cfg.filetypes,
    init_options = opts,
    settings = vim.tbl_extend('force', cfg.settings, { bpfls = opts }),
    on_exit = function(code, signal) exited.code, exited.signal = code, signal end,
  })
  return client_id
end

local function client() return client_id and vim.lsp.get_client_by_id(client_id) end
local function caps() local c = client(); return c and c.server_capabilities or {} end

function cases.initialize()
  if not start() then return fail('initialize', 'start_client returned nil') end
  local bufnr = open('syntax_error.bt')
  vim.lsp.buf_attach_client(bufnr, client_id)
  local ok = vim.wait(env.timeout, function()
    local c = client()
    return exited.code ~= nil or (c ~= nil and c.initialized == true)
  end, 20)
  if not ok or exited.code ~= nil then
    return fail('initialize', ('no initialize result in %d ms (server exit=%s)'):format(env.timeout, tostring(exited.code)))
  end
  local result = { capabilities = caps(), serverInfo = client().server_info }
  vim.fn.writefile({ vim.fn.json_encode(result) }, env.out .. '/nvim-initialize.json')
  local sync = caps().textDocumentSync
  if sync == nil then return fail('initialize', 'no textDocumentSync capability') end
  local advertised = {}
  for _, k in ipairs({ 'completionProvider', 'hoverProvider', 'executeCommandProvider', 'codeActionProvider',
    'documentSymbolProvider', 'signatureHelpProvider', 'semanticTokensProvider', 'definitionProvider' }) do
    if caps()[k] then table.insert(advertised, k) end
  end
  pass('initialize', 'advertises ' .. (#advertised > 0 and table.concat(advertised, ', ') or 'diagnostics only'))
end

-- wait_publish waits for a publishDiagnostics for uri after the first `seen` ones.
local function wait_publish(uri, seen, ms)
  vim.wait(ms or env.timeout, function() return #(published[uri] or {}) > seen or exited.code ~= nil end, 20)
  local list = published[uri] or {}
  return list[#list], #list
end

function cases.syntax_error()
  local uri = vim.uri_from_fname(env.fixtures .. '/syntax_error.bt')
  local diags = wait_publish(uri, 0)
  if not diags or #diags == 0 then return fail('syntax_error', 'no diagnostics for syntax_error.bt') end
  table.sort(diags, function(a, b) return a.range.start.line < b.range.start.line end)
  local d = diags[1]
  local want_line = 5 -- 0-based: line 6 of the fixture, "$x = 1 + ;"
  if d.range.start.line ~= want_line or type(d.code) ~= 'string' or not d.code:match('^syntax')
    or d.source ~= 'bpfls' or d.severity ~= 1 then
    return fail('syntax_error', 'want an error on line 6 with code syntax…, source bpfls; got ' .. fmt_diag(d))
  end
  vim.fn.writefile({ vim.fn.json_encode(d) }, env.out .. '/nvim-syntax-error.json')
  pass('syntax_error', fmt_diag(d))
end

function cases.edit_clears_error()
  local bufnr = vim.fn.bufnr(env.fixtures .. '/syntax_error.bt')
  local uri = vim.uri_from_bufnr(bufnr)
  local _, seen = wait_publish(uri, 0, 0)
  vim.api.nvim_buf_set_lines(bufnr, 5, 6, true, { '\t$x = 1 + 2;' })
  local diags = wait_publish(uri, seen)
  if not diags then return fail('edit_clears_error', 'no publishDiagnostics after didChange') end
  if #diags > 0 then return fail('edit_clears_error', 'still reported after the fix: ' .. fmt_diag(diags[1])) end
  pass('edit_clears_error', 'didChange fixed line 6, diagnostics cleared')
end

function cases.valid_file()
  local bufnr, uri = open('valid.bt')
  vim.lsp.buf_attach_client(bufnr, client_id)
  local diags = wait_publish(uri, 0, 5000)
  if diags and #diags > 0 then return fail('valid_file', 'unexpected diagnostic ' .. fmt_diag(diags[1])) end
  pass('valid_file', diags and 'empty publishDiagnostics' or 'nothing published within 5 s')
end

-- settings: targetVersion 0.17 from the start makes "5s" an error; switching to 0.26
-- through workspace/didChangeConfiguration clears it, and switching back brings it back.
function cases.settings()
  local bufnr, uri = open('version.bt')
  vim.lsp.buf_attach_client(bufnr, client_id)
  local want_line = 4 -- 0-based: line 5 of the fixture, "$t = 5s;"
  local function error_on_line(diags)
    for _, d in ipairs(diags or {}) do
      if d.range.start.line == want_line and type(d.code) == 'string' and d.code:match('^syntax') then return d end
    end
  end
  -- wait_for waits for a publish for version.bt whose error state is want_error.
  local function wait_for(want_error)
    local ok = vim.wait(env.timeout, function()
      local list = published[uri] or {}
      return #list > 0 and (error_on_line(list[#list]) ~= nil) == want_error
    end, 20)
    return ok
  end
  if not wait_for(true) then return fail('settings', 'targetVersion 0.17 from init_options: no error on line 5') end
  local d = error_on_line((published[uri])[#published[uri]])
  local function set_version(v)
    client().notify('workspace/didChangeConfiguration',
      { settings = { bpfls = vim.tbl_extend('force', opts, { targetVersion = v }) } })
  end
  set_version('0.26')
  if not wait_for(false) then return fail('settings', 'targetVersion 0.26: the error on line 5 stayed') end
  set_version('0.17')
  if not wait_for(true) then return fail('settings', 'back to 0.17: the error on line 5 did not return') end
  pass('settings', '0.17 -> ' .. fmt_diag(d) .. '; 0.26 -> none; 0.17 -> again')
end

-- verify: workspace/executeCommand bpfls.verify runs the real bpftrace (compile only) on
-- version.bt; bpftrace 0.17 rejects "5s" on line 5 and the server publishes that with
-- source bpftrace.
function cases.verify()
  local cmds = caps().executeCommandProvider and caps().executeCommandProvider.commands or {}
  if not vim.tbl_contains(cmds, 'bpfls.verify') then return skip('verify', 'server does not advertise bpfls.verify') end
  if vim.fn.executable('bpftrace') == 0 then return need_real('verify', 'no bpftrace on PATH') end
  local bufnr, uri = open('version.bt')
  local seen = #(published[uri] or {})
  -- client.request, not buf_request: Neovim 0.7 does not map this method to a capability.
  local r
  client().request('workspace/executeCommand', { command = 'bpfls.verify', arguments = { uri } },
    function(err, result) r = { err = err, result = result } end, bufnr)
  vim.wait(env.timeout, function() return r ~= nil end, 20)
  if not r or r.err then return fail('verify', 'executeCommand: ' .. (r and vim.inspect(r.err) or 'no response')) end
  local found
  vim.wait(60000, function()
    local list = published[uri] or {}
    for i = seen + 1, #list do
      for _, d in ipairs(list[i]) do
        if d.source == 'bpftrace' then found = d; return true end
      end
    end
    return exited.code ~= nil
  end, 50)
  if not found then return fail('verify', 'no diagnostic with source bpftrace for version.bt within 60 s') end
  if found.range.start.line ~= 4 then return fail('verify', 'bpftrace diagnostic not on line 5: ' .. fmt_diag(found)) end
  pass('verify', fmt_diag(found))
end

local function request(bufnr, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, env.timeout)
  if not responses then return nil, 'no response: ' .. tostring(err) end
  local r = responses[client_id]
  if not r then return nil, 'no response from bpfls' end
  if r.err then return nil, 'error: ' .. vim.inspect(r.err) end
  return r.result
end

function cases.completion()
  if not caps().completionProvider then return skip('completion', 'server does not advertise completionProvider') end
  if vim.fn.filereadable('/sys/kernel/btf/vmlinux') == 0 then return need_real('completion', 'no kernel BTF') end
  local bufnr = open('completion.bt')
  vim.lsp.buf_attach_client(bufnr, client_id)
  local line = vim.api.nvim_buf_get_lines(bufnr, 1, 2, true)[1] -- "kprobe:vfs_"
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = 1, character = #line } }
  -- Kernel knowledge may still be loading in the background: ask again for a while.
  local items, deadline = {}, vim.loop.now() + env.timeout
  repeat
    local result, err = request(bufnr, 'textDocument/completion', params)
    if err then return fail('completion', err) end
    items = result and (result.items or result) or {}
    for _, it in ipairs(items) do
      local text = it.textEdit and it.textEdit.newText or it.insertText or it.label
      if it.label == 'vfs_read' or text:match('vfs_read$') then
        return pass('completion', ('%d items after %q, including %q'):format(#items, line, it.label))
      end
    end
    vim.wait(500)
  until vim.loop.now() > deadline
  local labels = {}
  for i = 1, math.min(#items, 5) do labels[i] = items[i].label end
  fail('completion', ('no vfs_read among %d items after %q (first: %s)'):format(#items, line, table.concat(labels, ', ')))
end

function cases.hover()
  if not caps().hoverProvider then return skip('hover', 'server does not advertise hoverProvider') end
  local bufnr = open('valid.bt')
  local line = vim.api.nvim_buf_get_lines(bufnr, 4, 5, true)[1] -- "\t@reads[comm] = count();"
  local col = line:find('count', 1, true) - 1
  local result, err = request(bufnr, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = 4, character = col },
  })
  if err then return fail('hover', err) end
  local contents = result and result.contents
  local text = type(contents) == 'table' and (contents.value or vim.inspect(contents)) or tostring(contents)
  if not result or not text:find('count', 1, true) then
    return fail('hover', 'hover on "count" does not mention count: ' .. vim.inspect(result))
  end
  pass('hover', (text:gsub('%s+', ' ')):sub(1, 80))
end

-- code_action: the quick fix for a misspelt kernel function is offered, applies, and
-- the warning goes away.
function cases.code_action()
  if not caps().codeActionProvider then return skip('code_action', 'server does not advertise codeActionProvider') end
  if vim.fn.filereadable('/sys/kernel/btf/vmlinux') == 0 then return need_real('code_action', 'no kernel BTF') end
  local bufnr, uri = open('quickfix.bt')
  vim.lsp.buf_attach_client(bufnr, client_id)
  local diag
  vim.wait(env.timeout, function()
    local list = published[uri] or {}
    for _, d in ipairs(list[#list] or {}) do
      if d.range.start.line == 1 then diag = d; return true end
    end
  end, 20)
  if not diag then return fail('code_action', 'no diagnostic on line 2 of quickfix.bt') end
  local result, err = request(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri }, range = diag.range, context = { diagnostics = { diag } },
  })
  if err then return fail('code_action', err) end
  local action
  for _, a in ipairs(result or {}) do
    for _, edits in pairs(a.edit and a.edit.changes or {}) do
      for _, e in ipairs(edits) do
        if e.newText == 'vfs_read' then action = a end
      end
    end
  end
  if not action then return fail('code_action', ('no action edits to vfs_read among %d for %s'):format(#(result or {}), fmt_diag(diag))) end
  local seen = #published[uri]
  vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
  local line = vim.api.nvim_buf_get_lines(bufnr, 1, 2, true)[1]
  if line ~= 'kprobe:vfs_read' then return fail('code_action', ('after %q line 2 is %q'):format(action.title, line)) end
  local diags = wait_publish(uri, seen)
  for _, d in ipairs(diags or {}) do
    if d.range.start.line == 1 then return fail('code_action', 'still reported after the fix: ' .. fmt_diag(d)) end
  end
  pass('code_action', ('%q fixes %s'):format(action.title, fmt_diag(diag)))
end

-- format: document formatting through the client's own entry point (vim.lsp.buf.format from
-- Neovim 0.8, formatting_sync before) gives what `bpfls fmt` prints, and edits only changed
-- lines: the cursor on an untouched line stays put.
function cases.format()
  if not caps().documentFormattingProvider then return skip('format', 'server does not advertise documentFormattingProvider') end
  local bufnr = open('unformatted.bt')
  vim.lsp.buf_attach_client(bufnr, client_id)
  local want = vim.fn.systemlist({ env.server, 'fmt', env.fixtures .. '/unformatted.bt' })
  if vim.v.shell_error ~= 0 then return fail('format', 'bpfls fmt failed: ' .. table.concat(want, '\n')) end
  vim.api.nvim_win_set_cursor(0, { 4, 5 })
  local how
  if vim.lsp.buf.format then
    how = 'vim.lsp.buf.format()'
    vim.lsp.buf.format({ bufnr = bufnr, timeout_ms = env.timeout })
  else
    how = 'vim.lsp.buf.formatting_sync()'
    vim.lsp.buf.formatting_sync(nil, env.timeout)
  end
  local got = vim.api.nvim_buf_get_lines(bufnr, 0, -1, true)
  if table.concat(got, '\n') ~= table.concat(want, '\n') then
    return fail('format', ('%s left:\n%s\nwant:\n%s'):format(how, table.concat(got, '\n'), table.concat(want, '\n')))
  end
  local cur = vim.api.nvim_win_get_cursor(0)
  if cur[1] ~= 4 or cur[2] ~= 5 then
    return fail('format', ('cursor moved from 4:5 to %d:%d on an untouched line'):format(cur[1], cur[2]))
  end
  vim.cmd('silent! undo')
  pass('format', ('%s: %d lines as bpfls fmt prints them, cursor kept'):format(how, #got))
end

function cases.shutdown()
  vim.lsp.stop_client(client_id) -- shutdown request, then exit notification
  vim.wait(5000, function() return exited.code ~= nil end, 20)
  if exited.code ~= 0 then
    return fail('shutdown', ('server exit code %s, signal %s'):format(tostring(exited.code), tostring(exited.signal)))
  end
  pass('shutdown', 'server exited 0 after shutdown and exit')
end

for _, name in ipairs({ 'filetype', 'initialize', 'syntax_error', 'edit_clears_error', 'valid_file',
  'settings', 'verify', 'completion', 'hover', 'code_action', 'format', 'shutdown' }) do
  local ok, err = pcall(cases[name])
  if not ok then fail(name, 'test error: ' .. tostring(err)) end
  if name == 'initialize' and failed > 0 then break end -- nothing else can work
end
vim.cmd(failed > 0 and 'cquit 1' or 'qa!')
