" Vim filetype plugin for bpftrace scripts: comments, indentation, matching pairs.
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

setlocal commentstring=//\ %s
setlocal comments=s1:/*,mb:*,ex:*/,://
setlocal formatoptions-=t formatoptions+=croql
" bpftrace's formatter (bpftrace --fmt, 0.26) indents by two spaces.
setlocal expandtab shiftwidth=2 softtabstop=2
setlocal suffixesadd=.bt
setlocal iskeyword=@,48-57,_

let b:undo_ftplugin = 'setlocal commentstring< comments< formatoptions< expandtab<'
      \ . ' shiftwidth< softtabstop< suffixesadd< iskeyword<'
