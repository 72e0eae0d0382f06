#!/bin/bash
# search_path: hostile functions, operators and aggregates are planted in schema public (an `=`
# and `||` for text, date comparisons and arithmetic, date_trunc, format, now, lower/upper/btrim,
# generate_series, unnest, jsonb helpers, count(*), sum, max, array_agg, ...). Each one bumps the
# sequence public.planted_calls (non-transactional, so a rolled-back call is still seen) and
# warns with its name. Then, with search_path = public, pg_catalog (public searched first):
#   - the superuser runs CREATE EXTENSION and edits every reference table (row triggers);
#   - an ordinary user (no superuser) calls every public function with valid arguments
#     (a curated list per api.md), the randcall statements over every skpi function
#     (test/fuzz/randcall.sql), build_reports, refresh_reports and reads every report view
#     (generate_ssd, which writes skpi.population, runs as the superuser).
# Passes when no planted object was ever called.
set -euo pipefail

PSQL=("$SKPI_PGBIN/psql" -X -v ON_ERROR_STOP=1 -q)
DB=skpi_sp_$$
USR=skpi_sp_user_$$
WORK=$SKPI_TMP/search_path.$$
mkdir -p "$WORK"
STATEMENTS=${SKPI_SEARCH_PATH_STATEMENTS:-1500}

fail() { printf 'search_path: %s\n' "$*" >&2; exit 1; }
cleanup() {
	"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
	"${PSQL[@]}" -d postgres -c "DROP ROLE IF EXISTS $USR" >/dev/null 2>&1 || true
}
trap cleanup EXIT
q() { "${PSQL[@]}" -At -d "$DB" -c "$1"; }
# psql as the superuser (hostile: public first) and as the ordinary user (hostile).
hostile_su() { PGOPTIONS="-c search_path=public,pg_catalog" "${PSQL[@]}" -d "$DB" "$@"; }
hostile_user() { PGOPTIONS="-c search_path=public,pg_catalog" "${PSQL[@]}" -U "$USR" -d "$DB" "$@"; }
planted_calls() { q "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM public.planted_calls"; }
check_clean() {
	local n
	n=$(planted_calls)
	if [ "$n" != 0 ]; then
		echo "search_path: $n call(s) of planted objects during $1:" >&2
		grep -h 'planted public' "$WORK"/*.out 2>/dev/null | sed 's/.*WARNING: *//' | sort | uniq -c | sort -rn | head -20 >&2 || true
		grep -h -B3 'planted public' "$WORK"/*.out 2>/dev/null | grep -E 'CONTEXT|SQL (function|statement)|PL/pgSQL' | sort | uniq -c | sort -rn | head -10 >&2 || true
		exit 1
	fi
	echo "search_path: $1: no planted object called"
}

"${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB" -c "CREATE ROLE $USR LOGIN NOSUPERUSER" \
	-c "GRANT CREATE, TEMPORARY ON DATABASE $DB TO $USR"

# --- plant -----------------------------------------------------------------------------------
# name(argument types) returns type; set-returning ones start with "setof ".
cat >"$WORK/functions.txt" <<'EOF'
now()|timestamp with time zone
date_trunc(text, date)|timestamp without time zone
date_trunc(text, timestamp without time zone)|timestamp without time zone
date_trunc(text, timestamp with time zone)|timestamp with time zone
date_part(text, date)|double precision
date_part(text, timestamp without time zone)|double precision
extract(text, date)|numeric
age(timestamp without time zone, timestamp without time zone)|interval
make_date(integer, integer, integer)|date
date(timestamp without time zone)|date
date(timestamp with time zone)|date
to_char(date, text)|text
to_char(timestamp without time zone, text)|text
to_date(text, text)|date
format(text)|text
format(text, text)|text
format(text, text, text)|text
format(text, anyelement)|text
lower(text)|text
upper(text)|text
btrim(text)|text
btrim(text, text)|text
ltrim(text)|text
rtrim(text)|text
length(text)|integer
substr(text, integer)|text
substr(text, integer, integer)|text
replace(text, text, text)|text
split_part(text, text, integer)|text
left(text, integer)|text
concat_ws(text, text, text)|text
concat(text, text)|text
concat(text, text, text)|text
nullif(text, text)|text
coalesce(text, text)|text
greatest(date, date)|date
string_to_array(text, text)|text[]
array_to_string(anyarray, text)|text
regexp_replace(text, text, text)|text
regexp_match(text, text)|text[]
quote_ident(text)|text
quote_literal(text)|text
array_length(anyarray, integer)|integer
cardinality(anyarray)|integer
array_append(anyarray, anyelement)|anyarray
array_position(anyarray, anyelement)|integer
round(double precision)|double precision
round(numeric, integer)|numeric
floor(double precision)|double precision
ceil(double precision)|double precision
sqrt(double precision)|double precision
power(double precision, double precision)|double precision
abs(bigint)|bigint
abs(double precision)|double precision
random()|double precision
to_jsonb(anyelement)|jsonb
jsonb_typeof(jsonb)|text
jsonb_build_object(text, text)|jsonb
jsonb_array_length(jsonb)|integer
to_regclass(text)|regclass
current_setting(text)|text
set_config(text, text, boolean)|text
pg_notify(text, text)|void
setof generate_series(date, date, interval)|date
setof generate_series(integer, integer)|integer
setof generate_series(timestamp without time zone, timestamp without time zone, interval)|timestamp without time zone
setof unnest(anyarray)|anyelement
setof jsonb_array_elements_text(jsonb)|text
setof json_array_elements_text(json)|text
setof jsonb_array_elements(jsonb)|jsonb
setof regexp_split_to_table(text, text)|text
EOF
# operator;left;right;returns
cat >"$WORK/operators.txt" <<'EOF'
=;text;text;boolean
<>;text;text;boolean
<;text;text;boolean
||;text;text;text
~~;text;text;boolean
~;text;text;boolean
=;date;date;boolean
<>;date;date;boolean
<;date;date;boolean
<=;date;date;boolean
>;date;date;boolean
>=;date;date;boolean
+;date;integer;date
-;date;integer;date
-;date;date;integer
+;date;interval;timestamp without time zone
-;date;interval;timestamp without time zone
=;integer;integer;boolean
<;integer;integer;boolean
<=;integer;integer;boolean
>;integer;integer;boolean
>=;integer;integer;boolean
+;integer;integer;integer
-;integer;integer;integer
*;integer;integer;integer
/;integer;integer;integer
%;integer;integer;integer
=;bigint;bigint;boolean
<;bigint;bigint;boolean
+;bigint;bigint;bigint
*;bigint;bigint;bigint
/;double precision;double precision;double precision
*;double precision;double precision;double precision
+;double precision;double precision;double precision
-;double precision;double precision;double precision
<;double precision;double precision;boolean
=;boolean;boolean;boolean
->>;jsonb;text;text
->;jsonb;text;jsonb
->>;jsonb;integer;text
@>;jsonb;jsonb;boolean
=;jsonb;jsonb;boolean
?;jsonb;text;boolean
@>;anyarray;anyarray;boolean
&&;anyarray;anyarray;boolean
=;anyarray;anyarray;boolean
<;timestamp without time zone;timestamp without time zone;boolean
-;timestamp without time zone;timestamp without time zone;interval
EOF
{
	echo "CREATE SEQUENCE public.planted_calls;"
	echo "GRANT USAGE, UPDATE ON SEQUENCE public.planted_calls TO PUBLIC;"
	i=0
	while IFS='|' read -r sig ret; do
		i=$((i + 1))
		setof=
		if [[ $sig == setof\ * ]]; then setof="SETOF "; sig=${sig#setof }; fi
		retval="RETURN NULL;"; { [ -n "$setof" ] || [ "$ret" = void ]; } && retval="RETURN;"
		cat <<EOF
CREATE FUNCTION public.$sig RETURNS $setof$ret LANGUAGE plpgsql AS \$f\$
BEGIN
	PERFORM pg_catalog.nextval('public.planted_calls');
	RAISE WARNING 'planted public.% called', '$sig';
	$retval
END \$f\$;
EOF
	done <"$WORK/functions.txt"
	while IFS=';' read -r op left right ret; do
		i=$((i + 1))
		cat <<EOF
CREATE FUNCTION public.planted_op_$i($left, $right) RETURNS $ret LANGUAGE plpgsql AS \$f\$
BEGIN
	PERFORM pg_catalog.nextval('public.planted_calls');
	RAISE WARNING 'planted public.operator % (%, %) called', '$op', '$left', '$right';
	RETURN NULL;
END \$f\$;
CREATE OPERATOR public.$op (LEFTARG = $left, RIGHTARG = $right, FUNCTION = public.planted_op_$i);
EOF
	done <"$WORK/operators.txt"
	# aggregates
	cat <<'EOF'
CREATE FUNCTION public.planted_sfunc(bigint) RETURNS bigint LANGUAGE plpgsql AS $f$
BEGIN PERFORM pg_catalog.nextval('public.planted_calls'); RAISE WARNING 'planted public aggregate called'; RETURN $1; END $f$;
CREATE FUNCTION public.planted_sfunc(bigint, anyelement) RETURNS bigint LANGUAGE plpgsql AS $f$
BEGIN PERFORM pg_catalog.nextval('public.planted_calls'); RAISE WARNING 'planted public aggregate of % called', pg_catalog.pg_typeof($2); RETURN $1; END $f$;
CREATE FUNCTION public.planted_asfunc(anyarray, anynonarray) RETURNS anyarray LANGUAGE plpgsql AS $f$
BEGIN PERFORM pg_catalog.nextval('public.planted_calls'); RAISE WARNING 'planted public array_agg called'; RETURN $1; END $f$;
CREATE FUNCTION public.planted_tsfunc(text, text, text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN PERFORM pg_catalog.nextval('public.planted_calls'); RAISE WARNING 'planted public string_agg called'; RETURN $1; END $f$;
CREATE AGGREGATE public.count(*) (SFUNC = public.planted_sfunc, STYPE = bigint, INITCOND = 0);
CREATE AGGREGATE public.count(anyelement) (SFUNC = public.planted_sfunc, STYPE = bigint, INITCOND = 0);
CREATE AGGREGATE public.sum(bigint) (SFUNC = public.planted_sfunc, STYPE = bigint, INITCOND = 0);
CREATE AGGREGATE public.sum(integer) (SFUNC = public.planted_sfunc, STYPE = bigint, INITCOND = 0);
CREATE AGGREGATE public.max(date) (SFUNC = public.planted_sfunc, STYPE = bigint, INITCOND = 0);
CREATE AGGREGATE public.min(date) (SFUNC = public.planted_sfunc, STYPE = bigint, INITCOND = 0);
CREATE AGGREGATE public.bool_or(boolean) (SFUNC = public.planted_sfunc, STYPE = bigint, INITCOND = 0);
CREATE AGGREGATE public.array_agg(anynonarray) (SFUNC = public.planted_asfunc, STYPE = anyarray);
CREATE AGGREGATE public.string_agg(text, text) (SFUNC = public.planted_tsfunc, STYPE = text);
CREATE AGGREGATE public.jsonb_agg(anyelement) (SFUNC = public.planted_sfunc, STYPE = bigint, INITCOND = 0);
EOF
} >"$WORK/plant.sql"
"${PSQL[@]}" -d "$DB" -f "$WORK/plant.sql" >"$WORK/plant.out" 2>&1 || { cat "$WORK/plant.out" >&2; fail "planting failed"; }
nplanted=$(q "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace")
nops=$(q "SELECT count(*) FROM pg_operator WHERE oprnamespace = 'public'::regnamespace")
# The plant works: an unqualified call under the hostile path reaches it.
hostile_su -c "SELECT 'a'::text = 'a'::text" >/dev/null 2>&1
[ "$(planted_calls)" = 1 ] || fail "the planted = for text was not reached by an unqualified call: the test is broken"
q "SELECT pg_catalog.setval('public.planted_calls', 1, false)" >/dev/null
echo "search_path: planted $nplanted functions and $nops operators in public"

# --- install and reference-table edits as the superuser ---------------------------------------
hostile_su -c "CREATE EXTENSION safeguarding_kpi" >"$WORK/install.out" 2>&1 || { cat "$WORK/install.out" >&2; fail "CREATE EXTENSION failed"; }
check_clean "CREATE EXTENSION"
{
	echo "INSERT INTO skpi.code_map VALUES ('legal_status', 'SP TEST', 'C2');"
	echo "UPDATE skpi.code_map SET code = 'C1' WHERE raw_value OPERATOR(pg_catalog.=) 'SP TEST';"
	echo "INSERT INTO skpi.code_map VALUES ('legal_status', 'SP TEST', 'V2');"
	echo "DELETE FROM skpi.code_map WHERE raw_value OPERATOR(pg_catalog.=) 'SP TEST';"
	echo "INSERT INTO skpi.population VALUES ('E99999998', 2019, 0, 17, 100000), ('E99999998', 2020, 0, 17, 100500);"
	echo "INSERT INTO skpi.targets VALUES ('x', '*', 1, 0);"
	echo "INSERT INTO skpi.comparators VALUES ('x', '2019/20', 'england', 1);"
	if [ "$(q "SELECT to_regclass('skpi.bank_holidays') IS NOT NULL")" = t ]; then
		echo "INSERT INTO skpi.bank_holidays (holiday, name) VALUES ('2030-06-03', 'one-off');"
		echo "UPDATE skpi.bank_holidays SET name = 'renamed' WHERE holiday OPERATOR(pg_catalog.=) '2030-06-03'::date;"
		echo "DELETE FROM skpi.bank_holidays WHERE holiday OPERATOR(pg_catalog.=) '2030-06-03'::date;"
	fi
	if [ "$(q "SELECT to_regclass('skpi.toxic_trio_codes') IS NOT NULL")" = t ]; then
		echo "DELETE FROM skpi.toxic_trio_codes WHERE code OPERATOR(pg_catalog.=) '1A';"
		echo "INSERT INTO skpi.toxic_trio_codes (code, element) VALUES ('1A', 'substance_misuse');"
	fi
} >"$WORK/edits.sql"
hostile_su -f "$WORK/edits.sql" >"$WORK/edits.out" 2>&1 || { cat "$WORK/edits.out" >&2; fail "reference-table edits failed"; }
check_clean "reference-table edits (triggers)"

# --- the ordinary user ------------------------------------------------------------------------
# What a DBA grants to analysts: the schema and reading the reference tables.
q "GRANT USAGE ON SCHEMA skpi TO $USR; GRANT SELECT ON ALL TABLES IN SCHEMA skpi TO $USR" >/dev/null

# Valid calls of every function of api.md that exists (signature, then the statement).
cat >"$WORK/calls.txt" <<'EOF'
skpi.fiscal_year(date)|SELECT skpi.fiscal_year('2019-05-01'::date);
skpi.fiscal_year_start(date)|SELECT skpi.fiscal_year_start('2020-02-29'::date);
skpi.fiscal_quarter(date)|SELECT skpi.fiscal_quarter('2019-12-31'::date);
skpi.fiscal_period(date)|SELECT skpi.fiscal_period('2019-04-01'::date);
skpi.periods(date,date,text)|SELECT * FROM skpi.periods('2019-04-01'::date, '2020-03-31'::date, 'month');
skpi.periods(date,date,text)|SELECT * FROM skpi.periods('2019-04-01'::date, '2021-03-31'::date, 'quarter');
skpi.periods(date,date,text)|SELECT * FROM skpi.periods('2019-04-01'::date, '2021-03-31'::date, 'year');
skpi.month_ends(date,date)|SELECT skpi.month_ends('2019-04-01'::date, '2020-03-31'::date);
skpi.quarter_ends(date,date)|SELECT skpi.quarter_ends('2019-04-01'::date, '2020-03-31'::date);
skpi.year_ends(date,date)|SELECT skpi.year_ends('2015-04-01'::date, '2020-03-31'::date);
skpi.age_at(date,date)|SELECT skpi.age_at('2008-02-29'::date, '2019-03-01'::date);
skpi.age_band(date,date)|SELECT skpi.age_band('2008-02-29'::date, '2019-03-01'::date);
skpi.is_working_day(date)|SELECT skpi.is_working_day('2019-12-25'::date);
skpi.working_days_between(date,date)|SELECT skpi.working_days_between('2019-12-20'::date, '2020-01-10'::date);
skpi.add_working_days(date,integer)|SELECT skpi.add_working_days('2019-12-20'::date, 45);
skpi.add_working_days(date,integer)|SELECT skpi.add_working_days('2019-12-20'::date, -5);
skpi.rate_per_10k(bigint,bigint)|SELECT skpi.rate_per_10k(334, 10000);
skpi.rate_ci(bigint,bigint,double precision)|SELECT * FROM skpi.rate_ci(5, 10000);
skpi.rate_ci(bigint,bigint,double precision)|SELECT * FROM skpi.rate_ci(334, 10000, 0.99);
skpi.proportion_ci(bigint,bigint,double precision)|SELECT * FROM skpi.proportion_ci(85, 100);
skpi.share(boolean)|SELECT skpi.share(f) FROM (VALUES (true), (false), (NULL::boolean), (true)) v(f);
skpi.suppress(bigint,integer)|SELECT skpi.suppress(3), skpi.suppress(7), skpi.suppress(0);
skpi.open_on(date,date,date)|SELECT skpi.open_on('2019-01-01'::date, NULL::date, '2019-06-30'::date);
skpi.open_counts(date,date,date[])|SELECT skpi.open_counts(s, e, '{2019-03-31,2019-06-30,2019-09-30}'::date[]) FROM (VALUES ('2019-01-01'::date, NULL::date), ('2019-04-01'::date, '2019-07-01'::date), (NULL::date, NULL::date)) v(s, e);
skpi.repeat_within(date,date,interval)|SELECT skpi.repeat_within(s, e, '2 years'::interval) OVER (PARTITION BY c ORDER BY s) FROM (VALUES ('a', '2017-01-01'::date, '2017-06-01'::date), ('a', '2019-01-01'::date, NULL::date), ('b', '2019-02-01'::date, '2019-03-01'::date)) v(c, s, e);
skpi.previous_end(date,date)|SELECT skpi.previous_end(s, e) OVER (PARTITION BY c ORDER BY s) FROM (VALUES ('a', '2017-01-01'::date, '2017-06-01'::date), ('a', '2019-01-01'::date, NULL::date), ('a', '2019-02-01'::date, '2019-03-01'::date)) v(c, s, e);
skpi.spell_number(date,date,integer,boolean)|SELECT skpi.spell_number(s, e) OVER (PARTITION BY c ORDER BY s), skpi.spell_number(s, e, 1, r) OVER (PARTITION BY c ORDER BY s) FROM (VALUES ('a', '2017-01-01'::date, '2017-06-01'::date, true), ('a', '2017-06-01'::date, '2017-09-01'::date, false), ('a', '2019-02-01'::date, NULL::date, true)) v(c, s, e, r);
skpi.grid_distance_miles(double precision,double precision,double precision,double precision)|SELECT skpi.grid_distance_miles(530000, 180000, 540000, 190000);
skpi.factor_code(text)|SELECT skpi.factor_code(' 3b ');
skpi.factor_codes(text)|SELECT skpi.factor_codes('["1B", "3a" ,"16A"]'), skpi.factor_codes('[]');
skpi.toxic_trio(text)|SELECT skpi.trio_count(skpi.toxic_trio(c)), skpi.trio_any(skpi.toxic_trio(c)), skpi.trio_all(skpi.toxic_trio(c)), skpi.trio_all(skpi.toxic_trio(c), 'parent/carer') FROM (VALUES ('3B'), ('4B'), ('1B'), ('16A')) v(c);
skpi.toxic_trio(text[])|SELECT skpi.toxic_trio(c)::text FROM (VALUES ('{3B,4B}'::text[]), ('{2B}'::text[])) v(c);
skpi.rank_table(text,text)|SELECT * FROM skpi.ranks((SELECT skpi.rank_table(i, u) FROM (VALUES ('3B', 'a1'), ('4B', 'a1'), ('3B', 'a2'), (NULL, 'a3')) v(i, u)), 10);
skpi.rank_table(text,text)|SELECT skpi.rank_table(i, u)::text FROM (VALUES ('3B', 'a1'), ('4B', 'a1')) v(i, u);
EOF
q "SELECT p.oid::regprocedure FROM pg_proc p WHERE p.pronamespace = 'skpi'::regnamespace" >"$WORK/existing.txt"
: >"$WORK/calls.sql"
ncalls=0
while IFS='|' read -r sig stmt; do
	if grep -qxF "$sig" "$WORK/existing.txt"; then
		echo "$stmt" >>"$WORK/calls.sql"; ncalls=$((ncalls + 1))
	fi
done <"$WORK/calls.txt"
hostile_user -f "$WORK/calls.sql" >"$WORK/calls.out" 2>&1 || { cat "$WORK/calls.out" >&2; fail "a valid call failed as an ordinary user"; }
check_clean "$ncalls valid calls as an ordinary user"

# Random calls of every function (errors are expected and ignored; only planted calls count).
"${PSQL[@]}" -d "$DB" -f "$SKPI_ROOT/test/fuzz/randcall.sql" >/dev/null 2>&1
q "SET client_min_messages = warning; SELECT fz.setup(2000, 0.25)" >/dev/null
q "GRANT USAGE ON SCHEMA fz TO $USR; GRANT SELECT ON ALL TABLES IN SCHEMA fz TO $USR" >/dev/null
q "SELECT * FROM fz.statements($STATEMENTS, 0.25)" >"$WORK/randcall.sql"
PGOPTIONS="-c search_path=public,pg_catalog -c statement_timeout=5s" "$SKPI_PGBIN/psql" -X -q -U "$USR" -d "$DB" \
	-f "$WORK/randcall.sql" >"$WORK/randcall.out" 2>&1 || true
check_clean "$(wc -l <"$WORK/randcall.sql") random calls as an ordinary user"

# Generated council (or the report layer's fixture, loaded by the superuser with an ordinary
# search_path and handed to the user), report views, refresh and reads.
council=
if [ "$(q "SELECT to_regprocedure('skpi.generate_ssd(text,integer,integer,integer)') IS NOT NULL")" = t ]; then
	# generate_ssd writes skpi.population, which only its owner may change: the superuser runs it.
	hostile_su -c "SELECT skpi.generate_ssd('ssd_sp', 1, 1, 5)" >"$WORK/generate.out" 2>&1 ||
		{ cat "$WORK/generate.out" >&2; fail "generate_ssd failed"; }
	check_clean "generate_ssd"
	q "GRANT USAGE ON SCHEMA ssd_sp TO $USR; GRANT SELECT ON ALL TABLES IN SCHEMA ssd_sp TO $USR" >/dev/null
	council=generated
elif [ -f "$SKPI_ROOT/test/shell/reports_fixture.sql" ]; then
	"${PSQL[@]}" -d "$DB" -v fixture=ssd_sp -f "$SKPI_ROOT/test/shell/reports_fixture.sql" >/dev/null
	q "DROP FUNCTION IF EXISTS skpi._theme_zz_test(text); GRANT USAGE ON SCHEMA ssd_sp TO $USR; GRANT SELECT ON ALL TABLES IN SCHEMA ssd_sp TO $USR" >/dev/null
	q "SELECT pg_catalog.setval('public.planted_calls', 1, false)" >/dev/null
	council=fixture
fi
if [ -n "$council" ]; then
	if [ "$(q "SELECT to_regprocedure('skpi.build_reports(text,text)') IS NOT NULL")" = t ]; then
		hostile_user -c "SELECT skpi.build_reports('ssd_sp', 'kpi_sp')" >"$WORK/build.out" 2>&1 ||
			{ cat "$WORK/build.out" >&2; fail "build_reports failed as an ordinary user"; }
		check_clean "build_reports"
		hostile_user -c "SELECT * FROM skpi.refresh_reports('kpi_sp')" >"$WORK/refresh.out" 2>&1 ||
			{ cat "$WORK/refresh.out" >&2; fail "refresh_reports failed as an ordinary user"; }
		check_clean "refresh_reports"
		q "SELECT 'SELECT * FROM ' || c.oid::regclass || ';' FROM pg_class c WHERE c.relnamespace = 'kpi_sp'::regnamespace AND c.relkind IN ('v', 'm') ORDER BY 1" >"$WORK/reads.sql"
		hostile_user -f "$WORK/reads.sql" >"$WORK/reads.out" 2>&1 || { tail "$WORK/reads.out" >&2; fail "reading the report views failed"; }
		check_clean "reading $(wc -l <"$WORK/reads.sql") report views"
	fi
fi
rm -rf "$WORK"
echo "search_path: ok"
