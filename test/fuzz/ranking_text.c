/*
 * ranking_text.c
 *	  libFuzzer target: the skpi.ranking text input (rk_parse of src/ranking_core.c) over
 *	  arbitrary bytes. An accepted text is flattened, reopened and formatted; the formatted text
 *	  must parse again to a ranking of the same size and counts that formats to the same text
 *	  (the text form is canonical; the flat form keeps the order of arrival).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ranking_core.h"

typedef struct Buf
{
	char	   *data;
	size_t		len;
	size_t		cap;
} Buf;

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

static void
fz_emit(void *arg, const char *s, size_t n)
{
	Buf		   *b = arg;

	if (b->len + n + 1 > b->cap)
	{
		b->cap = (b->len + n + 1) * 2;
		b->data = realloc(b->data, b->cap);
		if (b->data == NULL)
			abort();
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Parses s into a flat body; returns it (malloc'd) with its size, or NULL. */
static unsigned char *
parse_flat(const RkAlloc *a, const char *s, size_t len, size_t *size)
{
	RkRanking	r;
	size_t		errpos = 0;
	const char *errmsg = NULL;
	bool		esc = false;
	unsigned char *body = NULL;
	int			rc;

	rk_init(&r, a);
	rc = rk_parse(&r, s, len, &errpos, &errmsg, &esc);
	if (rc == RK_OK)
	{
		*size = rk_flat_size(&r);
		body = malloc(*size ? *size : 1);
		rk_flatten(&r, body);
	}
	else if (rc == RK_SYNTAX && (errpos > len || errmsg == NULL))
		abort();
	rk_free(&r);
	return body;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	RkAlloc		a = {fz_alloc, fz_free, fz_tick, NULL};
	char	   *s = malloc(size + 1);
	unsigned char *body,
			   *body2;
	size_t		n,
				n2;
	RkFlat		f,
				f2;
	Buf			text = {NULL, 0, 0},
				text2 = {NULL, 0, 0};

	memcpy(s, data, size);
	s[size] = '\0';
	body = parse_flat(&a, s, size, &n);
	if (body != NULL)
	{
		if (rk_flat_open(&f, body, n, &a) != RK_OK)
			abort();
		if (rk_format(&f, &a, fz_emit, &text) != RK_OK || text.data == NULL)
			abort();
		body2 = parse_flat(&a, text.data, text.len, &n2);
		if (body2 == NULL || n2 != n || rk_flat_open(&f2, body2, n2, &a) != RK_OK ||
			f2.n_items != f.n_items || f2.n_units != f.n_units || f2.n_pairs != f.n_pairs)
			abort();
		/* the flat form keeps the order of arrival; the text form is sorted, so canonical */
		if (rk_format(&f2, &a, fz_emit, &text2) != RK_OK || text2.len != text.len ||
			memcmp(text.data, text2.data, text.len) != 0)
			abort();
		free(body2);
		free(text.data);
		free(text2.data);
		free(body);
	}
	free(s);
	return 0;
}
