-- Benchmarks of the C functions that the normalisation views of the report layer call on every
-- source row, besides _duplicates and _sorted_has (reports.sql). No issue sets a goal for them.

-- _key_has, the orphan check of the normalisation views ({person:x}): each row of a child table
-- (15 million at scale 1, the contacts of 150 councils x 10 years) looked up among the usable
-- persons (10 million, as nationally) in their key set, which a refresh builds once into
-- person_keys (here bench.person_keys, stored as there: out of line, uncompressed) and every
-- view's scan reads. Against the plain-SQL way, a hashed semi-join with the persons (what the
-- views ran before), both with the work_mem that refresh_reports gives the normalisation layer
-- (maintenance_work_mem); a thousandth of the rows have no person. The floor is count(*).
SELECT (10000000 * :scale)::bigint AS np, (15000000 * :scale)::bigint AS nr \gset
DROP TABLE IF EXISTS bench.persons, bench.person_rows, bench.person_keys;
CREATE TABLE bench.persons AS
SELECT 'E' || lpad((i % 150)::text, 8, '0') AS area_code, (1000000 + i)::text AS person_id
FROM generate_series(0, :np - 1) i;
CREATE TABLE bench.person_rows AS
SELECT 'E' || lpad((k % 150)::text, 8, '0') AS area_code,
	   (1000000 + k + CASE WHEN i % 1000 = 999 THEN :np ELSE 0 END)::text AS person_id
FROM (SELECT i, (i * 7919) % :np AS k FROM generate_series(0::bigint, :nr - 1) i) x;
CREATE TABLE bench.person_keys (keys bytea);
ALTER TABLE bench.person_keys ALTER COLUMN keys SET STORAGE EXTERNAL;
INSERT INTO bench.person_keys SELECT skpi._key_set(area_code, person_id) FROM bench.persons;
VACUUM ANALYZE bench.persons;
VACUUM ANALYZE bench.person_rows;
VACUUM ANALYZE bench.person_keys;
SELECT set_config('work_mem', current_setting('maintenance_work_mem'), false) AS bench_work_mem \gset

SELECT bench.compare('normalisation: _key_has', :nr,
$q$SELECT count(*) FROM bench.person_rows r WHERE skpi._key_has((SELECT k.keys FROM bench.person_keys k), r.area_code, r.person_id)$q$,
$q$SELECT count(*) FROM bench.person_rows r WHERE EXISTS (SELECT 1 FROM bench.persons p WHERE p.area_code = r.area_code AND p.person_id = r.person_id)$q$,
$q$SELECT count(*) FROM bench.person_rows$q$,
NULL, NULL, format('rows with a person among %s; the key set is built once per refresh (not timed here); no goal: an internal function of the normalisation views', :np));

RESET work_mem;
DROP TABLE bench.persons, bench.person_rows, bench.person_keys;

-- _json_fields, the outcome flags of every contact read from its JSON text, or NULL when the
-- text is not a JSON object the json type accepts (0.1% malformed here). Plain SQL has no
-- error-free json check in PostgreSQL 15: the SQL way is a PL/pgSQL cast that catches the error
-- (a subtransaction per row), then ->> per key. At a hundredth of the contacts (150,000 at scale
-- 1): the SQL way takes 20 to 60 microseconds a row. The floor reads the text.
SELECT (150000 * :scale)::bigint AS nj \gset
DROP TABLE IF EXISTS bench.contact_json;
CREATE TABLE bench.contact_json AS
SELECT CASE WHEN i % 1000 = 999 THEN '{"NEW_REFERRAL_FLAG":"Y",'
			ELSE format('{"NEW_REFERRAL_FLAG":"%s","EXISTING_REFERRAL_FLAG":"%s","CP_ENQUIRY_FLAG":"N","NFA_FLAG":"N","ADVICE_FLAG":"N"}',
						CASE WHEN i % 3 = 0 THEN 'Y' ELSE 'N' END, CASE WHEN i % 7 = 0 THEN 'Y' ELSE 'N' END) END AS j
FROM generate_series(0, :nj - 1) i;
VACUUM ANALYZE bench.contact_json;
CREATE FUNCTION pg_temp.json_or_null(t text) RETURNS json LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
	RETURN CASE WHEN json_typeof(t::json) = 'object' THEN t::json END;
EXCEPTION WHEN invalid_text_representation THEN
	RETURN NULL;
END
$$;

SELECT bench.compare('normalisation: _json_fields', :nj,
$q$SELECT skpi._json_fields(j, '{NEW_REFERRAL_FLAG,EXISTING_REFERRAL_FLAG,CP_ENQUIRY_FLAG,OUTCOME_NEW_REFERRAL_FLAG,OUTCOME_EXISTING_REFERRAL_FLAG,OUTCOME_CP_ENQUIRY_FLAG}') AS f FROM bench.contact_json$q$,
$q$SELECT CASE WHEN x.o IS NOT NULL THEN ARRAY[x.o ->> 'NEW_REFERRAL_FLAG', x.o ->> 'EXISTING_REFERRAL_FLAG', x.o ->> 'CP_ENQUIRY_FLAG', x.o ->> 'OUTCOME_NEW_REFERRAL_FLAG', x.o ->> 'OUTCOME_EXISTING_REFERRAL_FLAG', x.o ->> 'OUTCOME_CP_ENQUIRY_FLAG'] END AS f
   FROM (SELECT pg_temp.json_or_null(j) AS o FROM bench.contact_json) x$q$,
$q$SELECT length(j) FROM bench.contact_json$q$,
NULL, NULL, 'the flags of the contacts, NULL for the malformed ones (the same in both); no goal: an internal function of the normalisation views');

DROP FUNCTION pg_temp.json_or_null(text);
DROP TABLE bench.contact_json;
