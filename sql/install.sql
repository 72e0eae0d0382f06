-- Installing the extension, and catalogue rules every object must follow.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS safeguarding_kpi;
RESET client_min_messages;

SELECT extname, extversion, extrelocatable, extnamespace::regnamespace AS schema
FROM pg_extension WHERE extname = 'safeguarding_kpi';

SELECT skpi.library_version() = extversion AS library_matches_sql
FROM pg_extension WHERE extname = 'safeguarding_kpi';

-- No function runs with its owner's rights.
SELECT p.oid::regprocedure AS security_definer_function
FROM pg_proc p
WHERE p.pronamespace = 'skpi'::regnamespace AND p.prosecdef;

-- Every function is PARALLEL SAFE except those that write (named here) and
-- _secondary_suppression, which reads a temporary table (restricted).
SELECT p.oid::regprocedure AS not_parallel_safe, p.proparallel
FROM pg_proc p
WHERE p.pronamespace = 'skpi'::regnamespace
  AND p.proparallel <> 's'
  AND p.prorettype <> 'trigger'::regtype
  AND p.proname NOT IN ('build_reports', 'refresh_reports', 'schedule_refresh', 'generate_ssd',
                        'unschedule_refresh', '_make_reference_table')
ORDER BY 1;

-- C functions are never VOLATILE unless they are aggregate support or read tables (STABLE).
SELECT p.oid::regprocedure AS volatile_c_function
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.pronamespace = 'skpi'::regnamespace AND l.lanname = 'c' AND p.provolatile = 'v'
  AND p.prorettype <> 'trigger'::regtype
ORDER BY 1;

-- Every aggregate has a combine function; internal states also serialise.
SELECT a.aggfnoid::regprocedure AS aggregate_missing_support
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
WHERE p.pronamespace = 'skpi'::regnamespace
  AND (a.aggcombinefn = 0
       OR (a.aggtranstype = 'internal'::regtype AND (a.aggserialfn = 0 OR a.aggdeserialfn = 0)))
ORDER BY 1;

-- Every function, table and view of the extension has a comment.
SELECT p.oid::regprocedure AS function_without_comment
FROM pg_proc p
WHERE p.pronamespace = 'skpi'::regnamespace
  AND obj_description(p.oid, 'pg_proc') IS NULL
  AND p.prokind IN ('f', 'a', 'w')
  AND NOT EXISTS (SELECT 1 FROM pg_aggregate a
                  WHERE p.oid IN (a.aggtransfn, a.aggfinalfn, a.aggcombinefn,
                                  a.aggserialfn, a.aggdeserialfn))
  AND p.proname NOT LIKE '%\_in' AND p.proname NOT LIKE '%\_out'
  AND p.proname NOT LIKE '%\_recv' AND p.proname NOT LIKE '%\_send'
  AND p.proname NOT LIKE '\_%'
ORDER BY 1;
SELECT c.oid::regclass AS relation_without_comment
FROM pg_class c
WHERE c.relnamespace = 'skpi'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p')
  AND obj_description(c.oid, 'pg_class') IS NULL
ORDER BY 1;
