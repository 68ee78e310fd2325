#!/bin/bash
# Runs `bpfls check` for the action. GitHub turns the "::error file=…" lines of
# --format github into annotations; with INPUT_SARIF=true a second run writes SARIF for
# code scanning. The step itself succeeds so the SARIF upload still runs: the exit code
# goes to GITHUB_OUTPUT (exit-code), and the action's last step fails on it.
set -uo pipefail
read -ra targets <<<"${INPUT_PATHS:-.}"
args=()
[ -n "${INPUT_TARGET_VERSION:-}" ] && args+=(--target-version "$INPUT_TARGET_VERSION")
[ -n "${INPUT_KERNEL:-}" ] && args+=(--kernel "$INPUT_KERNEL")
out=${GITHUB_OUTPUT:?GITHUB_OUTPUT not set}

annotations=$(mktemp)
bpfls check "${args[@]}" --format github "${targets[@]}" | tee "$annotations"
rc=${PIPESTATUS[0]}
echo "exit-code=$rc" >>"$out"

if [ "${INPUT_SARIF:-true}" = true ] && [ "$rc" -le 1 ]; then
	sarif=${INPUT_SARIF_FILE:-bpfls.sarif}
	src=0
	bpfls check "${args[@]}" --format sarif "${targets[@]}" >"$sarif" || src=$?
	if [ "$src" -le 1 ]; then
		echo "sarif-file=$sarif" >>"$out"
	else
		echo "::warning title=bpfls::writing SARIF failed (exit $src)"
	fi
fi

if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
	{
		echo "### bpfls check"
		echo "$(grep -c '^::error ' "$annotations") errors, $(grep -c '^::warning ' "$annotations") warnings (exit code $rc)."
	} >>"$GITHUB_STEP_SUMMARY"
fi
rm -f "$annotations"
exit 0
