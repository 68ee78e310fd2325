#!/bin/bash
# Runs the top-level README's Neovim 0.7-0.10 snippet, copied verbatim into a fresh
# init.lua, in Debian's Neovim, with bpfls on PATH and this repository where the README
# says to clone it (~/.local/share/bpfls, in a throwaway HOME). readme_test.lua drives it.
# Environment: BPFLS (the server binary), FIXTURES, OUT.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
# Scratch space under $E2E_DIR/tmp when run.sh runs this, else under TMPDIR.
scratch=${E2E_DIR:+$E2E_DIR/tmp}
T=$(mktemp -d "${scratch:-${TMPDIR:-/tmp}}/nvim-readme-XXXXXX")
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/home/.local/share" "$T/home/.config/nvim" "$T/bin"
ln -s "$REPO" "$T/home/.local/share/bpfls"
ln -s "$BPFLS" "$T/bin/bpfls"
"$HERE/../snippet.sh" "$REPO/README.md" 'nvim 0.7 snippet' >"$T/home/.config/nvim/init.lua"
cp "$T/home/.config/nvim/init.lua" "$OUT/nvim-readme-init.lua"
cd "$FIXTURES"
HOME=$T/home XDG_CONFIG_HOME=$T/home/.config XDG_DATA_HOME=$T/home/.local/share \
	XDG_STATE_HOME=$T/state XDG_CACHE_HOME=$T/cache PATH=$T/bin:$PATH \
	timeout 120 nvim --headless -i NONE -c "luafile $HERE/readme_test.lua"
