#!/bin/bash
# Runs the VS Code end-to-end test as a new user meets the extension:
# 1. the packages setup.sh built (editors/vscode/package.sh) are all there, each platform's
#    with its server and the universal one without, and the linux-x64 package's bpfls runs;
# 2. a fresh code-server (loopback, no auth) with the linux-x64 package installed, no
#    bpfls.path, and no bpfls in PATH, ~/go/bin or $GOPATH/bin: the bundled server must
#    serve; test.js drives it through chromium over a copy of the fixtures;
# 3. another fresh code-server with the universal package and no bpfls anywhere:
#    test.js (MODE=missing) expects the one "not found" message with its two buttons.
# Needs: E2E_DIR (prepared by setup.sh), FIXTURES, OUT. Exits 1 on any failure.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${E2E_DIR:?}" "${FIXTURES:?}" "${OUT:?}"
CS=$E2E_DIR/tools/node_modules/.bin/code-server
VSIX_DIR=$E2E_DIR/vsix
rc=0

# 1. The packages.
pkg_rc=0
python3 - "$VSIX_DIR" "$E2E_DIR/tmp/packaged-bpfls" <<'PY' || pkg_rc=$?
import glob, os, sys, zipfile
d, out = sys.argv[1], sys.argv[2]
bad = 0
for target in ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "universal"]:
    found = glob.glob(os.path.join(d, f"bpfls-{target}-*.vsix"))
    if len(found) != 1:
        print(f"FAIL vscode/packages: {len(found)} packages for {target} in {d}"); bad = 1; continue
    z = zipfile.ZipFile(found[0])
    names = z.namelist()
    server = "extension/server/bpfls" in names
    if server != (target != "universal") or "extension/LICENSE.txt" not in names:
        print(f"FAIL vscode/packages: {os.path.basename(found[0])}: server inside {server}, LICENSE {'extension/LICENSE.txt' in names}"); bad = 1
    if target == "linux-x64" and server:
        mode = z.getinfo("extension/server/bpfls").external_attr >> 16
        with open(out, "wb") as f:
            f.write(z.read("extension/server/bpfls"))
        os.chmod(out, mode & 0o777)
if not bad:
    print("PASS vscode/packages (linux-x64, linux-arm64, darwin-x64, darwin-arm64 with server/bpfls; universal without; LICENSE in each)")
sys.exit(bad)
PY
[ "$pkg_rc" -eq 0 ] || rc=1
if version=$("$E2E_DIR/tmp/packaged-bpfls" version 2>&1) && [ -x "$E2E_DIR/tmp/packaged-bpfls" ]; then
	echo "PASS vscode/package_binary (the linux-x64 package's server/bpfls, executable as packed, runs: $version)"
else
	echo "FAIL vscode/package_binary: the linux-x64 package's server/bpfls did not run: $version"
	rc=1
fi
rm -f "$E2E_DIR/tmp/packaged-bpfls"

# A PATH without any bpfls, so only the bundled binary can serve.
clean_path() {
	local out= dir
	IFS=: read -ra dirs <<<"$PATH"
	for dir in "${dirs[@]}"; do
		[ -n "$dir" ] && [ ! -e "$dir/bpfls" ] && out=${out:+$out:}$dir
	done
	echo "$out"
}
CLEAN_PATH=$(clean_path)

# session VSIX MODE: installs VSIX into a fresh code-server whose HOME has no go/bin,
# runs test.js in MODE against it, and keeps its logs in $OUT/vscode-logs[-MODE].
session() {
	local vsix=$1 mode=$2 port=$((20000 + RANDOM % 20000)) d cspid src=0
	d=$(mktemp -d "$E2E_DIR/tmp/vscode-XXXXXX")
	mkdir -p "$d/data/User" "$d/data/Machine" "$d/ws" "$d/home"
	# Settings that run programs are machine-scoped: code-server, like any remote window,
	# reads them from the machine's settings, never from a workspace.
	echo '{ "bpfls.verify.enabled": true }' >"$d/data/Machine/settings.json"
	# A workspace naming programs, as a stranger's repository might: none of it may run.
	mkdir -p "$d/ws/.vscode"
	cat >"$d/ws/.vscode/settings.json" <<JSON
{ "bpfls.path": "/bin/false", "bpfls.verify.path": "$d/ws-bpftrace",
  "bpfls.verify.command": ["/bin/sh", "-c", "touch $d/workspace-prefix-ran; exit 3"] }
JSON
	cp -r "$FIXTURES"/. "$d/ws/"
	cat >"$d/data/User/settings.json" <<JSON
{
  "bpfls.logLevel": "debug",
  "bpfls.targetVersion": "0.17",
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
	(
		export HOME=$d/home PATH=$CLEAN_PATH XDG_CONFIG_HOME=$d/xdg/config XDG_DATA_HOME=$d/xdg/data XDG_CACHE_HOME=$d/xdg/cache TMPDIR=$d
		unset GOPATH
		"$CS" --user-data-dir "$d/data" --extensions-dir "$d/ext" --install-extension "$vsix" >"$d/install.log" 2>&1 ||
			{ cat "$d/install.log"; exit 1; }
		"$CS" --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry --disable-update-check \
			--disable-workspace-trust --disable-getting-started-override \
			--user-data-dir "$d/data" --extensions-dir "$d/ext" "$d/ws" >"$d/code-server.log" 2>&1 &
		cspid=$!
		trap 'kill $cspid 2>/dev/null; wait $cspid 2>/dev/null' EXIT
		for _ in $(seq 1 120); do
			curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break
			sleep 0.25
		done
		MODE=$mode CS_URL="http://127.0.0.1:$port/?folder=$d/ws" SETTINGS_JSON=$d/data/User/settings.json \
			PLAYWRIGHT=$E2E_DIR/tools/node_modules/playwright-core OUT=$OUT node "$HERE/test.js"
	) || src=$?
	if [ -e "$d/workspace-prefix-ran" ]; then
		echo "FAIL vscode/workspace_settings${mode:+_$mode}: the workspace's bpfls.verify.command ran"
		src=1
	elif [ -z "$mode" ]; then
		echo "PASS vscode/workspace_settings (the workspace's bpfls.path, verify.path and verify.command were ignored: the bundled server and bpftrace in PATH served, the prefix never ran)"
	fi
	# Keep the logs of every run; print the extension's when something failed.
	local logs=$OUT/vscode-logs${mode:+-$mode}
	rm -rf "$logs"
	cp -r "$d/data/logs" "$logs" 2>/dev/null || mkdir -p "$logs"
	cp "$d/code-server.log" "$logs/code-server.log" 2>/dev/null || true
	if [ $src -ne 0 ]; then
		for f in "$logs"/*/exthost*/remoteexthost.log "$logs"/*/exthost*/output_logging_*/*bpfls*.log; do
			[ -f "$f" ] || continue
			echo "--- ${f#"$OUT"/}"
			tail -40 "$f"
		done
	fi
	rm -rf "$d" 2>/dev/null || { sleep 1; rm -rf "$d"; }
	return $src
}
trap "exit 143" TERM INT

linux=$(ls "$VSIX_DIR"/bpfls-linux-x64-*.vsix 2>/dev/null | head -1 || true)
universal=$(ls "$VSIX_DIR"/bpfls-universal-*.vsix 2>/dev/null | head -1 || true)
if [ -n "$linux" ]; then session "$linux" "" || rc=1; else echo "FAIL vscode/workbench: no linux-x64 package"; rc=1; fi
if [ -n "$universal" ]; then session "$universal" missing || rc=1; else echo "FAIL vscode/missing_server: no universal package"; rc=1; fi
exit $rc
