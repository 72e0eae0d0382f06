/*
 * stats.c
 *	  libFuzzer target: the maths kernels of src/stats_core.c over arbitrary doubles and counts.
 *	  Every call must return (no hang: libFuzzer's -timeout catches one) without undefined
 *	  behaviour; the limits that rate_ci and proportion_ci publish must be ordered around the
 *	  estimate whenever they are numbers (to within rounding: with z = 0 Wilson's two limits
 *	  differ in the last bit).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats_core.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	double		d[3];
	int64_t		x,
				n;
	double		lo,
				hi,
				z;

	if (size < sizeof(d) + 2 * sizeof(int64_t))
		return 0;
	memcpy(d, data, sizeof(d));
	memcpy(&x, data + sizeof(d), sizeof(x));
	memcpy(&n, data + sizeof(d) + sizeof(x), sizeof(n));

	(void) stats_gamma_p(d[0], d[1]);
	(void) stats_gamma_q(d[0], d[1]);
	(void) stats_gamma_p_inv(d[0], d[1], d[2]);
	(void) stats_chi_square_quantile(d[0], d[1]);
	z = stats_normal_z(d[2]);

	/* counts and confidence levels as the SQL functions pass them */
	x = x < 0 ? -(x + 1) : x;
	x %= INT64_C(1000000000000);
	n = n < 0 ? -(n + 1) : n;
	n = x + n % INT64_C(1000000000000);
	stats_count_limits(x, d[2], &lo, &hi);
	if (!isnan(lo) && !isnan(hi) && (lo > (double) x || hi < (double) x || lo < 0))
		abort();
	if (!isnan(z) && n > 0)
	{
		stats_wilson(x, n, z, &lo, &hi);
		if (!isnan(lo) && !isnan(hi) && (lo > hi + 1e-12 || lo < -1e-9 || hi > 1 + 1e-9))
			abort();
	}
	return 0;
}
