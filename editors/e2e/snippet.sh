#!/bin/bash
# snippet.sh FILE NAME prints the fenced code block that follows the line
# "<!-- e2e: NAME -->" in the Markdown FILE, so tests run the documented text verbatim.
set -euo pipefail
awk -v mark="<!-- e2e: $2 -->" '
	$0 == mark { found = 1; next }
	found == 1 && /^```/ { found = 2; next }
	found == 2 && /^```/ { exit }
	found == 2 { print }
' "$1" | grep '' || { echo "snippet.sh: no block marked \"$2\" in $1" >&2; exit 1; }
