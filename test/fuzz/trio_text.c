/*
 * trio_text.c
 *	  libFuzzer target: the skpi.trio text input (fc_trio_parse of src/factors_core.c) over
 *	  arbitrary bytes. An accepted text must format back to a text that parses to the same set
 *	  and formats identically; errors point inside the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "factors_core.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = malloc(size + 1);
	FcTrio		t = 0,
				t2 = 0;
	size_t		errpos = 0;
	char		buf[FC_TRIO_TEXT_MAX],
				buf2[FC_TRIO_TEXT_MAX];
	size_t		n,
				n2;

	memcpy(s, data, size);
	s[size] = '\0';
	if (fc_trio_parse(s, size, &t, &errpos) == 0)
	{
		if (t & ~FC_TRIO_MASK)
			abort();
		n = fc_trio_format(t, buf);
		if (n >= FC_TRIO_TEXT_MAX || strlen(buf) != n)
			abort();
		if (fc_trio_parse(buf, n, &t2, &errpos) != 0 || t2 != t)
			abort();
		n2 = fc_trio_format(t2, buf2);
		if (n2 != n || memcmp(buf, buf2, n) != 0)
			abort();
		if (fc_trio_count(t) < 0 || fc_trio_count(t) > FC_NELEMENTS)
			abort();
	}
	else if (errpos > size)
		abort();
	/* every bit pattern formats and parses back */
	if (size >= 2)
	{
		t = (FcTrio) ((data[0] | data[1] << 8) & FC_TRIO_MASK);
		n = fc_trio_format(t, buf);
		if (fc_trio_parse(buf, n, &t2, &errpos) != 0 || t2 != t)
			abort();
	}
	free(s);
	return 0;
}
