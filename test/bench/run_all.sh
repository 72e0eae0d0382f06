#!/bin/bash
# Runs every benchmark under test/bench/ in one database of the throwaway cluster (started by
# test/run.sh bench) and prints one table. SCALE (default 1) scales the row counts; BENCH picks
# files ("calendar rates"); RUNS sets the number of timed runs (default 5, after a warm-up).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PSQL="$SKPI_PGBIN/psql -X -v ON_ERROR_STOP=1 -q"
SCALE=${SCALE:-1}
RUNS=${RUNS:-5}
$PSQL -c "CREATE DATABASE skpi_bench" || exit 1
$PSQL -d skpi_bench -c "CREATE EXTENSION safeguarding_kpi" -f "$HERE/lib.sql" || exit 1
$PSQL -d skpi_bench -c "ALTER DATABASE skpi_bench SET bench.runs = '$RUNS'"
# Serial plans for the C / SQL / floor comparisons: their goals are per-row costs, and parallel
# workers sharing two cores made one query's time vary from run to run. parallel.sql measures
# the scaling with workers on purpose.
$PSQL -d skpi_bench -c "ALTER DATABASE skpi_bench SET max_parallel_workers_per_gather = 0"
if [ -n "${BENCH:-}" ]; then
	files=(); for b in $BENCH; do
		if [ -f "$HERE/$b.sh" ]; then files+=("$HERE/$b.sh"); else files+=("$HERE/$b.sql"); fi
	done
else
	files=(); for f in "$HERE"/*.sql "$HERE"/*.sh; do
		case "$(basename "$f")" in lib.sql|run_all.sh) ;; *) files+=("$f") ;; esac
	done
fi
status=0
for f in "${files[@]}"; do
	echo "== benchmark $(basename "${f%.*}") (scale $SCALE)"
	if [ "${f##*.}" = sh ]; then
		SCALE=$SCALE bash "$f"
	else
		$PSQL -d skpi_bench -v scale="$SCALE" -f "$f"
	fi
	if [ $? -ne 0 ]; then
		echo "benchmark $(basename "$f") failed" >&2; status=1
	fi
done
echo
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "Command: ${BENCH:+BENCH=\"$BENCH\" }SCALE=$SCALE RUNS=$RUNS bash test/run.sh bench   (medians of $RUNS runs after a warm-up)"
$PSQL -d skpi_bench -P pager=off -c "
SELECT benchmark, rows,
       round(c_ms::numeric, 1) AS c_ms,
       round(sql_ms::numeric, 1) AS sql_ms,
       round(floor_ms::numeric, 1) AS floor_ms,
       round(cs::numeric, 3) AS c_over_sql,
       round(cf::numeric, 3) AS c_over_floor,
       concat_ws(', ',
         CASE WHEN goal_c_sql IS NOT NULL THEN 'C/SQL <= ' || goal_c_sql END,
         CASE WHEN goal_c_floor IS NOT NULL THEN 'C/floor <= ' || goal_c_floor END) AS goal,
       CASE WHEN goal_c_sql IS NULL AND goal_c_floor IS NULL THEN ''
            WHEN (goal_c_sql IS NULL OR cs <= goal_c_sql)
             AND (goal_c_floor IS NULL OR cf <= goal_c_floor) THEN 'pass'
            ELSE 'short' END AS mark,
       coalesce(note, '') AS note
FROM (SELECT r.*,
             -- paired ratios (median of the runs' own ratios) where bench.compare recorded them
             coalesce(c_sql_ratio, c_ms / nullif(sql_ms, 0)) AS cs,
             coalesce(c_floor_ratio, c_ms / nullif(floor_ms, 0)) AS cf
      FROM bench.results r) r ORDER BY benchmark"
exit $status
