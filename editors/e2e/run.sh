#!/bin/bash
# Editor end-to-end tests for bpfls: the real server in real editors.
#
#   editors/e2e/run.sh            # from anywhere; CI calls it from .ci/run
#
# 1. setup.sh installs chromium, neovim, code-server and playwright-core (apt + npm only),
#    builds the .vsix from editors/vscode and the server (go build ./cmd/bpfls);
# 2. grammar: editors/vscode's TextMate grammar through VS Code's own tokenizer;
# 3. nvim: headless Neovim with editors/nvim (filetype detection + lsp/bpfls.lua);
# 4. nvim-readme, vim-ale, emacs: the README's Neovim 0.7 snippet, vimrc (Vim + ALE) and
#    init.el (Emacs + eglot, then lsp-mode), copied verbatim, with the shipped editors/vim and editors/emacs;
# 5. github-action, pre-commit: editors/github-action's step scripts and .pre-commit-hooks.yaml;
# 6. vscode: code-server with the .vsix, driven by chromium.
# Every case prints PASS/FAIL/SKIP; the last line is "e2e: N passed, N failed".
# Environment: E2E_DIR (default <repo>/.e2e) holds installs, builds and, in $E2E_DIR/out,
# screenshots and logs. BPFLS=path tests that binary instead of building one.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
export E2E_DIR=${E2E_DIR:-$REPO/.e2e}
mkdir -p "$E2E_DIR/out" "$E2E_DIR/tmp"
E2E_DIR=$(cd "$E2E_DIR" && pwd)
OUT=$E2E_DIR/out
FIXTURES=$HERE/testdata
RESULTS=$OUT/results.txt
rm -f "$OUT"/*.png "$OUT"/*.json "$OUT"/*.log "$RESULTS"
: >"$RESULTS"
started=$(date +%s)

# suite runs one test program, echoing its output and recording its result lines.
# A program that fails without saying which case failed counts as one failure.
suite() {
	local name=$1 rc
	shift
	echo "== $name"
	"$@" 2>&1 | tee "$OUT/$name.txt"
	rc=${PIPESTATUS[0]}
	grep -E '^(PASS|FAIL|SKIP) ' "$OUT/$name.txt" >>"$RESULTS"
	if [ "$rc" -ne 0 ] && ! grep -q '^FAIL ' "$OUT/$name.txt"; then
		echo "FAIL $name: exited $rc" | tee -a "$RESULTS"
	fi
}

summary() {
	local passed failed skipped
	passed=$(grep -c '^PASS ' "$RESULTS")
	failed=$(grep -c '^FAIL ' "$RESULTS")
	skipped=$(grep -c '^SKIP ' "$RESULTS")
	echo "== $(($(date +%s) - started)) s; screenshots and logs in $OUT"
	grep -E '^(FAIL|SKIP) ' "$RESULTS" || true
	if [ "$skipped" -gt 0 ]; then
		echo "e2e: $passed passed, $failed failed, $skipped skipped"
	else
		echo "e2e: $passed passed, $failed failed"
	fi
	[ "$failed" -eq 0 ]
}

echo "== setup"
if [ -n "${BPFLS:-}" ]; then
	setup_args=(--no-server)
else
	setup_args=()
	BPFLS=$E2E_DIR/bin/bpfls
fi
if ! "$HERE/setup.sh" "${setup_args[@]}"; then
	echo "FAIL setup: see the output above" | tee -a "$RESULTS"
	summary
	exit 1
fi
export BPFLS FIXTURES OUT

VSCODE_MODULES=$E2E_DIR/tools/node_modules/code-server/lib/vscode/node_modules \
	suite grammar node "$HERE/vscode/grammar_test.js"

# Neovim gets its own XDG dirs, so no user config, state or swap file is read or left behind.
NVIM_HOME=$(mktemp -d "$E2E_DIR/tmp/nvim-XXXXXX")
XDG_CONFIG_HOME=$NVIM_HOME/config XDG_DATA_HOME=$NVIM_HOME/data XDG_STATE_HOME=$NVIM_HOME/state \
	XDG_CACHE_HOME=$NVIM_HOME/cache NVIM_CONFIG=$REPO/editors/nvim \
	suite nvim timeout 120 nvim --headless -u NONE -i NONE -c "luafile $HERE/nvim/lsp_test.lua"
cp "$NVIM_HOME"/cache/nvim/lsp.log "$OUT/nvim-lsp.log" 2>/dev/null || true
rm -rf "$NVIM_HOME"

# The documented configurations, copied out of the READMEs: Neovim 0.7 snippet, vimrc, init.el.
suite nvim-readme "$HERE/nvim/readme.sh"
suite vim-ale "$HERE/vim/run.sh"
suite emacs "$HERE/emacs/run.sh"
# CI integrations: the GitHub Action's scripts as the runner runs them; the pre-commit hook.
suite github-action "$HERE/ci/github-action.sh"
suite pre-commit timeout 600 "$HERE/ci/pre-commit.sh"

suite vscode-unit bash -c 'node --test "$0" && echo "PASS vscode/unit (server discovery order, log levels)"' "$REPO/editors/vscode/test/"
suite vscode timeout 600 "$HERE/vscode/run.sh"

summary
