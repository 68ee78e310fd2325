-- End-to-end test of the top-level README's Neovim 0.7-0.10 snippet, as a user runs it:
-- readme.sh copies the snippet verbatim into init.lua, puts bpfls on PATH and this
-- repository at ~/.local/share/bpfls; this file then drives the editor through the keys
-- and commands the snippet sets up (K, <Leader>a, omnifunc).
--
-- Prints "PASS nvim-readme/<case>" or "FAIL nvim-readme/<case>: why" per case and exits 1
-- if any case failed.
local fixtures = assert(os.getenv('FIXTURES'), 'FIXTURES not set')
local timeout = tonumber(os.getenv('TIMEOUT_MS') or '15000')

local failed = 0
-- Headless Neovim prints mode messages ("-- INSERT --") to stdout: keep them off result lines.
vim.o.showmode = false
local function say(s) io.stdout:write('\n' .. s .. '\n') end
local function pass(name, detail) say(('PASS nvim-readme/%s (%s)'):format(name, detail)) end
local function fail(name, why) failed = failed + 1; say(('FAIL nvim-readme/%s: %s'):format(name, why)) end

local function open(name)
  vim.cmd('edit ' .. vim.fn.fnameescape(fixtures .. '/' .. name))
  return vim.api.nvim_get_current_buf()
end

local function attached(bufnr)
  for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if c.name == 'bpfls' and c.initialized then return c end
  end
end

local function wait_diag(bufnr, lnum)
  local found
  vim.wait(timeout, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.lnum == lnum then found = d; return true end
    end
  end, 20)
  return found
end

local cases = {}

-- The snippet alone must give *.bt files the bpftrace filetype (not conf), and the
-- runtime files it puts on the runtimepath must load.
function cases.filetype()
  local bufnr = open('syntax_error.bt')
  local got = ('filetype=%s syntax=%s commentstring=%s indentexpr/cindent=%s'):format(vim.bo.filetype,
    tostring(vim.b.current_syntax), vim.bo.commentstring, tostring(vim.bo.cindent))
  if vim.bo[bufnr].filetype ~= 'bpftrace' or vim.b.current_syntax ~= 'bpftrace'
    or vim.bo.commentstring ~= '// %s' or not vim.bo.cindent then
    return fail('filetype', got)
  end
  if not vim.wait(timeout, function() return attached(bufnr) ~= nil end, 20) then
    return fail('filetype', 'no bpfls client attached to syntax_error.bt')
  end
  pass('filetype', got .. ', bpfls attached')
end

function cases.diagnostics()
  local bufnr = open('syntax_error.bt')
  local d = wait_diag(bufnr, 5)
  if not d then return fail('diagnostics', 'no diagnostic on line 6 of syntax_error.bt') end
  if d.severity ~= vim.diagnostic.severity.ERROR then return fail('diagnostics', 'not an error: ' .. d.message) end
  pass('diagnostics', ('6:%d %s'):format(d.col + 1, d.message))
end

-- floating_text returns the text of the first floating window, if one is open.
local function floating_text()
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= '' then
      return table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false), '\n')
    end
  end
end

function cases.hover()
  local bufnr = open('valid.bt')
  vim.wait(timeout, function() return attached(bufnr) ~= nil end, 20)
  vim.fn.search('count')
  vim.api.nvim_feedkeys('K', 'mx', false) -- the snippet's mapping, not man
  local text
  vim.wait(timeout, function() text = floating_text(); return text ~= nil end, 20)
  if not text or not text:find('count', 1, true) then
    return fail('hover', 'K opened no hover window mentioning count: ' .. tostring(text))
  end
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= '' then vim.api.nvim_win_close(win, true) end
  end
  pass('hover', vim.fn.strcharpart((text:gsub('%s+', ' ')), 0, 60))
end

-- code action through the snippet's <Leader>a: the user picks the vfs_read fix from the menu.
function cases.code_action()
  local bufnr = open('quickfix.bt')
  local d = wait_diag(bufnr, 1)
  if not d then return fail('code_action', 'no diagnostic on line 2 of quickfix.bt') end
  local offered = {}
  vim.ui.select = function(items, opts, on_choice)
    for i, item in ipairs(items) do
      local title = opts.format_item and opts.format_item(item) or tostring(item)
      table.insert(offered, title)
      if title:find('vfs_read', 1, true) then return on_choice(item, i) end
    end
    on_choice(nil, nil)
  end
  vim.api.nvim_win_set_cursor(0, { 2, d.col })
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes('<Leader>a', true, false, true), 'mx', false)
  local ok = vim.wait(timeout, function()
    return vim.api.nvim_buf_get_lines(bufnr, 1, 2, true)[1] == 'kprobe:vfs_read'
  end, 20)
  if not ok then
    return fail('code_action', ('line 2 is %q; offered: %s'):format(vim.api.nvim_buf_get_lines(bufnr, 1, 2, true)[1],
      table.concat(offered, ' | ')))
  end
  local cleared = vim.wait(timeout, function()
    for _, x in ipairs(vim.diagnostic.get(bufnr)) do if x.lnum == 1 then return false end end
    return true
  end, 20)
  if not cleared then return fail('code_action', 'the diagnostic on line 2 stayed after the fix') end
  vim.cmd('edit!')
  pass('code_action', ('%q applied, diagnostic gone'):format(offered[#offered] or '?'))
end

-- :BpflsVerify reaches the server: with verification off (the snippet does not turn it
-- on) the server answers with a message that says how to turn it on.
function cases.verify_command()
  open('valid.bt')
  if vim.fn.exists(':BpflsVerify') ~= 2 then return fail('verify_command', ':BpflsVerify is not defined') end
  local shown
  local default_show = vim.lsp.handlers['window/showMessage']
  vim.lsp.handlers['window/showMessage'] = function(err, result, ctx, config)
    shown = result.message
    return default_show(err, result, ctx, config)
  end
  vim.cmd('BpflsVerify')
  vim.wait(timeout, function() return shown ~= nil end, 20)
  vim.lsp.handlers['window/showMessage'] = default_show
  if not shown or not shown:find('verify.enabled', 1, true) then
    return fail('verify_command', 'no message from the server about verify.enabled: ' .. tostring(shown))
  end
  pass('verify_command', shown)
end

for _, name in ipairs({ 'filetype', 'diagnostics', 'hover', 'code_action', 'verify_command' }) do
  local ok, err = pcall(cases[name])
  if not ok then fail(name, 'test error: ' .. tostring(err)) end
end

local function finish() vim.cmd(failed > 0 and 'cquit 1' or 'qa!') end

-- completion through the omnifunc the snippet sets: <C-x><C-o> at the end of
-- "kprobe:vfs_". The omnifunc completes only in Insert mode, so the keys go through
-- the main loop (this file has returned by then) and a timer watches the menu. The kernel
-- index may still be loading: a user would try again, so does the test.
local bufnr = open('completion.bt')
vim.wait(timeout, function() return attached(bufnr) ~= nil end, 20)
local deadline, words = vim.loop.now() + timeout, nil
local function keys(k) vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(k, true, false, true), 'n', false) end
local function try()
  vim.api.nvim_win_set_cursor(0, { 2, 0 })
  keys('A<C-x><C-o>')
  local polls = 0
  local timer = vim.loop.new_timer()
  timer:start(50, 50, vim.schedule_wrap(function()
    polls = polls + 1
    local items = vim.fn.complete_info({ 'items' }).items
    if #items == 0 and polls < 40 then return end
    timer:stop()
    timer:close()
    words = {}
    for _, it in ipairs(items) do words[it.word] = true end
    keys('<C-e><Esc>')
    if not (words['vfs_read'] or words['kprobe:vfs_read']) and vim.loop.now() < deadline then
      return vim.defer_fn(try, 200)
    end
    vim.schedule(function()
      if vim.tbl_isempty(words) then
        fail('completion', '<C-x><C-o> offered nothing after kprobe:vfs_')
      elseif not (words['vfs_read'] or words['kprobe:vfs_read']) then
        fail('completion', 'no vfs_read among ' .. table.concat(vim.tbl_keys(words), ' '):sub(1, 200))
      else
        pass('completion', ('<C-x><C-o> offered %d items, including vfs_read'):format(vim.tbl_count(words)))
      end
      finish()
    end)
  end))
end
try()
