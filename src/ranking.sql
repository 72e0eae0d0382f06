
-- ============================================================================================
-- ranking: rank tables of items (e.g. factors) by the distinct units (e.g. assessments) having
-- them.
-- ============================================================================================

CREATE TYPE @extschema@.ranking;

CREATE FUNCTION @extschema@.ranking_in(cstring) RETURNS @extschema@.ranking
AS 'MODULE_PATHNAME', 'skpi_ranking_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ranking_out(@extschema@.ranking) RETURNS cstring
AS 'MODULE_PATHNAME', 'skpi_ranking_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.ranking (
	INPUT = @extschema@.ranking_in,
	OUTPUT = @extschema@.ranking_out,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended
);
COMMENT ON TYPE @extschema@.ranking IS
	'the distinct (item, unit) pairs of a rank_table aggregate; text form a JSON object mapping each item to its units, both sorted bytewise: {"3B":["a1","a2"],"4B":["a1"]}';

-- Aggregate support: add one pair in place; merge two states.
CREATE FUNCTION @extschema@._rank_table_add(@extschema@.ranking, text, text) RETURNS @extschema@.ranking
AS 'MODULE_PATHNAME', 'skpi_rank_table_add'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._rank_table_combine(@extschema@.ranking, @extschema@.ranking) RETURNS @extschema@.ranking
AS 'MODULE_PATHNAME', 'skpi_rank_table_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE @extschema@.rank_table(item text, unit text) (
	SFUNC = @extschema@._rank_table_add,
	STYPE = @extschema@.ranking,
	COMBINEFUNC = @extschema@._rank_table_combine,
	INITCOND = '{}',
	PARALLEL = SAFE
);
-- The union of rank_table states: the report layer builds one per month and merges the months
-- of each quarter and year, instead of feeding every pair to rank_table three times.
CREATE AGGREGATE @extschema@._rank_table_merge(r @extschema@.ranking) (
	SFUNC = @extschema@._rank_table_combine,
	STYPE = @extschema@.ranking,
	COMBINEFUNC = @extschema@._rank_table_combine,
	INITCOND = '{}',
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@._rank_table_merge(@extschema@.ranking) IS
	'the union of rank_table states (NULL states are skipped)';
COMMENT ON AGGREGATE @extschema@.rank_table(text, text) IS
	'for each item the distinct units that have it, and the distinct units overall (rows with a NULL item or unit are skipped); read it with skpi.ranks()';

CREATE FUNCTION @extschema@.ranks(r @extschema@.ranking, top int DEFAULT NULL)
RETURNS TABLE (rank int, item text, units bigint, pct float8)
AS 'MODULE_PATHNAME', 'skpi_ranks'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 20;
COMMENT ON FUNCTION @extschema@.ranks(@extschema@.ranking, int) IS
	'rank table of a ranking: standard competition ranks by units descending (1, 2, 2, 4), ties listed by item (bytewise); pct = units / all distinct units x 100; top keeps ranks <= top, ties at the edge included (NULL: all rows; negative: 22023)';
