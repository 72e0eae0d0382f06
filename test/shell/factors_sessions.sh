#!/bin/bash
# A change to skpi.toxic_trio_codes or skpi.assessment_factors committed in one session changes
# the next result in another session that has already cached the tables.
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
\! $B -c "DELETE FROM skpi.assessment_factors WHERE code = '90L'"
SELECT 'a6 ' || skpi.factor_code('90L');
EOF

expected="a1 {domestic_abuse:child,mental_health:parent/carer,substance_misuse:other}
a1 4B
a2 {mental_health:parent/carer,substance_misuse:other}
a3 {mental_health:parent/carer,mental_health:other}
a4 {domestic_abuse:parent/carer,mental_health:parent/carer,mental_health:other}
a4 90L,4B
a5 {domestic_abuse:parent/carer,mental_health:parent/carer,mental_health:other}
ERROR:  unknown assessment factor code \"90L\"
HINT:  The valid codes are listed in table skpi.assessment_factors; add a row there for a local code."

if [ "$(cat "$OUT")" != "$expected" ]; then
	echo "factors_sessions: unexpected output (status $status):"
	diff <(echo "$expected") "$OUT" || true
	exit 1
fi
echo "factors_sessions: another session's edits of the grouping and the code list are seen at once"
