-- safeguarding_kpi install script, assembled by the Makefile from src/<concern>.sql.
-- Every object lives in schema skpi (@extschema@); builtins are reached through pg_catalog.

\echo Use "CREATE EXTENSION safeguarding_kpi" to load this file. \quit

COMMENT ON SCHEMA @extschema@ IS 'safeguarding_kpi: performance indicators of English children''s social care';

-- Version of the loaded C library, to check it matches the SQL objects.
CREATE FUNCTION @extschema@.library_version() RETURNS text
AS 'MODULE_PATHNAME', 'skpi_library_version'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.library_version() IS 'version of the safeguarding_kpi shared library';
