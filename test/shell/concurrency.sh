#!/bin/bash
# Concurrency: pgbench clients read every materialized report view for SKPI_CONCURRENCY_SECONDS (default 20)
# while another session runs refresh_reports() in a loop. Every read checks its row count and
# checksum against a single-session run (a mismatch divides by zero, which pgbench counts as a
# failure). The reads last long enough to overlap two refreshes (at most 90 s). Passes with zero
# failed transactions, zero refresh errors, at least one completed refresh, and final numbers
# equal to the single-session run.
# The council comes from generate_ssd when it exists, else from the report layer's fixture.
set -euo pipefail
export LC_ALL=C

PSQL=("$SKPI_PGBIN/psql" -X -v ON_ERROR_STOP=1 -q)
DB=skpi_conc_$$
WORK=$SKPI_TMP/concurrency.$$
SECS=${SKPI_CONCURRENCY_SECONDS:-20}
CLIENTS=${SKPI_CONCURRENCY_CLIENTS:-4}
mkdir -p "$WORK"

fail() { printf 'concurrency: %s\n' "$*" >&2; exit 1; }
refresher=
cleanup() {
	[ -n "$refresher" ] && kill "$refresher" 2>/dev/null && wait "$refresher" 2>/dev/null
	"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
q() { "${PSQL[@]}" -At -d "$DB" -c "$1"; }

"${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB"
"${PSQL[@]}" -d "$DB" -c "SET client_min_messages = warning" -c "CREATE EXTENSION safeguarding_kpi"
if [ "$(q "SELECT to_regprocedure('skpi.build_reports(text,text)') IS NULL")" = t ]; then
	echo "concurrency: skipped (skpi.build_reports does not exist yet)"
	exit 0
fi
if [ "$(q "SELECT to_regprocedure('skpi.generate_ssd(text,integer,integer,integer)') IS NOT NULL")" = t ]; then
	q "SELECT skpi.generate_ssd('ssd', 1, 1, 11)" >/dev/null
	source="generated council"
elif [ -f "$SKPI_ROOT/test/shell/reports_fixture.sql" ]; then
	"${PSQL[@]}" -d "$DB" -v fixture=ssd -f "$SKPI_ROOT/test/shell/reports_fixture.sql" >/dev/null
	source="report fixture"
else
	fail "no source data: neither skpi.generate_ssd nor test/shell/reports_fixture.sql"
fi
q "INSERT INTO skpi.population SELECT 'local', y, 0, 17, 60000 FROM generate_series(2000, 2035) y ON CONFLICT DO NOTHING" >/dev/null
"${PSQL[@]}" -d "$DB" -c "SET client_min_messages = warning" -c "SELECT skpi.build_reports('ssd', 'kpi')" >/dev/null
q "SELECT count(*) FROM skpi.refresh_reports('kpi')" >/dev/null

# Row count and checksum of every report relation; twice, around one more refresh, to leave
# out relations whose content changes with each refresh (timings, refresh times).
checksums() {
	q "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'kpi'::regnamespace AND c.relkind IN ('m', 'r') ORDER BY 1" |
	while read -r rel; do
		echo "$rel $(q "SELECT count(*) || ' ' || COALESCE(sum(hashtextextended(t::text, 0)), 0) FROM kpi.\"$rel\" t")"
	done
}
checksums >"$WORK/base1.txt"
t0=$(date +%s)
q "SELECT count(*) FROM skpi.refresh_reports('kpi')" >/dev/null
refresh_secs=$(( $(date +%s) - t0 ))
checksums >"$WORK/base2.txt"
# Read for long enough to overlap at least two refreshes (at most 90 s).
[ $((2 * refresh_secs + 5)) -gt "$SECS" ] && SECS=$((2 * refresh_secs + 5))
[ "$SECS" -gt 90 ] && SECS=90
join "$WORK/base1.txt" "$WORK/base2.txt" | awk '$2 == $4 && $3 == $5 {print $1, $2, $3}' >"$WORK/stable.txt"
volatile=$(join "$WORK/base1.txt" "$WORK/base2.txt" | awk '!($2 == $4 && $3 == $5) {print $1}' | tr '\n' ' ')
nstable=$(wc -l <"$WORK/stable.txt")
[ "$nstable" -gt 0 ] || fail "no report relation has stable content"
echo "concurrency: $source; $nstable report relations checked (changing with each refresh: ${volatile:-none})"

# One pgbench script per relation: the read must see the single-session numbers.
args=()
while read -r rel n sum; do
	f="$WORK/read_$rel.sql"
	echo "SELECT 1 / (count(*) = $n AND COALESCE(sum(hashtextextended(t::text, 0)), 0) = $sum)::int FROM kpi.\"$rel\" t;" >"$f"
	args+=(-f "$f")
done <"$WORK/stable.txt"

# The refresher: refresh_reports in a loop until told to stop.
: >"$WORK/refresh.log"
(
	while [ ! -e "$WORK/stop" ]; do
		if "${PSQL[@]}" -At -d "$DB" -c "SELECT count(*) FROM skpi.refresh_reports('kpi')" >/dev/null 2>>"$WORK/refresh.err"; then
			echo ok >>"$WORK/refresh.log"
		else
			echo error >>"$WORK/refresh.log"
		fi
	done
) &
refresher=$!

set +e
"$SKPI_PGBIN/pgbench" -n -c "$CLIENTS" -j 2 -T "$SECS" "${args[@]}" "$DB" >"$WORK/pgbench.out" 2>"$WORK/pgbench.err"
rc=$?
set -e
touch "$WORK/stop"
wait "$refresher" || true
refresher=

refreshes=$(grep -c ok "$WORK/refresh.log" || true)
refresh_errors=$(grep -c error "$WORK/refresh.log" || true)
tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$WORK/pgbench.out")
failed_tx=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$WORK/pgbench.out")
echo "concurrency: $CLIENTS clients, ${SECS}s: ${tx:-0} reads, ${failed_tx:-0} failed; $refreshes refreshes, $refresh_errors refresh errors"
if [ $rc -ne 0 ] || [ "${failed_tx:-0}" != 0 ] || [ -z "$tx" ]; then
	head -20 "$WORK/pgbench.err" >&2
	fail "pgbench reads failed (exit $rc)"
fi
[ "$refresh_errors" = 0 ] || { head -20 "$WORK/refresh.err" >&2; fail "refresh_reports failed during the reads"; }
[ "$refreshes" -ge 1 ] || fail "no refresh completed during the reads"

checksums >"$WORK/final.txt"
if ! join "$WORK/stable.txt" "$WORK/final.txt" | awk '$2 != $4 || $3 != $5 {print; bad = 1} END {exit bad}'; then
	fail "final numbers differ from the single-session run"
fi
rm -rf "$WORK"
echo "concurrency: ok"
