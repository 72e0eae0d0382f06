-- randcall: random calls of every public function, aggregate and window function of schema skpi
-- with arguments drawn from pools of ordinary and edge values of their types (NULL, empty,
-- out of range, malformed, infinity dates, unsorted arrays, rows out of window order), run
-- serially and under forced parallel plans. Used by test/shell/sqlsmith.sh (crash hunting) and
-- test/shell/search_path.sh (every function called under a hostile search_path).
--
--   \i test/fuzz/randcall.sql
--   SELECT fz.setup(rows => 4000, seed => 0.42);        -- table fz.rows of random values
--   SELECT s FROM fz.statements(n => 2000, seed => 0.42); -- one SQL statement per row
--
-- The statements use no operator and no unqualified function of their own (only GROUP BY,
-- LIMIT/OFFSET, casts and skpi calls), so that search_path.sh can run them with public first.
-- Functions are discovered from the catalogue: new ones are covered without editing this file
-- as long as their argument types have a pool below (others are listed by fz.skipped()).
-- Writers (generate_ssd, build_reports, refresh_reports, schedule/unschedule) and internal
-- SQL helpers (names starting with an underscore) are left out; aggregate support functions and
-- C functions with such names (skpi._open_counts_combine(bigint[], bigint[]), ...) are called
-- directly, with crafted states, since any user can call them so.

CREATE SCHEMA IF NOT EXISTS fz;

-- Literal SQL expressions of a type, drawn at random: half ordinary values, half edge values.
CREATE OR REPLACE FUNCTION fz.literal(t regtype) RETURNS text
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r float8 := random();
	codes text[] := '{1A,1B,1C,2A,2B,2C,3A,3B,3C,4A,4B,4C,5A,5B,6A,6C,7A,8A,8B,8F,9A,10A,11A,12A,13A,14A,15A,16A,17A,18A,18B,18C,19A,19B,19C,20,21,22A,23A,24A}';
	edges text[];
	toks text[] := '{"[","]","\"",",", " ","1B","3a","16A","\\","x","2","A","null","0","]]","[["}';
	s text;
	k int;
BEGIN
	IF t = 'date'::regtype THEN
		IF r < 0.55 THEN
			RETURN format('%L::date', date '2014-01-01' + floor(random() * 4400)::int);
		END IF;
		edges := '{NULL, 2019-04-01, 2019-06-30, 2020-02-29, 2019-03-31, 2020-03-31, 1999-12-31, 2000-01-01, 1900-01-01, 1899-12-31, 1800-06-01, 2040-12-31, 2041-01-01, 2100-01-01, infinity, -infinity, 4714-11-24 BC, 5874897-12-31, 0001-01-01}';
		s := edges[1 + floor(random() * array_length(edges, 1))::int];
		RETURN CASE WHEN s IS NULL THEN 'NULL::date' ELSE format('%L::date', s) END;
	ELSIF t IN ('integer'::regtype, 'smallint'::regtype, 'bigint'::regtype) THEN
		IF r < 0.5 THEN
			RETURN format('%L::%s', floor(random() * 60)::int - 5, t);
		END IF;
		edges := '{NULL,0,1,-1,2,3,6,10,45,100,1000,32767,-32768,2147483647,-2147483648}';
		IF t = 'bigint'::regtype THEN
			edges := edges || '{9223372036854775807,-9223372036854775808,1000000000000}'::text[];
		END IF;
		s := edges[1 + floor(random() * array_length(edges, 1))::int];
		RETURN CASE WHEN s IS NULL THEN format('NULL::%s', t) ELSE format('%L::%s', s, t) END;
	ELSIF t IN ('double precision'::regtype, 'real'::regtype, 'numeric'::regtype) THEN
		edges := '{NULL,0,0.5,0.8,0.9,0.95,0.99,1,1.5,-0.1,NaN,Infinity,-Infinity,1e-300,1e300,0.999999999999}';
		s := edges[1 + floor(random() * array_length(edges, 1))::int];
		IF t = 'numeric'::regtype AND s IN ('1e-300', '1e300') THEN s := '1e-30'; END IF;
		RETURN CASE WHEN s IS NULL THEN format('NULL::%s', t) ELSE format('%L::%s', s, t) END;
	ELSIF t = 'boolean'::regtype THEN
		RETURN (ARRAY['true', 'false', 'NULL::boolean'])[1 + floor(random() * 3)::int];
	ELSIF t = 'interval'::regtype THEN
		edges := '{NULL,0,1 day,7 days,12 months,2 years,1 year,-1 day,1 mon -40 days,178000000 years,1 microsecond,-178000000 years}';
		s := edges[1 + floor(random() * array_length(edges, 1))::int];
		RETURN CASE WHEN s IS NULL THEN 'NULL::interval' ELSE format('%L::interval', s) END;
	ELSIF t IN ('timestamp without time zone'::regtype, 'timestamp with time zone'::regtype) THEN
		IF r < 0.6 THEN
			RETURN format('%L::%s', timestamp '2014-01-01' + random() * interval '4400 days', t);
		END IF;
		edges := '{NULL,infinity,-infinity,1900-01-01 00:00,2019-04-01 23:59:59.999999,294276-12-31}';
		s := edges[1 + floor(random() * array_length(edges, 1))::int];
		RETURN CASE WHEN s IS NULL THEN format('NULL::%s', t) ELSE format('%L::%s', s, t) END;
	ELSIF t IN ('text'::regtype, 'character varying'::regtype, 'character'::regtype, 'name'::regtype) THEN
		IF r < 0.3 THEN
			RETURN format('%L::%s', codes[1 + floor(random() * array_length(codes, 1))::int], t);
		ELSIF r < 0.5 THEN
			-- a JSON-ish list of codes, sometimes mangled
			SELECT '[' || string_agg('"' || codes[1 + floor(random() * array_length(codes, 1))::int] || '"', ', ') || ']'
			INTO s FROM generate_series(1, floor(random() * 6)::int);
			RETURN format('%L::%s', COALESCE(s, '[]'), t);
		ELSIF r < 0.7 THEN
			SELECT string_agg(toks[1 + floor(random() * array_length(toks, 1))::int], '')
			INTO s FROM generate_series(1, floor(random() * 14)::int);
			RETURN format('%L::%s', COALESCE(s, ''), t);
		END IF;
		edges := ARRAY[NULL, '', ' ', 'month', 'quarter', 'year', 'week', 'MONTH', ' Quarter ', 'child',
					   'parent/carer', 'other', 'domestic_abuse', 'mental_health', 'substance_misuse',
					   'local', 'ssd', 'kpi', 'L', 'T', 'U', 'S', 'P', '1b', ' 16a ', '99Z', '8A', 'zz',
					   '[]', '[ ]', '["1B","3A","16A"]', '["1b" , " 3a "]', '[', ']', '["1B"', '["1B",]',
					   '[1B]', '["1B""3A"]', '{"a":1}', 'null', '["1B",null]', '[""]', '"1B"', '["1B"]x',
					   '["' || repeat('A', 300) || '"]', repeat('[', 5000), repeat('["1B",', 2000) || '"1B"]',
					   E'\u00e9t\u00e9', E'["1B\\u0041"]', '* * * * *', '0 3 * * *', 'not a cron'];
		s := edges[1 + floor(random() * array_length(edges, 1))::int];
		RETURN CASE WHEN s IS NULL THEN format('NULL::%s', t) ELSE format('%L::%s', s, t) END;
	ELSIF t = 'date[]'::regtype THEN
		k := floor(random() * 10)::int;
		IF r < 0.4 THEN   -- ascending month ends
			RETURN format('ARRAY(SELECT (d OPERATOR(pg_catalog.+) interval ''1 month'' OPERATOR(pg_catalog.-) interval ''1 day'')::date FROM pg_catalog.generate_series(%L::date, %L::date, interval ''1 month'') d)',
						  date '2016-01-01' + floor(random() * 1500)::int, date '2016-01-01' + floor(random() * 4000)::int);
		ELSIF r < 0.7 THEN  -- random order, duplicates possible
			SELECT 'ARRAY[' || string_agg(fz.literal('date'), ',') || ']::date[]' INTO s FROM generate_series(1, k);
			RETURN COALESCE(s, '''{}''::date[]');
		END IF;
		edges := ARRAY[NULL, '{}', '{NULL}', '{2019-06-30,NULL}', '{2019-04-01,2019-04-01}', '{2020-03-31,2019-03-31}',
					   '{-infinity,2019-06-30,infinity}', '{4714-11-24 BC,5874897-12-31}', '{{2019-03-31},{2020-03-31}}'];
		s := edges[1 + floor(random() * array_length(edges, 1))::int];
		IF random() < 0.1 THEN
			RETURN 'ARRAY(SELECT d::date FROM pg_catalog.generate_series(date ''1990-01-01'', date ''2030-01-01'', interval ''1 day'') d)';
		END IF;
		RETURN CASE WHEN s IS NULL THEN 'NULL::date[]' ELSE format('%L::date[]', s) END;
	ELSIF t = 'text[]'::regtype THEN
		k := floor(random() * 8)::int;
		IF r < 0.8 THEN
			SELECT 'ARRAY[' || string_agg(fz.literal('text'), ',') || ']::text[]' INTO s FROM generate_series(1, k);
			RETURN COALESCE(s, '''{}''::text[]');
		END IF;
		RETURN (ARRAY['NULL::text[]', '''{}''::text[]', '''{NULL}''::text[]', '''{{1B,3A},{4B,2B}}''::text[]'])[1 + floor(random() * 4)::int];
	ELSIF t IN ('integer[]'::regtype, 'bigint[]'::regtype) THEN
		SELECT 'ARRAY[' || string_agg(fz.literal(format_type((SELECT typelem FROM pg_type WHERE oid = t), NULL)::regtype), ',') || ']::' || t
		INTO s FROM generate_series(1, floor(random() * 6)::int);
		RETURN COALESCE(s, format('''{}''::%s', t));
	ELSIF t = 'jsonb'::regtype OR t = 'json'::regtype THEN
		RETURN format('%s::%s', fz.literal('text'), t);
	END IF;
	-- a type of the extension (skpi.trio, skpi.ranking, ...): a value made by an aggregate or a
	-- function of the schema that returns it, a mangled copy of its text form, or garbage text
	IF r < 0.6 THEN
		s := fz.producer(t);
		IF s IS NOT NULL THEN
			RETURN s;
		END IF;
	ELSIF r < 0.8 THEN
		s := fz.producer(t);
		IF s IS NOT NULL THEN
			k := 1 + floor(random() * 12)::int;
			RETURN format('pg_catalog.overlay((%s)::text, %L, %s, %s)::%s',
						  s, (ARRAY['x', '', '9', '-1', '{', '}', ',', '"', '99999999999'])[1 + floor(random() * 9)::int],
						  k, floor(random() * 3)::int, t);
		END IF;
	END IF;
	s := (ARRAY[NULL, '', 'x', '()', '{}', '(,,,,)', '0', '-1', '99999999999999999999', '(1,2,3)', '{"a":1}', repeat('9', 2000)])[1 + floor(random() * 12)::int];
	RETURN CASE WHEN s IS NULL THEN format('NULL::%s', t) ELSE format('%L::%s', s, t) END;
END
$$;

-- The column of fz.rows of a type, if there is one.
CREATE OR REPLACE FUNCTION fz.column_of(t regtype) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE t
		WHEN 'date'::regtype THEN (ARRAY['d1', 'd2', 'd1', 'd3'])[1 + floor(random() * 4)::int]
		WHEN 'text'::regtype THEN (ARRAY['c1', 'c1', 'c2', 't1'])[1 + floor(random() * 4)::int]
		WHEN 'integer'::regtype THEN 'i1' WHEN 'bigint'::regtype THEN 'b1'
		WHEN 'double precision'::regtype THEN 'f1' WHEN 'boolean'::regtype THEN 'bo'
		WHEN 'interval'::regtype THEN 'iv' WHEN 'date[]'::regtype THEN 'da'
		WHEN 'text[]'::regtype THEN 'ta' END
$$;

-- An expression of type t made by a function or aggregate of the schema, or NULL.
CREATE OR REPLACE FUNCTION fz.producer(t regtype) RETURNS text
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	p record;
	args text;
BEGIN
	SELECT pr.oid, pr.prokind, pr.proargtypes::regtype[] AS types INTO p
	FROM pg_proc pr
	WHERE pr.pronamespace = 'skpi'::regnamespace AND pr.prorettype = t AND pr.prokind IN ('a', 'f')
	  AND NOT pr.proretset AND pr.proname !~ '^_' AND NOT ('internal'::regtype = ANY (pr.proargtypes::regtype[]))
	  AND NOT (t = ANY (pr.proargtypes::regtype[]))
	ORDER BY random() LIMIT 1;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF p.prokind = 'a' THEN
		SELECT string_agg(COALESCE(CASE WHEN random() < 0.85 THEN fz.column_of(a) END, fz.literal(a)), ', ' ORDER BY n)
		INTO args FROM unnest(p.types) WITH ORDINALITY u(a, n);
		RETURN format('(SELECT %s(%s) FROM (SELECT * FROM fz.rows LIMIT %s OFFSET %s) r)',
					  p.oid::regproc, COALESCE(args, '*'), floor(random() * 300)::int, floor(random() * 3000)::int);
	END IF;
	SELECT string_agg(fz.literal(a), ', ' ORDER BY n) INTO args FROM unnest(p.types) WITH ORDINALITY u(a, n);
	RETURN format('%s(%s)', p.oid::regproc, COALESCE(args, ''));
END
$$;

-- Functions that are called by the statements, and those left out with the reason.
CREATE OR REPLACE VIEW fz.targets AS
	SELECT p.oid, p.oid::regprocedure AS fn, p.prokind, p.proretset, p.proargtypes::regtype[] AS types,
		CASE
			WHEN p.proname ~ '^_' AND p.prolang <> (SELECT oid FROM pg_language WHERE lanname = 'c')
				 AND NOT EXISTS (SELECT 1 FROM pg_aggregate a
								 WHERE p.oid IN (a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn))
				THEN 'internal name'
			WHEN p.proname IN ('generate_ssd', 'build_reports', 'refresh_reports', 'schedule_refresh',
							   'unschedule_refresh') THEN 'writes'
			WHEN p.prorettype IN ('trigger'::regtype, 'internal'::regtype) THEN 'support function'
			WHEN 'internal'::regtype = ANY (p.proargtypes::regtype[]) THEN 'support function'
			WHEN EXISTS (SELECT 1 FROM pg_type ty WHERE ty.typinput = p.oid OR ty.typoutput = p.oid
							OR ty.typreceive = p.oid OR ty.typsend = p.oid) THEN 'type i/o'
			WHEN EXISTS (SELECT 1 FROM unnest(p.proargtypes::regtype[]) a
						 WHERE a::text IN ('cstring', 'anyelement', 'anyarray', '"any"', 'regclass', 'oid')) THEN 'argument type without a pool'
		END AS skipped
	FROM pg_proc p
	WHERE p.pronamespace = 'skpi'::regnamespace AND p.prokind IN ('f', 'a', 'w');

CREATE OR REPLACE FUNCTION fz.skipped() RETURNS TABLE(fn regprocedure, reason text)
LANGUAGE sql STABLE AS $$ SELECT fn, skipped FROM fz.targets WHERE skipped IS NOT NULL ORDER BY 1::text $$;

-- A table of random values: g (group), o (row order), d1..d3 dates (d2 >= d1 mostly), c1, c2
-- factor codes, t1 random text, i1, b1, f1, bo, iv, da (one snapshot array shared by most
-- rows), ta (code lists).
CREATE OR REPLACE FUNCTION fz.setup(nrows int DEFAULT 4000, seed float8 DEFAULT 0.5) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	n bigint;
BEGIN
	PERFORM setseed(seed);
	DROP TABLE IF EXISTS fz.rows;
	CREATE TABLE fz.rows AS
	SELECT (i % 37)::int AS g, i AS o, d1,
		   CASE WHEN random() < 0.2 THEN NULL WHEN random() < 0.03 THEN d1 - 5 ELSE d1 + floor(random() * 900)::int END AS d2,
		   CASE WHEN random() < 0.02 THEN 'infinity'::date WHEN random() < 0.02 THEN NULL ELSE d1 END AS d3,
		   (ARRAY['1A','1B','1C','2A','2B','2C','3A','3B','3C','4A','4B','4C','16A','21','8A','18A','24A'])[1 + floor(random() * 17)::int] AS c1,
		   CASE WHEN random() < 0.05 THEN 'ZZ' WHEN random() < 0.05 THEN NULL ELSE (ARRAY['child','parent/carer','other','1B','3A','x'])[1 + floor(random() * 6)::int] END AS c2,
		   md5(i::text) AS t1,
		   floor(random() * 20)::int AS i1, floor(random() * 1000)::bigint AS b1, random() AS f1,
		   random() < 0.3 AS bo,
		   (ARRAY['0', '1 day', '2 years', '12 months'])[1 + floor(random() * 4)::int]::interval AS iv,
		   CASE WHEN random() < 0.995 THEN '{2018-03-31,2019-03-31,2020-03-31,2021-03-31}'::date[]
				ELSE '{2019-03-31,2018-03-31}'::date[] END AS da,
		   ARRAY(SELECT (ARRAY['1B','3A','4B','2B','16A','21'])[1 + floor(random() * 6)::int]
				 FROM generate_series(1, (i % 4)::int)) AS ta
	FROM (SELECT i, CASE WHEN random() < 0.02 THEN NULL ELSE date '2015-01-01' + floor(random() * 3600)::int END AS d1
		  FROM generate_series(1, nrows) i) s;
	ANALYZE fz.rows;
	SELECT count(*) INTO n FROM fz.rows;
	RETURN n;
END
$$;

-- n random statements (deterministic for a seed).
CREATE OR REPLACE FUNCTION fz.statements(n int DEFAULT 1000, seed float8 DEFAULT 0.5) RETURNS SETOF text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	fns fz.targets[];
	f fz.targets;
	i int;
	args text;
	ord text;
	frame text;
	src text;
BEGIN
	PERFORM setseed(seed);
	SELECT array_agg(t ORDER BY t.fn::text) INTO fns FROM fz.targets t WHERE t.skipped IS NULL;
	IF fns IS NULL THEN
		RETURN;
	END IF;
	FOR i IN 1..n LOOP
		f := fns[1 + floor(random() * array_length(fns, 1))::int];
		IF random() < 0.05 THEN
			RETURN NEXT CASE WHEN random() < 0.5
				THEN 'SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;'
				ELSE 'RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size; RESET max_parallel_workers_per_gather;' END;
		END IF;
		src := format('(SELECT * FROM fz.rows LIMIT %s OFFSET %s) r',
					  (ARRAY[0, 1, 2, 5, 50, 500, 5000])[1 + floor(random() * 7)::int], floor(random() * 200)::int);
		IF f.prokind = 'f' THEN
			SELECT string_agg(fz.literal(a), ', ' ORDER BY k) INTO args FROM unnest(f.types) WITH ORDINALITY u(a, k);
			IF f.proretset THEN
				RETURN NEXT format('SELECT * FROM %s(%s) LIMIT 100;', f.oid::regproc, COALESCE(args, ''));
			ELSE
				RETURN NEXT format('SELECT %s(%s);', f.oid::regproc, COALESCE(args, ''));
			END IF;
		ELSE
			-- aggregate or window: columns of fz.rows where the type has one, else literals
			SELECT string_agg(COALESCE(CASE WHEN random() < 0.8 THEN fz.column_of(a) END, fz.literal(a)), ', ' ORDER BY k)
			INTO args FROM unnest(f.types) WITH ORDINALITY u(a, k);
			ord := CASE WHEN random() < 0.75 THEN (SELECT fz.column_of(f.types[1])) END;
			ord := COALESCE(ord, (ARRAY['d1', 'o', 'd2', 'c1', 'f1'])[1 + floor(random() * 5)::int]);
			IF f.prokind = 'w' THEN
				frame := (ARRAY['', '', '', ' ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING',
								' ROWS BETWEEN 1 PRECEDING AND CURRENT ROW', ' ROWS BETWEEN CURRENT ROW AND 2 FOLLOWING'])[1 + floor(random() * 6)::int];
				RETURN NEXT format('SELECT g, %s(%s) OVER (%s%s%s) FROM %s;', f.oid::regproc, COALESCE(args, ''),
								   CASE WHEN random() < 0.8 THEN 'PARTITION BY g ' ELSE '' END,
								   CASE WHEN random() < 0.9 THEN 'ORDER BY ' || ord || CASE WHEN random() < 0.15 THEN ' DESC' ELSE '' END ELSE '' END,
								   frame, src);
			ELSIF random() < 0.15 THEN
				-- aggregate used as a window aggregate: the final function runs repeatedly on one state
				RETURN NEXT format('SELECT %s(%s) OVER (PARTITION BY g ORDER BY %s) FROM %s;',
								   f.oid::regproc, COALESCE(args, '*'), ord, src);
			ELSIF random() < 0.5 THEN
				RETURN NEXT format('SELECT g, %s(%s) FROM %s GROUP BY g;', f.oid::regproc, COALESCE(args, '*'), src);
			ELSE
				RETURN NEXT format('SELECT %s(%s) FROM %s;', f.oid::regproc, COALESCE(args, '*'),
								   CASE WHEN random() < 0.4 THEN 'fz.rows r' ELSE src END);
			END IF;
		END IF;
	END LOOP;
END
$$;
