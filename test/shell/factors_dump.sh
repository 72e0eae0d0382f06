#!/bin/bash
# Edits of skpi.assessment_factors and skpi.toxic_trio_codes (shipped rows changed or deleted,
# local rows added) survive pg_dump and restore, and the restored database computes with them.
set -euo pipefail

PSQL="$SKPI_PGBIN/psql -X -v ON_ERROR_STOP=1 -q -At"
SRC=skpi_factors_dump_src_$$
DST=skpi_factors_dump_dst_$$
DUMP=$SKPI_TMP/factors_dump_$$.dump
cleanup() {
	$PSQL -d postgres -c "DROP DATABASE IF EXISTS $SRC" >/dev/null 2>&1 || true
	$PSQL -d postgres -c "DROP DATABASE IF EXISTS $DST" >/dev/null 2>&1 || true
	rm -f "$DUMP"
}
trap cleanup EXIT

$PSQL -d postgres -c "CREATE DATABASE $SRC"
$PSQL -d "$SRC" <<'EOF'
CREATE EXTENSION safeguarding_kpi;
-- a council that counts only the parent codes, with a local code of its own
DELETE FROM skpi.toxic_trio_codes WHERE code NOT LIKE '_B';
INSERT INTO skpi.assessment_factors (code, factor, relates_to, label, first_year)
VALUES ('90L', 'parental conflict', 'parent/carer', 'Local: parental conflict', '2019/20');
INSERT INTO skpi.toxic_trio_codes VALUES ('90L', 'domestic_abuse');
UPDATE skpi.toxic_trio_codes SET element = 'mental_health' WHERE code = '1B';
UPDATE skpi.assessment_factors SET label = 'Other (local wording)' WHERE code = '20';
DELETE FROM skpi.assessment_factors WHERE code = '8A';
EOF

state_query="SELECT string_agg(code || '=' || element, ' ' ORDER BY code) FROM skpi.toxic_trio_codes
UNION ALL SELECT count(*)::text || ' codes, 8A ' || (count(*) FILTER (WHERE code = '8A'))::text
       || ', 20 ' || max(label) FILTER (WHERE code = '20') || ', 90L ' || max(relates_to) FILTER (WHERE code = '90L')
FROM skpi.assessment_factors
UNION ALL SELECT skpi.trio_of(skpi.factor_codes('[\"90l\", \"1B\", \"2B\", \"3A\"]'))::text"
before=$($PSQL -d "$SRC" -c "$state_query")

"$SKPI_PGBIN/pg_dump" -Fc -d "$SRC" -f "$DUMP"
$PSQL -d postgres -c "CREATE DATABASE $DST"
"$SKPI_PGBIN/pg_restore" --exit-on-error -d "$DST" "$DUMP"
after=$($PSQL -d "$DST" -c "$state_query")

expected="1B=mental_health 2B=substance_misuse 3B=domestic_abuse 4B=mental_health 90L=domestic_abuse
45 codes, 8A 0, 20 Other (local wording), 90L parent/carer
{domestic_abuse:parent/carer,mental_health:parent/carer,substance_misuse:parent/carer}"

if [ "$before" != "$expected" ]; then
	echo "factors_dump: the edited source is not as expected:"
	diff <(echo "$expected") <(echo "$before") || true
	exit 1
fi
if [ "$after" != "$expected" ]; then
	echo "factors_dump: the restored database differs from the source:"
	diff <(echo "$expected") <(echo "$after") || true
	exit 1
fi
echo "factors_dump: edited factor codes and trio grouping survive pg_dump and pg_restore"
