#!/bin/bash
# BI clients: the report views read through ODBC (psqlODBC + unixODBC isql) have only standard
# column types, and their rows come through.
set -euo pipefail
PSQL="$SKPI_PGBIN/psql -X -v ON_ERROR_STOP=1 -q"
DB=skpi_reports_odbc_$$
WORK=$SKPI_TMP/reports_odbc_$$
mkdir -p "$WORK"
trap '$PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true' EXIT

DRIVER=$(dpkg -L odbc-postgresql 2>/dev/null | grep '/psqlodbcw\.so$' | head -1)
[ -n "$DRIVER" ] || { echo "psqlODBC (odbc-postgresql) is not installed"; exit 1; }
command -v isql >/dev/null || { echo "isql (unixodbc) is not installed"; exit 1; }

$PSQL -d postgres -c "CREATE DATABASE $DB"
$PSQL -d $DB -c "SET client_min_messages = warning; CREATE EXTENSION safeguarding_kpi"
$PSQL -d $DB -v fixture=ssd -f "$SKPI_ROOT/test/shell/reports_fixture.sql"
$PSQL -d $DB -c "SELECT skpi.build_reports('ssd', 'kpi', 6, ARRAY['zz_test'])" >/dev/null

cat >"$WORK/odbcinst.ini" <<INI
[PostgreSQL Unicode]
Driver=$DRIVER
INI
cat >"$WORK/odbc.ini" <<INI
[skpi_reports]
Driver=PostgreSQL Unicode
Servername=$PGHOST
Port=$PGPORT
Database=$DB
Username=$PGUSER
BoolsAsChar=0
ConnSettings=SET search_path = kpi
INI
export ODBCSYSINI=$WORK ODBCINI=$WORK/odbc.ini

fail=0
# Standard ODBC types: (w)(long)varchar, bit, date (ODBC 2 and 3 codes), numeric, decimal,
# float, double, bigint, integer.
allowed=" -10 -9 -1 12 -7 9 91 2 3 6 8 -5 4 "
for view in published measures zz_test inputs_available; do
	echo "help $view" | isql -b -d'|' skpi_reports >"$WORK/$view.cols" 2>&1 || { echo "isql failed on $view"; cat "$WORK/$view.cols"; exit 1; }
	want=$($PSQL -At -d $DB -c "SELECT count(*) FROM pg_attribute WHERE attrelid = 'kpi.$view'::regclass AND attnum > 0")
	have=$(awk -F'|' '$3 == "'$view'"' "$WORK/$view.cols" | wc -l)
	if [ "$have" != "$want" ]; then
		echo "$view: ODBC lists $have columns, the view has $want"; cat "$WORK/$view.cols"; fail=1
	fi
	while IFS='|' read -r _cat schema table column dtype tname _rest; do
		[ "$table" = "$view" ] || continue
		case "$allowed" in *" $dtype "*) ;; *) echo "$view.$column: ODBC type $dtype ($tname) is not a standard type"; fail=1 ;; esac
		case " text date numeric float8 bool " in *" $tname "*) ;; *) echo "$view.$column: type $tname"; fail=1 ;; esac
	done <"$WORK/$view.cols"
	echo "$view: $have columns of standard types"
done

# Rows come through, with the same values as psql gives.
q="SELECT measure, period_label, breakdown, coalesce(value::text, 'NULL'), suppressed FROM published ORDER BY measure, period_start, period_type, breakdown"
echo "$q" | isql -b -d'|' skpi_reports | sed 's/|1$/|t/; s/|0$/|f/' >"$WORK/odbc.rows"
$PSQL -At -d $DB -c "SET search_path = kpi; $q" >"$WORK/psql.rows"
if ! diff "$WORK/psql.rows" "$WORK/odbc.rows"; then echo "ODBC rows differ from psql"; fail=1; fi
echo "published: $(wc -l <"$WORK/odbc.rows") rows through ODBC"
[ -s "$WORK/odbc.rows" ] || { echo "no rows through ODBC"; fail=1; }
exit $fail
