#!/bin/bash
# Tests .pre-commit-hooks.yaml with Debian's pre-commit: a sample repository with a
# .pre-commit-config.yaml naming this repository (a clone of it at a commit that holds
# the working tree) and its three hooks; a clean script, then a broken one, then one
# indented with tabs. pre-commit builds bpfls
# itself (language: golang), as it would for a user.
# Prints "PASS pre-commit/<case>" or "FAIL pre-commit/<case>: why".
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
# Scratch space under $E2E_DIR/tmp when run.sh runs this, else under TMPDIR.
scratch=${E2E_DIR:+$E2E_DIR/tmp}
T=$(mktemp -d "${scratch:-${TMPDIR:-/tmp}}/pre-commit-XXXXXX")
trap 'rm -rf "$T"' EXIT
failed=0
pass() { echo "PASS pre-commit/$1 ($2)"; }
fail() { echo "FAIL pre-commit/$1: $2"; failed=1; }
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.invalid \
	GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.invalid \
	PRE_COMMIT_HOME=$T/cache GOMODCACHE=$(go env GOMODCACHE) GOFLAGS=-modcacherw

if ! command -v pre-commit >/dev/null; then
	fail setup "pre-commit is not installed (apt-get install pre-commit)"
	exit 1
fi

# The hooks repository: this work tree as one commit (uncommitted edits included).
hooks=$T/hooks
mkdir -p "$hooks"
(cd "$REPO" && git ls-files -co --exclude-standard -z | xargs -0 -I{} cp --parents {} "$hooks/")
git -C "$hooks" init -q && git -C "$hooks" add -A && git -C "$hooks" commit -qm hooks
rev=$(git -C "$hooks" rev-parse HEAD)

# The sample repository.
sample=$T/sample
mkdir -p "$sample/scripts" && cd "$sample" && git init -q
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: bpfls-check
      - id: bpfls-fmt
      - id: bpfls-fmt-write
YAML
cp "$FIXTURES/indent.bt" scripts/ # valid, and laid out as bpftrace --fmt does
echo 'not a script' >notes.txt
git add -A && git commit -qm sample

if pre-commit run --all-files >"$T/clean.log" 2>&1; then
	pass clean "$(grep -E '^bpfls (check|fmt)' "$T/clean.log" | tr -s '.' | paste -sd ' ')"
else
	cat "$T/clean.log"
	fail clean "pre-commit failed on a clean repository"
fi

cp "$FIXTURES/syntax_error.bt" scripts/
git add scripts/syntax_error.bt
if pre-commit run >"$T/broken.log" 2>&1; then
	cat "$T/broken.log"
	fail broken "pre-commit passed with a syntax error staged"
elif grep -q 'scripts/syntax_error.bt:6:11: error: ' "$T/broken.log" && ! grep -q 'indent.bt' "$T/broken.log"; then
	pass broken "$(grep -m1 'syntax_error.bt:6' "$T/broken.log")"
else
	cat "$T/broken.log"
	fail broken "no error for scripts/syntax_error.bt line 6 (or indent.bt was reported)"
fi
git rm -qf scripts/syntax_error.bt

# A valid script indented with tabs: bpfls-fmt names it, bpfls-fmt-write rewrites it.
cp "$FIXTURES/valid.bt" scripts/
git add scripts/valid.bt
if pre-commit run bpfls-fmt >"$T/fmt.log" 2>&1; then
	fail fmt "bpfls-fmt passed on a script indented with tabs"
elif grep -qx 'scripts/valid.bt' "$T/fmt.log" && ! grep -q 'indent.bt' "$T/fmt.log"; then
	pass fmt "lists scripts/valid.bt, and only it"
else
	cat "$T/fmt.log"
	fail fmt "want scripts/valid.bt listed, and only it"
fi
if pre-commit run bpfls-fmt-write >"$T/write.log" 2>&1; then
	fail fmt_write "bpfls-fmt-write passed on a script indented with tabs"
elif grep -q 'files were modified by this hook' "$T/write.log" && ! grep -qP '\t' scripts/valid.bt &&
	grep -q '^  @reads\[comm\] = count();$' scripts/valid.bt; then
	pass fmt_write "rewrote scripts/valid.bt with two-space indentation; pre-commit stopped the commit"
else
	cat "$T/write.log" scripts/valid.bt
	fail fmt_write "scripts/valid.bt was not rewritten as bpftrace --fmt lays it out"
fi
exit $failed
