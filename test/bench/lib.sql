-- Benchmark helpers, loaded into the benchmark database before every test/bench/*.sql file.
--
-- A benchmark file builds its data (sized by the psql variable :scale, 1 = the sizes named in
-- the issues) and calls bench.compare() once per comparison. Timings are taken inside the server
-- with clock_timestamp(): one warm-up run, then the median of :runs runs (default 5), the runs
-- of the queries compared interleaved.

CREATE SCHEMA IF NOT EXISTS bench;

CREATE TABLE IF NOT EXISTS bench.results (
	benchmark text PRIMARY KEY,
	rows bigint,
	c_ms float8,
	sql_ms float8,
	floor_ms float8,
	goal_c_sql float8,		-- C time must be at most goal_c_sql x the SQL time (NULL: no goal)
	goal_c_floor float8,	-- C time must be at most goal_c_floor x the floor time (NULL: no goal)
	note text,
	c_sql_ratio float8,		-- median over the runs of C time / SQL time of the same run
	c_floor_ratio float8	-- median over the runs of C time / floor time of the same run
);

-- Wall time in milliseconds of one run of query q (its rows are discarded). count(bench_q.*)
-- (not count(*)) so that the planner cannot skip computing q.
CREATE OR REPLACE FUNCTION bench.run_ms(q text) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz := clock_timestamp();
BEGIN
	EXECUTE 'SELECT count(bench_q.*) FROM (' || q || ') AS bench_q';
	RETURN extract(epoch FROM clock_timestamp() - t0) * 1000;
END
$$;

-- Median wall time in milliseconds of running query q, after one warm-up run.
CREATE OR REPLACE FUNCTION bench.time_ms(q text, runs int DEFAULT 5) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE
	times float8[] := '{}';
	i int;
BEGIN
	PERFORM bench.run_ms(q);
	FOR i IN 1..runs LOOP
		times := times || bench.run_ms(q);
	END LOOP;
	RETURN (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t) FROM unnest(times) t);
END
$$;

-- Times the C query, the best plain-SQL equivalent and the floor (NULL to skip), and records
-- them. c_query and sql_query must return the same rows: this is checked before timing. After
-- one warm-up run of each, the runs are interleaved (C, SQL, floor, C, SQL, floor, ...) so that
-- a change in the machine's load during the comparison weighs on the three alike; each time is
-- the median of its runs. The ratios are paired: the median over the runs of C / SQL (C / floor)
-- of the same run, which a drift in the machine's speed between runs leaves alone.
CREATE OR REPLACE FUNCTION bench.compare(name text, nrows bigint, c_query text, sql_query text,
										 floor_query text, goal_c_sql float8, goal_c_floor float8,
										 note text DEFAULT NULL, check_equal boolean DEFAULT true)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	diff bigint;
	runs int := coalesce(nullif(current_setting('bench.runs', true), ''), '5')::int;
	c_times float8[] := '{}';
	sql_times float8[] := '{}';
	floor_times float8[] := '{}';
	i int;
BEGIN
	IF check_equal AND sql_query IS NOT NULL THEN
		EXECUTE format('SELECT count(*) FROM ((%s) EXCEPT ALL (%s)) a', c_query, sql_query) INTO diff;
		IF diff <> 0 THEN
			RAISE EXCEPTION 'benchmark %: the C and SQL queries disagree on % rows', name, diff;
		END IF;
	END IF;
	PERFORM bench.run_ms(c_query);
	PERFORM bench.run_ms(sql_query) WHERE sql_query IS NOT NULL;
	PERFORM bench.run_ms(floor_query) WHERE floor_query IS NOT NULL;
	FOR i IN 1..runs LOOP
		c_times := c_times || bench.run_ms(c_query);
		IF sql_query IS NOT NULL THEN
			sql_times := sql_times || bench.run_ms(sql_query);
		END IF;
		IF floor_query IS NOT NULL THEN
			floor_times := floor_times || bench.run_ms(floor_query);
		END IF;
	END LOOP;
	INSERT INTO bench.results VALUES (
		name, nrows,
		(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t) FROM unnest(c_times) t),
		(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t) FROM unnest(sql_times) t),
		(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t) FROM unnest(floor_times) t),
		goal_c_sql, goal_c_floor, note,
		(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY c / s)
		 FROM unnest(c_times, sql_times) r(c, s) WHERE s > 0),
		(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY c / f)
		 FROM unnest(c_times, floor_times) r(c, f) WHERE f > 0))
	ON CONFLICT (benchmark) DO UPDATE SET rows = EXCLUDED.rows, c_ms = EXCLUDED.c_ms,
		sql_ms = EXCLUDED.sql_ms, floor_ms = EXCLUDED.floor_ms, goal_c_sql = EXCLUDED.goal_c_sql,
		goal_c_floor = EXCLUDED.goal_c_floor, note = EXCLUDED.note,
		c_sql_ratio = EXCLUDED.c_sql_ratio, c_floor_ratio = EXCLUDED.c_floor_ratio;
	RAISE NOTICE 'benchmark % done', name;
END
$$;

-- Records a timing that has no C/SQL pair (e.g. a report refresh).
CREATE OR REPLACE FUNCTION bench.record(name text, nrows bigint, ms float8, note text DEFAULT NULL)
RETURNS void LANGUAGE sql AS $$
	INSERT INTO bench.results (benchmark, rows, c_ms, note) VALUES (name, nrows, ms, note)
	ON CONFLICT (benchmark) DO UPDATE SET rows = EXCLUDED.rows, c_ms = EXCLUDED.c_ms, note = EXCLUDED.note;
$$;
