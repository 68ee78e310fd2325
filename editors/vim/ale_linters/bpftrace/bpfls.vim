" ALE linter definition for bpftrace scripts: bpfls as a stdio language server.
" Diagnostics, :ALEHover, :ALEGoToDefinition, :ALEFindReferences, :ALERename,
" :ALECodeAction and completion all come from the server.
"
"   let g:ale_bpftrace_bpfls_executable = 'bpfls'            " default
"   let g:ale_bpftrace_bpfls_config = {'bpfls': {'targetVersion': '0.17'}}

call ale#Set('bpftrace_bpfls_executable', 'bpfls')
call ale#Set('bpftrace_bpfls_config', {})

" The root is the enclosing git work tree, else the file's directory: bpfls needs
" no project, but ALE starts no server without a root.
function! ale_linters#bpftrace#bpfls#ProjectRoot(buffer) abort
    let l:git = ale#path#FindNearestDirectory(a:buffer, '.git')

    return !empty(l:git) ? fnamemodify(l:git, ':h:h') : fnamemodify(bufname(a:buffer), ':p:h')
endfunction

call ale#linter#Define('bpftrace', {
\   'name': 'bpfls',
\   'lsp': 'stdio',
\   'executable': {b -> ale#Var(b, 'bpftrace_bpfls_executable')},
\   'command': '%e serve',
\   'project_root': function('ale_linters#bpftrace#bpfls#ProjectRoot'),
\   'lsp_config': {b -> ale#Var(b, 'bpftrace_bpfls_config')},
\})
