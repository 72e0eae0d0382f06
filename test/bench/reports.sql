-- Report layer benchmarks over 15 million keys at scale 1 (the contacts of 150 councils x 10
-- years), 0.1% of them repeated, with the cluster's work_mem, as in a refresh. No issue sets a
-- goal for them.
-- _duplicates, which {dedup} of the normalisation views runs over a 64-bit hash of each row's
-- keys to find the keys that occur more than once, against the plain-SQL way (GROUP BY ...
-- HAVING count(*) > 1, which {dedup} ran before); the floor is max() over the same column.
-- _sorted_has, which then keeps the rows whose key is not among them, against a hashed NOT IN
-- over the same keys (what {dedup} ran before); both find the keys with _duplicates (the array
-- an initplan's result, as in the views: an array read from a table would be detoasted, and
-- checked, on every call); the floor is count(*).
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

SELECT bench.compare('reports: _sorted_has', :n,
$q$SELECT count(*) FROM bench.dupkeys WHERE NOT skpi._sorted_has((SELECT skpi._duplicates(h) FROM bench.dupkeys), h)$q$,
$q$SELECT count(*) FROM bench.dupkeys WHERE h NOT IN (SELECT unnest(skpi._duplicates(h)) FROM bench.dupkeys)$q$,
$q$SELECT count(*) FROM bench.dupkeys$q$,
NULL, NULL, format('rows kept: not among the %s repeated keys, found by _duplicates in both; no goal: the point is that it can run in parallel workers (see parallel _sorted_has), a hashed subplan over a CTE cannot', :repeated));

DROP TABLE bench.dupkeys;
