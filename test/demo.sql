-- The demo: one synthetic council and what the extension reports for it.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS safeguarding_kpi;
\echo
\echo 'safeguarding_kpi' :
SELECT skpi.library_version() AS version;
