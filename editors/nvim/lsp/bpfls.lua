---@brief
--- https://github.com/bpfls/bpfls
---
--- Language server for bpftrace scripts. Install the server with
--- `go install github.com/bpfls/bpfls/cmd/bpfls@latest`, put this file in an
--- `lsp/` directory on your 'runtimepath', and call `vim.lsp.enable('bpfls')`
--- (Neovim 0.11+). Older releases: see editors/nvim/README.md.
---
--- `init_options` and `settings.bpfls` take the same fields as the VS Code
--- extension's settings; every field is optional:
--- `{ targetVersion = '0.17', kernelBTF = '/path/vmlinux', diagnosticsDelay = 250,
---    verify = { onSave = false, command = { 'sudo', '-n', 'bpftrace' }, timeout = 30 },
---    logLevel = 'info' }`
---
--- `:LspBpflsVerify` compiles the current buffer with the real bpftrace
--- (nothing is attached) and shows what it reports as diagnostics.

---@type vim.lsp.Config
return {
  cmd = { 'bpfls', 'serve' },
  filetypes = { 'bpftrace' },
  root_markers = { '.git' },
  init_options = {},
  settings = { bpfls = {} },
  on_attach = function(client, bufnr)
    vim.api.nvim_buf_create_user_command(bufnr, 'LspBpflsVerify', function()
      client:exec_cmd({
        title = 'Verify with bpftrace',
        command = 'bpfls.verify',
        arguments = { vim.uri_from_bufnr(bufnr) },
      }, { bufnr = bufnr })
    end, { desc = 'bpfls: compile the buffer with bpftrace' })
  end,
}
