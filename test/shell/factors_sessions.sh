#!/bin/bash
# A change to skpi.toxic_trio_codes or skpi.assessment_factors committed in one session changes
# the next result in another session that has already cached the tables, also after a reload
# inside a REPEATABLE READ transaction, and in parallel workers.
set -euo pipefail

PSQL="$SKPI_PGBIN/psql -X -v ON_ERROR_STOP=1 -q -At"
DB=skpi_factors_sessions_$$
$PSQL -d postgres -c "CREATE DATABASE $DB"
trap '$PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true' EXIT
$PSQL -d "$DB" -c "CREATE EXTENSION safeguarding_kpi"

# Session B runs through psql's \! from inside session A, so that A stays connected throughout.
B="$SKPI_PGBIN/psql -X -v ON_ERROR_STOP=1 -q -At -d $DB"

OUT=$SKPI_TMP/factors_sessions.out
status=0
$PSQL -d "$DB" >"$OUT" 2>&1 <<EOF || status=$?
SELECT 'a1 ' || skpi.toxic_trio(c)::text FROM unnest(ARRAY['3A', '4B', '1C']) c;
SELECT 'a1 ' || skpi.factor_code('4b');
\! $B -c "DELETE FROM skpi.toxic_trio_codes WHERE code = '3A'"
SELECT 'a2 ' || skpi.toxic_trio(c)::text FROM unnest(ARRAY['3A', '4B', '1C']) c;
\! $B -c "UPDATE skpi.toxic_trio_codes SET element = 'mental_health' WHERE code = '1C'"
SELECT 'a3 ' || skpi.toxic_trio(c)::text FROM unnest(ARRAY['3A', '4B', '1C']) c;
\! $B -c "INSERT INTO skpi.assessment_factors (code, factor, relates_to, label) VALUES ('90L', 'local', 'parent/carer', 'local code'); INSERT INTO skpi.toxic_trio_codes VALUES ('90L', 'domestic_abuse')"
SELECT 'a4 ' || skpi.toxic_trio(c)::text FROM unnest(ARRAY['90l', '4B', '1C']) c;
SELECT 'a4 ' || array_to_string(skpi.factor_codes('["90L","4B"]'), ',');
\! $B -c "BEGIN; DELETE FROM skpi.toxic_trio_codes; ROLLBACK"
SELECT 'a5 ' || skpi.toxic_trio(c)::text FROM unnest(ARRAY['90L', '4B', '1C']) c;
-- A reload forced inside an older snapshot must not keep old rows after that transaction.
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT 'a6 ' || skpi.toxic_trio(c)::text FROM unnest(ARRAY['90L', '4B', '1C']) c;
\! $B -c "UPDATE skpi.toxic_trio_codes SET element = 'substance_misuse' WHERE code = '4B'"
SELECT 'a6 population rows ' || count(*) FROM skpi.population;
SELECT 'a6 ' || skpi.toxic_trio(c)::text FROM unnest(ARRAY['90L', '4B', '1C']) c;
COMMIT;
SELECT 'a7 ' || skpi.toxic_trio(c)::text FROM unnest(ARRAY['90L', '4B', '1C']) c;
-- Parallel workers read the tables afresh.
\! $B -c "UPDATE skpi.toxic_trio_codes SET element = 'mental_health' WHERE code = '4B'"
CREATE TABLE many AS SELECT (ARRAY['90L', '4B', '1C'])[1 + g % 3] AS code FROM generate_series(1, 30000) g;
ANALYZE many;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT 'a8 ' || skpi.toxic_trio(code)::text FROM many;
\! $B -c "UPDATE skpi.toxic_trio_codes SET element = 'substance_misuse' WHERE code = '4B'"
SELECT 'a9 ' || skpi.toxic_trio(code)::text FROM many;
RESET parallel_leader_participation;
SELECT 'a9 ' || skpi.toxic_trio(c)::text FROM unnest(ARRAY['90L', '4B', '1C']) c;
\! $B -c "DELETE FROM skpi.assessment_factors WHERE code = '90L'"
SELECT 'a10 ' || skpi.factor_code('90L');
EOF

expected="a1 {domestic_abuse:child,mental_health:parent/carer,substance_misuse:other}
a1 4B
a2 {mental_health:parent/carer,substance_misuse:other}
a3 {mental_health:parent/carer,mental_health:other}
a4 {domestic_abuse:parent/carer,mental_health:parent/carer,mental_health:other}
a4 90L,4B
a5 {domestic_abuse:parent/carer,mental_health:parent/carer,mental_health:other}
a6 {domestic_abuse:parent/carer,mental_health:parent/carer,mental_health:other}
a6 population rows 0
a6 {domestic_abuse:parent/carer,mental_health:other,substance_misuse:parent/carer}
a7 {domestic_abuse:parent/carer,mental_health:other,substance_misuse:parent/carer}
a8 {domestic_abuse:parent/carer,mental_health:parent/carer,mental_health:other}
a9 {domestic_abuse:parent/carer,mental_health:other,substance_misuse:parent/carer}
a9 {domestic_abuse:parent/carer,mental_health:other,substance_misuse:parent/carer}
ERROR:  unknown assessment factor code \"90L\"
HINT:  The valid codes are listed in table skpi.assessment_factors; add a row there for a local code."

if [ "$(cat "$OUT")" != "$expected" ]; then
	echo "factors_sessions: unexpected output (status $status):"
	diff <(echo "$expected") "$OUT" || true
	exit 1
fi
echo "factors_sessions: another session's edits of the grouping and the code list are seen at once"
