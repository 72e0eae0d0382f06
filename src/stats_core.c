/*
 * stats_core.c
 *	  Incomplete gamma function, its inverse, chi-square and normal quantiles, and the Byar,
 *	  exact Poisson and Wilson confidence limits built on them (definitions.md §3).
 *
 * Plain C99 with <math.h>; no PostgreSQL types, no allocation, no outside library.
 */
#include "stats_core.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>

/* Iteration limits: far above what convergence needs for the arguments callers allow. */
#define SERIES_MAX_TERMS	1000000
#define INVERSE_MAX_STEPS	1000
/* Relative step below which the inverse is taken to have converged. */
#define INVERSE_TOLERANCE	(64 * DBL_EPSILON)
#define TINY				1e-300

/* log of x^a e^-x / Gamma(a), the factor shared by the series and the continued fraction. */
static double
log_gamma_prefix(double a, double x, double lgamma_a)
{
	return a * log(x) - x - lgamma_a;
}

/* P(a, x) by its power series; converges quickly for x < a + 1. */
static double
gamma_p_series(double a, double x)
{
	double		term = 1.0 / a;
	double		sum = term;
	double		ap = a;
	int			n;

	for (n = 1; n < SERIES_MAX_TERMS; n++)
	{
		ap += 1.0;
		term *= x / ap;
		sum += term;
		if (fabs(term) < fabs(sum) * DBL_EPSILON)
			return sum * exp(log_gamma_prefix(a, x, lgamma(a)));
	}
	return NAN;
}

/* Q(a, x) by its continued fraction (modified Lentz); converges quickly for x >= a + 1. */
static double
gamma_q_fraction(double a, double x)
{
	double		b = x + 1.0 - a;
	double		c = 1.0 / TINY;
	double		d = 1.0 / b;
	double		h = d;
	int			i;

	for (i = 1; i < SERIES_MAX_TERMS; i++)
	{
		double		an = -i * (i - a);
		double		delta;

		b += 2.0;
		d = an * d + b;
		if (fabs(d) < TINY)
			d = TINY;
		c = b + an / c;
		if (fabs(c) < TINY)
			c = TINY;
		d = 1.0 / d;
		delta = d * c;
		h *= delta;
		if (fabs(delta - 1.0) < DBL_EPSILON)
			return exp(log_gamma_prefix(a, x, lgamma(a))) * h;
	}
	return NAN;
}

/* Regularised lower incomplete gamma function P(a, x), a > 0, x >= 0. */
double
stats_gamma_p(double a, double x)
{
	if (isnan(a) || isnan(x) || a <= 0.0 || x < 0.0)
		return NAN;
	if (x == 0.0)
		return 0.0;
	if (isinf(x))
		return 1.0;
	if (x < a + 1.0)
		return gamma_p_series(a, x);
	return 1.0 - gamma_q_fraction(a, x);
}

/* Regularised upper incomplete gamma function Q(a, x) = 1 - P(a, x). */
double
stats_gamma_q(double a, double x)
{
	if (isnan(a) || isnan(x) || a <= 0.0 || x < 0.0)
		return NAN;
	if (x == 0.0)
		return 1.0;
	if (isinf(x))
		return 0.0;
	if (x < a + 1.0)
		return 1.0 - gamma_p_series(a, x);
	return gamma_q_fraction(a, x);
}

/*
 * Inverse of P(a, .): Newton's method on whichever tail is the smaller (so that the residual
 * keeps its relative precision), kept inside a bracket that every evaluation narrows, with
 * bisection (or doubling while the bracket is open above) when a step would leave it.
 */
double
stats_gamma_p_inv(double a, double p, double q)
{
	bool		lower_tail;
	double		lgamma_a;
	double		lo = 0.0;
	double		hi = INFINITY;
	double		x;
	int			i;

	if (isnan(a) || isnan(p) || isnan(q) || a <= 0.0 || isinf(a) ||
		p < 0.0 || q < 0.0 || p > 1.0 || q > 1.0)
		return NAN;
	if (p == 0.0)
		return 0.0;
	if (q == 0.0)
		return INFINITY;

	/*
	 * For very small shapes most of the mass lies below the smallest normal double, where
	 * Newton's steps underflow: such a quantile is returned as 0, its nearest double.
	 */
	if (p <= stats_gamma_p(a, DBL_MIN))
		return 0.0;

	lower_tail = (p <= q);
	lgamma_a = lgamma(a);

	/* Starting points from the leading terms of each tail. */
	if (lower_tail)
	{
		/* P(a, x) ~ x^a / Gamma(a + 1) for small x */
		x = exp((log(p) + lgamma(a + 1.0)) / a);
		if (!(x > 0.0) || x > a)
			x = (x > 0.0) ? a : TINY;
	}
	else
	{
		/* Q(a, x) ~ x^(a-1) e^-x / Gamma(a) for large x: a few fixed-point steps */
		int			k;

		x = (a > 1.0) ? a : 1.0;
		for (k = 0; k < 8; k++)
		{
			double		next = -log(q) - lgamma_a + (a - 1.0) * log(x);

			if (!(next > a))
				break;
			x = next;
		}
	}

	for (i = 0; i < INVERSE_MAX_STEPS; i++)
	{
		double		f;
		double		density;
		double		next;

		/* f increases with x in both forms */
		f = lower_tail ? stats_gamma_p(a, x) - p : q - stats_gamma_q(a, x);
		if (isnan(f))
			return NAN;
		if (f == 0.0)
			return x;
		if (f < 0.0)
			lo = x;
		else
			hi = x;

		density = exp((a - 1.0) * log(x) - x - lgamma_a);
		next = x - f / density;
		if (!(next > lo && next < hi))
			next = isinf(hi) ? 2.0 * x + 1.0 : 0.5 * (lo + hi);

		if (fabs(next - x) <= INVERSE_TOLERANCE * next)
			return next;
		if (!isinf(hi) && hi - lo <= INVERSE_TOLERANCE * hi)
			return 0.5 * (lo + hi);
		x = next;
	}
	return NAN;
}

/* Chi-square quantile: twice the gamma quantile with shape df / 2. */
double
stats_chi_square_quantile(double p, double df)
{
	if (isnan(p) || isnan(df) || df <= 0.0 || p < 0.0 || p > 1.0)
		return NAN;
	return 2.0 * stats_gamma_p_inv(0.5 * df, p, 1.0 - p);
}

/* Two-sided standard normal quantile: Z^2 / 2 is gamma distributed with shape 1/2. */
double
stats_normal_z(double confidence)
{
	if (isnan(confidence) || confidence <= 0.0 || confidence >= 1.0)
		return NAN;
	return sqrt(2.0 * stats_gamma_p_inv(0.5, confidence, 1.0 - confidence));
}

/* Byar's approximation for x >= 10 events, exact Poisson limits below. */
void
stats_count_limits(int64_t x, double confidence, double *lower, double *upper)
{
	double		alpha = 1.0 - confidence;

	if (x < 0 || isnan(confidence) || confidence <= 0.0 || confidence >= 1.0)
	{
		*lower = *upper = NAN;
		return;
	}
	if (x >= 10)
	{
		double		z = stats_normal_z(confidence);
		double		xd = (double) x;
		double		x1 = xd + 1.0;
		double		l = 1.0 - 1.0 / (9.0 * xd) - z / (3.0 * sqrt(xd));
		double		u = 1.0 - 1.0 / (9.0 * x1) + z / (3.0 * sqrt(x1));

		*lower = (l > 0.0) ? xd * l * l * l : 0.0;
		*upper = x1 * u * u * u;
	}
	else
	{
		/* lower = chi2(alpha/2; 2x) / 2, upper = chi2(1 - alpha/2; 2x + 2) / 2 */
		*lower = (x == 0) ? 0.0 :
			stats_gamma_p_inv((double) x, 0.5 * alpha, 1.0 - 0.5 * alpha);
		*upper = stats_gamma_p_inv((double) x + 1.0, 1.0 - 0.5 * alpha, 0.5 * alpha);
	}
}

/*
 * Lower Wilson limit in the cancellation-free form
 *   4x^2 (1 + z^2/n) / (2(n + z^2) (2x + z^2 + z sqrt(z^2 + 4x(1 - x/n)))),
 * algebraically equal to (2x + z^2 - z sqrt(...)) / (2(n + z^2)).
 */
static double
wilson_lower(double x, double n, double z)
{
	double		z2 = z * z;
	double		centre = 2.0 * x + z2;
	double		spread = z * sqrt(z2 + 4.0 * x * (1.0 - x / n));

	if (x <= 0.0)
		return 0.0;
	return 4.0 * x * x * (1.0 + z2 / n) / (2.0 * (n + z2) * (centre + spread));
}

/* Wilson score interval; the upper limit is the mirror image of the lower one. */
void
stats_wilson(int64_t x, int64_t n, double z, double *lower, double *upper)
{
	double		l;
	double		u;

	if (n <= 0 || x < 0 || x > n || isnan(z) || z < 0.0)
	{
		*lower = *upper = NAN;
		return;
	}
	l = wilson_lower((double) x, (double) n, z);
	u = 1.0 - wilson_lower((double) (n - x), (double) n, z);
	*lower = (l < 0.0) ? 0.0 : (l > 1.0 ? 1.0 : l);
	*upper = (u < 0.0) ? 0.0 : (u > 1.0 ? 1.0 : u);
}
