-- Exact sets of (area_code, id) keys (src/keyset.c): the report layer builds the usable
-- persons into one value per refresh (person_keys) and each normalisation view checks its
-- rows' persons against it in its parallel scans instead of joining ssd_person in the leader.
CREATE FUNCTION @extschema@._key_set_add(internal, text, text) RETURNS internal
AS 'MODULE_PATHNAME', 'skpi_key_set_add'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._key_set_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'skpi_key_set_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._key_set_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'skpi_key_set_serialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._key_set_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'skpi_key_set_deserialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._key_set_final(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'skpi_key_set_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE @extschema@._key_set(text, text) (
	SFUNC = @extschema@._key_set_add,
	STYPE = internal,
	FINALFUNC = @extschema@._key_set_final,
	COMBINEFUNC = @extschema@._key_set_combine,
	SERIALFUNC = @extschema@._key_set_serialize,
	DESERIALFUNC = @extschema@._key_set_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@._key_set(text, text) IS
	'the distinct (area_code, id) keys as one value for _key_has (keys with a NULL part are skipped; no rows give an empty set); at most 1 GB, about 10 million keys of short ids';

CREATE FUNCTION @extschema@._key_has(keys bytea, area_code text, id text) RETURNS boolean
AS 'MODULE_PATHNAME', 'skpi_key_has'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._key_has(bytea, text, text) IS
	'whether the key set (from _key_set) holds the key, compared byte for byte; the set''s layout is checked once per value and query, and a value that is not a key set is an error';
