" Vim filetype plugin for bpftrace scripts: comments, indentation, matching pairs.
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

setlocal commentstring=//\ %s
setlocal comments=s1:/*,mb:*,ex:*/,://
setlocal formatoptions-=t formatoptions+=croql
" bpftrace's own formatter (0.26) and its examples indent with one tab.
setlocal noexpandtab tabstop=8 shiftwidth=0 softtabstop=0
setlocal suffixesadd=.bt
setlocal iskeyword=@,48-57,_

let b:undo_ftplugin = 'setlocal commentstring< comments< formatoptions< expandtab< tabstop<'
      \ . ' shiftwidth< softtabstop< suffixesadd< iskeyword<'
