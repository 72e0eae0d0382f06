#!/bin/bash
# Upgrades: install the first released version, walk ALTER EXTENSION ... UPDATE TO each later
# version one step at a time, and check that the catalogue (functions with their signatures,
# volatility, strictness, parallel safety and bodies; aggregates; types; tables, views, columns,
# constraints, indexes, triggers; comments; extension members; rows of the extension's tables)
# equals a fresh install of the default version. When the path has at least one step, the
# pg_regress suite then runs against the upgraded database.
#
# New versions are covered without editing this file: every src/upgrade/<ext>--A--B.sql that
# the Makefile installs is found through pg_extension_update_paths().
#
# Env: the test driver's (PGHOST, PGPORT, PGUSER, SKPI_PGBIN, SKPI_TMP, SKPI_ROOT).
# Optional: SKPI_FIRST_VERSION (default 1.0), SKPI_UPGRADE_SUITE=0 to skip the suite re-run.
set -euo pipefail

EXT=safeguarding_kpi
FIRST=${SKPI_FIRST_VERSION:-1.0}
PSQL=("$SKPI_PGBIN/psql" -X -v ON_ERROR_STOP=1 -q)
WORK=$SKPI_TMP/upgrade.$$
mkdir -p "$WORK"
DB_FRESH=skpi_upg_fresh_$$
DB_UPG=skpi_upg_walk_$$

fail() { printf 'upgrade: %s\n' "$*" >&2; exit 1; }
cleanup() {
	"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB_FRESH" -c "DROP DATABASE IF EXISTS $DB_UPG" >/dev/null 2>&1 || true
}
trap cleanup EXIT

q() { "${PSQL[@]}" -At -d "$1" -c "$2"; }

# One line per catalogue fact of the extension, sorted, so that two databases can be diffed.
snapshot() {
	"${PSQL[@]}" -At -d "$1" >"$2" <<'SQL'
WITH ext AS (SELECT oid, extnamespace FROM pg_catalog.pg_extension WHERE extname = 'safeguarding_kpi'),
facts(line) AS (
	SELECT 'extension version=' || e.extversion || ' relocatable=' || e.extrelocatable
		|| ' schema=' || e.extnamespace::regnamespace
		|| ' config=' || COALESCE((SELECT string_agg(c::regclass::text, ',' ORDER BY c::regclass::text)
								   FROM unnest(e.extconfig) c), '')
		|| ' conditions=' || COALESCE(array_to_string(e.extcondition, ','), '')
	FROM pg_catalog.pg_extension e WHERE e.extname = 'safeguarding_kpi'
	UNION ALL
	-- every member object of the extension
	SELECT 'member ' || pg_describe_object(d.classid, d.objid, d.objsubid)
	FROM pg_depend d, ext WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid
		AND d.deptype = 'e'
	UNION ALL
	-- functions, aggregates, window functions of the schema
	SELECT 'function ' || p.oid::regprocedure
		|| ' args=(' || pg_get_function_arguments(p.oid) || ')'
		|| ' returns=' || COALESCE(pg_get_function_result(p.oid), '')
		|| ' kind=' || p.prokind::text || ' volatility=' || p.provolatile::text || ' strict=' || p.proisstrict
		|| ' parallel=' || p.proparallel::text || ' secdef=' || p.prosecdef || ' leakproof=' || p.proleakproof
		|| ' lang=' || l.lanname || ' cost=' || p.procost || ' rows=' || p.prorows
		|| ' support=' || p.prosupport::text
		|| ' config=' || COALESCE(p.proconfig::text, '') || ' bin=' || COALESCE(p.probin, '')
		|| ' src=' || md5(COALESCE(p.prosrc, '') || COALESCE(pg_get_function_sqlbody(p.oid), ''))
		|| ' acl=' || COALESCE(p.proacl::text, '')
		|| ' comment=' || COALESCE(obj_description(p.oid, 'pg_proc'), '')
	FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang, ext
	WHERE p.pronamespace = ext.extnamespace
	UNION ALL
	SELECT 'aggregate ' || a.aggfnoid::regprocedure || ' kind=' || a.aggkind::text
		|| ' direct=' || a.aggnumdirectargs || ' trans=' || a.aggtransfn::regprocedure
		|| ' final=' || a.aggfinalfn::text || ' combine=' || a.aggcombinefn::text
		|| ' serial=' || a.aggserialfn::text || ' deserial=' || a.aggdeserialfn::text
		|| ' mtrans=' || a.aggmtransfn::text || ' minvtrans=' || a.aggminvtransfn::text
		|| ' mfinal=' || a.aggmfinalfn::text || ' finalextra=' || a.aggfinalextra
		|| ' finalmodify=' || a.aggfinalmodify::text || ' sortop=' || a.aggsortop::regoperator::text
		|| ' stype=' || a.aggtranstype::regtype || ' sspace=' || a.aggtransspace
		|| ' init=' || COALESCE(a.agginitval, '<null>')
		|| ' mstype=' || a.aggmtranstype::regtype || ' minit=' || COALESCE(a.aggminitval, '<null>')
	FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid, ext
	WHERE p.pronamespace = ext.extnamespace
	UNION ALL
	SELECT 'type ' || t.oid::regtype || ' type=' || t.typtype::text || ' len=' || t.typlen
		|| ' byval=' || t.typbyval || ' align=' || t.typalign::text || ' storage=' || t.typstorage::text
		|| ' category=' || t.typcategory::text || ' delim=' || t.typdelim::text
		|| ' in=' || t.typinput::text || ' out=' || t.typoutput::text
		|| ' recv=' || t.typreceive::text || ' send=' || t.typsend::text
		|| ' elem=' || t.typelem::regtype || ' array=' || t.typarray::regtype
		|| ' notnull=' || t.typnotnull || ' base=' || t.typbasetype::regtype
		|| ' default=' || COALESCE(t.typdefault, '<null>')
		|| ' comment=' || COALESCE(obj_description(t.oid, 'pg_type'), '')
	FROM pg_type t, ext WHERE t.typnamespace = ext.extnamespace
	UNION ALL
	SELECT 'enum ' || e.enumtypid::regtype || ' ' || e.enumsortorder || ' ' || e.enumlabel
	FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid, ext WHERE t.typnamespace = ext.extnamespace
	UNION ALL
	SELECT 'relation ' || c.oid::regclass || ' kind=' || c.relkind::text || ' persistence=' || c.relpersistence::text
		|| ' options=' || COALESCE(c.reloptions::text, '') || ' acl=' || COALESCE(c.relacl::text, '')
		|| ' rls=' || c.relrowsecurity
		|| ' comment=' || COALESCE(obj_description(c.oid, 'pg_class'), '')
		|| CASE WHEN c.relkind IN ('v', 'm') THEN ' definition=' || pg_get_viewdef(c.oid) ELSE '' END
	FROM pg_class c, ext WHERE c.relnamespace = ext.extnamespace
	UNION ALL
	SELECT 'column ' || c.oid::regclass || '.' || a.attname || ' #' || a.attnum
		|| ' type=' || format_type(a.atttypid, a.atttypmod) || ' notnull=' || a.attnotnull
		|| ' default=' || COALESCE(pg_get_expr(ad.adbin, ad.adrelid), '')
		|| ' identity=' || a.attidentity::text || ' generated=' || a.attgenerated::text
		|| ' collation=' || a.attcollation::regcollation::text
		|| ' comment=' || COALESCE(col_description(c.oid, a.attnum), '')
	FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum, ext
	WHERE c.relnamespace = ext.extnamespace AND c.relkind IN ('r', 'v', 'm', 'p', 'f', 'c')
	UNION ALL
	SELECT 'constraint ' || COALESCE(con.conrelid::regclass::text, con.contypid::regtype::text)
		|| ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
	FROM pg_constraint con, ext WHERE con.connamespace = ext.extnamespace
	UNION ALL
	SELECT 'index ' || pg_get_indexdef(i.indexrelid)
	FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid, ext WHERE c.relnamespace = ext.extnamespace
	UNION ALL
	SELECT 'trigger ' || pg_get_triggerdef(tg.oid) || ' enabled=' || tg.tgenabled::text
	FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid, ext
	WHERE c.relnamespace = ext.extnamespace AND NOT tg.tgisinternal
	UNION ALL
	SELECT 'operator ' || o.oid::regoperator || ' code=' || o.oprcode::text
		|| ' commutator=' || o.oprcom::regoperator::text || ' negator=' || o.oprnegate::regoperator::text
	FROM pg_operator o, ext WHERE o.oprnamespace = ext.extnamespace
	UNION ALL
	SELECT 'cast ' || pg_describe_object('pg_cast'::regclass, c.oid, 0) || ' context=' || c.castcontext::text
		|| ' method=' || c.castmethod::text || ' func=' || c.castfunc::regprocedure::text
	FROM pg_cast c JOIN pg_depend d ON d.classid = 'pg_cast'::regclass AND d.objid = c.oid AND d.deptype = 'e', ext
	WHERE d.refobjid = ext.oid
	UNION ALL
	SELECT 'schema ' || n.nspname || ' comment=' || COALESCE(obj_description(n.oid, 'pg_namespace'), '')
		|| ' acl=' || COALESCE(n.nspacl::text, '')
	FROM pg_namespace n, ext WHERE n.oid = ext.extnamespace
)
SELECT line FROM facts ORDER BY line COLLATE "C";
SQL
	# Contents of every table of the schema (the shipped reference rows).
	local tables t
	tables=$("${PSQL[@]}" -At -d "$1" -c "SELECT c.oid::regclass FROM pg_class c WHERE c.relnamespace = 'skpi'::regnamespace AND c.relkind IN ('r', 'p') ORDER BY 1::text COLLATE \"C\"")
	for t in $tables; do
		"${PSQL[@]}" -At -d "$1" -c "SELECT 'rows $t ' || count(*) || ' ' || COALESCE(md5(string_agg(x::text, E'\\n' ORDER BY x::text COLLATE \"C\")), '') FROM (SELECT to_jsonb(r) - 'removed_at' AS x FROM $t r) s" >>"$2"
	done
}

"${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB_FRESH" -c "CREATE DATABASE $DB_UPG"

default=$(q postgres "SELECT default_version FROM pg_available_extensions WHERE name = '$EXT'")
[ -n "$default" ] || fail "extension $EXT is not installed in the server under test"
echo "upgrade: first version $FIRST, default version $default"

# The versions the Makefile, the control file and the shared library claim agree.
mk_version=$(sed -n 's/^EXTVERSION *= *//p' "$SKPI_ROOT/Makefile")
[ "$mk_version" = "$default" ] || fail "Makefile EXTVERSION $mk_version differs from the control file's default_version $default"

# Every upgrade script of the tree is installed.
for f in "$SKPI_ROOT"/src/upgrade/"$EXT"--*--*.sql; do
	[ -e "$f" ] || continue
	v=$(basename "$f" .sql); v=${v#"$EXT"--}
	from=${v%%--*}; to=${v#*--}
	n=$(q postgres "SELECT count(*) FROM pg_extension_update_paths('$EXT') WHERE source = '$from' AND target = '$to' AND path = '$from--$to'")
	[ "$n" = 1 ] || fail "upgrade script $(basename "$f") is not installed or not usable as one step $from -> $to"
done

# Fresh install of the default version.
"${PSQL[@]}" -d "$DB_FRESH" -c "SET client_min_messages = warning" -c "CREATE EXTENSION $EXT"
snapshot "$DB_FRESH" "$WORK/fresh.txt"
nfun=$(grep -c '^function ' "$WORK/fresh.txt" || true)
nrel=$(grep -c '^relation ' "$WORK/fresh.txt" || true)
[ "$nfun" -gt 0 ] && [ "$nrel" -gt 0 ] || fail "the catalogue snapshot of a fresh install is empty ($nfun functions, $nrel relations)"
grep -q "^extension version=$default " "$WORK/fresh.txt" || fail "fresh install is not at version $default"
[ "$(q "$DB_FRESH" "SELECT skpi.library_version()")" = "$default" ] || fail "skpi.library_version() differs from $default"

# The first version, then one step at a time.
if ! "${PSQL[@]}" -d "$DB_UPG" -c "SET client_min_messages = warning" -c "CREATE EXTENSION $EXT VERSION '$FIRST'" 2>"$WORK/first.err"; then
	cat "$WORK/first.err" >&2
	fail "cannot install the first released version $FIRST: keep its full install script installed (e.g. a frozen copy of $EXT--$FIRST.sql) so that upgrades from it stay tested"
fi
path=$(q postgres "SELECT path FROM pg_extension_update_paths('$EXT') WHERE source = '$FIRST' AND target = '$default'")
if [ "$FIRST" = "$default" ]; then
	steps=()
else
	[ -n "$path" ] || fail "no chain of upgrade scripts leads from $FIRST to $default"
	IFS=' ' read -r -a steps <<<"$(echo "$path" | sed 's/--/ /g' | cut -d' ' -f2-)"
fi
for v in "${steps[@]}"; do
	echo "upgrade: ALTER EXTENSION $EXT UPDATE TO '$v'"
	"${PSQL[@]}" -d "$DB_UPG" -c "ALTER EXTENSION $EXT UPDATE TO '$v'"
	[ "$(q "$DB_UPG" "SELECT extversion FROM pg_extension WHERE extname = '$EXT'")" = "$v" ] || fail "after UPDATE TO $v the version is not $v"
done
# Nothing newer than the default is reachable (an update from the default is a no-op).
"${PSQL[@]}" -d "$DB_UPG" -c "SET client_min_messages = warning" -c "ALTER EXTENSION $EXT UPDATE"
snapshot "$DB_UPG" "$WORK/upgraded.txt"

if ! diff -u "$WORK/fresh.txt" "$WORK/upgraded.txt" >"$WORK/diff.txt"; then
	echo "upgrade: the catalogue after $FIRST -> ${steps[*]:-} differs from a fresh install of $default:" >&2
	head -100 "$WORK/diff.txt" >&2
	exit 1
fi
echo "upgrade: ${#steps[@]} step(s); catalogue identical to a fresh install ($(wc -l <"$WORK/fresh.txt") facts, $nfun functions, $nrel relations)"

# The whole pg_regress suite against the upgraded database (only when something was upgraded:
# with no step the database is a fresh install, which the main pg_regress run already covers).
if [ "${#steps[@]}" -gt 0 ] && [ "${SKPI_UPGRADE_SUITE:-1}" != 0 ]; then
	pgxs=$(dirname "$("$SKPI_PGBIN/pg_config" --pgxs)")
	tests=$(cd "$SKPI_ROOT/sql" && ls -- *.sql | sed 's/\.sql$//' | { grep -vx install || true; } | sort | tr '\n' ' ')
	mkdir -p "$WORK/regress"
	"$pgxs/../test/regress/pg_regress" --inputdir="$SKPI_ROOT" --outputdir="$WORK/regress" \
		--bindir="$SKPI_PGBIN" --use-existing --dbname="$DB_UPG" install $tests ||
		{ cat "$WORK/regress/regression.diffs" >&2 2>/dev/null; fail "the suite fails on an upgraded database"; }
fi
rm -rf "$WORK"
echo "upgrade: ok"
