/*
 * factors_list.c
 *	  libFuzzer target: the SSD factor-list scanner (fc_list_next) and code keys of
 *	  src/factors_core.c over arbitrary bytes. Checks that the scanner ends, that every element
 *	  and error position lies inside the input, and that a code key round-trips through its text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "factors_core.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = malloc(size + 1);
	FcListIter	it;
	FcListItem	item;
	size_t		steps = 0;
	int			rc;

	memcpy(s, data, size);
	s[size] = '\0';
	fc_list_init(&it, s, size);
	while ((rc = fc_list_next(&it, &item)) > 0)
	{
		char		buf[FC_CODE_MAX];
		int			n;

		if (++steps > size + 1 || item.start > item.end || item.end > size)
			abort();
		if (item.key != 0)
		{
			n = fc_key_text(item.key, buf);
			if (n < 1 || n > FC_CODE_MAX || fc_code_key(buf, (size_t) n) != item.key)
				abort();
		}
		/* the key of an element equals the key of its text, quotes removed */
		{
			size_t		b = item.start,
						e = item.end;

			if (e - b >= 2 && s[b] == '"' && s[e - 1] == '"')
				b++, e--;
			if (memchr(s + b, '\\', e - b) == NULL && fc_code_key(s + b, e - b) != item.key)
				abort();
		}
	}
	if (rc < 0 && (it.errpos > size || it.errmsg == NULL))
		abort();
	/* the whole input as one code */
	{
		uint64_t	key = fc_code_key(s, size);
		char		buf[FC_CODE_MAX];

		if (key != 0 && fc_code_key(buf, (size_t) fc_key_text(key, buf)) != key)
			abort();
	}
	free(s);
	return 0;
}
