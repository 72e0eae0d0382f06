-- Report layer benchmark: _duplicates, which {dedup} of the normalisation views runs over a
-- 64-bit hash of each row's keys to find the keys that occur more than once, against the
-- plain-SQL way (GROUP BY ... HAVING count(*) > 1, which {dedup} ran before), over 15 million
-- keys at scale 1 (the contacts of 150 councils x 10 years), 0.1% of them repeated; the floor
-- is max() over the same column. With the cluster's work_mem, as in a refresh. No issue sets a
-- goal for it.
SELECT (15000000 * :scale)::bigint AS n, greatest(1, (15000 * :scale)::bigint) AS repeated \gset

DROP TABLE IF EXISTS bench.dupkeys;
-- keys 0 .. n - repeated - 1, the last rows repeating the first keys
CREATE TABLE bench.dupkeys AS
SELECT hashtextextended('C' || (i % (:n - :repeated)), 0) AS h
FROM generate_series(0, :n - 1) i;
VACUUM ANALYZE bench.dupkeys;

SELECT bench.compare('reports: _duplicates', :n,
$q$SELECT unnest(skpi._duplicates(h)) AS h FROM bench.dupkeys$q$,
$q$SELECT h FROM bench.dupkeys GROUP BY h HAVING count(*) > 1$q$,
$q$SELECT max(h) FROM bench.dupkeys$q$,
NULL, NULL, format('%s repeated keys; no goal: an internal aggregate of the normalisation views', :repeated));

DROP TABLE bench.dupkeys;
