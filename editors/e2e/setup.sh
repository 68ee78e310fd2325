#!/bin/bash
# Installs what the editor end-to-end tests need and builds what they test:
#   apt:  chromium, neovim, vim + vim-ale, emacs + eglot + lsp-mode, pre-commit, and the headers code-server's native modules compile against
#   npm:  code-server + playwright-core (editors/e2e/tools), the extension's own deps and vsce
#   out:  $E2E_DIR/bin/bpfls (the real server) and $E2E_DIR/vsix/bpfls-TARGET-VERSION.vsix,
#         the platform packages and the universal one (editors/vscode/package.sh)
# --no-server skips building bpfls (run.sh passes it when BPFLS names a binary).
# Everything lands in $E2E_DIR (default: <repo>/.e2e, gitignored). Each step is skipped
# when its result is already there for the same inputs, so a second run takes seconds.
# Only Debian apt and the npm registry are used.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
E2E_DIR=${E2E_DIR:-$REPO/.e2e}
APT_PACKAGES=(chromium fonts-liberation libkrb5-dev pkg-config ripgrep neovim vim vim-ale emacs-nox elpa-eglot elpa-lsp-mode pre-commit python3-yaml git)
RIPGREP_CACHE=vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

mkdir -p "$E2E_DIR"/{bin,tmp,out}
E2E_DIR=$(cd "$E2E_DIR" && pwd)
export TMPDIR=$E2E_DIR/tmp

log() { printf 'setup: %s\n' "$*" >&2; }

# hash_of prints one hash over the given files, to tell whether an install is current.
hash_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

install_apt() {
	local missing=()
	for p in "${APT_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return
	log "apt-get install ${missing[*]}"
	if [ "$(id -u)" -ne 0 ]; then
		log "need root to install ${missing[*]}"
		return 1
	fi
	apt-get update -q >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# seed_ripgrep gives @vscode/ripgrep's postinstall the tarball it would otherwise fetch
# from GitHub, built from Debian's rg.
seed_ripgrep() {
	local tarball=$TMPDIR/$RIPGREP_CACHE
	[ -f "$tarball" ] && return
	mkdir -p "$(dirname "$tarball")" "$TMPDIR/rgpkg"
	cp /usr/bin/rg "$TMPDIR/rgpkg/rg"
	tar czf "$tarball" -C "$TMPDIR/rgpkg" rg
}

# install_tools installs code-server and playwright-core from the committed lockfile.
# unsafe_perm: code-server's postinstall refuses root without it (npm 11 only passes it on);
# yes: node-pty's postinstall runs `npx node-gyp`.
install_tools() {
	local dir=$E2E_DIR/tools want
	want=$(hash_of "$HERE/tools/package.json" "$HERE/tools/package-lock.json")
	[ "$(cat "$dir/.installed" 2>/dev/null)" = "$want" ] && return
	log "npm ci code-server, playwright-core (about a minute)"
	seed_ripgrep
	rm -rf "$dir" && mkdir -p "$dir"
	cp "$HERE/tools/package.json" "$HERE/tools/package-lock.json" "$dir/"
	(cd "$dir" && npm_config_unsafe_perm=true npm_config_yes=true \
		npm ci --no-audit --no-fund --loglevel=error >"$E2E_DIR/out/npm-tools.log" 2>&1) || {
		tail -40 "$E2E_DIR/out/npm-tools.log" >&2
		return 1
	}
	echo "$want" >"$dir/.installed"
}

# install_ext_deps installs the extension's pinned dependencies (and vsce) from its lockfile.
install_ext_deps() {
	local src=$REPO/editors/vscode dir=$E2E_DIR/ext want
	want=$(hash_of "$src/package.json" "$src/package-lock.json")
	[ "$(cat "$dir/.installed" 2>/dev/null)" = "$want" ] && return
	log "npm ci in the extension"
	rm -rf "$dir" && mkdir -p "$dir"
	cp "$src/package.json" "$src/package-lock.json" "$dir/"
	(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >"$E2E_DIR/out/npm-ext.log" 2>&1) || {
		tail -40 "$E2E_DIR/out/npm-ext.log" >&2
		return 1
	}
	echo "$want" >"$dir/.installed"
}

# build_vsix builds every package of the extension (each platform's with its own
# cross-compiled bpfls inside, and the universal one), as a release would.
build_vsix() {
	rm -rf "$E2E_DIR/vsix"
	NODE_MODULES=$E2E_DIR/ext/node_modules "$REPO/editors/vscode/package.sh" -o "$E2E_DIR/vsix" >"$E2E_DIR/out/vsce.log" 2>&1 || {
		cat "$E2E_DIR/out/vsce.log" >&2
		return 1
	}
}

build_server() {
	(cd "$REPO" && go build -o "$E2E_DIR/bin/bpfls" ./cmd/bpfls)
}

install_apt
# The two npm installs mostly wait on the network and on compilers: run them side by side.
install_ext_deps &
ext_pid=$!
tools_rc=0
install_tools || tools_rc=$?
ext_rc=0
wait "$ext_pid" || ext_rc=$?
[ "$tools_rc" -eq 0 ] && [ "$ext_rc" -eq 0 ] || exit 1
build_vsix
[ "${1:-}" = --no-server ] || build_server
log "ready in $E2E_DIR"
