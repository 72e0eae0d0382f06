/*
 * ranking_flat.c
 *	  libFuzzer target: deserialisation of the skpi.ranking state (rk_flat_open of
 *	  src/ranking_core.c) over arbitrary bytes, as a corrupt or hostile varlena body would reach
 *	  it. An accepted body is then used as the server uses it (names, text form, rank rows,
 *	  merging into a ranking), and the merged ranking's own flat form must be accepted too.
 *	  Inputs starting with 'B' build a valid body and damage it, to get past the header checks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ranking_core.h"

static void *
fz_alloc(void *ctx, size_t size)
{
	void	   *p = malloc(size ? size : 1);

	if (p == NULL)
		abort();
	return p;
}

static void
fz_free(void *ctx, void *ptr)
{
	free(ptr);
}

static void
fz_tick(void *ctx)
{
}

static volatile char sink;

/* Reads every byte of a piece of the text form. */
static void
fz_emit(void *arg, const char *s, size_t n)
{
	size_t	   *total = arg;

	for (size_t i = 0; i < n; i++)
		sink ^= s[i];
	*total += n;
}

/*
 * The flat body of the pairs written in data before a 0xFF byte ("item\nunit\n..."), with
 * the bytes after it applied as damage: (offset, value) pairs, and a final truncation.
 */
static unsigned char *
build_and_damage(const RkAlloc *a, const uint8_t *data, size_t size, size_t *outsize)
{
	RkRanking	r;
	const uint8_t *end = memchr(data, 0xFF, size);
	size_t		text = end ? (size_t) (end - data) : size;
	size_t		pos = 0,
				n,
				i;
	unsigned char *body;

	rk_init(&r, a);
	while (pos < text)
	{
		const uint8_t *nl1 = memchr(data + pos, '\n', text - pos);
		size_t		ilen = nl1 ? (size_t) (nl1 - (data + pos)) : text - pos;
		size_t		upos = pos + ilen + 1;
		const uint8_t *nl2 = upos < text ? memchr(data + upos, '\n', text - upos) : NULL;
		size_t		ulen = upos < text ? (nl2 ? (size_t) (nl2 - (data + upos)) : text - upos) : 0;

		rk_add(&r, (const char *) data + pos, ilen, (const char *) data + (upos < text ? upos : pos), ulen);
		pos = upos + ulen + 1;
	}
	n = rk_flat_size(&r);
	body = malloc(n);
	rk_flatten(&r, body);
	rk_free(&r);
	if (end != NULL)
	{
		const uint8_t *d = end + 1;
		size_t		left = size - text - 1;

		for (i = 0; i + 3 <= left; i += 3)
			body[(d[i] | d[i + 1] << 8) % n] = d[i + 2];
		if (left % 3 == 2 && d[left - 1] < n)
			n = d[left - 1];	/* truncated */
	}
	*outsize = n;
	return body;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	RkAlloc		a = {fz_alloc, fz_free, fz_tick, NULL};
	unsigned char *body = malloc(size ? size : 1);	/* exact size: reads past it are caught */
	RkFlat		f,
				f2;
	RkRanking	r;
	RkRankRow  *rows;
	size_t		len,
				total = 0;
	uint32_t	i,
				nrows;

	if (size > 0 && data[0] == 'B')
	{
		/* a valid body built from the input, then damaged: reaches the deeper checks */
		free(body);
		body = build_and_damage(&a, data + 1, size - 1, &size);
	}
	else
		memcpy(body, data, size);
	if (rk_flat_open(&f, body, size, &a) != RK_OK)
	{
		free(body);
		return 0;
	}
	for (i = 0; i < f.n_items; i++)
		if (rk_flat_item(&f, i, &len) == NULL || len > f.str_bytes)
			abort();
	for (i = 0; i < f.n_units; i++)
		if (rk_flat_unit(&f, i, &len) == NULL || len > f.str_bytes)
			abort();
	if (rk_format(&f, &a, fz_emit, &total) != RK_OK)
		abort();
	rows = malloc(sizeof(RkRankRow) * (f.n_items ? f.n_items : 1));
	nrows = rk_ranks(&f, &a, -1, rows);
	if (nrows != f.n_items)
		abort();
	for (i = 0; i < nrows; i++)
		if (rows[i].item >= f.n_items || rows[i].rank < 1 || rows[i].rank > i + 1)
			abort();
	free(rows);

	rk_init(&r, &a);
	if (rk_merge_flat(&r, &f) == RK_OK)
	{
		size_t		n2 = rk_flat_size(&r);
		unsigned char *body2 = malloc(n2);

		rk_flatten(&r, body2);

		/*
		 * rk_flat_open does not check that names and pairs are distinct, so a damaged body
		 * with repeats is accepted and merging drops the repeats (then a unit may be left
		 * without a pair, which rk_flat_open rejects). Only a body without repeats must give
		 * a merged body that opens again.
		 */
		if (r.npairs == f.n_pairs && r.items.n == f.n_items && r.units.n == f.n_units &&
			rk_flat_open(&f2, body2, n2, &a) != RK_OK)
			abort();
		if (r.npairs > f.n_pairs || r.items.n > f.n_items || r.units.n > f.n_units)
			abort();
		free(body2);
	}
	rk_free(&r);
	free(body);
	return 0;
}
