#!/bin/bash
# Two sessions: readers loop over a report view and published while another session changes the
# SSD data and runs refresh_reports again and again. A reader never errors and never sees an
# empty view (the theme views refresh concurrently, everything in one transaction).
set -euo pipefail
PSQL="$SKPI_PGBIN/psql -X -v ON_ERROR_STOP=1 -q"
DB=skpi_reports_readers_$$
WORK=$SKPI_TMP/reports_readers_$$
mkdir -p "$WORK"
cleanup() { touch "$WORK/stop"; wait 2>/dev/null || true; $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true; }
trap cleanup EXIT

$PSQL -d postgres -c "CREATE DATABASE $DB"
$PSQL -d $DB -c "SET client_min_messages = warning; CREATE EXTENSION safeguarding_kpi"
$PSQL -d $DB -v fixture=ssd -f "$SKPI_ROOT/test/shell/reports_fixture.sql"
$PSQL -d $DB <<'SQL'
-- 20,000 more contacts so that a refresh takes a while.
INSERT INTO ssd.ssd_contacts
SELECT 'X' || g, 'P0' || (1 + g % 9), '2019-04-01'::timestamp + (g % 183) * interval '1 day',
	(ARRAY['SCH', 'POL', 'HEA'])[1 + g % 3], 'x', '{"NEW_REFERRAL_FLAG":"Y"}'
FROM generate_series(1, 20000) g;
SELECT skpi.build_reports('ssd', 'kpi', 6, ARRAY['zz_test']) \g /dev/null
SQL

# Each reader is one session sending queries until the stop file appears.
reader() {
	local query=$1 out=$2
	while [ ! -f "$WORK/stop" ]; do echo "$query"; done |
		$SKPI_PGBIN/psql -X -v ON_ERROR_STOP=1 -At -d $DB >"$out" 2>"$out.err"
	echo $? >"$out.rc"
}
reader "SELECT count(*) FROM kpi.zz_test;" "$WORK/theme" &
reader "SELECT count(*) FROM kpi.published WHERE suppressed IS NOT NULL;" "$WORK/published" &

sleep 0.5
for i in 1 2 3 4 5 6; do
	$PSQL -d $DB -c "UPDATE ssd.ssd_contacts SET cont_contact_date = cont_contact_date + interval '1 day' WHERE cont_contact_id LIKE 'X%' AND cont_contact_date < '2019-09-29' AND random() < 0.3" \
		-c "SELECT count(*) FROM skpi.refresh_reports('kpi')" >/dev/null
done
touch "$WORK/stop"
wait

fail=0
for r in theme published; do
	n=$(wc -l <"$WORK/$r")
	zeros=$(grep -cx '0' "$WORK/$r" || true)
	echo "reader $r: $n queries, $zeros empty results, exit $(cat "$WORK/$r.rc")"
	if [ "$(cat "$WORK/$r.rc")" != 0 ] || [ -s "$WORK/$r.err" ]; then
		echo "reader $r failed:"; cat "$WORK/$r.err"; fail=1
	fi
	[ "$zeros" -eq 0 ] || { echo "reader $r saw an empty view"; fail=1; }
	[ "$n" -ge 50 ] || { echo "reader $r ran only $n queries"; fail=1; }
done
exit $fail
