#!/bin/bash
# Two sessions: a committed INSERT or DELETE on skpi.bank_holidays in one session is seen by the
# other session's next call of the working-day functions (its cached index is rebuilt), an
# uncommitted one is not, and parallel workers see it too.
set -euo pipefail

PSQL="$SKPI_PGBIN/psql -X -v ON_ERROR_STOP=1 -q -At"
DB=calendar_sessions_$$
WORK=$(mktemp -d "$SKPI_TMP/calendar_sessions.XXXXXX")
B_PID=

cleanup() {
	[ -n "$B_PID" ] && { exec 3>&- || true; wait "$B_PID" 2>/dev/null || true; }
	$PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "calendar_sessions: $*" >&2; exit 1; }

$PSQL -d postgres -c "CREATE DATABASE $DB"
$PSQL -d "$DB" -c "CREATE EXTENSION safeguarding_kpi"
$PSQL -d "$DB" <<'SQL'
CREATE TABLE days AS SELECT d::date AS d FROM generate_series('2030-06-01'::date, '2030-06-30', '1 day') d;
CREATE TABLE other AS SELECT 1 AS x;
ANALYZE days;
ANALYZE other;
SQL

# Session B: one long-lived psql reading commands from a FIFO.
mkfifo "$WORK/b.in"
$PSQL -d "$DB" <"$WORK/b.in" >"$WORK/b.out" 2>&1 &
B_PID=$!
exec 3>"$WORK/b.in"

# Runs SQL in session B and prints its output. A unique marker echoed after the SQL tells when
# B has answered; the output is what the file gained since the call began.
b() {
	local mark="@@$BASHPID.$RANDOM.$RANDOM" start
	start=$(stat -c %s "$WORK/b.out")
	printf '%s\n\\echo %s\n' "$1" "$mark" >&3
	for _ in $(seq 1 300); do
		grep -qx -- "$mark" "$WORK/b.out" && break
		kill -0 "$B_PID" 2>/dev/null || fail "session B died: $(cat "$WORK/b.out")"
		sleep 0.05
	done
	grep -qx -- "$mark" "$WORK/b.out" || fail "session B did not answer: $(cat "$WORK/b.out")"
	tail -c +"$((start + 1))" "$WORK/b.out" | sed "/^$mark\$/,\$d"
}

expect() {
	local what=$1 want=$2 got=$3
	[ "$got" = "$want" ] || fail "$what: expected '$want', got '$got' (session B: $(cat "$WORK/b.out"))"
	echo "ok: $what"
}

A() { $PSQL -d "$DB" -c "$1"; }

# B builds its index: 14 June 2030 (a Friday) is a working day.
expect "B before any change" "t" "$(b "SELECT skpi.is_working_day('2030-06-14');")"

# A commits a one-off holiday: B's next call sees it.
A "INSERT INTO skpi.bank_holidays VALUES ('2030-06-14', 'one-off day')"
expect "B after A's committed INSERT" "f" "$(b "SELECT skpi.is_working_day('2030-06-14');")"
expect "B's working_days_between over it" "1" "$(b "SELECT skpi.working_days_between('2030-06-13', '2030-06-17');")"
expect "B's add_working_days over it" "2030-06-17" "$(b "SELECT skpi.add_working_days('2030-06-13', 1);")"

# A deletes it again: B sees the deletion.
A "DELETE FROM skpi.bank_holidays WHERE holiday = '2030-06-14'"
expect "B after A's committed DELETE" "t" "$(b "SELECT skpi.is_working_day('2030-06-14');")"

# An uncommitted change is not seen; once committed, it is.
mkfifo "$WORK/a.in"
$PSQL -d "$DB" <"$WORK/a.in" >"$WORK/a.out" 2>&1 &
A_PID=$!
exec 4>"$WORK/a.in"
printf "BEGIN;\nINSERT INTO skpi.bank_holidays VALUES ('2030-06-21', 'uncommitted day');\n\\\\echo @@inserted\n" >&4
for _ in $(seq 1 300); do grep -q '^@@inserted$' "$WORK/a.out" && break; sleep 0.05; done
grep -q '^@@inserted$' "$WORK/a.out" || fail "session A did not insert: $(cat "$WORK/a.out")"
expect "B while A's INSERT is uncommitted" "t" "$(b "SELECT skpi.is_working_day('2030-06-21');")"
printf 'COMMIT;\n' >&4
exec 4>&-
wait "$A_PID" || fail "session A failed: $(cat "$WORK/a.out")"
expect "B after A's COMMIT" "f" "$(b "SELECT skpi.is_working_day('2030-06-21');")"

# Parallel workers of B see the current table (June 2030: 20 weekdays, 21 June a holiday now).
b "SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;" >/dev/null
plan=$(b "EXPLAIN (COSTS OFF) SELECT count(*) FILTER (WHERE skpi.is_working_day(d)) FROM days;")
echo "$plan" | grep -q "Partial Aggregate" || fail "no parallel plan: $plan"
expect "B's parallel workers" "19" "$(b "SELECT count(*) FILTER (WHERE skpi.is_working_day(d)) FROM days;")"
A "DELETE FROM skpi.bank_holidays WHERE holiday = '2030-06-21'"
expect "B's parallel workers after A's DELETE" "20" "$(b "SELECT count(*) FILTER (WHERE skpi.is_working_day(d)) FROM days;")"
expect "B's leader after a parallel query" "t" "$(b "SELECT skpi.is_working_day('2030-06-21');")"
b "RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size; RESET max_parallel_workers_per_gather;" >/dev/null

# The invalidation can reach B after its snapshot was taken (here: a REPEATABLE READ
# transaction that then locks a new table). The index must not be rebuilt from that older
# snapshot, or B would keep the stale copy after the transaction.
b "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM days;" >/dev/null
A "INSERT INTO skpi.bank_holidays VALUES ('2030-06-28', 'late day')"
b "SELECT skpi.is_working_day('2030-06-28') FROM other;" >/dev/null
b "COMMIT;" >/dev/null
expect "B after a rebuild inside an older snapshot" "f" "$(b "SELECT skpi.is_working_day('2030-06-28');")"

# B's own changes are seen at its next command, and undone by its ROLLBACK.
expect "B's own uncommitted INSERT" "f" "$(b "BEGIN; INSERT INTO skpi.bank_holidays VALUES ('2030-06-11', 'own day'); SELECT skpi.is_working_day('2030-06-11');")"
expect "B after its ROLLBACK" "t" "$(b "ROLLBACK; SELECT skpi.is_working_day('2030-06-11');")"

# A third session that starts after all this agrees with B.
expect "a new session" "f t" "$($PSQL -d "$DB" -c "SELECT skpi.is_working_day('2030-06-28') || ' ' || skpi.is_working_day('2030-06-11')" | sed 's/true/t/g; s/false/f/g')"

grep -q ERROR "$WORK/b.out" && fail "session B saw an error: $(cat "$WORK/b.out")"
echo "calendar_sessions: all checks passed"
