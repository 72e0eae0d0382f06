/*
 * rates.c
 *	  Rates per 10,000, their confidence intervals, Wilson proportions, small-count suppression
 *	  and the share() aggregate (definitions.md §3).
 *
 * The maths is in stats_core.c; this file checks arguments, raises errors and builds results.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "skpi.h"
#include "stats_core.h"

PG_FUNCTION_INFO_V1(skpi_rate_per_10k);
PG_FUNCTION_INFO_V1(skpi_rate_ci);
PG_FUNCTION_INFO_V1(skpi_proportion_ci);
PG_FUNCTION_INFO_V1(skpi_chi_square_quantile);
PG_FUNCTION_INFO_V1(skpi_suppress);
PG_FUNCTION_INFO_V1(skpi_share_accum);
PG_FUNCTION_INFO_V1(skpi_share_combine);
PG_FUNCTION_INFO_V1(skpi_share_final);

/* Confidence level of the interval share() reports. */
#define SHARE_CONFIDENCE 0.95

/* Raises 22023 unless 0 < confidence < 1. */
static void
check_confidence(double confidence)
{
	if (isnan(confidence) || confidence <= 0.0 || confidence >= 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence must be between 0 and 1 exclusive, got %g", confidence),
				 errhint("Pass for example 0.95 for a 95%% interval.")));
}

/* Raises 22023 for a negative count; what names the argument. */
static void
check_count(int64 n, const char *what)
{
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative, got " INT64_FORMAT, what, n)));
}

/* Raises 22012 unless the population is positive. */
static void
check_population(int64 population)
{
	if (population <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_DIVISION_BY_ZERO),
				 errmsg("population must be positive, got " INT64_FORMAT, population),
				 errhint("Check the population figure for this area and year.")));
}

/* Result of a maths kernel that must be a number; NaN means a bug, not bad input. */
static double
checked(double v, const char *what)
{
	if (isnan(v))
		elog(ERROR, "%s did not converge", what);
	return v;
}

/* Builds a three-float8 row of the function's OUT parameters; NaN becomes NULL. */
static Datum
float8_triple(FunctionCallInfo fcinfo, double a, double b, double c, bool all_null)
{
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3];

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = Float8GetDatum(a);
	values[1] = Float8GetDatum(b);
	values[2] = Float8GetDatum(c);
	nulls[0] = nulls[1] = nulls[2] = all_null;
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/* numerator / population x 10,000. */
Datum
skpi_rate_per_10k(PG_FUNCTION_ARGS)
{
	int64		numerator = PG_GETARG_INT64(0);
	int64		population = PG_GETARG_INT64(1);

	check_population(population);
	check_count(numerator, "numerator");
	PG_RETURN_FLOAT8((double) numerator / (double) population * 10000.0);
}

/* Rate per 10,000 with Byar (>= 10 events) or exact Poisson limits. */
Datum
skpi_rate_ci(PG_FUNCTION_ARGS)
{
	int64		numerator = PG_GETARG_INT64(0);
	int64		population = PG_GETARG_INT64(1);
	double		confidence = PG_GETARG_FLOAT8(2);
	double		pop;
	double		lower;
	double		upper;

	check_population(population);
	check_count(numerator, "numerator");
	check_confidence(confidence);

	stats_count_limits(numerator, confidence, &lower, &upper);
	checked(lower, "rate confidence limit");
	checked(upper, "rate confidence limit");
	pop = (double) population;
	PG_RETURN_DATUM(float8_triple(fcinfo,
								  (double) numerator / pop * 10000.0,
								  lower / pop * 10000.0,
								  upper / pop * 10000.0,
								  false));
}

/* Percentage with Wilson score limits; all NULL for a zero denominator. */
Datum
skpi_proportion_ci(PG_FUNCTION_ARGS)
{
	int64		numerator = PG_GETARG_INT64(0);
	int64		denominator = PG_GETARG_INT64(1);
	double		confidence = PG_GETARG_FLOAT8(2);
	double		lower;
	double		upper;

	check_count(numerator, "numerator");
	check_count(denominator, "denominator");
	if (numerator > denominator)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("numerator " INT64_FORMAT " is greater than denominator " INT64_FORMAT,
						numerator, denominator),
				 errhint("The numerator counts a subset of the denominator.")));
	check_confidence(confidence);
	if (denominator == 0)
		PG_RETURN_DATUM(float8_triple(fcinfo, 0, 0, 0, true));

	stats_wilson(numerator, denominator, checked(stats_normal_z(confidence), "normal quantile"),
				&lower, &upper);
	PG_RETURN_DATUM(float8_triple(fcinfo,
								  (double) numerator / (double) denominator * 100.0,
								  checked(lower, "Wilson limit") * 100.0,
								  checked(upper, "Wilson limit") * 100.0,
								  false));
}

/* Quantile of the chi-square distribution. */
Datum
skpi_chi_square_quantile(PG_FUNCTION_ARGS)
{
	double		p = PG_GETARG_FLOAT8(0);
	double		df = PG_GETARG_FLOAT8(1);

	if (isnan(p) || p < 0.0 || p > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("probability must be between 0 and 1, got %g", p)));
	if (isnan(df) || df <= 0.0 || df > 1e6)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("degrees of freedom must be positive and at most 1000000, got %g", df)));
	PG_RETURN_FLOAT8(checked(stats_chi_square_quantile(p, df), "chi-square quantile"));
}

/* NULL for 0 < n < min_count, else n. */
Datum
skpi_suppress(PG_FUNCTION_ARGS)
{
	int64		n = PG_GETARG_INT64(0);
	int32		min_count = PG_GETARG_INT32(1);

	if (min_count < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_count must not be negative, got %d", min_count),
				 errhint("DfE publications suppress counts below 6: pass 6.")));
	check_count(n, "count");
	if (n > 0 && n < min_count)
		PG_RETURN_NULL();
	PG_RETURN_INT64(n);
}

/*
 * share() state: int8[2] = {true rows, non-NULL rows}. A real type, so that parallel plans and
 * Citus can split the aggregate; updated in place inside an aggregate, as int8 avg() does.
 */
#define SHARE_STATE_SIZE (ARR_OVERHEAD_NONULLS(1) + 2 * sizeof(int64))

/* Checks that a share() state is a plain two-element int8 array and returns its counts. */
static int64 *
share_counts(ArrayType *state)
{
	if (ARR_NDIM(state) != 1 || ARR_HASNULL(state) || ARR_ELEMTYPE(state) != INT8OID ||
		ARR_SIZE(state) != SHARE_STATE_SIZE || ARR_DIMS(state)[0] != 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("share() state must be a two-element bigint array without NULLs")));
	return (int64 *) ARR_DATA_NONULLS(state);
}

/* Returns the state to update: the argument itself inside an aggregate, else a copy. */
static ArrayType *
share_state_arg(FunctionCallInfo fcinfo, int argno)
{
	if (AggCheckCallContext(fcinfo, NULL))
		return PG_GETARG_ARRAYTYPE_P(argno);
	return PG_GETARG_ARRAYTYPE_P_COPY(argno);
}

/* Counts one non-NULL flag (the function is strict, so NULL flags never arrive). */
Datum
skpi_share_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *state = share_state_arg(fcinfo, 0);
	int64	   *counts = share_counts(state);

	if (PG_GETARG_BOOL(1))
		counts[0]++;
	counts[1]++;
	PG_RETURN_ARRAYTYPE_P(state);
}

/* Adds two partial states. */
Datum
skpi_share_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *state = share_state_arg(fcinfo, 0);
	int64	   *counts = share_counts(state);
	int64	   *other = share_counts(PG_GETARG_ARRAYTYPE_P(1));

	if (pg_add_s64_overflow(counts[0], other[0], &counts[0]) ||
		pg_add_s64_overflow(counts[1], other[1], &counts[1]))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("share() count out of range")));
	PG_RETURN_ARRAYTYPE_P(state);
}

/* Builds the share_result row: counts, percentage and its Wilson 95% interval. */
Datum
skpi_share_final(PG_FUNCTION_ARGS)
{
	int64	   *counts = share_counts(PG_GETARG_ARRAYTYPE_P(0));
	int64		x = counts[0];
	int64		n = counts[1];
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};

	if (x < 0 || n < 0 || x > n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("share() state {" INT64_FORMAT "," INT64_FORMAT "} is not a count of true rows and non-NULL rows",
						x, n)));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	values[0] = Int64GetDatum(x);
	values[1] = Int64GetDatum(n);
	if (n == 0)
		nulls[2] = nulls[3] = nulls[4] = true;
	else
	{
		static double z = 0.0;
		double		lower;
		double		upper;

		if (z == 0.0)
			z = checked(stats_normal_z(SHARE_CONFIDENCE), "normal quantile");
		stats_wilson(x, n, z, &lower, &upper);
		values[2] = Float8GetDatum((double) x / (double) n * 100.0);
		values[3] = Float8GetDatum(checked(lower, "Wilson limit") * 100.0);
		values[4] = Float8GetDatum(checked(upper, "Wilson limit") * 100.0);
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
