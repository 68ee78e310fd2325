" Vim syntax file for bpftrace scripts (*.bt).
" Highlighting only: every check, hover and completion comes from bpfls.
if exists('b:current_syntax')
  finish
endif
let s:cpo_save = &cpo
set cpo&vim

syn case match

" Comments and the shebang line.
syn keyword bpftraceTodo contained TODO FIXME XXX NOTE
syn region bpftraceComment start='//' end='$' keepend contains=bpftraceTodo,@Spell
syn region bpftraceComment start='/\*' end='\*/' contains=bpftraceTodo,@Spell
syn match bpftraceShebang '\%^#!.*$'

" Preprocessor lines (bpftrace runs the C preprocessor on its input).
syn region bpftracePreProc start='^\s*#\s*\(include\|define\|undef\|if\|ifdef\|ifndef\|else\|elif\|endif\|pragma\)\>' skip='\\$' end='$' contains=bpftraceComment,bpftraceString,bpftraceInclude
syn match bpftraceInclude contained '<[^>]*>'

" Literals.
syn match bpftraceEscape contained '\\\(\o\{1,3}\|[xX]\x\{1,2}\|[ntr"\\]\)'
syn region bpftraceString start='"' skip='\\\\\|\\"' end='"' end='$' contains=bpftraceEscape,bpftraceFormat
syn match bpftraceFormat contained '%[-+ #0]*\d*\(\.\d\+\)\=\(hh\|h\|ll\|l\|z\|j\|t\)\=[diouxXcspfeEgGrk%]'
syn match bpftraceNumber '\<0[xX][0-9A-Fa-f_]\+\([uU]\=[lL]\{0,2}\)\>'
syn match bpftraceNumber '\<\d[0-9_]*\([eE]\d\+\)\=\([uU]\=[lL]\{0,2}\|ns\|us\|ms\|s\|m\|h\|d\)\=\>'
syn keyword bpftraceBoolean true false

" Variables: $x and positional parameters $1, $#; maps: @x and the anonymous @.
syn match bpftraceVariable '\$\h\w*'
syn match bpftracePositional '\$\(\d\+\|#\)'
syn match bpftraceMap '@\h\w*\|@'

" Attach points: a probe type at the start of a line, up to the first ':' or the line's end.
syn match bpftraceProbe '^\s*\(kprobe\|kretprobe\|uprobe\|uretprobe\|usdt\|tracepoint\|rawtracepoint\|fentry\|fexit\|kfunc\|kretfunc\|profile\|interval\|software\|hardware\|watchpoint\|asyncwatchpoint\|iter\|k\|kr\|u\|ur\|t\|rt\|f\|fr\|p\|i\|s\|h\|w\|aw\|it\)\ze:'
syn match bpftraceProbe '^\s*\(BEGIN\|END\|begin\|end\|self\|test\|bench\)\>'

" Keywords, from 0.17 to 0.26 (later releases treat most of them as contextual).
syn keyword bpftraceConditional if else
syn keyword bpftraceRepeat while for unroll
syn keyword bpftraceStatement return break continue let
syn keyword bpftraceKeyword config import macro fn sizeof offsetof typeof typeinfo comptime
syn keyword bpftraceStructure struct union enum
syn keyword bpftraceType int8 int16 int32 int64 uint8 uint16 uint32 uint64 bool string inet buffer void
syn keyword bpftraceType char short int long unsigned signed

" Builtin variables and functions.
syn keyword bpftraceBuiltin args ctx retval func probe probetype pid tid nsecs kstack ustack comm cpu numaid
syn keyword bpftraceBuiltin cgroup curtask elapsed uid gid rand username cpid jiffies ncpus usermode
syn match bpftraceBuiltin '\<s\=arg\d\+\>'
syn keyword bpftraceFunction printf print time join str buf ksym usym kaddr uaddr reg kptr uptr system cat
syn keyword bpftraceFunction exit cgroupid cgroup_path ntop pton signal strncmp strcontains strerror strftime
syn keyword bpftraceFunction override path macaddr bswap skboutput socket_cookie debugf unwatch clear zero
syn keyword bpftraceFunction delete has_key len errorf warnf fail assert strlen
syn keyword bpftraceFunction count sum avg min max stats hist lhist tseries

hi def link bpftraceTodo Todo
hi def link bpftraceComment Comment
hi def link bpftraceShebang PreProc
hi def link bpftracePreProc PreProc
hi def link bpftraceInclude String
hi def link bpftraceString String
hi def link bpftraceEscape SpecialChar
hi def link bpftraceFormat SpecialChar
hi def link bpftraceNumber Number
hi def link bpftraceBoolean Boolean
hi def link bpftraceVariable Identifier
hi def link bpftracePositional Special
hi def link bpftraceMap Identifier
hi def link bpftraceProbe Label
hi def link bpftraceConditional Conditional
hi def link bpftraceRepeat Repeat
hi def link bpftraceStatement Statement
hi def link bpftraceKeyword Keyword
hi def link bpftraceStructure Structure
hi def link bpftraceType Type
hi def link bpftraceBuiltin Constant
hi def link bpftraceFunction Function

let b:current_syntax = 'bpftrace'
let &cpo = s:cpo_save
unlet s:cpo_save
