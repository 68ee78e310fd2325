#!/bin/bash
# Runs Vim with Debian's vim-ale and the vimrc from editors/README.md, copied verbatim
# into a throwaway HOME, with this repository where the README says to clone it
# (~/.local/share/bpfls) and bpfls on PATH. ale_test.vim drives it.
# Environment: BPFLS (the server binary), FIXTURES, OUT.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
# Scratch space under $E2E_DIR/tmp when run.sh runs this, else under TMPDIR.
scratch=${E2E_DIR:+$E2E_DIR/tmp}
T=$(mktemp -d "${scratch:-${TMPDIR:-/tmp}}/vim-ale-XXXXXX")
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/home/.local/share" "$T/home/.vim" "$T/bin"
ln -s "$REPO" "$T/home/.local/share/bpfls"
ln -s "$BPFLS" "$T/bin/bpfls"
"$HERE/../snippet.sh" "$REPO/editors/README.md" vimrc >"$T/home/.vim/vimrc"
cp "$T/home/.vim/vimrc" "$OUT/vim-vimrc"
cd "$FIXTURES"
# -es (batch) reads only the -u file: the same vimrc Vim would read from ~/.vim/vimrc.
rc=0
HOME=$T/home PATH=$T/bin:$PATH timeout 120 vim -N -u "$T/home/.vim/vimrc" -i NONE -es -S "$HERE/ale_test.vim" \
	</dev/null | tee "$T/out" || rc=$?
# Vim in batch mode exits 0 when something reads past the end of stdin: insist on the last line.
grep -q '^vim-ale: done' "$T/out" || { echo "FAIL vim-ale: Vim stopped before the last case (exit $rc)"; exit 1; }
exit "$rc"
