
-- Open on a date, and counts of open rows at many snapshot dates (definitions.md §6).

CREATE FUNCTION @extschema@.open_on(start_date date, end_date date, on_date date) RETURNS boolean
AS 'MODULE_PATHNAME', 'skpi_open_on'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.open_on(date, date, date) IS
'start_date <= on_date and (end_date is NULL or end_date > on_date): open at the end of on_date; NULL start gives NULL; end before start raises 22023';

CREATE FUNCTION @extschema@._open_counts_accum(state bigint[], start_date date, end_date date,
											   snapshots date[]) RETURNS bigint[]
AS 'MODULE_PATHNAME', 'skpi_open_counts_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._open_counts_accum(bigint[], date, date, date[]) IS
'open_counts() transition: adds a row to the difference array of the state {M, snapshots, differences}';

CREATE FUNCTION @extschema@._open_counts_combine(state bigint[], other bigint[]) RETURNS bigint[]
AS 'MODULE_PATHNAME', 'skpi_open_counts_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._open_counts_combine(bigint[], bigint[]) IS
'open_counts() combine: adds two partial states with the same snapshot dates';

CREATE FUNCTION @extschema@._open_counts_final(state bigint[]) RETURNS bigint[]
AS 'MODULE_PATHNAME', 'skpi_open_counts_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._open_counts_final(bigint[]) IS
'open_counts() final: prefix sum of the difference array, one count per snapshot date';

CREATE AGGREGATE @extschema@.open_counts(start_date date, end_date date, snapshots date[]) (
	SFUNC = @extschema@._open_counts_accum,
	STYPE = bigint[],
	COMBINEFUNC = @extschema@._open_counts_combine,
	FINALFUNC = @extschema@._open_counts_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.open_counts(date, date, date[]) IS
'element i = rows open on snapshots[i] (same rule as open_on); snapshots ascending without duplicates and the same on every row; NULL start rows skipped; NULL when there are no rows';
