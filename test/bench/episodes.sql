-- Episodes benchmark: repeat_within, previous_end and spell_number over 10 million episodes of
-- 2 million children (scale 1), each against its best plain-SQL equivalent and against
-- row_number() over the same window carrying the same columns (the floor: the sort both pay).
-- Every query returns one row, an aggregate of the window's results.
--
-- The C functions and the floor are called over a ROWS frame, (... ROWS UNBOUNDED PRECEDING),
-- the way the README recommends: the functions ignore the frame, and PostgreSQL 15 keeps the end
-- of the default RANGE frame up to date for every row of a window that has a window function,
-- comparing each row with the next for peers. A last comparison shows previous_end and the floor
-- over the default frame, for the record.
SELECT (10000000 * :scale)::bigint AS n, greatest(1, (2000000 * :scale)::bigint) AS children \gset
-- Enough memory for every method's sort to stay in memory: an external sort's disk traffic
-- made the timings of one query vary by 15% between runs on the project's machine.
SET work_mem = '2GB';

DROP TABLE IF EXISTS bench.episodes;
SELECT setseed(0.5);
-- Starts spread over 20 years, plans of 0-800 days, 8% still open; children and starts are
-- random, so the rows are in no useful order on disk and every query sorts them.
CREATE TABLE bench.episodes AS
SELECT id, child, s, CASE WHEN r < 0.08 THEN NULL ELSE s + (random() * 800)::int END AS e
FROM (SELECT i AS id, 1 + floor(random() * :children)::int AS child,
             date '2000-01-01' + (random() * 7300)::int AS s, random() AS r
      FROM generate_series(1, :n) i) x;
VACUUM ANALYZE bench.episodes;

-- repeat_within: the latest earlier end (open = infinity) against start - 2 years.
SELECT bench.compare('episodes: repeat_within', :n,
$q$SELECT count(*) FILTER (WHERE r) AS repeats
FROM (SELECT skpi.repeat_within(s, e, '2 years') OVER w AS r
      FROM bench.episodes WINDOW w AS (PARTITION BY child ORDER BY s, id ROWS UNBOUNDED PRECEDING)) x$q$,
$q$SELECT count(*) FILTER (WHERE r) AS repeats
FROM (SELECT coalesce(max(coalesce(e, 'infinity')) OVER w >= s - interval '2 years', false) AS r
      FROM bench.episodes
      WINDOW w AS (PARTITION BY child ORDER BY s, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) x$q$,
$q$SELECT count(*) FILTER (WHERE r > 1 AND e IS NOT NULL) AS later
FROM (SELECT row_number() OVER w AS r, e
      FROM bench.episodes WINDOW w AS (PARTITION BY child ORDER BY s, id ROWS UNBOUNDED PRECEDING)) x$q$,
1.0, 1.15, 'C and row_number() over (PARTITION BY child ORDER BY s, id ROWS UNBOUNDED PRECEDING)');

-- previous_end: the latest earlier end itself.
SELECT bench.compare('episodes: previous_end', :n,
$q$SELECT count(*) FILTER (WHERE p = 'infinity') AS after_open,
       sum(p - date '2000-01-01') FILTER (WHERE p <> 'infinity') AS day_sum
FROM (SELECT skpi.previous_end(s, e) OVER w AS p
      FROM bench.episodes WINDOW w AS (PARTITION BY child ORDER BY s, id ROWS UNBOUNDED PRECEDING)) x$q$,
$q$SELECT count(*) FILTER (WHERE p = 'infinity') AS after_open,
       sum(p - date '2000-01-01') FILTER (WHERE p <> 'infinity') AS day_sum
FROM (SELECT max(coalesce(e, 'infinity')) OVER w AS p
      FROM bench.episodes
      WINDOW w AS (PARTITION BY child ORDER BY s, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) x$q$,
$q$SELECT count(*) FILTER (WHERE r > 1 AND e IS NOT NULL) AS later
FROM (SELECT row_number() OVER w AS r, e
      FROM bench.episodes WINDOW w AS (PARTITION BY child ORDER BY s, id ROWS UNBOUNDED PRECEDING)) x$q$,
1.0, 1.15, 'C and row_number() over (PARTITION BY child ORDER BY s, id ROWS UNBOUNDED PRECEDING)');

-- spell_number: periods of care (a row joins when it starts on or before the latest earlier
-- end). Plain SQL needs two windows: the latest earlier end, then a running count of new spells.
SELECT bench.compare('episodes: spell_number', :n,
$q$SELECT sum(n) AS spell_sum, max(n) AS most_spells
FROM (SELECT skpi.spell_number(s, e) OVER w AS n
      FROM bench.episodes WINDOW w AS (PARTITION BY child ORDER BY s, id ROWS UNBOUNDED PRECEDING)) x$q$,
$q$SELECT sum(n) AS spell_sum, max(n) AS most_spells
FROM (SELECT sum(CASE WHEN s <= pe THEN 0 ELSE 1 END)
               OVER (PARTITION BY child ORDER BY s, id ROWS UNBOUNDED PRECEDING) AS n
      FROM (SELECT child, s, id, max(coalesce(e, 'infinity')) OVER w AS pe
            FROM bench.episodes
            WINDOW w AS (PARTITION BY child ORDER BY s, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) a) x$q$,
$q$SELECT count(*) FILTER (WHERE r > 1 AND e IS NOT NULL) AS later
FROM (SELECT row_number() OVER w AS r, e
      FROM bench.episodes WINDOW w AS (PARTITION BY child ORDER BY s, id ROWS UNBOUNDED PRECEDING)) x$q$,
1.0, 1.15, 'C and row_number() over (PARTITION BY child ORDER BY s, id ROWS UNBOUNDED PRECEDING)');

-- previous_end and the floor over the default RANGE frame (no goal: the comparisons above are
-- the measured ones).
SELECT bench.compare('episodes: previous_end, default RANGE frame', :n,
$q$SELECT count(*) FILTER (WHERE p = 'infinity') AS after_open,
       sum(p - date '2000-01-01') FILTER (WHERE p <> 'infinity') AS day_sum
FROM (SELECT skpi.previous_end(s, e) OVER w AS p
      FROM bench.episodes WINDOW w AS (PARTITION BY child ORDER BY s, id)) x$q$,
$q$SELECT count(*) FILTER (WHERE p = 'infinity') AS after_open,
       sum(p - date '2000-01-01') FILTER (WHERE p <> 'infinity') AS day_sum
FROM (SELECT max(coalesce(e, 'infinity')) OVER w AS p
      FROM bench.episodes
      WINDOW w AS (PARTITION BY child ORDER BY s, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) x$q$,
$q$SELECT count(*) FILTER (WHERE r > 1 AND e IS NOT NULL) AS later
FROM (SELECT row_number() OVER w AS r, e
      FROM bench.episodes WINDOW w AS (PARTITION BY child ORDER BY s, id)) x$q$,
NULL, NULL, 'the functions and row_number() over (PARTITION BY child ORDER BY s, id), no frame clause');

DROP TABLE bench.episodes;
