#!/bin/bash
# schedule_refresh through pg_cron 1.4: in the database that cron.database_name names, a job
# scheduled every minute actually runs refresh_reports (cron.job_run_details says it succeeded
# and the theme view shows data changed after the build); unschedule_refresh removes it.
set -euo pipefail
PSQL="$SKPI_PGBIN/psql -X -v ON_ERROR_STOP=1 -q"
DB=${SKPI_CRON_DB:-skpi_cron}
trap '$PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true' EXIT

PGOPTIONS="-c client_min_messages=warning" $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
$PSQL -d postgres -c "CREATE DATABASE $DB"
$PSQL -d $DB -c "SET client_min_messages = warning; CREATE EXTENSION pg_cron; CREATE EXTENSION safeguarding_kpi"
$PSQL -d $DB -v fixture=ssd -f "$SKPI_ROOT/test/shell/reports_fixture.sql"
$PSQL -d $DB -c "SELECT skpi.build_reports('ssd', 'kpi', 6, ARRAY['zz_test'])" >/dev/null

q1() { $PSQL -At -d $DB -c "SELECT value FROM kpi.zz_test WHERE measure = 'zz_contacts' AND period_label = '2019/20 Q1'"; }
[ "$(q1)" = 5 ] || { echo "FAIL: Q1 contacts $(q1) before the change, expected 5"; exit 1; }

# Wrong schedules are refused before pg_cron sees them.
err=$($PSQL -At -d $DB -c "SELECT skpi.schedule_refresh('5 seconds', 'kpi')" 2>&1 || true)
[[ "$err" == *"invalid cron schedule"* ]] || { echo "FAIL: '5 seconds' accepted: $err"; exit 1; }
err=$($PSQL -At -d $DB -c "SELECT skpi.schedule_refresh('* * * * *', 'nowhere')" 2>&1 || true)
[[ "$err" == *"holds no reports"* ]] || { echo "FAIL: unknown schema accepted: $err"; exit 1; }

job=$($PSQL -At -d $DB -c "SELECT skpi.schedule_refresh('0 6 * * *', 'kpi')")
again=$($PSQL -At -d $DB -c "SELECT skpi.schedule_refresh('* * * * *', 'kpi')")
[ "$job" = "$again" ] || { echo "FAIL: rescheduling made job $again besides $job"; exit 1; }
$PSQL -At -d $DB -c "SELECT jobid, schedule, command, database, username FROM cron.job WHERE jobid = $job"

# A contact moves into Q1: only a refresh shows it.
$PSQL -d $DB -c "UPDATE ssd.ssd_contacts SET cont_contact_date = '2019-06-20' WHERE cont_contact_id = 'C07'"
[ "$(q1)" = 5 ] || { echo "FAIL: the view changed without a refresh"; exit 1; }

status=
for i in $(seq 1 150); do
	status=$($PSQL -At -d $DB -c "SELECT status FROM cron.job_run_details WHERE jobid = $job AND status IN ('succeeded', 'failed') ORDER BY runid LIMIT 1")
	[ -n "$status" ] && break
	sleep 1
done
$PSQL -At -d $DB -c "SELECT runid, status, return_message, end_time - start_time FROM cron.job_run_details WHERE jobid = $job ORDER BY runid"
[ "$status" = succeeded ] || { echo "FAIL: the scheduled refresh did not succeed (status '${status:-none}' after ${i}s)"; exit 1; }
[ "$(q1)" = 6 ] || { echo "FAIL: Q1 contacts $(q1) after the scheduled refresh, expected 6"; exit 1; }
echo "the scheduled refresh ran after ${i}s"

[ "$($PSQL -At -d $DB -c "SELECT skpi.unschedule_refresh('kpi')")" = t ] || { echo "FAIL: unschedule_refresh"; exit 1; }
[ "$($PSQL -At -d $DB -c "SELECT skpi.unschedule_refresh('kpi')")" = f ] || { echo "FAIL: second unschedule_refresh"; exit 1; }
[ "$($PSQL -At -d $DB -c "SELECT count(*) FROM cron.job")" = 0 ] || { echo "FAIL: jobs left"; exit 1; }
