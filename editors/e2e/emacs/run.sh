#!/bin/bash
# Runs Emacs (batch) with Debian's eglot and the init.el from editors/README.md, copied
# verbatim into a throwaway HOME, with this repository where the README says to clone it
# (~/.local/share/bpfls) and bpfls on PATH. eglot-test.el drives it.
# Environment: BPFLS (the server binary), FIXTURES, OUT.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/emacs-eglot-XXXXXX")
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/home/.local/share" "$T/home/.emacs.d" "$T/bin"
ln -s "$REPO" "$T/home/.local/share/bpfls"
ln -s "$BPFLS" "$T/bin/bpfls"
"$HERE/../snippet.sh" "$REPO/editors/README.md" init.el >"$T/home/.emacs.d/init.el"
cp "$T/home/.emacs.d/init.el" "$OUT/emacs-init.el"
cd "$FIXTURES"
rc=0
# Batch mode skips the startup a user gets: activate the installed packages
# (Debian's elpa-eglot), then read the init file, as Emacs does at startup.
HOME=$T/home PATH=$T/bin:$PATH timeout 120 emacs --batch \
	--eval '(package-initialize)' -l "$T/home/.emacs.d/init.el" -l "$HERE/eglot-test.el" \
	</dev/null 2>"$T/stderr" | tee "$T/out" || rc=$?
grep -q '^emacs-eglot: done' "$T/out" || {
	tail -20 "$T/stderr"
	echo "FAIL emacs-eglot: Emacs stopped before the last case (exit $rc)"
	exit 1
}
exit "$rc"
