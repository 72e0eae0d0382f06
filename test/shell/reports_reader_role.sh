#!/bin/bash
# The reporting role: a login that is a member of kpi_reader reads the report views and
# published, and no child-level row (SSD tables, n_ and checked_ views, data_quality), even
# when someone grants it an n_ view (they are security_invoker).
set -euo pipefail
PSQL="$SKPI_PGBIN/psql -X -v ON_ERROR_STOP=1 -q"
DB=skpi_reports_role_$$
LOGIN=kpi_analyst_$$
made_role=0
cleanup() {
	$PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
	$PSQL -d postgres -c "DROP ROLE IF EXISTS $LOGIN" >/dev/null 2>&1 || true
	[ $made_role = 1 ] && $PSQL -d postgres -c "DROP ROLE IF EXISTS kpi_reader" >/dev/null 2>&1 || true
}
trap cleanup EXIT

if [ "$($PSQL -At -d postgres -c "SELECT count(*) FROM pg_roles WHERE rolname = 'kpi_reader'")" = 0 ]; then
	$PSQL -d postgres -c "CREATE ROLE kpi_reader NOLOGIN"
	made_role=1
fi
$PSQL -d postgres -c "CREATE ROLE $LOGIN LOGIN IN ROLE kpi_reader"
$PSQL -d postgres -c "CREATE DATABASE $DB"
$PSQL -d $DB -c "SET client_min_messages = warning; CREATE EXTENSION safeguarding_kpi"
$PSQL -d $DB -v fixture=ssd -f "$SKPI_ROOT/test/shell/reports_fixture.sql"
$PSQL -d $DB -c "SELECT skpi.build_reports('ssd', 'kpi', 6, ARRAY['zz_test'])" >/dev/null
$PSQL -d $DB -c "GRANT SELECT ON kpi.n_person, kpi.n_contacts TO kpi_reader"

as_reader() { $SKPI_PGBIN/psql -X -At -v ON_ERROR_STOP=1 -U "$LOGIN" -d $DB -c "$1" 2>&1; }
fail=0
for q in "SELECT count(*) FROM kpi.published" "SELECT count(*) FROM kpi.measures" \
		 "SELECT count(*) FROM kpi.zz_test" "SELECT count(*) FROM kpi.inputs_available"; do
	if out=$(as_reader "$q") && [ "$out" -gt 0 ]; then
		echo "reads: $q ($out rows)"
	else
		echo "FAIL: kpi_reader cannot run: $q: $out"; fail=1
	fi
done
for rel in ssd.ssd_person ssd.ssd_contacts ssd.ssd_cla_episodes kpi.n_person kpi.n_contacts kpi.n_cla_episodes \
		   kpi.checked_person kpi.data_quality kpi.report_periods kpi.suppression kpi.report_build; do
	if out=$(as_reader "SELECT * FROM $rel LIMIT 1"); then
		echo "FAIL: kpi_reader read $rel: $out"; fail=1
	elif [[ "$out" == *"permission denied"* ]]; then
		echo "denied: $rel"
	else
		echo "FAIL: unexpected error on $rel: $out"; fail=1
	fi
done
# The suppressed cells are NULL for the reader too.
out=$(as_reader "SELECT count(*) FROM kpi.published WHERE suppressed AND value IS NOT NULL")
[ "$out" = 0 ] || { echo "FAIL: suppressed values visible: $out"; fail=1; }
exit $fail
