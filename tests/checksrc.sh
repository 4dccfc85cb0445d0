#!/bin/sh
# checksrc.sh - source rules that a compiler does not check, run by `make test`.
#
# Fails (exit 1, one line per finding) on:
#   - a banned function: strcpy, strcat, sprintf, vsprintf, atoi, atol,
#     strtok, gets (unbounded or unchecked; use the bounded ones);
#   - a .c or .h file under analysis/ or server/ whose first line does not
#     open the purpose comment "/*" followed by " * NAME - what it does";
#   - an #include that goes against the direction of docs/ARCHITECTURE.md:
#     a room may include its own headers and those of rooms below it, never
#     of a room above.  The order, lowest first:
#       analysis: core text themes curate cluster pipeline analyze
#       server:   base wire store synth live report http cli (then main.c)
#     and analysis/ never includes a server/ header.
# Usage: sh tests/checksrc.sh [ROOT]   (the project root by default)
set -u
cd "${1:-$(dirname "$0")/..}"

ANALYSIS_ROOMS="core text themes curate cluster pipeline analyze"
SERVER_ROOMS="base wire store synth live report http cli"

# rank TREE ROOM: the room's place in its tree's order, or nothing.
rank() {
	case $1 in analysis) set -- "$ANALYSIS_ROOMS" "$2" ;; *) set -- "$SERVER_ROOMS" "$2" ;; esac
	i=0
	for r in $1; do
		i=$((i + 1))
		[ "$r" = "$2" ] && { echo $i; return; }
	done
}

fail=0
say() { echo "checksrc: $*"; fail=1; }

files=$(find analysis server -name '*.[ch]' | LC_ALL=C sort)

# Banned functions (a call, not a word in a comment: name followed by "(").
for f in $files bench/*.c tests/*.c tests/fuzz/*.c; do
	grep -nE '(^|[^A-Za-z0-9_])(strcpy|strcat|sprintf|vsprintf|atoi|atol|strtok|gets)[[:space:]]*\(' "$f" |
		grep -vE '^[0-9]+:[[:space:]]*(\*|/\*|//)' |
		while IFS= read -r line; do echo "checksrc: $f:${line%%:*}: banned function: ${line#*:}"; done
done | grep . && fail=1

for f in $files; do
	# Purpose comment: line 1 "/*", line 2 " * name.c - ...".
	base=$(basename "$f")
	l1=$(sed -n 1p "$f"); l2=$(sed -n 2p "$f")
	case "$l1|$l2" in
	"/*| * $base - "*) ;;
	*) say "$f:1: no purpose comment (\"/*\" then \" * $base - what it does and why\")" ;;
	esac

	tree=${f%%/*}
	rest=${f#*/}
	case $rest in */*) room=${rest%%/*} ;; *) room=main ;; esac
	if [ "$room" = main ]; then
		me=99
	else
		me=$(rank "$tree" "$room")
		[ -n "$me" ] || { say "$f: room '$room' is not in the documented order"; continue; }
	fi
	grep -n '^#include "' "$f" | while IFS= read -r inc; do
		n=${inc%%:*}
		path=$(echo "$inc" | sed 's/^[0-9]*:#include "\([^"]*\)".*/\1/')
		case $path in
		*/*) ;;
		*) echo "checksrc: $f:$n: include \"$path\" is not path-qualified (ROOM/FILE.h)"; continue ;;
		esac
		iroom=${path%%/*}
		if [ -d "analysis/$iroom" ]; then itree=analysis
		elif [ -d "server/$iroom" ]; then itree=server
		else echo "checksrc: $f:$n: include \"$path\" names no room"; continue
		fi
		if [ "$tree" = analysis ] && [ "$itree" = server ]; then
			echo "checksrc: $f:$n: analysis/ includes server/ header \"$path\""
			continue
		fi
		[ "$tree" = server ] && [ "$itree" = analysis ] && continue
		[ "$iroom" = "$room" ] && continue
		them=$(rank "$itree" "$iroom")
		if [ "$them" -gt "$me" ]; then
			echo "checksrc: $f:$n: $room/ includes \"$path\" from a room above it ($iroom/)"
		fi
	done
done > /tmp/checksrc.$$ 2>&1
if [ -s /tmp/checksrc.$$ ]; then cat /tmp/checksrc.$$; fail=1; fi
rm -f /tmp/checksrc.$$

[ $fail -eq 0 ] && echo "checksrc: $(echo "$files" | wc -l) files clean"
exit $fail
