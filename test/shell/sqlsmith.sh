#!/bin/bash
# Random SQL against a database with the extension and a small generated council:
#  1. randcall (test/fuzz/randcall.sql): random calls of every skpi function, aggregate and
#     window function with ordinary and edge arguments, serially and under forced parallel plans;
#  2. Debian's sqlsmith, focused on the extension: its catalogue queries read pg_proc through
#     search_path, so a view smith.pg_proc ahead of pg_catalog shows it only the skpi functions
#     and a few builtins to glue them together (--exclude-catalog keeps it on our tables).
# Passes when the server log gained no "terminated by signal", no assertion failure (TRAP) and no
# PANIC, and both programs ran to their end. A crash prints the statement that caused it.
#
# Bounded by default (about 2 minutes). Longer, on request:
#   SKPI_FUZZ_LONG=1 bash test/run.sh test SHELL_TESTS=sqlsmith ...  (about 30 minutes), or set
#   SKPI_RANDCALL_STATEMENTS, SKPI_SQLSMITH_QUERIES, SKPI_SQLSMITH_SECONDS, SKPI_FUZZ_SEED.
set -euo pipefail

PSQL=("$SKPI_PGBIN/psql" -X -v ON_ERROR_STOP=1 -q)
DB=skpi_smith_$$
WORK=$SKPI_TMP/sqlsmith.$$
mkdir -p "$WORK"
LOG=${SKPI_SERVER_LOG:?SKPI_SERVER_LOG must name the server log}
SEED=${SKPI_FUZZ_SEED:-$(date +%s)}
if [ "${SKPI_FUZZ_LONG:-0}" = 1 ]; then
	STATEMENTS=${SKPI_RANDCALL_STATEMENTS:-150000} QUERIES=${SKPI_SQLSMITH_QUERIES:-400000} SECONDS_MAX=${SKPI_SQLSMITH_SECONDS:-1500}
else
	STATEMENTS=${SKPI_RANDCALL_STATEMENTS:-5000} QUERIES=${SKPI_SQLSMITH_QUERIES:-5000} SECONDS_MAX=${SKPI_SQLSMITH_SECONDS:-60}
fi

fail() { printf 'sqlsmith: %s\n' "$*" >&2; exit 1; }
cleanup() {
	"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
	"${PSQL[@]}" -d postgres -c "DROP ROLE IF EXISTS skpi_smith_$$" >/dev/null 2>&1 || true
}
trap cleanup EXIT
q() { "${PSQL[@]}" -At -d "$DB" -c "$1"; }

log_offset=$(stat -c %s "$LOG")
# Fails, with the server log's new lines, if the server crashed since the start.
check_log() {
	tail -c +"$((log_offset + 1))" "$LOG" >"$WORK/server.log"
	if grep -qE 'terminated by signal|TRAP:|PANIC:|was terminated by exception' "$WORK/server.log"; then
		echo "sqlsmith: the server crashed during $1; server log:" >&2
		{ grep -B5 -A10 -E 'terminated by signal|TRAP:|PANIC:|was terminated by exception' "$WORK/server.log" || true; } | head -60 >&2
		return 1
	fi
}

"${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB"
"${PSQL[@]}" -d "$DB" -c "SET client_min_messages = warning" -c "CREATE EXTENSION safeguarding_kpi"
what="extension only"
if [ "$(q "SELECT to_regprocedure('skpi.generate_ssd(text,integer,integer,integer)') IS NOT NULL")" = t ]; then
	"${PSQL[@]}" -d "$DB" -c "SELECT skpi.generate_ssd('ssd', 1, 1, 3)" >/dev/null
	what="generated council"
elif [ -f "$SKPI_ROOT/test/shell/reports_fixture.sql" ]; then
	"${PSQL[@]}" -d "$DB" -v fixture=ssd -f "$SKPI_ROOT/test/shell/reports_fixture.sql" >/dev/null
	"${PSQL[@]}" -d "$DB" -c "DROP FUNCTION IF EXISTS skpi._theme_zz_test(text)"
	what="report fixture council"
fi
if [ "$what" != "extension only" ] && [ "$(q "SELECT to_regprocedure('skpi.build_reports(text,text)') IS NOT NULL")" = t ]; then
	"${PSQL[@]}" -d "$DB" -c "SET client_min_messages = warning" -c "SELECT skpi.build_reports('ssd', 'kpi')" >/dev/null
	what="$what and report views"
fi
echo "sqlsmith: database $DB ($what), seed $SEED"

# --- 1. randcall ---------------------------------------------------------------------------
"${PSQL[@]}" -d "$DB" -f "$SKPI_ROOT/test/fuzz/randcall.sql" 2>&1 | { grep -v NOTICE || true; }
q "SET client_min_messages = warning; SELECT fz.setup(5000, ($SEED % 1000) / 1000.0)" >/dev/null
q "SELECT count(*) FROM fz.targets WHERE skipped IS NULL" >"$WORK/ntargets"
q "SELECT fn || ': ' || reason FROM fz.skipped() WHERE reason NOT IN ('internal name', 'support function', 'type i/o', 'writes')" >"$WORK/skipped"
q "SELECT * FROM fz.statements($STATEMENTS, ($SEED % 997) / 997.0)" >"$WORK/randcall.sql"
{
	echo "SET statement_timeout = '5s';"
	echo "\\set VERBOSITY sqlstate"
	cat "$WORK/randcall.sql"
} >"$WORK/randcall.run.sql"
set +e
"$SKPI_PGBIN/psql" -X -q -a -d "$DB" -f "$WORK/randcall.run.sql" >"$WORK/randcall.out" 2>&1
rc=$?
set -e
if ! check_log "randcall" || [ $rc -ge 2 ]; then
	echo "sqlsmith: the last statements sent were:" >&2
	grep -vE '^(ERROR|psql)' "$WORK/randcall.out" | grep -E '^(SELECT|SET|RESET)' | tail -3 >&2
	cp "$WORK/randcall.run.sql" "$SKPI_TMP/../skpi-randcall-crash-$$.sql" 2>/dev/null || true
	fail "randcall did not finish (psql exit $rc)"
fi
echo "sqlsmith: randcall ran $(grep -cE '^(SELECT|SET)' "$WORK/randcall.sql") statements over $(cat "$WORK/ntargets") functions; errors by SQLSTATE:"
grep -oE 'ERROR:  [0-9A-Z]{5}' "$WORK/randcall.out" | sort | uniq -c | sort -rn | sed 's/^/    /' || true
if [ -s "$WORK/skipped" ]; then
	echo "sqlsmith: functions randcall cannot call (no value pool for an argument type):"
	sed 's/^/    /' "$WORK/skipped"
fi
# An internal error (XX000, elog) reached from SQL deserves a look: bad input should get a real
# SQLSTATE (calling an aggregate's support function directly may fairly give one).
if grep -qE 'ERROR:  XX' "$WORK/randcall.out"; then
	echo "sqlsmith: internal errors (XX...) raised by statements calling (outermost function first):"
	{ grep -B1 -E 'ERROR:  XX' "$WORK/randcall.out" || true; } | grep -E '^(SELECT|SET)' |
		sed -E 's/^SELECT (\* FROM |g, )?(skpi\.[a-z_0-9]+).*/\2/' | sort | uniq -c | sort -rn | sed 's/^/    /' || true
	[ "${SKPI_STRICT:-0}" = 1 ] && fail "internal errors reached from SQL"
fi

# --- 2. sqlsmith ----------------------------------------------------------------------------
"${PSQL[@]}" -d "$DB" <<SQL
CREATE ROLE skpi_smith_$$ LOGIN;
CREATE SCHEMA smith;
-- What sqlsmith sees as routines and aggregates: the extension's callable functions and a few
-- builtins that make or take the same types.
CREATE VIEW smith.pg_proc AS
	SELECT p.* FROM pg_catalog.pg_proc p
	WHERE (p.pronamespace = 'skpi'::regnamespace AND p.oid IN (SELECT oid FROM fz.targets WHERE skipped IS NULL))
	   OR (p.pronamespace = 'pg_catalog'::regnamespace
		   AND p.proname IN ('make_date', 'date', 'to_date', 'upper', 'lower', 'btrim', 'concat', 'left',
							 'array_append', 'array_cat', 'array_length', 'array_agg', 'count', 'min', 'max',
							 'string_agg', 'sum', 'date_trunc', 'age', 'int4', 'int8', 'float8', 'text',
							 'jsonb_build_array', 'to_char', 'date_mi', 'date_pli', 'bool_and'));
GRANT USAGE ON SCHEMA smith, skpi, fz TO skpi_smith_$$;
GRANT SELECT ON ALL TABLES IN SCHEMA smith, skpi, fz TO skpi_smith_$$;
ALTER ROLE skpi_smith_$$ SET search_path = smith, pg_catalog, public;
ALTER ROLE skpi_smith_$$ SET statement_timeout = '3s';
SQL
for s in ssd kpi; do
	if [ "$(q "SELECT to_regnamespace('$s') IS NOT NULL")" = t ]; then
		q "GRANT USAGE ON SCHEMA $s TO skpi_smith_$$; GRANT SELECT ON ALL TABLES IN SCHEMA $s TO skpi_smith_$$" >/dev/null
	fi
done
n_smith_fns=$(q "SET search_path = smith, pg_catalog; SELECT count(*) FROM pg_proc")
set +e
timeout --signal=INT "$SECONDS_MAX" sqlsmith --target="host=$PGHOST port=$PGPORT user=skpi_smith_$$ dbname=$DB" \
	--exclude-catalog --seed="$SEED" --max-queries="$QUERIES" --verbose >"$WORK/sqlsmith.out" 2>&1
rc=$?
set -e
queries=$(grep -oE 'queries: [0-9]+' "$WORK/sqlsmith.out" | tail -1 || true)
if ! check_log "sqlsmith (seed $SEED)"; then
	echo "sqlsmith: reproduce with: sqlsmith --seed=$SEED --exclude-catalog --dump-all-queries ..." >&2
	tail -20 "$WORK/sqlsmith.out" >&2
	exit 1
fi
# 0: --max-queries reached; 124/130: stopped by the time limit.
if [ $rc -ne 0 ] && [ $rc -ne 124 ] && [ $rc -ne 130 ]; then
	tail -20 "$WORK/sqlsmith.out" >&2
	fail "sqlsmith exited with status $rc"
fi
echo "sqlsmith: sqlsmith over $n_smith_fns routines, $(grep -c . "$WORK/sqlsmith.out") lines of output, ${queries:-no query count}"
grep -E '^ *[0-9]+\s+ERROR' "$WORK/sqlsmith.out" | sort -rn | head -8 | sed 's/^/    /' || true

check_log "the run"
[ -n "${SKPI_KEEP:-}" ] || rm -rf "$WORK"
echo "sqlsmith: ok (no crash)"
