#!/bin/bash
# Schema names reach dynamic SQL only quoted: source and target schemas whose names carry
# quotes, semicolons, comments and the report templates' own placeholders build, refresh and
# report like any other, and the SQL hidden in them never runs.
set -euo pipefail
PSQL="$SKPI_PGBIN/psql -X -v ON_ERROR_STOP=1 -q"
DB=skpi_reports_hostile_$$
trap '$PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true' EXIT

$PSQL -d postgres -c "CREATE DATABASE $DB"
$PSQL -d $DB -c "SET client_min_messages = warning; CREATE EXTENSION safeguarding_kpi"
$PSQL -d $DB -v fixture='s"; DROP TABLE public.canary; --{tgt}' -f "$SKPI_ROOT/test/shell/reports_fixture.sql"
out=$($PSQL -At -d $DB <<'SQL'
CREATE TABLE public.canary (x int);
INSERT INTO public.canary VALUES (1);
SELECT skpi.build_reports('s"; DROP TABLE public.canary; --{tgt}', 'k''); DROP TABLE public.canary; --{src}{area}$x$', 6, ARRAY['zz_test']);
SELECT count(*) FROM skpi.refresh_reports('k''); DROP TABLE public.canary; --{src}{area}$x$');
SELECT count(*) FROM "k'); DROP TABLE public.canary; --{src}{area}$x$".published;
SELECT count(*) FROM "k'); DROP TABLE public.canary; --{src}{area}$x$".data_quality;
SELECT count(*) FROM public.canary;
SQL
)
echo "$out"
expected=$(printf '1\n29\n15\n43\n1')
[ "$out" = "$expected" ] || { echo "FAIL: expected"; echo "$expected"; exit 1; }
