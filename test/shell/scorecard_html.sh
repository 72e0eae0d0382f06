#!/bin/bash
# The HTML scorecard (skpi.scorecard_html) of generated data: well-formed (xmllint --html, and
# strictly as XML), every section of the seed report, a trend chart per monthly series with its
# points, the toxic-trio and risk-factor rank tables, comparators, targets and RAG, and the
# suppressed cells of published rendered as c.
set -euo pipefail
PSQL="$SKPI_PGBIN/psql -X -v ON_ERROR_STOP=1 -q"
DB=skpi_scorecard_html_$$
OUT=$SKPI_TMP/scorecard_html_$$.html
ERR=$SKPI_TMP/scorecard_html_$$.err
fail() { echo "scorecard_html: $*" >&2; exit 1; }
cleanup() { $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true; rm -f "$OUT" "$ERR"; }
trap cleanup EXIT
command -v xmllint >/dev/null || fail "xmllint is missing (Debian package libxml2-utils)"

$PSQL -d postgres -c "CREATE DATABASE $DB"
if [ "$($PSQL -d "$DB" -At -c "CREATE EXTENSION safeguarding_kpi;
		SELECT to_regprocedure('skpi.build_reports(text,text)') IS NULL
			OR to_regprocedure('skpi.generate_ssd(text,integer,integer,integer)') IS NULL")" = t ]; then
	echo "scorecard_html: skipped (skpi.build_reports or skpi.generate_ssd is not installed)"
	exit 0
fi
$PSQL -d "$DB" >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS safeguarding_kpi;
SELECT skpi.generate_ssd('ssd', 1, 2, 5);
INSERT INTO skpi.comparators (indicator, period_label, comparator, value) VALUES
	('cp_rate_per_10k', '2019/20 Q4', 'england', 42.8), ('cp_rate_per_10k', '2019/20 Q4', 'stat_neighbours', 40.5);
INSERT INTO skpi.targets (indicator, period_label, target, amber_margin) VALUES ('contacts_threshold_met_pct', '*', 85, 5);
SELECT skpi.build_reports('ssd', 'kpi');
SQL
$PSQL -d "$DB" -At -c "SELECT skpi.scorecard_html('kpi', '2019/20 Q4')" >"$OUT"
[ -s "$OUT" ] || fail "empty page"

# Well-formed: libxml2's HTML parser knows HTML 4 only, so it reports the inline SVG elements as
# unknown tags; anything else it reports is a defect. As XML the page must parse without error.
xmllint --html --noout "$OUT" 2>"$ERR" || fail "xmllint --html failed: $(head -5 "$ERR")"
other=$(grep 'parser error\|parser warning' "$ERR" | grep -v 'Tag \(svg\|line\|polyline\|circle\|text\) invalid' || true)
[ -z "$other" ] || fail "xmllint --html: $other"
xmllint --noout "$OUT" 2>"$ERR" || fail "not well-formed XML: $(head -5 "$ERR")"

head -c 15 "$OUT" | grep -q '^<!DOCTYPE html>' || fail "no doctype"
for s in 'Front door' 'Assessments and risk factors' 'Child protection' 'Children in need' 'Looked after' \
		 'Care leavers' 'Missing' 'Workforce'; do
	grep -q "<h3>$s</h3>" "$OUT" || fail "section $s missing"
done
n=$(grep -o '<svg ' "$OUT" | wc -l || true)
[ "$n" -eq 3 ] || fail "expected 3 charts, found $n"
for m in contacts cp_rate_per_10k cla_open; do
	chart=$(grep -o "<svg [^>]*id=\"chart-[^\"]*-$m\".*</svg>" "$OUT" | sed 's#</svg>.*#</svg>#' || true)
	[ -n "$chart" ] || fail "no chart of $m"
	points=$(echo "$chart" | grep -o '<polyline[^>]*points="[^"]*"' | grep -o '[0-9.]*,[0-9.]*' | wc -l || true)
	[ "$points" -eq 24 ] || fail "chart of $m has $points points, expected 24 months"
done
grep -q '<table class="trio">' "$OUT" || fail "no toxic-trio table"
ranks=$(sed -n '/<table class="ranks">/,/<\/table>/p' "$OUT" | grep -c '<td class="num">[0-9]*</td><td class="num' || true)
[ "$ranks" -ge 10 ] || fail "rank table has $ranks ranked rows, expected at least 10"
grep -q '<td class="num">42.8</td><td class="num">40.5</td>' "$OUT" || fail "comparators not shown"
grep -q '<td class="num">85.0%</td><td class="rag rag-\(red\|amber\|green\)">' "$OUT" || fail "target and RAG not shown"

# Cells that published suppresses are shown as c, and no suppressed value leaks into the page.
sup=$($PSQL -d "$DB" -At -c "SELECT count(*) FROM kpi.published WHERE period_label = '2019/20 Q4' AND suppressed
	AND measure NOT IN ('risk_factor_pct', 'trio_any', 'trio_all', 'trio_all_parent', 'assessments_with_factors')")
shown=$(grep -o '<td class="num suppressed"><abbr title="suppressed: small number">c</abbr></td>' "$OUT" | wc -l || true)
[ "$sup" -gt 0 ] || fail "the generated quarter has no suppressed cell to show"
[ "$shown" -ge "$sup" ] || fail "$sup suppressed cells in published, $shown shown as c"
leak=$($PSQL -d "$DB" -At -c "SELECT count(*) FROM kpi.published p JOIN kpi.measures m USING (area_code, period_label, measure, breakdown)
	WHERE p.period_label = '2019/20 Q4' AND p.suppressed AND m.value IS NOT NULL AND p.value IS NOT NULL")
[ "$leak" -eq 0 ] || fail "published shows $leak suppressed values"
echo "scorecard_html: ok ($(wc -c <"$OUT") bytes, $sup suppressed cells shown as c)"
