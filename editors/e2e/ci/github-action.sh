#!/bin/bash
# Runs the GitHub Action's step scripts (editors/github-action) as the runner would: the
# inputs as INPUT_* variables, and RUNNER_TEMP, GITHUB_PATH, GITHUB_OUTPUT and
# GITHUB_STEP_SUMMARY as files. Checks that action.yml wires the same scripts and inputs.
# Prints "PASS github-action/<case>" or "FAIL github-action/<case>: why".
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ACTION=$(cd "$HERE/../../github-action" && pwd)
# Scratch space under $E2E_DIR/tmp when run.sh runs this, else under TMPDIR.
scratch=${E2E_DIR:+$E2E_DIR/tmp}
T=$(mktemp -d "${scratch:-${TMPDIR:-/tmp}}/github-action-XXXXXX")
trap 'rm -rf "$T"' EXIT
failed=0
pass() { echo "PASS github-action/$1 ($2)"; }
fail() { echo "FAIL github-action/$1: $2"; failed=1; }

# action.yml: every script it runs exists, and every input check.sh reads is declared and passed.
python3 - "$ACTION" <<'PY' && pass action_yml "scripts and inputs wired" || fail action_yml "see above"
import os, re, sys, yaml
d = sys.argv[1]
a = yaml.safe_load(open(os.path.join(d, 'action.yml')))
assert a['runs']['using'] == 'composite', 'not a composite action'
steps = a['runs']['steps']
scripts = [re.search(r'GITHUB_ACTION_PATH/(\S+?)"', s['run']).group(1) for s in steps if 'run' in s and 'GITHUB_ACTION_PATH' in s['run']]
assert scripts == ['install.sh', 'check.sh'], scripts
for s in scripts:
    assert os.access(os.path.join(d, s), os.X_OK), s + ' is not executable'
check = next(s for s in steps if s.get('id') == 'check')
read = set(re.findall(r'INPUT_[A-Z_]+', open(os.path.join(d, 'check.sh')).read()))
assert read == set(check['env']), 'check.sh reads %s, action.yml passes %s' % (sorted(read), sorted(check['env']))
for k, v in check['env'].items():
    name = re.search(r'inputs\.([a-z-]+)', v).group(1)
    assert name in a['inputs'] and k == 'INPUT_' + name.upper().replace('-', '_'), k
assert any('upload-sarif' in s.get('uses', '') for s in steps), 'no SARIF upload step'
PY

export RUNNER_TEMP=$T/runner GITHUB_PATH=$T/path GITHUB_OUTPUT=$T/output GITHUB_STEP_SUMMARY=$T/summary
mkdir -p "$RUNNER_TEMP" && : >"$GITHUB_PATH"
if "$ACTION/install.sh" >"$T/install.log" 2>&1 && [ -x "$(cat "$GITHUB_PATH")/bpfls" ]; then
	pass install "built $(tail -1 "$T/install.log") into GITHUB_PATH"
else
	cat "$T/install.log"
	fail install "no bpfls in the directory written to GITHUB_PATH"
	exit 1
fi
export PATH=$(cat "$GITHUB_PATH"):$PATH

# A workspace with a syntax error, a misspelt kernel function, and a clean script.
mkdir -p "$T/ws/scripts" && cd "$T/ws"
cp "$FIXTURES/syntax_error.bt" "$FIXTURES/quickfix.bt" scripts/
cp "$FIXTURES/valid.bt" .
: >"$GITHUB_OUTPUT"
INPUT_PATHS="scripts valid.bt" INPUT_SARIF=true INPUT_SARIF_FILE=out.sarif INPUT_TARGET_VERSION= INPUT_KERNEL= \
	"$ACTION/check.sh" >"$T/check.log" 2>&1
rc=$?
if [ "$rc" -ne 0 ]; then fail check "check.sh exited $rc"; fi
if grep -q '^::error file=scripts/syntax_error.bt,line=6,' "$T/check.log" &&
	grep -q '^::warning file=scripts/quickfix.bt,line=2,.*vfs_read' "$T/check.log" &&
	! grep -q 'valid.bt' "$T/check.log"; then
	pass annotations "$(grep -c '^::' "$T/check.log") annotations, none for valid.bt"
else
	cat "$T/check.log"
	fail annotations "want ::error for syntax_error.bt line 6 and ::warning for quickfix.bt line 2"
fi
grep -qx 'exit-code=1' "$GITHUB_OUTPUT" && grep -qx 'sarif-file=out.sarif' "$GITHUB_OUTPUT" &&
	pass outputs "exit-code=1, sarif-file=out.sarif" || fail outputs "GITHUB_OUTPUT: $(tr '\n' ' ' <"$GITHUB_OUTPUT")"
python3 - out.sarif <<'PY' && pass sarif "2.1.0, two results with locations" || fail sarif "see above"
import json, sys
s = json.load(open(sys.argv[1]))
assert s['version'] == '2.1.0', s['version']
res = [r for run in s['runs'] for r in run['results']]
got = sorted((r['ruleId'], r['locations'][0]['physicalLocation']['artifactLocation']['uri'],
              r['locations'][0]['physicalLocation']['region']['startLine']) for r in res)
assert [(g[1].endswith('quickfix.bt'), g[2]) for g in got if 'quickfix' in g[1]] == [(True, 2)], got
assert any(g[1].endswith('syntax_error.bt') and g[2] == 6 and g[0].startswith('syntax') for g in got), got
assert len(got) == 2, got
PY
grep -q '1 errors, 1 warnings (exit code 1)' "$GITHUB_STEP_SUMMARY" && pass summary "$(tail -1 "$GITHUB_STEP_SUMMARY")" ||
	fail summary "step summary: $(cat "$GITHUB_STEP_SUMMARY")"

# A clean run: no annotations, exit code 0; without SARIF, no sarif-file output.
: >"$GITHUB_OUTPUT"
INPUT_PATHS=valid.bt INPUT_SARIF=false "$ACTION/check.sh" >"$T/clean.log" 2>&1
if grep -qx 'exit-code=0' "$GITHUB_OUTPUT" && ! grep -q '^::' "$T/clean.log" && ! grep -q sarif-file "$GITHUB_OUTPUT"; then
	pass clean "exit-code=0, no annotations, no SARIF"
else
	fail clean "output: $(cat "$T/clean.log" "$GITHUB_OUTPUT")"
fi
exit $failed
