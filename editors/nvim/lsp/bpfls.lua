---@brief
--- https://github.com/bpfls/bpfls
---
--- Language server for bpftrace scripts. Install the server with
--- `go install github.com/bpfls/bpfls/cmd/bpfls@latest`, put this file in an
--- `lsp/` directory on your 'runtimepath', and call `vim.lsp.enable('bpfls')`
--- (Neovim 0.11+). Older releases: see editors/nvim/README.md.
---
--- Settings go in `settings = { bpfls = { ... } }` (Neovim sends them right
--- after initialize and again on change); every field is optional, see
--- editors/nvim/README.md:
--- `{ targetVersion = '0.17', kernelBTF = '/path/vmlinux', diagnosticsDelay = 150,
---    logLevel = 'info', verify = { enabled = true, prefix = { 'sudo', '-n' } } }`
---
--- `:BpflsVerify` asks the server to compile the buffer with the real
--- bpftrace (workspace/executeCommand `bpfls.verify`; nothing is attached).

---@type vim.lsp.Config
return {
  cmd = { 'bpfls', 'serve' },
  filetypes = { 'bpftrace' },
  root_markers = { '.git' },
  settings = {},
  on_attach = function(client, bufnr)
    vim.api.nvim_buf_create_user_command(bufnr, 'BpflsVerify', function()
      client:exec_cmd({
        title = 'Verify with bpftrace',
        command = 'bpfls.verify',
        arguments = { vim.uri_from_bufnr(bufnr) },
      }, { bufnr = bufnr })
    end, { desc = 'bpfls: compile the buffer with bpftrace' })
  end,
}
