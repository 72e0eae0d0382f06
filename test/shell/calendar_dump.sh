#!/bin/bash
# pg_dump + restore of skpi.bank_holidays into a fresh database: rows a user added (a future
# one-off day, a later year), deleted (a shipped day) or renamed come back as they were, in
# both the custom and the plain format, and the working-day functions use them.
set -euo pipefail

PSQL="$SKPI_PGBIN/psql -X -v ON_ERROR_STOP=1 -q -At"
SRC=calendar_dump_src_$$
DST1=calendar_dump_dst1_$$
DST2=calendar_dump_dst2_$$
WORK=$(mktemp -d "$SKPI_TMP/calendar_dump.XXXXXX")

cleanup() {
	for db in "$SRC" "$DST1" "$DST2"; do
		$PSQL -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "calendar_dump: $*" >&2; exit 1; }

$PSQL -d postgres -c "CREATE DATABASE $SRC"
$PSQL -d "$SRC" <<'SQL'
CREATE EXTENSION safeguarding_kpi;
-- A future one-off day, a later year, a deleted shipped day, a renamed shipped day.
INSERT INTO skpi.bank_holidays VALUES ('2031-06-13', 'Announced one-off day');
INSERT INTO skpi.bank_holidays SELECT * FROM skpi.bank_holiday_rules(2041, 2041);
DELETE FROM skpi.bank_holidays WHERE holiday = '2035-08-27';
UPDATE skpi.bank_holidays SET name = 'Summer bank holiday (renamed)' WHERE holiday = '2036-08-25';
SQL

# What every database must answer after the restore.
state() {
	$PSQL -d "$1" <<'SQL'
SELECT count(*), md5(string_agg(holiday || ':' || name, ',' ORDER BY holiday)) FROM skpi.bank_holidays;
SELECT skpi.is_working_day('2031-06-13'), skpi.is_working_day('2035-08-27'),
       skpi.working_days_between('2040-12-31', '2041-12-31'),
       (SELECT name FROM skpi.bank_holidays WHERE holiday = '2036-08-25');
SELECT string_agg(table_name || ' ' || key::text, '; ' ORDER BY key::text) FROM skpi.config_removals;
SQL
}

want=$(state "$SRC")
echo "$want" | grep -q '^342|' || fail "unexpected source state: $want"   # 334 + 1 + 8 - 1
echo "$want" | grep -qx 'f|t|253|Summer bank holiday (renamed)' || fail "unexpected source answers: $want"

# Custom format through pg_restore.
"$SKPI_PGBIN/pg_dump" -Fc -d "$SRC" -f "$WORK/src.dump"
$PSQL -d postgres -c "CREATE DATABASE $DST1"
"$SKPI_PGBIN/pg_restore" --exit-on-error -d "$DST1" "$WORK/src.dump"
got=$(state "$DST1")
[ "$got" = "$want" ] || fail "custom-format restore differs:
--- source
$want
--- restored
$got"
echo "ok: custom-format dump and pg_restore"

# Plain format through psql.
"$SKPI_PGBIN/pg_dump" -d "$SRC" -f "$WORK/src.sql"
$PSQL -d postgres -c "CREATE DATABASE $DST2"
$PSQL -d "$DST2" -f "$WORK/src.sql" >/dev/null
got=$(state "$DST2")
[ "$got" = "$want" ] || fail "plain-format restore differs:
--- source
$want
--- restored
$got"
echo "ok: plain-format dump and psql"

# A second round trip (dump of the restored database) changes nothing.
"$SKPI_PGBIN/pg_dump" -Fc -d "$DST1" -f "$WORK/dst1.dump"
$PSQL -d postgres -c "DROP DATABASE $DST2"
$PSQL -d postgres -c "CREATE DATABASE $DST2"
"$SKPI_PGBIN/pg_restore" --exit-on-error -d "$DST2" "$WORK/dst1.dump"
got=$(state "$DST2")
[ "$got" = "$want" ] || fail "second round trip differs:
--- source
$want
--- restored
$got"
echo "ok: second round trip"
echo "calendar_dump: all checks passed"
