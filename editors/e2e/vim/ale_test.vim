" End-to-end test of bpfls in Vim 9 with Debian's vim-ale, using the shipped runtime files
" (editors/vim) and the vimrc from editors/README.md, which run.sh installs verbatim.
" Keys go through the vimrc's mappings and settings with :normal (K, <Leader>a,
" <C-x><C-o> in Insert mode). The one stand-in is the code-action
" prompt: the answer a user would type is picked from the menu ALE shows.
" Prints "PASS vim-ale/<case> (...)" or "FAIL vim-ale/<case>: why"; exits 1 on failure.
let s:fixtures = $FIXTURES
let s:timeout = str2nr(empty($TIMEOUT_MS) ? '15000' : $TIMEOUT_MS) / 1000.0
let s:failed = 0

function! s:Say(s) abort
  call writefile([a:s], '/dev/stdout', 'a')
endfunction
function! s:Pass(name, detail) abort
  call s:Say(printf('PASS vim-ale/%s (%s)', a:name, a:detail))
endfunction
function! s:Fail(name, why) abort
  let s:failed += 1
  call s:Say(printf('FAIL vim-ale/%s: %s', a:name, a:why))
endfunction

" s:Wait polls cond (an expression string) until it is true or the time is up.
function! s:Wait(cond) abort
  let l:start = reltime()
  while !eval(a:cond) && reltimefloat(reltime(l:start)) < s:timeout
    sleep 20m
  endwhile
  return eval(a:cond)
endfunction

function! s:Open(name) abort
  execute 'edit ' . fnameescape(s:fixtures . '/' . a:name)
endfunction

function! s:Loclist() abort
  return get(get(g:ale_buffer_info, bufnr(''), {}), 'loclist', [])
endfunction

" s:DiagOn returns the bpfls diagnostic on line lnum of the current buffer, or {}.
function! s:DiagOn(lnum) abort
  for l:d in s:Loclist()
    if l:d.lnum == a:lnum && get(l:d, 'linter_name', '') is# 'bpfls'
      return l:d
    endif
  endfor
  return {}
endfunction

function! s:TestFiletype() abort
  call s:Open('syntax_error.bt')
  let l:got = printf('filetype=%s syntax=%s commentstring=%s cindent=%d shiftwidth=%d expandtab=%d',
        \ &filetype, get(b:, 'current_syntax', ''), &commentstring, &cindent, shiftwidth(), &expandtab)
  if &filetype isnot# 'bpftrace' || get(b:, 'current_syntax', '') isnot# 'bpftrace'
        \ || &commentstring isnot# '// %s' || !&cindent || shiftwidth() != 2 || !&expandtab
    return s:Fail('filetype', l:got)
  endif
  call s:Open('shebang-script')
  if &filetype isnot# 'bpftrace'
    return s:Fail('filetype', 'shebang-script has filetype ' . &filetype)
  endif
  call s:Pass('filetype', l:got . ', shebang-script too')
endfunction

" Highlighting: the syntax group at the start of each pattern's first match in valid.bt.
function! s:TestSyntax() abort
  call s:Open('valid.bt')
  let l:want = [['#!/usr', 'bpftraceShebang'], ['// e2e', 'bpftraceComment'], ['kprobe', 'bpftraceProbe'],
        \ ['@reads', 'bpftraceMap'], ['\<comm\>', 'bpftraceBuiltin'], ['count(', 'bpftraceFunction'],
        \ ['interval', 'bpftraceProbe'], ['print(', 'bpftraceFunction']]
  let l:bad = []
  for [l:pat, l:group] in l:want
    call cursor(1, 1)
    let [l:lnum, l:col] = searchpos(l:pat, 'cW')
    let l:got = synIDattr(synID(l:lnum, l:col, 1), 'name')
    if l:got isnot# l:group
      call add(l:bad, printf('%s at %d:%d is %s, want %s', l:pat, l:lnum, l:col, l:got, l:group))
    endif
  endfor
  if !empty(l:bad)
    return s:Fail('syntax', join(l:bad, '; '))
  endif
  call s:Pass('syntax', len(l:want) . ' groups in valid.bt')
endfunction

" Indentation: indent.bt, flattened and re-indented with =, comes back unchanged.
function! s:TestIndent() abort
  call s:Open('indent.bt')
  let l:want = getline(1, '$')
  silent %s/^\s\+//e
  normal! gg=G
  let l:got = getline(1, '$')
  edit!
  if l:got != l:want
    let l:diff = filter(map(range(len(l:want)), {i -> l:got[i] is# l:want[i] ? '' : printf('line %d: %s, want %s', i + 1, string(l:got[i]), string(l:want[i]))}), '!empty(v:val)')
    return s:Fail('indent', join(l:diff[:2], '; '))
  endif
  call s:Pass('indent', len(l:want) . ' lines of indent.bt re-indented as written')
endfunction

function! s:TestDiagnostics() abort
  call s:Open('syntax_error.bt')
  ALELint
  if !s:Wait('!empty(s:DiagOn(6))')
    return s:Fail('diagnostics', 'no bpfls diagnostic on line 6; loclist: ' . string(s:Loclist()))
  endif
  let l:d = s:DiagOn(6)
  if l:d.type isnot# 'E'
    return s:Fail('diagnostics', 'not an error: ' . string(l:d))
  endif
  call s:Pass('diagnostics', printf('6:%d [%s] %s', l:d.col, get(l:d, 'code', ''), l:d.text))
endfunction

function! s:PreviewText() abort
  for l:w in range(1, winnr('$'))
    if getwinvar(l:w, '&previewwindow')
      return join(getbufline(winbufnr(l:w), 1, '$'), "\n")
    endif
  endfor
  return ''
endfunction

function! s:TestHover() abort
  call s:Open('valid.bt')
  ALELint
  call search('count')
  pclose
  normal K
  " ALE shows a hover of several lines in the preview window.
  if !s:Wait('s:PreviewText() =~# "count"')
    return s:Fail('hover', 'K showed nothing about count: ' . string(s:PreviewText()))
  endif
  let l:text = s:PreviewText()
  pclose
  call s:Pass('hover', strcharpart(substitute(trim(l:text), '\_s\+', ' ', 'g'), 0, 60))
endfunction

" Completion as a user types it: "re" after "kprobe:vfs_", then <C-x><C-o> (the vimrc's
" omnifunc). ALE shows at most 50 items, hence the two letters.
function! s:TestCompletion() abort
  call s:Open('completion.bt')
  ALELint
  let s:words = []
  augroup bpfls_test
    autocmd!
    autocmd CompleteDonePre * let s:words = map(complete_info(['items']).items, 'v:val.word')
  augroup END
  let l:start = reltime()
  while reltimefloat(reltime(l:start)) < s:timeout
    execute "normal! GAre\<C-x>\<C-o>"
    let l:line = getline(2)
    edit!
    if index(s:words, 'vfs_read') >= 0
      break
    endif
    sleep 300m " the kernel index may still be loading
  endwhile
  autocmd! bpfls_test
  if index(s:words, 'vfs_read') < 0
    return s:Fail('completion', printf('no vfs_read among %d items after kprobe:vfs_re: %s', len(s:words), join(s:words[:10])))
  endif
  call s:Pass('completion', printf('%d items, including vfs_read; inserted %s', len(s:words), l:line))
endfunction

" The user's answer to ALE's code-action prompt: the number of the vfs_read fix.
let s:prompts = []
function! s:Answer(prompt) abort
  call add(s:prompts, a:prompt)
  for l:line in split(a:prompt, "\n")
    let l:m = matchlist(l:line, '^\(\d\+\)) .*vfs_read')
    if !empty(l:m)
      return l:m[1]
    endif
  endfor
  return ''
endfunction

function! s:TestCodeAction() abort
  call s:Open('quickfix.bt')
  ALELint
  if !s:Wait('!empty(s:DiagOn(2))')
    return s:Fail('code_action', 'no bpfls diagnostic on line 2 of quickfix.bt')
  endif
  let l:d = s:DiagOn(2)
  call cursor(2, l:d.col)
  runtime autoload/ale/util.vim
  function! ale#util#Input(message, value, ...) abort
    return s:Answer(a:message)
  endfunction
  execute "normal \\a"
  if !s:Wait('getline(2) is# "kprobe:vfs_read"')
    return s:Fail('code_action', printf('line 2 is %s; prompts: %s', string(getline(2)), string(s:prompts)))
  endif
  ALELint
  if !s:Wait('empty(s:DiagOn(2))')
    return s:Fail('code_action', 'the diagnostic on line 2 stayed after the fix')
  endif
  edit!
  call s:Pass('code_action', printf('picked the vfs_read fix for "%s"; diagnostic gone', l:d.text))
endfunction

" :ALEFix with the vimrc's fixer (bpfls fmt -) lays out valid.bt with two-space
" indentation, and leaves syntax_error.bt, which cannot be formatted, as it is.
function! s:TestFormat() abort
  let s:fixed = 0
  augroup bpfls_fix
    autocmd!
    autocmd User ALEFixPost let s:fixed += 1
  augroup END
  call s:Open('syntax_error.bt')
  let l:before = getline(1, '$')
  ALEFix
  if !s:Wait('s:fixed == 1')
    return s:Fail('format', ':ALEFix did not finish on syntax_error.bt')
  endif
  if getline(1, '$') != l:before
    return s:Fail('format', 'ALEFix changed syntax_error.bt: ' . string(getline(1, '$')))
  endif
  call s:Open('valid.bt')
  ALEFix
  call s:Wait('s:fixed == 2')
  autocmd! bpfls_fix
  let l:got = getline(1, '$')
  edit!
  if l:got[4] isnot# '  @reads[comm] = count();' || l:got[8] isnot# '{'
    return s:Fail('format', 'valid.bt after :ALEFix: ' . string(l:got))
  endif
  call s:Pass('format', printf('valid.bt laid out in %d lines; syntax_error.bt untouched', len(l:got)))
endfunction

" s:Restart stops the running servers and waits until their processes are gone (ALE
" would otherwise take the old server's exit for the new one's), then sets the config.
function! s:Restart(config) abort
  let s:jobs = filter(map(values(ale#lsp#GetConnections()), 'get(v:val, "job_id", 0)'), 'v:val')
  ALEStopAllLSPs
  call s:Wait('empty(filter(copy(s:jobs), "ale#job#IsRunning(v:val)"))')
  sleep 100m
  let g:ale_bpftrace_bpfls_config = a:config
endfunction

" Settings through g:ale_bpftrace_bpfls_config (the linter's lsp_config): with
" targetVersion 0.17 the duration literal on line 5 of version.bt is an error; after a
" restart with 0.26 it is not.
function! s:TestSettings() abort
  call s:Restart({'bpfls': {'targetVersion': '0.17'}})
  call s:Open('version.bt')
  ALELint
  if !s:Wait('!empty(s:DiagOn(5))')
    return s:Fail('settings', 'targetVersion 0.17: no diagnostic on line 5 of version.bt')
  endif
  let l:d = s:DiagOn(5)
  call s:Restart({'bpfls': {'targetVersion': '0.26'}})
  ALELint
  if !s:Wait('empty(s:DiagOn(5))')
    return s:Fail('settings', 'targetVersion 0.26: line 5 still has ' . string(s:DiagOn(5)))
  endif
  call s:Pass('settings', printf('0.17: 5:%d %s; 0.26: none', l:d.col, l:d.text))
endfunction

for s:case in ['Filetype', 'Syntax', 'Indent', 'Diagnostics', 'Hover', 'Completion', 'CodeAction', 'Format', 'Settings']
  try
    call call('s:Test' . s:case, [])
  catch
    call s:Fail(tolower(s:case), 'test error: ' . v:exception . ' at ' . v:throwpoint)
  endtry
endfor
call s:Say('vim-ale: done')
if s:failed
  cquit 1
endif
qa!
