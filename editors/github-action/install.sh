#!/bin/bash
# Installs bpfls for the action: `go install` of BPFLS_VERSION when set, else a build of
# the checkout this action comes from (so `uses: …/editors/github-action@REF` checks with
# bpfls at REF). Puts the binary's directory on GITHUB_PATH.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${RUNNER_TEMP:?RUNNER_TEMP not set}/bpfls-bin
mkdir -p "$bin"
export CGO_ENABLED=0
if [ -n "${BPFLS_VERSION:-}" ]; then
	GOBIN=$bin go install "github.com/bpfls/bpfls/cmd/bpfls@$BPFLS_VERSION"
else
	(cd "$HERE/../.." && go build -o "$bin/bpfls" ./cmd/bpfls)
fi
echo "$bin" >>"${GITHUB_PATH:?GITHUB_PATH not set}"
"$bin/bpfls" version
