#!/bin/bash
# Runs Emacs (batch) with the init.el from editors/README.md, copied verbatim into a
# throwaway HOME, with this repository where the README says to clone it
# (~/.local/share/bpfls) and bpfls on PATH: eglot-test.el with Debian's elpa-eglot, then
# lsp-mode-test.el with Debian's elpa-lsp-mode.
# Environment: BPFLS (the server binary), FIXTURES, OUT.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
# Scratch space under $E2E_DIR/tmp when run.sh runs this, else under TMPDIR.
scratch=${E2E_DIR:+$E2E_DIR/tmp}
T=$(mktemp -d "${scratch:-${TMPDIR:-/tmp}}/emacs-XXXXXX")
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/home/.local/share" "$T/home/.emacs.d" "$T/bin"
ln -s "$REPO" "$T/home/.local/share/bpfls"
ln -s "$BPFLS" "$T/bin/bpfls"
"$HERE/../snippet.sh" "$REPO/editors/README.md" init.el >"$T/home/.emacs.d/init.el"
cp "$T/home/.emacs.d/init.el" "$OUT/emacs-init.el"
cd "$FIXTURES"
status=0
for suite in eglot lsp-mode; do
	rc=0
	# Batch mode skips the startup a user gets: activate the installed packages
	# (Debian's elpa-*), then read the init file, as Emacs does at startup.
	HOME=$T/home PATH=$T/bin:$PATH timeout 120 emacs --batch \
		--eval '(package-initialize)' -l "$T/home/.emacs.d/init.el" -L "$HERE" -l "$HERE/$suite-test.el" \
		</dev/null 2>"$T/stderr" | tee "$T/out" || rc=$?
	if ! grep -q "^emacs-$suite: done" "$T/out"; then
		tail -20 "$T/stderr"
		echo "FAIL emacs-$suite: Emacs stopped before the last case (exit $rc)"
		rc=1
	fi
	[ "$rc" -eq 0 ] || status=1
done
exit "$status"
