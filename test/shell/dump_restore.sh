#!/bin/bash
# Dump and restore: a database using the extension (a generated council and report views when
# generate_ssd and build_reports exist; user edits of every reference table: rows added, shipped
# rows changed, re-keyed and deleted, deleted then added back) is dumped with pg_dump and
# restored into new databases in three ways (custom format with pg_restore, custom format with
# parallel pg_restore -j 2, plain SQL through psql in one transaction), then restored a second
# time over itself with --clean. After refresh_reports every restored database must hold the
# same rows as the source in every table and materialized view of skpi (the reference tables),
# of the report schema and of the source schema.
#
# Env: the test driver's (PGHOST, PGPORT, PGUSER, SKPI_PGBIN, SKPI_TMP).
set -euo pipefail

PSQL=("$SKPI_PGBIN/psql" -X -v ON_ERROR_STOP=1 -q)
WORK=$SKPI_TMP/dump_restore.$$
mkdir -p "$WORK"
SRC=skpi_dump_src_$$
DBS=("$SRC" "skpi_dump_custom_$$" "skpi_dump_parallel_$$" "skpi_dump_plain_$$")

fail() { printf 'dump_restore: %s\n' "$*" >&2; exit 1; }
cleanup() {
	local d
	for d in "${DBS[@]}"; do
		"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true
	done
}
trap cleanup EXIT
q() { "${PSQL[@]}" -At -d "$1" -c "$2"; }
has() { [ "$(q "$1" "SELECT $2 IS NOT NULL")" = t ]; }

# One line per table or materialized view of the compared schemas (plain views are queries over
# them): row count and a digest of the sorted rows.
fingerprint() {
	"${PSQL[@]}" -At -d "$1" >"$2" <<'SQL'
DO $$
DECLARE
	r record;
	line text;
BEGIN
	CREATE TEMP TABLE fp(line text);
	FOR r IN SELECT c.oid::regclass AS rel FROM pg_class c
			 WHERE c.relnamespace::regnamespace::text IN ('skpi', 'kpi', 'ssd')
			   AND c.relkind IN ('r', 'm', 'p')
			 ORDER BY c.oid::regclass::text COLLATE "C"
	LOOP
		EXECUTE format($q$SELECT %L || ' ' || count(*) || ' '
						   || COALESCE(md5(string_agg(x::text, E'\n' ORDER BY x::text COLLATE "C")), '-')
						 FROM (SELECT to_jsonb(t) - 'removed_at' - %L::text[] AS x FROM %s t) s$q$, r.rel::text,
					   -- when each theme query ran is not content
					   CASE WHEN r.rel::text = 'kpi.theme_rows' THEN '{started,finished}' ELSE '{}' END, r.rel)
		INTO line;
		INSERT INTO fp VALUES (line);
	END LOOP;
END
$$;
SELECT line FROM fp ORDER BY line COLLATE "C";
SQL
}

# --- the source database --------------------------------------------------------------------
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $SRC"
"${PSQL[@]}" -d "$SRC" -c "SET client_min_messages = warning" -c "CREATE EXTENSION safeguarding_kpi"
# Shipped (pre-filled) rows of the reference tables, whose edits must survive.
shipped=$(q "$SRC" "SELECT count(*) FROM skpi.code_map")
for t in bank_holidays toxic_trio_codes; do
	if has "$SRC" "to_regclass('skpi.$t')"; then
		shipped=$((shipped + $(q "$SRC" "SELECT count(*) FROM skpi.$t")))
	fi
done

# A council: generated when generate_ssd exists, else the report layer's fixture.
generated=no reports=no
if has "$SRC" "to_regprocedure('skpi.generate_ssd(text,integer,integer,integer)')"; then
	"${PSQL[@]}" -d "$SRC" -c "SELECT skpi.generate_ssd('ssd', 1, 1, 7)" >/dev/null
	generated=yes
elif [ -f "$SKPI_ROOT/test/shell/reports_fixture.sql" ]; then
	"${PSQL[@]}" -d "$SRC" -v fixture=ssd -f "$SKPI_ROOT/test/shell/reports_fixture.sql" >/dev/null
	"${PSQL[@]}" -d "$SRC" -c "DROP FUNCTION IF EXISTS skpi._theme_zz_test(text)"
	generated=fixture
fi

# Edits of the shipped code_map rows: kept, changed, re-keyed, deleted, deleted and added back,
# replaced by an insert of the same key; plus new rows and a new row deleted again.
"${PSQL[@]}" -d "$SRC" <<'SQL'
CREATE TEMP TABLE shipped AS
	SELECT field, raw_value, code, row_number() OVER (ORDER BY field, raw_value) AS n FROM skpi.code_map;
-- 1: code changed in place
UPDATE skpi.code_map m SET code = 'EDITED' FROM shipped s
	WHERE s.n = 1 AND (m.field, m.raw_value) = (s.field, s.raw_value);
-- 2: re-keyed (the old key must stay gone after a restore)
UPDATE skpi.code_map m SET raw_value = s.raw_value || ' (RENAMED)' FROM shipped s
	WHERE s.n = 2 AND (m.field, m.raw_value) = (s.field, s.raw_value);
-- 3: deleted
DELETE FROM skpi.code_map m USING shipped s WHERE s.n = 3 AND (m.field, m.raw_value) = (s.field, s.raw_value);
-- 4: deleted, then added back with another code
DELETE FROM skpi.code_map m USING shipped s WHERE s.n = 4 AND (m.field, m.raw_value) = (s.field, s.raw_value);
INSERT INTO skpi.code_map SELECT field, raw_value, 'BACK' FROM shipped WHERE n = 4;
-- 5: replaced by a plain INSERT of the same key (the upsert trigger)
INSERT INTO skpi.code_map SELECT field, raw_value, 'UPSERTED' FROM shipped WHERE n = 5;
-- 6: deleted in one statement with a user row
-- new rows, one of them removed again
INSERT INTO skpi.code_map VALUES ('legal_status', 'MY LOCAL WORDING', 'C2'),
	('legal_status', 'ÉTÉ ''quoted'' \ backslash', 'V2'), ('legal_status', 'TEMPORARY', 'C1');
DELETE FROM skpi.code_map WHERE raw_value = 'TEMPORARY';
DELETE FROM skpi.code_map m USING shipped s
	WHERE (s.n = 6 AND (m.field, m.raw_value) = (s.field, s.raw_value)) OR m.raw_value = 'MY LOCAL WORDING';
INSERT INTO skpi.code_map VALUES ('legal_status', 'MY LOCAL WORDING', 'C2');

INSERT INTO skpi.population (area_code, mid_year, age_from, age_to, population)
	SELECT 'local', y, 0, 17, 50000 + y FROM generate_series(2010, 2030) y ON CONFLICT DO NOTHING;
INSERT INTO skpi.population VALUES ('E99999999', 2019, 0, 4, 1234), ('E99999999', 2019, 5, 17, 4321);
INSERT INTO skpi.comparators VALUES ('cin_rate', '2019/20', 'england', 323.7),
	('cin_rate', '2019/20', 'stat_neighbours', 351.25), ('cp_rate', '2019/20', 'region', 44.1);
INSERT INTO skpi.targets VALUES ('cin_rate', '*', 330, 10), ('cp_rate', '2019/20', 40, 0);
SQL

if has "$SRC" "to_regclass('skpi.bank_holidays')"; then
	"${PSQL[@]}" -d "$SRC" <<'SQL'
-- a new one-off day, a renamed shipped day, a deleted shipped day, a re-dated shipped day
INSERT INTO skpi.bank_holidays (holiday, name) VALUES ('2030-06-03', 'Local one-off holiday');
UPDATE skpi.bank_holidays SET name = name || ' (renamed)' WHERE holiday = '2019-12-25';
DELETE FROM skpi.bank_holidays WHERE holiday = '2019-12-26';
UPDATE skpi.bank_holidays SET holiday = '2020-05-11' WHERE holiday = '2020-05-08';
SQL
fi
if has "$SRC" "to_regclass('skpi.toxic_trio_codes')"; then
	"${PSQL[@]}" -d "$SRC" <<'SQL'
-- a council that counts only some codes: delete, move a code to another element, add one back
DELETE FROM skpi.toxic_trio_codes WHERE code IN ('1A', '2A', '3A', '4A');
UPDATE skpi.toxic_trio_codes SET element = 'mental_health' WHERE code = '1C';
INSERT INTO skpi.toxic_trio_codes (code, element) VALUES ('2A', 'substance_misuse');
SQL
fi
# Every change above to a shipped row left a tombstone.
removals=$(q "$SRC" "SELECT count(*) FROM skpi.config_removals")
if [ "$shipped" -gt 0 ] && [ "$removals" -lt 3 ]; then
	fail "expected at least 3 tombstones in skpi.config_removals, found $removals"
fi

if has "$SRC" "to_regprocedure('skpi.build_reports(text,text)')" && [ $generated != no ]; then
	"${PSQL[@]}" -d "$SRC" -c "SET client_min_messages = warning" -c "SELECT skpi.build_reports('ssd', 'kpi')" >/dev/null
	"${PSQL[@]}" -d "$SRC" -c "SELECT count(*) FROM skpi.refresh_reports('kpi')" >/dev/null
	reports=yes
fi
fingerprint "$SRC" "$WORK/src.txt"
echo "dump_restore: source has $(wc -l <"$WORK/src.txt") relations (generated council: $generated, report views: $reports), $shipped shipped reference rows, $removals tombstones"

# --- dump and restore three ways ------------------------------------------------------------
"$SKPI_PGBIN/pg_dump" -Fc -f "$WORK/dump.custom" "$SRC"
"$SKPI_PGBIN/pg_dump" -Fp -f "$WORK/dump.sql" "$SRC"

restore() {
	local db=$1 how=$2
	"${PSQL[@]}" -d postgres -c "CREATE DATABASE $db"
	case $how in
	custom) "$SKPI_PGBIN/pg_restore" --exit-on-error -d "$db" "$WORK/dump.custom" ;;
	parallel) "$SKPI_PGBIN/pg_restore" --exit-on-error -j 2 -d "$db" "$WORK/dump.custom" ;;
	plain) "${PSQL[@]}" --single-transaction -d "$db" -f "$WORK/dump.sql" >/dev/null ;;
	esac 2>"$WORK/$db.err" || { cat "$WORK/$db.err" >&2; fail "restore ($how) into $db failed"; }
}

check() {
	local db=$1 what=$2 refresh=${3:-}
	if [ $reports = yes ] && [ -n "$refresh" ]; then
		"${PSQL[@]}" -d "$db" -c "SELECT count(*) FROM skpi.refresh_reports('kpi')" >/dev/null
	fi
	fingerprint "$db" "$WORK/$db.txt"
	if ! diff -u "$WORK/src.txt" "$WORK/$db.txt" >"$WORK/$db.diff"; then
		cat "$WORK/$db.diff" >&2
		for t in skpi.code_map skpi.bank_holidays skpi.toxic_trio_codes skpi.config_removals; do
			has "$db" "to_regclass('$t')" || continue
			q "$SRC" "SELECT t::text FROM $t t ORDER BY 1" >"$WORK/a.rows"
			q "$db" "SELECT t::text FROM $t t ORDER BY 1" >"$WORK/b.rows"
			echo "-- $t: source (-) and $db (+)" >&2
			diff "$WORK/a.rows" "$WORK/b.rows" >&2 || true
		done
		fail "$what: $db differs from the source"
	fi
	echo "dump_restore: $what identical"
}

# The first copy is refreshed before comparing (the others compare what pg_restore refreshed).
restore "${DBS[1]}" custom; check "${DBS[1]}" "pg_restore, then refresh_reports" refresh
restore "${DBS[2]}" parallel; check "${DBS[2]}" "pg_restore -j 2"
restore "${DBS[3]}" plain; check "${DBS[3]}" "psql --single-transaction"

# Restoring again over the restored database (pg_restore --clean) gives the same rows.
"$SKPI_PGBIN/pg_restore" --clean --if-exists --exit-on-error -d "${DBS[1]}" "$WORK/dump.custom" 2>"$WORK/clean.err" ||
	{ cat "$WORK/clean.err" >&2; fail "pg_restore --clean over a restored database failed"; }
check "${DBS[1]}" "pg_restore --clean over a restored database"

# A dump of the restored database equals the first dump's data (edits survive two generations).
"$SKPI_PGBIN/pg_dump" -Fc -f "$WORK/dump2.custom" "${DBS[1]}"
"${PSQL[@]}" -d postgres -c "DROP DATABASE ${DBS[2]}"
"${PSQL[@]}" -d postgres -c "CREATE DATABASE ${DBS[2]}"
"$SKPI_PGBIN/pg_restore" --exit-on-error -d "${DBS[2]}" "$WORK/dump2.custom"
check "${DBS[2]}" "second-generation dump and restore"

# TRUNCATE of a pre-filled table: the shipped rows must not come back after a restore (the
# BEFORE TRUNCATE trigger of src/reference.sql writes a tombstone for every row).
TR=skpi_dump_truncate_$$ TR2=skpi_dump_truncate2_$$
DBS+=("$TR" "$TR2")
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $TR" -c "CREATE DATABASE $TR2"
"${PSQL[@]}" -d "$TR" -c "SET client_min_messages = warning" -c "CREATE EXTENSION safeguarding_kpi"
truncated=()
for t in code_map bank_holidays toxic_trio_codes; do
	has "$TR" "to_regclass('skpi.$t')" || continue
	[ "$(q "$TR" "SELECT count(*) > 0 FROM skpi.$t")" = t ] || continue
	"${PSQL[@]}" -d "$TR" -c "TRUNCATE skpi.$t"
	truncated+=("$t")
done
if [ ${#truncated[@]} -gt 0 ]; then
	"$SKPI_PGBIN/pg_dump" -Fc -f "$WORK/truncate.custom" "$TR"
	"$SKPI_PGBIN/pg_restore" --exit-on-error -d "$TR2" "$WORK/truncate.custom"
	for t in "${truncated[@]}"; do
		n=$(q "$TR2" "SELECT count(*) FROM skpi.$t")
		if [ "$n" != 0 ]; then
			msg="after TRUNCATE skpi.$t and a restore, $n shipped rows are back (TRUNCATE writes no tombstones)"
			fail "$msg"
		else
			echo "dump_restore: TRUNCATE skpi.$t survives a restore"
		fi
	done
fi

rm -rf "$WORK"
echo "dump_restore: ok"
