#!/bin/bash
# Unit test of the pure-C statistics kernel (src/stats_core.c), built on its own with the address
# and undefined-behaviour sanitizers where the compiler has them: the incomplete gamma function
# against closed forms, its inverse by round trip over a wide grid (shapes 5e-7-100000,
# probabilities 1e-300 to 1 - 1e-15), normal quantiles against published values, and the Wilson
# and Poisson limits against their defining properties.
set -euo pipefail

ROOT=${SKPI_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
WORK=$(mktemp -d "${SKPI_TMP:-/tmp}/rates_core.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

cat >"$WORK/test_core.c" <<'C'
#include <float.h>
#include <math.h>
#include <stdio.h>
#include "stats_core.h"

static int failures = 0;
static int checks = 0;
#define CHECK(cond, ...) do { checks++; if (!(cond)) { if (failures++ < 20) { \
	fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); fprintf(stderr, __VA_ARGS__); \
	fputc('\n', stderr); } } } while (0)

static int close_rel(double a, double b, double tol)
{
	return fabs(a - b) <= tol * fabs(b) || fabs(a - b) <= DBL_MIN;
}

/* P(X <= k) for X ~ Poisson(mu), term by term. */
static double poisson_cdf(int k, double mu)
{
	double term = exp(-mu), sum = term;
	int j;

	for (j = 1; j <= k; j++)
	{
		term *= mu / j;
		sum += term;
	}
	return sum;
}

int main(void)
{
	static const double shapes[] = {5e-7, 5e-6, 1e-4, 1e-3, 0.01, 0.1, 0.5, 1, 1.5, 2, 3.7, 5, 9.5, 10, 11, 30, 100, 1000, 1e4, 1e5};
	static const double probs[] = {1e-300, 1e-100, 1e-20, 1e-10, 1e-6, 0.001, 0.025, 0.1, 0.3, 0.5,
								   0.7, 0.9, 0.975, 0.999, 1 - 1e-9, 1 - 1e-15};
	unsigned i, j;
	double lo, hi;

	/* closed forms: P(1, x) = 1 - e^-x, P(0.5, x) = erf(sqrt x), Q(0.5, x) = erfc(sqrt x) */
	for (i = 0; i < 200; i++)
	{
		double x = 0.001 * pow(1.07, i);

		CHECK(close_rel(stats_gamma_p(1, x), -expm1(-x), 1e-13), "P(1,%g)", x);
		CHECK(close_rel(stats_gamma_p(0.5, x), erf(sqrt(x)), 1e-13), "P(0.5,%g)", x);
		CHECK(close_rel(stats_gamma_q(0.5, x), erfc(sqrt(x)), 1e-12), "Q(0.5,%g)", x);
		CHECK(fabs(stats_gamma_p(3.5, x) + stats_gamma_q(3.5, x) - 1) < 1e-14, "P+Q at %g", x);
	}
	/* the series / continued fraction switch at x = a + 1 is seamless */
	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
	{
		double a = shapes[i];
		double below = stats_gamma_p(a, nextafter(a + 1, 0)), above = stats_gamma_p(a, a + 1);

		/* the prefix x^a e^-x / Gamma(a) loses about a x eps to cancellation */
		CHECK(fabs(below - above) < 1e-13 * (1 + a), "switch at a=%g: %.17g vs %.17g", a, below, above);
	}
	/* round trips of the inverse, in the tail that carries the precision */
	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		for (j = 0; j < sizeof(probs) / sizeof(probs[0]); j++)
		{
			double a = shapes[i], p = probs[j], q = 1 - p;
			double x = stats_gamma_p_inv(a, p, q);

			CHECK(!isnan(x) && x >= 0, "inverse a=%g p=%g gave %g", a, p, x);
			if (x > DBL_MIN * 1e10 && !isinf(x))
			{
				if (p <= q)
					CHECK(close_rel(stats_gamma_p(a, x), p, 1e-9), "P(%g, P^-1(%g)) = %.17g", a, p, stats_gamma_p(a, x));
				else
					CHECK(close_rel(stats_gamma_q(a, x), q, 1e-9), "Q(%g, P^-1(%g)) = %.17g", a, p, stats_gamma_q(a, x));
			}
		}
	CHECK(stats_gamma_p_inv(2, 0, 1) == 0, "p = 0");
	CHECK(isinf(stats_gamma_p_inv(2, 1, 0)), "p = 1");
	CHECK(isnan(stats_gamma_p_inv(-1, 0.5, 0.5)), "negative shape");
	CHECK(isnan(stats_gamma_p_inv(2, NAN, 0.5)), "NaN p");

	/* normal quantiles (published, 16 digits) */
	CHECK(close_rel(stats_normal_z(0.95), 1.959963984540054, 1e-14), "z 0.95 = %.17g", stats_normal_z(0.95));
	CHECK(close_rel(stats_normal_z(0.99), 2.5758293035489004, 1e-14), "z 0.99 = %.17g", stats_normal_z(0.99));
	CHECK(close_rel(stats_normal_z(0.90), 1.6448536269514722, 1e-14), "z 0.90 = %.17g", stats_normal_z(0.90));
	CHECK(close_rel(stats_normal_z(0.5), 0.6744897501960817, 1e-14), "z 0.5 = %.17g", stats_normal_z(0.5));
	CHECK(close_rel(stats_normal_z(0.999999), 4.891638475698882, 1e-9), "z 0.999999 = %.17g", stats_normal_z(0.999999));
	CHECK(isnan(stats_normal_z(1)) && isnan(stats_normal_z(0)), "z outside (0,1)");

	/* chi-square quantiles (published tables, 4 decimals) */
	CHECK(fabs(stats_chi_square_quantile(0.975, 20) - 34.1696) < 5e-5, "chi2 0.975 20");
	CHECK(fabs(stats_chi_square_quantile(0.025, 2) - 0.0506) < 5e-5, "chi2 0.025 2");
	CHECK(fabs(stats_chi_square_quantile(0.99, 100) - 135.8067) < 5e-5, "chi2 0.99 100");
	/* tiny df: the quantile lies below the smallest normal double, so it is 0 */
	CHECK(stats_chi_square_quantile(0.975, 1e-5) == 0, "chi2 0.975 1e-5 = %g", stats_chi_square_quantile(0.975, 1e-5));
	CHECK(stats_chi_square_quantile(0.5, 1e-3) == 0, "chi2 0.5 1e-3");
	/* df 1e-3, p 0.9: P(a, x) ~ x^a / Gamma(1 + a) = 0.9 puts x near e^-211 */
	CHECK(stats_chi_square_quantile(0.9, 1e-3) > 1e-93 && stats_chi_square_quantile(0.9, 1e-3) < 1e-91 &&
		  close_rel(stats_gamma_p(5e-4, stats_chi_square_quantile(0.9, 1e-3) / 2), 0.9, 1e-9),
		  "chi2 0.9 1e-3 = %g", stats_chi_square_quantile(0.9, 1e-3));

	/* exact Poisson limits solve their equations; Byar agrees with them roughly at 10 */
	for (i = 0; i < 10; i++)
	{
		static const double confs[] = {0.5, 0.8, 0.9, 0.95, 0.99, 0.999};
		for (j = 0; j < sizeof(confs) / sizeof(confs[0]); j++)
		{
			double alpha = 1 - confs[j];

			stats_count_limits(i, confs[j], &lo, &hi);
			if (i == 0)
				CHECK(lo == 0, "lower for 0 events");
			else
				CHECK(fabs((1 - poisson_cdf(i - 1, lo)) - alpha / 2) < 1e-12 * (1 + alpha), "lower x=%u c=%g", i, confs[j]);
			CHECK(fabs(poisson_cdf(i, hi) - alpha / 2) < 1e-12, "upper x=%u c=%g", i, confs[j]);
		}
	}
	{
		double elo, ehi, blo, bhi;

		stats_count_limits(9, 0.95, &elo, &ehi);
		stats_count_limits(10, 0.95, &blo, &bhi);
		CHECK(blo > elo && bhi > ehi && blo - elo < 1.5 && bhi - ehi < 2, "Byar continues the exact limits");
	}
	/* limits grow with the count, and contain it */
	for (i = 0; i < 2000; i++)
	{
		double plo, phi;

		stats_count_limits(i, 0.95, &lo, &hi);
		stats_count_limits(i + 1, 0.95, &plo, &phi);
		CHECK(lo <= i && hi >= i && plo >= lo && phi > hi, "count limits at %u", i);
	}

	/* Wilson: inside [0,1], contains x/n, mirror symmetric, exact at the ends */
	for (i = 1; i <= 300; i += 7)
		for (j = 0; j <= i; j++)
		{
			double mlo, mhi, z = stats_normal_z(0.95);

			stats_wilson(j, i, z, &lo, &hi);
			stats_wilson(i - j, i, z, &mlo, &mhi);
			CHECK(lo >= 0 && hi <= 1 && lo <= (double) j / i && hi >= (double) j / i, "Wilson %u/%u", j, i);
			CHECK(fabs(lo - (1 - mhi)) < 1e-14 && fabs(hi - (1 - mlo)) < 1e-14, "Wilson mirror %u/%u", j, i);
			if (j == 0)
				CHECK(lo == 0 && fabs(hi - z * z / (i + z * z)) < 1e-15, "Wilson 0/%u", i);
			if (j == i)
				CHECK(hi == 1, "Wilson %u/%u upper", j, i);
		}
	stats_wilson(5, 4, 1.96, &lo, &hi);
	CHECK(isnan(lo) && isnan(hi), "Wilson x > n");

	if (failures)
	{
		fprintf(stderr, "rates_core: %d of %d checks failed\n", failures, checks);
		return 1;
	}
	printf("rates_core: %d checks passed\n", checks);
	return 0;
}
C

CC=${CC:-gcc}
FLAGS="-std=gnu99 -O1 -g -Wall -Wextra -Werror -I$ROOT/src"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
if echo 'int main(void){return 0;}' | $CC $SAN -x c - -o "$WORK/probe" 2>/dev/null && "$WORK/probe"; then
	FLAGS="$FLAGS $SAN"
else
	echo "rates_core: sanitizers unavailable, building without them"
fi
# shellcheck disable=SC2086
$CC $FLAGS "$WORK/test_core.c" "$ROOT/src/stats_core.c" -lm -o "$WORK/test_core"
"$WORK/test_core"
