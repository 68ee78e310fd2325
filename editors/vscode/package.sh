#!/bin/bash
# Builds the extension's packages, as rust-analyzer ships them: one per platform with a
# bpfls built for it inside (server/bpfls, CGO_ENABLED=0, so it runs on any libc), and a
# universal one without a server (it finds bpfls through bpfls.path or PATH).
#
#   editors/vscode/package.sh [-o DIR] [TARGET...]
#
# TARGET is linux-x64, linux-arm64, darwin-x64, darwin-arm64 or universal; default: all
# five. Packages land in DIR (default editors/vscode/dist) as bpfls-TARGET-VERSION.vsix.
# Needs go and node, and the extension's npm dependencies with vsce: NODE_MODULES names
# that node_modules directory (default editors/vscode/node_modules, from `npm ci`).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT=$HERE/dist
if [ "${1:-}" = -o ]; then
	OUT=$2
	shift 2
fi
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(linux-x64 linux-arm64 darwin-x64 darwin-arm64 universal)
NODE_MODULES=${NODE_MODULES:-$HERE/node_modules}
VSCE=$NODE_MODULES/.bin/vsce
[ -x "$VSCE" ] || {
	echo "package.sh: no vsce in $NODE_MODULES (run npm ci in editors/vscode, or set NODE_MODULES)" >&2
	exit 1
}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
VERSION=$(node -p "require('$HERE/package.json').version")

# goTarget maps a VS Code target to GOOS/GOARCH.
goTarget() {
	case $1 in
	linux-x64) echo linux amd64 ;;
	linux-arm64) echo linux arm64 ;;
	darwin-x64) echo darwin amd64 ;;
	darwin-arm64) echo darwin arm64 ;;
	*) return 1 ;;
	esac
}

# One staging copy of the extension for all targets: its sources, the repository's
# LICENSE, and the dependencies (hard links where the file system allows).
STAGE=$(mktemp -d "${TMPDIR:-/tmp}/bpfls-vsce-XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
tar -C "$HERE" --exclude=node_modules --exclude=dist --exclude='*.vsix' --exclude=package.sh -cf - . | tar -C "$STAGE" -xf -
cp "$REPO/LICENSE" "$STAGE/LICENSE"
cp -al "$NODE_MODULES" "$STAGE/node_modules" 2>/dev/null || cp -a "$NODE_MODULES" "$STAGE/node_modules"

for target in "${TARGETS[@]}"; do
	rm -rf "$STAGE/server"
	vsix=$OUT/bpfls-$target-$VERSION.vsix
	if [ "$target" = universal ]; then
		(cd "$STAGE" && "$VSCE" package -o "$vsix" >/dev/null)
	else
		read -r goos goarch < <(goTarget "$target") || {
			echo "package.sh: unknown target $target" >&2
			exit 2
		}
		mkdir -p "$STAGE/server"
		(cd "$REPO" && CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch go build -trimpath -o "$STAGE/server/bpfls" ./cmd/bpfls)
		(cd "$STAGE" && "$VSCE" package --target "$target" -o "$vsix" >/dev/null)
	fi
	echo "$vsix"
done
