#!/bin/bash
# Runs the VS Code end-to-end test: a fresh code-server (loopback, no auth) with the
# bpfls .vsix installed and bpfls.path pointing at the server under test, a copy of the
# fixtures as its workspace, and test.js driving it through chromium.
# Needs: E2E_DIR (prepared by setup.sh), BPFLS, FIXTURES, OUT. Exits 1 on any failure.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${E2E_DIR:?}" "${BPFLS:?}" "${FIXTURES:?}" "${OUT:?}"
CS=$E2E_DIR/tools/node_modules/.bin/code-server
VSIX=$E2E_DIR/bpfls.vsix
PORT=${PORT:-$((20000 + RANDOM % 20000))}

D=$(mktemp -d "$E2E_DIR/tmp/vscode-XXXXXX")
export XDG_CONFIG_HOME=$D/xdg/config XDG_DATA_HOME=$D/xdg/data XDG_CACHE_HOME=$D/xdg/cache TMPDIR=$D
mkdir -p "$D/data/User" "$D/ws"
cp -r "$FIXTURES"/. "$D/ws/"
cat >"$D/data/User/settings.json" <<JSON
{
  "bpfls.path": "$BPFLS",
  "bpfls.logLevel": "debug",
  "bpfls.targetVersion": "0.17",
  "bpfls.verify.enabled": true,
  "[bpftrace]": { "editor.formatOnSave": true },
  "editor.wordBasedSuggestions": "off",
  "git.enabled": false,
  "git.openRepositoryInParentFolders": "never",
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "chat.disableAIFeatures": true
}
JSON

"$CS" --user-data-dir "$D/data" --extensions-dir "$D/ext" --install-extension "$VSIX" >"$D/install.log" 2>&1 ||
	{ cat "$D/install.log"; exit 1; }
"$CS" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
	--disable-workspace-trust --disable-getting-started-override \
	--user-data-dir "$D/data" --extensions-dir "$D/ext" "$D/ws" >"$D/code-server.log" 2>&1 &
CSPID=$!
cleanup() {
	kill "$CSPID" 2>/dev/null || true
	wait "$CSPID" 2>/dev/null || true
}
trap cleanup EXIT
trap "exit 143" TERM INT
for _ in $(seq 1 120); do
	curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
	sleep 0.25
done

rc=0
CS_URL="http://127.0.0.1:$PORT/?folder=$D/ws" SETTINGS_JSON=$D/data/User/settings.json PLAYWRIGHT=$E2E_DIR/tools/node_modules/playwright-core \
	OUT=$OUT node "$HERE/test.js" || rc=$?
# Keep the logs of every run; print the extension's when something failed.
rm -rf "$OUT/vscode-logs"
cp -r "$D/data/logs" "$OUT/vscode-logs" 2>/dev/null || true
cp "$D/code-server.log" "$OUT/vscode-logs/code-server.log"
if [ $rc -ne 0 ]; then
	for f in "$OUT"/vscode-logs/*/exthost*/remoteexthost.log "$OUT"/vscode-logs/*/exthost*/output_logging_*/*bpfls*.log; do
		[ -f "$f" ] || continue
		echo "--- ${f#"$OUT"/}"
		tail -40 "$f"
	done
fi
cleanup
trap - EXIT TERM INT
rm -rf "$D" 2>/dev/null || { sleep 1; rm -rf "$D"; }
exit $rc
