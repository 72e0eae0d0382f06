/*
 * stats_core.h
 *	  Confidence interval maths for rates and proportions, free of PostgreSQL types so that it
 *	  can be unit-tested and fuzzed on its own.
 *
 * Every function returns NaN when its arguments are outside its domain or when an iteration
 * fails to converge; callers check arguments first and treat NaN as an internal error.
 */
#ifndef STATS_CORE_H
#define STATS_CORE_H

#include <stdint.h>

/* Regularised lower incomplete gamma function P(a, x) and its complement Q(a, x). */
extern double stats_gamma_p(double a, double x);
extern double stats_gamma_q(double a, double x);

/*
 * The x >= 0 with P(a, x) = p, given p and q = 1 - p separately so that either tail keeps its
 * precision.
 */
extern double stats_gamma_p_inv(double a, double p, double q);

/* Quantile of the chi-square distribution with df degrees of freedom, P(X <= result) = p. */
extern double stats_chi_square_quantile(double p, double df);

/* The z with P(-z <= Z <= z) = confidence for a standard normal Z (1.959964 at 0.95). */
extern double stats_normal_z(double confidence);

/*
 * Limits of a Poisson count of x events at the given confidence: Byar's approximation for
 * x >= 10, exact (chi-square) limits below.
 */
extern void stats_count_limits(int64_t x, double confidence, double *lower, double *upper);

/* Wilson score limits, as fractions 0..1, of x events out of n (0 <= x <= n, n > 0). */
extern void stats_wilson(int64_t x, int64_t n, double z, double *lower, double *upper);

#endif							/* STATS_CORE_H */
