-- generate_ssd at scale: 150 councils x 10 years at scale 1 (the goal: under 10 minutes on a
-- 2-core machine). Records the wall time of one run.
SELECT greatest(1, round(150 * :scale))::int AS councils \gset
SELECT clock_timestamp() AS t0 \gset
SELECT skpi.generate_ssd('bench_ssd', :councils, 10, 1) AS rows \gset
SELECT bench.record('generate_ssd ' || :councils || ' councils x 10 years', :rows,
					extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000,
					format('%s rows; goal at scale 1: 150 councils in under 600000 ms%s', :rows,
						   CASE WHEN :councils = 150 THEN CASE WHEN clock_timestamp() - :'t0'::timestamptz < interval '10 minutes'
															   THEN ' (pass)' ELSE ' (short)' END END));
DROP SCHEMA bench_ssd CASCADE;
DELETE FROM skpi.population WHERE area_code LIKE 'X1%';
