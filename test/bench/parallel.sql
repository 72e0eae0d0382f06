-- Parallel scaling of the aggregates (and of _sorted_has and _key_has, filters on an initplan's
-- array or key set): the same query with 0 and with 2 parallel workers on the same data.
-- Recorded as C time = 2 workers, SQL time = 0 workers, so C/SQL is the speed-up ratio.
\set ON_ERROR_STOP 1
SELECT (10000000 * :scale)::bigint AS n \gset
SET jit = off;

DROP TABLE IF EXISTS bench.par;
CREATE UNLOGGED TABLE bench.par AS
SELECT i AS id,
       CASE WHEN i % 7 = 0 THEN NULL ELSE (hashint8(i) & 3) = 0 END AS flag,
       date '2010-01-01' + (abs(hashint8(i * 3)) % 3650)::int AS start_date,
       CASE WHEN i % 5 = 0 THEN NULL
            ELSE date '2010-01-01' + (abs(hashint8(i * 3)) % 3650)::int + (abs(hashint8(i * 5)) % 900)::int END AS end_date,
       (ARRAY['1A','1B','2B','3A','3B','4B','4C','16A','17A','21'])[1 + abs(hashint8(i * 7)) % 10] AS code,
       (i / 4)::text AS unit
FROM generate_series(1, :n) AS i;
ALTER TABLE bench.par SET (parallel_workers = 2);
VACUUM ANALYZE bench.par;
-- a key set of a tenth of the rows' keys, each one off, stored as the report layer's
-- person_keys is (out of line, uncompressed), for _key_has
DROP TABLE IF EXISTS bench.par_keys;
CREATE TABLE bench.par_keys (keys bytea);
ALTER TABLE bench.par_keys ALTER COLUMN keys SET STORAGE EXTERNAL;
INSERT INTO bench.par_keys SELECT skpi._key_set(unit, (id + 1)::text) FROM bench.par WHERE id % 10 = 0;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;

CREATE TEMP TABLE par_q (name text, q text);
INSERT INTO par_q VALUES
 ('share', 'SELECT (skpi.share(flag)).pct FROM bench.par'),
 ('open_counts', 'SELECT skpi.open_counts(start_date, end_date, skpi.month_ends(''2010-01-01'', ''2019-12-31'')) FROM bench.par'),
 ('toxic_trio', 'SELECT skpi.trio_count(skpi.toxic_trio(code)) FROM bench.par'),
 ('rank_table', 'SELECT r.* FROM (SELECT skpi.rank_table(code, unit) AS t FROM bench.par) s, skpi.ranks(s.t) r'),
 ('_duplicates', 'SELECT cardinality(skpi._duplicates(hashint8(id / 2))) FROM bench.par'),
 ('_sorted_has', 'SELECT count(*) FROM bench.par WHERE NOT skpi._sorted_has((SELECT skpi._duplicates(hashint8(id / 2)) FROM bench.par WHERE id % 1000 < 2), hashint8(id / 2))'),
 ('_key_set', 'SELECT length(skpi._key_set(unit, id::text)) FROM bench.par'),
 ('_key_has', 'SELECT count(*) FROM bench.par WHERE skpi._key_has((SELECT k.keys FROM bench.par_keys k), unit, id::text)');

DO $$
DECLARE
	r record;
	serial_ms float8;
	parallel_ms float8;
	n bigint := (SELECT count(*) FROM bench.par);
BEGIN
	FOR r IN SELECT * FROM par_q LOOP
		PERFORM set_config('max_parallel_workers_per_gather', '0', true);
		serial_ms := bench.time_ms(r.q, coalesce(nullif(current_setting('bench.runs', true), ''), '5')::int);
		PERFORM set_config('max_parallel_workers_per_gather', '2', true);
		parallel_ms := bench.time_ms(r.q, coalesce(nullif(current_setting('bench.runs', true), ''), '5')::int);
		INSERT INTO bench.results (benchmark, rows, c_ms, sql_ms, note)
		VALUES ('parallel ' || r.name, n, parallel_ms, serial_ms,
				'C = 2 parallel workers, SQL = no workers: C/SQL is the time ratio')
		ON CONFLICT (benchmark) DO UPDATE SET rows = EXCLUDED.rows, c_ms = EXCLUDED.c_ms,
			sql_ms = EXCLUDED.sql_ms, note = EXCLUDED.note;
	END LOOP;
END
$$;

-- The plans really are parallel.
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT skpi.open_counts(start_date, end_date, skpi.month_ends('2010-01-01', '2019-12-31')) FROM bench.par;
EXPLAIN (COSTS OFF) SELECT cardinality(skpi._duplicates(hashint8(id / 2))) FROM bench.par;
EXPLAIN (COSTS OFF) SELECT count(*) FROM bench.par WHERE NOT skpi._sorted_has((SELECT skpi._duplicates(hashint8(id / 2)) FROM bench.par WHERE id % 1000 < 2), hashint8(id / 2));
EXPLAIN (COSTS OFF) SELECT length(skpi._key_set(unit, id::text)) FROM bench.par;
EXPLAIN (COSTS OFF) SELECT count(*) FROM bench.par WHERE skpi._key_has((SELECT k.keys FROM bench.par_keys k), unit, id::text);
DROP TABLE bench.par, bench.par_keys;
