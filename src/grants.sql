
-- ============================================================================================
-- grants: every role may call the functions and read the reference tables (none of them holds
-- child-level data); changing reference tables stays with their owner.
-- ============================================================================================
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA @extschema@ TO PUBLIC;
