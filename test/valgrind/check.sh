#!/bin/bash
# test/valgrind/check.sh: run by test/run.sh in mode "valgrind" once the server runs under
# valgrind (test/valgrind/setup.sh). Runs the pg_regress suite (REGRESS narrows it, as in test
# mode), then reads every process's valgrind log: an error whose stack mentions the extension
# (safeguarding_kpi.so or an skpi_ function) fails the run; other errors (the stock server's)
# are counted and shown, so that test/valgrind/postgres.supp can be extended.
# Env: SKPI_VALGRIND_LOGS (the logs), SKPI_ROOT, PG_CONFIG; SKPI_VALGRIND_KEEP=dir copies the
# logs there.
set -uo pipefail
LOGS=${SKPI_VALGRIND_LOGS:?run through: bash test/run.sh valgrind}
ROOT=${SKPI_ROOT:?}

regress_args=()
[ -n "${REGRESS:-}" ] && regress_args=(REGRESS="$REGRESS")
echo "== pg_regress under valgrind (slow)"
start=$(date +%s)
make -C "$ROOT" -s PG_CONFIG="$PG_CONFIG" installcheck "${regress_args[@]}" >"$LOGS/../regress-valgrind.log" 2>&1
rc=$?
cat "$LOGS/../regress-valgrind.log"
[ $rc -ne 0 ] && [ -f "$ROOT/regression.diffs" ] && head -100 "$ROOT/regression.diffs"
echo "== suite took $(( $(date +%s) - start )) s; reading valgrind logs"
sleep 2

# Split each log into error blocks (valgrind separates them with an empty "==pid==" line).
ours=0 theirs=0
: >"$LOGS/../ours.txt"; : >"$LOGS/../theirs.txt"
for f in "$LOGS"/*.log; do
	[ -s "$f" ] || continue
	awk -v ours="$LOGS/../ours.txt" -v theirs="$LOGS/../theirs.txt" -v file="$(basename "$f")" '
		function flush() {
			if (block != "") {
				if (block ~ /safeguarding_kpi|skpi_/) { print "-- " file "\n" block >> ours; n_ours++ }
				else if (block ~ /(at|by) 0x/) { print "-- " file "\n" block >> theirs; n_theirs++ }
			}
			block = ""
		}
		/^==[0-9]+== *$/ { flush(); next }
		/^==[0-9]+== / { block = block $0 "\n" }
		END { flush(); printf "%d %d\n", n_ours, n_theirs > "/dev/stderr" }
	' "$f" 2>>"$LOGS/../counts.txt"
done
read -r ours theirs < <(awk '{o += $1; t += $2} END {print o + 0, t + 0}' "$LOGS/../counts.txt" 2>/dev/null || echo "0 0")
echo "== valgrind: $(ls "$LOGS"/*.log 2>/dev/null | wc -l) process logs, $ours error(s) in extension code, $theirs other error(s)"
if [ "$theirs" -gt 0 ]; then
	echo "== errors outside the extension (first 3; candidates for test/valgrind/postgres.supp):"
	awk '/^-- /{n++} n<=3' "$LOGS/../theirs.txt" | head -80
fi
if [ -n "${SKPI_VALGRIND_KEEP:-}" ]; then
	mkdir -p "$SKPI_VALGRIND_KEEP" && cp -r "$LOGS" "$LOGS/../ours.txt" "$LOGS/../theirs.txt" "$SKPI_VALGRIND_KEEP/"
	echo "== logs copied to $SKPI_VALGRIND_KEEP"
fi
failed=0
if [ "$ours" -gt 0 ]; then
	echo "== errors in extension code:"
	head -150 "$LOGS/../ours.txt"
	failed=1
fi
n_ok=$(grep -cE '\.\.\. ok' "$LOGS/../regress-valgrind.log")
n_bad=$(grep -cE '\.\.\. FAILED|\.\.\. failed' "$LOGS/../regress-valgrind.log")
[ $rc -ne 0 ] && [ "$n_bad" -eq 0 ] && n_bad=1
echo "$((n_ok + (1 - failed))) passed, $((n_bad + failed)) failed"
[ "$n_bad" -eq 0 ] && [ $failed -eq 0 ]
