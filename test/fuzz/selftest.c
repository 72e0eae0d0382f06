/*
 * selftest.c
 *	  A deliberately broken parser: proves that libFuzzer and AddressSanitizer work on this
 *	  machine and that test/shell/fuzz.sh notices a crash. fuzz.sh expects this target to fail.
 */
#include <stddef.h>
#include <stdint.h>

/* Counts digits after the prefix "SK", reading one byte too many when the input ends in one. */
static int
count_digits(const uint8_t *data, size_t size)
{
	size_t		i = 2;
	int			n = 0;

	if (size < 2 || data[0] != 'S' || data[1] != 'K')
		return 0;
	while (i <= size && data[i] >= '0' && data[i] <= '9')	/* the bug: <= */
	{
		n++;
		i++;
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return count_digits(data, size) < 0;
}
