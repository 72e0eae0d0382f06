-- Rates benchmark: the share() aggregate against the two counts it replaces.
--
--   C      skpi.share(flag): one transition call per row, a bigint[2] state updated in place
--   SQL    count(*) FILTER (WHERE flag), count(flag) (goal: C at most 1.3 x its time)
--   floor  a bare count(*) over the same rows (no goal; for scale)
--
-- Sizes: 10 million flags at scale 1, 20% NULL, 30% of the rest true.

SELECT greatest((10000000 * :scale)::bigint, 1000) AS n \gset

DROP TABLE IF EXISTS bench.rate_flags;
SELECT setseed(0.5);
CREATE TABLE bench.rate_flags AS
SELECT CASE WHEN random() < 0.2 THEN NULL ELSE random() < 0.3 END AS flag
FROM generate_series(1, :n);
VACUUM ANALYZE bench.rate_flags;

SELECT bench.compare(
	'rates: share vs count(*) FILTER',
	:n,
	$$SELECT (s).numerator, (s).denominator
	  FROM (SELECT skpi.share(flag) AS s FROM bench.rate_flags) x$$,
	$$SELECT count(*) FILTER (WHERE flag), count(flag) FROM bench.rate_flags$$,
	$$SELECT count(*) FROM bench.rate_flags$$,
	1.3, NULL,
	'flags 20% NULL; SQL = count(*) FILTER (WHERE flag), count(flag)');

DROP TABLE bench.rate_flags;
