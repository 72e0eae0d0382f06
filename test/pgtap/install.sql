-- The extension's schema and its basic promises.
BEGIN;
SELECT plan(5);

SELECT has_schema('skpi');
SELECT has_extension('safeguarding_kpi');
SELECT is((SELECT extrelocatable FROM pg_extension WHERE extname = 'safeguarding_kpi'), false,
          'the extension is not relocatable');
SELECT is(skpi.library_version(),
          (SELECT extversion FROM pg_extension WHERE extname = 'safeguarding_kpi')::text,
          'the shared library matches the installed SQL version');
SELECT is((SELECT count(*) FROM pg_proc WHERE pronamespace = 'skpi'::regnamespace AND prosecdef),
          0::bigint, 'no function is SECURITY DEFINER');

SELECT * FROM finish();
ROLLBACK;
