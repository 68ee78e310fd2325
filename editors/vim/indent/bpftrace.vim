" Vim indent file for bpftrace scripts: C-style braces, no labels or switch.
if exists('b:did_indent')
  finish
endif
let b:did_indent = 1

" cindent handles braces, predicates (/pid == 1/ on its own line) and comments;
" the options turn off what C has and bpftrace lacks.
setlocal cindent
setlocal cinoptions=L0,:0,l1,(s,m1,j1,J1,+0
setlocal cinkeys=0{,0},0),!^F,o,O,e
setlocal indentkeys=0{,0},0),!^F,o,O,e

let b:undo_indent = 'setlocal cindent< cinoptions< cinkeys< indentkeys<'
