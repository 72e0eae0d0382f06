#!/bin/bash
# The demo (test/demo.sql, as bash test/run.sh demo runs it) on a fresh database of the test
# cluster: no error, every section of the seed report, the trio and rank tables, and the HTML
# page written where it says. Two years of synthetic data keep it quick.
set -euo pipefail
PSQL="$SKPI_PGBIN/psql -X -v ON_ERROR_STOP=1 -q"
DB=skpi_demo_output_$$
DIR=$SKPI_TMP/demo_output_$$
OUT=$DIR/demo.out
fail() { echo "demo_output: $*" >&2; [ -f "$OUT" ] && tail -20 "$OUT" >&2; exit 1; }
cleanup() { $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true; rm -rf "$DIR"; }
trap cleanup EXIT
mkdir -p "$DIR"
chmod 777 "$DIR"

$PSQL -d postgres -c "CREATE DATABASE $DB"
if [ "$($PSQL -d "$DB" -At -c "CREATE EXTENSION safeguarding_kpi;
		SELECT to_regprocedure('skpi.build_reports(text,text)') IS NULL
			OR to_regprocedure('skpi.generate_ssd(text,integer,integer,integer)') IS NULL")" = t ]; then
	echo "demo_output: skipped (skpi.build_reports or skpi.generate_ssd is not installed)"
	exit 0
fi
$PSQL -d "$DB" -v years=2 -v html_dir="$DIR" -f "$SKPI_ROOT/test/demo.sql" >"$OUT" 2>&1 || fail "psql failed"
! grep -q 'ERROR\|FATAL\|WARNING' "$OUT" || fail "error in the output: $(grep -m3 'ERROR\|FATAL\|WARNING' "$OUT")"
for s in 'Front door' 'Assessments and risk factors' 'Child protection' 'Children in need' 'Looked after' \
		 'Care leavers' 'Missing' 'Workforce'; do
	grep -q "^--- $s\$" "$OUT" || fail "section $s missing"
done
grep -q 'Quarterly performance report, children.s services: 2019/20 Q4' "$OUT" || fail "not the 2019/20 Q4 scorecard"
grep -q '| 2018/19 Q4 |' "$OUT" || fail "no column for the same quarter a year earlier"
grep -q '^Toxic trio' "$OUT" || fail "no toxic-trio table"
grep -q 'Total assessments with substantive risk factors identified' "$OUT" || fail "toxic-trio table incomplete"
grep -q '^Risk factors (top 10)' "$OUT" || fail "no rank table"
grep -q 'Children subject to a CP plan per 10,000 .* | 42.8 ' "$OUT" || fail "England CP rate not shown"
grep -q '| 85.0%  | \(red\|amber\|green\)' "$OUT" || fail "schools target and RAG not shown"
html=$(sed -n 's/^HTML scorecard written to \(.*\)$/\1/p' "$OUT")
[ -n "$html" ] || fail "no HTML path printed"
[ -s "$html" ] || fail "HTML file $html missing or empty"
grep -q '<h3>Workforce</h3>' "$html" || fail "HTML file $html incomplete"
echo "demo_output: ok ($(wc -l <"$OUT") lines, $html)"
