" bpftrace filetype detection for Vim and Neovim releases that lack it
" (Vim before 9.1.1957, Neovim before 0.12): *.bt files, and scripts whose first
" line runs bpftrace, e.g. "#!/usr/bin/env bpftrace" or "#!/usr/bin/bpftrace".
autocmd BufRead,BufNewFile *.bt setfiletype bpftrace
autocmd BufRead,BufNewFile *
      \ if getline(1) =~# '^#!\s*\(\S*/env\s\+\(-\S\+\s\+\)*\)\=\(\S*/\)\=bpftrace\(\s\|$\)'
      \ | setfiletype bpftrace | endif
