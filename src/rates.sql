
-- Rates, proportions and confidence intervals (definitions.md §3).

CREATE FUNCTION @extschema@.rate_per_10k(numerator bigint, population bigint) RETURNS float8
AS 'MODULE_PATHNAME', 'skpi_rate_per_10k'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_per_10k(bigint, bigint) IS
'numerator / population x 10,000, unrounded; population <= 0 raises 22012, a negative numerator 22023';

CREATE FUNCTION @extschema@.rate_ci(numerator bigint, population bigint,
									confidence float8 DEFAULT 0.95,
									OUT rate float8, OUT lower float8, OUT upper float8)
AS 'MODULE_PATHNAME', 'skpi_rate_ci'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_ci(bigint, bigint, float8) IS
'rate per 10,000 with its confidence interval: Byar''s method for 10 or more events, exact Poisson (chi-square) limits below';

CREATE FUNCTION @extschema@.proportion_ci(numerator bigint, denominator bigint,
										  confidence float8 DEFAULT 0.95,
										  OUT pct float8, OUT lower float8, OUT upper float8)
AS 'MODULE_PATHNAME', 'skpi_proportion_ci'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.proportion_ci(bigint, bigint, float8) IS
'percentage (0-100) with its Wilson score interval; all NULL when the denominator is 0';

CREATE FUNCTION @extschema@.chi_square_quantile(p float8, df float8) RETURNS float8
AS 'MODULE_PATHNAME', 'skpi_chi_square_quantile'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.chi_square_quantile(float8, float8) IS
'x with P(X <= x) = p for a chi-square distribution with df degrees of freedom (the exact Poisson limits use it)';

CREATE FUNCTION @extschema@.suppress(n bigint, min_count int DEFAULT 6) RETURNS bigint
AS 'MODULE_PATHNAME', 'skpi_suppress'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.suppress(bigint, int) IS
'NULL when 0 < n < min_count (a small count that publication hides), else n; a negative n or min_count raises 22023';

CREATE TYPE @extschema@.share_result AS (
	numerator bigint,
	denominator bigint,
	pct float8,
	lower float8,
	upper float8
);
COMMENT ON TYPE @extschema@.share_result IS
'result of share(): true rows, non-NULL rows, percentage and its Wilson 95% interval (NULL when there are no non-NULL rows)';

CREATE FUNCTION @extschema@._share_accum(state bigint[], flag boolean) RETURNS bigint[]
AS 'MODULE_PATHNAME', 'skpi_share_accum'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._share_accum(bigint[], boolean) IS
'share() transition: counts a non-NULL flag into the state {true rows, non-NULL rows}';

CREATE FUNCTION @extschema@._share_combine(state bigint[], other bigint[]) RETURNS bigint[]
AS 'MODULE_PATHNAME', 'skpi_share_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._share_combine(bigint[], bigint[]) IS
'share() combine: adds two partial states';

CREATE FUNCTION @extschema@._share_final(state bigint[]) RETURNS @extschema@.share_result
AS 'MODULE_PATHNAME', 'skpi_share_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._share_final(bigint[]) IS
'share() final: the share_result row of a state';

CREATE AGGREGATE @extschema@.share(flag boolean) (
	SFUNC = @extschema@._share_accum,
	STYPE = bigint[],
	INITCOND = '{0,0}',
	COMBINEFUNC = @extschema@._share_combine,
	FINALFUNC = @extschema@._share_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.share(boolean) IS
'true rows over non-NULL rows, as a share_result with the Wilson 95% interval; NULL flags are skipped';
