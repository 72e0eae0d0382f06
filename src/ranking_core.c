/*
 * ranking_core.c
 *	  Distinct (item, unit) pairs: interning dictionaries, per-item unit sets, the flat and the
 *	  text forms, and the rank order (no PostgreSQL types).
 */
#include "ranking_core.h"

#include <stdlib.h>
#include <string.h>

#define TICK_EVERY 65536
#define NOT_FOUND UINT32_MAX

static inline void
wr32(unsigned char *p, size_t i, uint32_t v)
{
	memcpy(p + 4 * i, &v, 4);
}

/* Calls the interrupt hook every TICK_EVERY steps. */
static inline void
tick(const RkAlloc *a, unsigned *counter)
{
	if (++*counter >= TICK_EVERY)
	{
		*counter = 0;
		if (a->tick)
			a->tick(a->ctx);
	}
}

/* 64-bit hash of a byte string (in-memory use only; not stored). */
static inline uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t	h = UINT64_C(0x9E3779B97F4A7C15) ^ ((uint64_t) n * UINT64_C(0xD6E8FEB86659FD93));
	uint64_t	v;

	while (n >= 8)
	{
		memcpy(&v, s, 8);
		h = (h ^ v) * UINT64_C(0xBF58476D1CE4E5B9);
		h ^= h >> 31;
		s += 8;
		n -= 8;
	}
	v = 0;
	if (n > 0)
		memcpy(&v, s, n);
	h = (h ^ v) * UINT64_C(0x94D049BB133111EB);
	h ^= h >> 29;
	h *= UINT64_C(0xBF58476D1CE4E5B9);
	h ^= h >> 32;
	return h;
}

/* ---------------------------------------------------------------------------------------- */
/* Dictionaries																				*/
/* ---------------------------------------------------------------------------------------- */

static inline size_t
dict_start(const RkDict *d, uint32_t id)
{
	return id == 0 ? 0 : d->ends[id - 1];
}

/* Doubles the slot table (16 slots at first), reinserting by the stored tags. */
static void
dict_grow_slots(const RkAlloc *a, RkDict *d)
{
	uint32_t	nbits = d->bits ? d->bits + 1 : 4;
	size_t		nslots = (size_t) 1 << nbits,
				mask = nslots - 1,
				old = d->slots ? (size_t) 1 << d->bits : 0,
				i;
	uint64_t   *ns = a->alloc(a->ctx, nslots * sizeof(uint64_t));

	memset(ns, 0, nslots * sizeof(uint64_t));
	for (i = 0; i < old; i++)
	{
		uint64_t	v = d->slots[i];
		size_t		j;

		if (v == 0)
			continue;
		j = (size_t) ((uint32_t) (v >> 32) >> (32 - nbits));
		while (ns[j] != 0)
			j = (j + 1) & mask;
		ns[j] = v;
	}
	if (d->slots)
		a->free(a->ctx, d->slots);
	d->slots = ns;
	d->bits = nbits;
}

/* Id of string s in d, or NOT_FOUND. */
static inline uint32_t
dict_find(const RkDict *d, const char *s, size_t n, uint64_t h)
{
	uint32_t	tag = (uint32_t) (h >> 32);
	size_t		mask,
				i;

	if (d->slots == NULL)
		return NOT_FOUND;
	mask = ((size_t) 1 << d->bits) - 1;
	i = (size_t) (tag >> (32 - d->bits));
	for (;;)
	{
		uint64_t	v = d->slots[i];

		if (v == 0)
			return NOT_FOUND;
		if ((uint32_t) (v >> 32) == tag)
		{
			uint32_t	id = (uint32_t) v - 1;
			size_t		b = dict_start(d, id);

			if (d->ends[id] - b == n && memcmp(d->arena + b, s, n) == 0)
				return id;
		}
		i = (i + 1) & mask;
	}
}

/* Adds string s (known to be absent); returns its id. */
static uint32_t
dict_insert(const RkAlloc *a, RkDict *d, const char *s, size_t n, uint64_t h)
{
	uint32_t	tag = (uint32_t) (h >> 32);
	uint32_t	id = d->n;
	size_t		mask,
				i;

	if (d->slots == NULL || ((uint64_t) d->n + 1) * 10 > ((uint64_t) 7 << d->bits))
		dict_grow_slots(a, d);
	if (d->n == d->cap)
	{
		uint32_t	ncap = d->cap ? d->cap * 2 : 16;
		uint32_t   *ne = a->alloc(a->ctx, (size_t) ncap * sizeof(uint32_t));

		if (d->n > 0)
			memcpy(ne, d->ends, (size_t) d->n * sizeof(uint32_t));
		if (d->ends)
			a->free(a->ctx, d->ends);
		d->ends = ne;
		d->cap = ncap;
	}
	if (d->arena_used + n > d->arena_cap || d->arena == NULL)
	{
		size_t		ncap = d->arena_cap ? d->arena_cap : 256;
		char	   *na;

		while (ncap < d->arena_used + n)
			ncap *= 2;
		na = a->alloc(a->ctx, ncap);
		if (d->arena_used > 0)
			memcpy(na, d->arena, d->arena_used);
		if (d->arena)
			a->free(a->ctx, d->arena);
		d->arena = na;
		d->arena_cap = ncap;
	}
	if (n > 0)
		memcpy(d->arena + d->arena_used, s, n);
	d->arena_used += n;
	d->ends[id] = (uint32_t) d->arena_used;
	d->n++;

	mask = ((size_t) 1 << d->bits) - 1;
	i = (size_t) (tag >> (32 - d->bits));
	while (d->slots[i] != 0)
		i = (i + 1) & mask;
	d->slots[i] = ((uint64_t) tag << 32) | ((uint64_t) id + 1);
	return id;
}

static void
dict_free(const RkAlloc *a, RkDict *d)
{
	if (d->slots)
		a->free(a->ctx, d->slots);
	if (d->ends)
		a->free(a->ctx, d->ends);
	if (d->arena)
		a->free(a->ctx, d->arena);
	memset(d, 0, sizeof(*d));
}

/* ---------------------------------------------------------------------------------------- */
/* Per-item unit sets																		*/
/* ---------------------------------------------------------------------------------------- */

/* Home slot of a unit id: the top bits of a full 32-bit mix (ids are dense and may be patterned). */
static inline size_t
set_home(uint32_t id, uint32_t bits)
{
	uint32_t	h = id;

	h ^= h >> 16;
	h *= 0x85EBCA6Bu;
	h ^= h >> 13;
	h *= 0xC2B2AE35u;
	h ^= h >> 16;
	return (size_t) (h >> (32 - bits));
}

/* Bytes of a hash form able to hold n ids at a load of at most 0.7. */
static inline uint64_t
hash_form_bytes(uint64_t n, uint32_t *bits_out)
{
	uint32_t	bits = 3;

	while (n * 10 > ((uint64_t) 7 << bits))
		bits++;
	if (bits_out)
		*bits_out = bits;
	return (uint64_t) 4 << bits;
}

/* Runs body with id set to every unit id of s. */
#define SET_FOREACH(s, id, body) \
	do { \
		if ((s)->nwords > 0) \
		{ \
			uint32_t	w_; \
			for (w_ = 0; w_ < (s)->nwords; w_++) \
			{ \
				uint32_t	bits_ = (s)->slots[w_]; \
				while (bits_ != 0) \
				{ \
					uint32_t	id = w_ * 32 + (uint32_t) ctz32(bits_); \
					bits_ &= bits_ - 1; \
					body; \
				} \
			} \
		} \
		else if ((s)->slots != NULL) \
		{ \
			size_t		j_, \
						n_ = (size_t) 1 << (s)->bits; \
			for (j_ = 0; j_ < n_; j_++) \
			{ \
				if ((s)->slots[j_] != 0) \
				{ \
					uint32_t	id = (s)->slots[j_] - 1; \
					body; \
				} \
			} \
		} \
	} while (0)

static inline int
ctz32(uint32_t x)
{
#if defined(__GNUC__) || defined(__clang__)
	return __builtin_ctz(x);
#else
	int			n = 0;

	while (!(x & 1))
	{
		x >>= 1;
		n++;
	}
	return n;
#endif
}

/* Inserts an id known to be absent into the hash form (room guaranteed). */
static inline void
hash_put(uint32_t *slots, uint32_t bits, uint32_t id)
{
	size_t		mask = ((size_t) 1 << bits) - 1,
				i;

	for (i = set_home(id, bits); slots[i] != 0; i = (i + 1) & mask)
		;
	slots[i] = id + 1;
}

/*
 * Rebuilds s to hold at least need ids: as a bitmap over all current unit ids when that is no
 * bigger than the hash form, else as a hash form of the right size. Either way the memory stays
 * within a small factor of the hash form, i.e. of the pairs.
 */
static void
set_resize(RkRanking *r, RkSet *s, uint64_t need)
{
	const RkAlloc *a = &r->a;
	uint32_t	bits;
	uint64_t	hbytes = hash_form_bytes(need, &bits);
	uint64_t	words = ((uint64_t) r->units.n + 31) / 32;
	uint32_t   *ns;

	words += words / 4 + 1;		/* room for units still to come */
	if (words * 4 <= hbytes)
	{
		ns = a->alloc(a->ctx, (size_t) words * 4);
		memset(ns, 0, (size_t) words * 4);
		SET_FOREACH(s, id, ns[id >> 5] |= 1u << (id & 31));
		if (s->slots)
			a->free(a->ctx, s->slots);
		s->slots = ns;
		s->nwords = (uint32_t) words;
		s->bits = 0;
		return;
	}
	ns = a->alloc(a->ctx, (size_t) hbytes);
	memset(ns, 0, (size_t) hbytes);
	SET_FOREACH(s, id, hash_put(ns, bits, id));
	if (s->slots)
		a->free(a->ctx, s->slots);
	s->slots = ns;
	s->nwords = 0;
	s->bits = bits;
}

/* Extends the bitmap form to cover id, or goes back to a hash form if the bitmap got sparse. */
static void
bitmap_extend(RkRanking *r, RkSet *s, uint32_t id)
{
	const RkAlloc *a = &r->a;
	uint64_t	words = (uint64_t) s->nwords * 2;
	uint32_t   *ns;

	if (words < (uint64_t) id / 32 + 1)
		words = (uint64_t) id / 32 + 1;
	if (words * 4 > 2 * hash_form_bytes((uint64_t) s->n + 1, NULL))
	{
		uint32_t	bits;
		uint64_t	hbytes = hash_form_bytes((uint64_t) s->n + 1, &bits);

		ns = a->alloc(a->ctx, (size_t) hbytes);
		memset(ns, 0, (size_t) hbytes);
		SET_FOREACH(s, x, hash_put(ns, bits, x));
		a->free(a->ctx, s->slots);
		s->slots = ns;
		s->nwords = 0;
		s->bits = bits;
		return;
	}
	ns = a->alloc(a->ctx, (size_t) words * 4);
	memcpy(ns, s->slots, (size_t) s->nwords * 4);
	memset(ns + s->nwords, 0, (size_t) (words - s->nwords) * 4);
	a->free(a->ctx, s->slots);
	s->slots = ns;
	s->nwords = (uint32_t) words;
}

/* Makes room for more ids (so that a run of inserts never grows the set in between). */
static void
set_reserve(RkRanking *r, RkSet *s, uint32_t more)
{
	if (s->nwords > 0)
	{
		if (r->units.n > 0 && r->units.n - 1 >= s->nwords * 32)
			bitmap_extend(r, s, r->units.n - 1);
	}
	else if (s->slots == NULL || ((uint64_t) s->n + more) * 10 > ((uint64_t) 7 << s->bits))
		set_resize(r, s, (uint64_t) s->n + more);
}

/* Adds unit id; true when it was new. */
static inline bool
set_add(RkRanking *r, RkSet *s, uint32_t id)
{
	for (;;)
	{
		size_t		mask,
					i;

		if (s->nwords > 0)
		{
			uint32_t   *w,
						m;

			if (id >= s->nwords * 32)
			{
				bitmap_extend(r, s, id);
				continue;
			}
			w = &s->slots[id >> 5];
			m = 1u << (id & 31);
			if (*w & m)
				return false;
			*w |= m;
			s->n++;
			return true;
		}
		if (s->slots != NULL)
		{
			bool		full = ((uint64_t) s->n + 1) * 10 > ((uint64_t) 7 << s->bits);

			mask = ((size_t) 1 << s->bits) - 1;
			for (i = set_home(id, s->bits);; i = (i + 1) & mask)
			{
				uint32_t	v = s->slots[i];

				if (v == id + 1)
					return false;
				if (v == 0)
					break;
			}
			if (!full)
			{
				s->slots[i] = id + 1;
				s->n++;
				return true;
			}
		}
		set_resize(r, s, (uint64_t) s->n + 1);
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Rankings																					*/
/* ---------------------------------------------------------------------------------------- */

/* An empty ranking. */
void
rk_init(RkRanking *r, const RkAlloc *a)
{
	memset(r, 0, sizeof(*r));
	r->a = *a;
	r->last_unit = NOT_FOUND;
}

/* Frees all memory of r and leaves it empty. */
void
rk_free(RkRanking *r)
{
	RkAlloc		a = r->a;
	uint32_t	i;

	for (i = 0; i < r->items.n; i++)
		if (r->sets[i].slots)
			a.free(a.ctx, r->sets[i].slots);
	if (r->sets)
		a.free(a.ctx, r->sets);
	dict_free(&a, &r->items);
	dict_free(&a, &r->units);
	rk_init(r, &a);
}

/* Item id of a name, added (with an empty unit set) when new. */
static uint32_t
intern_item(RkRanking *r, const char *s, size_t n)
{
	uint64_t	h = hash_bytes(s, n);
	uint32_t	id = dict_find(&r->items, s, n, h);
	uint32_t	oldcap = r->items.cap;

	if (id != NOT_FOUND)
		return id;
	id = dict_insert(&r->a, &r->items, s, n, h);
	if (r->items.cap != oldcap)
	{
		RkSet	   *ns = r->a.alloc(r->a.ctx, (size_t) r->items.cap * sizeof(RkSet));

		memset(ns, 0, (size_t) r->items.cap * sizeof(RkSet));
		if (r->sets)
		{
			memcpy(ns, r->sets, (size_t) oldcap * sizeof(RkSet));
			r->a.free(r->a.ctx, r->sets);
		}
		r->sets = ns;
	}
	return id;
}

/* Unit id of a name, added when new. */
static inline uint32_t
intern_unit(RkRanking *r, const char *s, size_t n)
{
	uint64_t	h;
	uint32_t	id;

	/* rows often come grouped by unit: try the previous row's unit first */
	if (r->last_unit != NOT_FOUND)
	{
		size_t		b = dict_start(&r->units, r->last_unit);

		if (r->units.ends[r->last_unit] - b == n && memcmp(r->units.arena + b, s, n) == 0)
			return r->last_unit;
	}
	h = hash_bytes(s, n);
	id = dict_find(&r->units, s, n, h);
	if (id == NOT_FOUND)
		id = dict_insert(&r->a, &r->units, s, n, h);
	r->last_unit = id;
	return id;
}

/* Adds the pair (item, unit). */
int
rk_add(RkRanking *r, const char *item, size_t ilen, const char *unit, size_t ulen)
{
	uint32_t	iid,
				uid;

	/* the most the flat form can grow by: a new item, a new unit and a pair */
	if (ilen > RK_MAX_BYTES || ulen > RK_MAX_BYTES ||
		rk_flat_size(r) + 16 + ilen + ulen > RK_MAX_BYTES)
		return RK_TOO_LARGE;
	iid = intern_item(r, item, ilen);
	uid = intern_unit(r, unit, ulen);
	if (set_add(r, &r->sets[iid], uid))
		r->npairs++;
	return RK_OK;
}

/* Adds every pair of a flat ranking. */
int
rk_merge_flat(RkRanking *r, const RkFlat *f)
{
	uint32_t   *map;
	uint32_t	u,
				i,
				j;
	size_t		k = 0;

	if (f->n_units == 0)
		return RK_OK;
	map = r->a.alloc(r->a.ctx, (size_t) f->n_units * sizeof(uint32_t));
	for (u = 0; u < f->n_units; u++)
	{
		size_t		n;
		const char *s = rk_flat_unit(f, u, &n);
		uint64_t	h;
		uint32_t	id;

		if (rk_flat_size(r) + 16 + n > RK_MAX_BYTES)
		{
			r->a.free(r->a.ctx, map);
			return RK_TOO_LARGE;
		}
		h = hash_bytes(s, n);
		id = dict_find(&r->units, s, n, h);
		if (id == NOT_FOUND)
			id = dict_insert(&r->a, &r->units, s, n, h);
		map[u] = id;
		tick(&r->a, &r->ticks);
	}
	r->last_unit = NOT_FOUND;
	for (i = 0; i < f->n_items; i++)
	{
		size_t		n;
		const char *s = rk_flat_item(f, i, &n);
		uint32_t	np = rk_rd32(f->item_npairs, i);
		uint32_t	iid;

		if (rk_flat_size(r) + 16 + n + 4 * (size_t) np > RK_MAX_BYTES)
		{
			r->a.free(r->a.ctx, map);
			return RK_TOO_LARGE;
		}
		iid = intern_item(r, s, n);

		/*
		 * The flat ids come in the source table's slot order, which is hash order: inserted one
		 * by one into a small table that grows, they would pile up in one probe run. Size the
		 * table for all of them first.
		 */
		set_reserve(r, &r->sets[iid], np);
		for (j = 0; j < np; j++, k++)
		{
			if (set_add(r, &r->sets[iid], map[rk_rd32(f->pair_unit, k)]))
				r->npairs++;
			tick(&r->a, &r->ticks);
		}
	}
	r->a.free(r->a.ctx, map);
	return RK_OK;
}

/* Writes the flat body. */
void
rk_flatten(RkRanking *r, void *dst)
{
	unsigned char *p = dst;
	size_t		off = 0;
	uint32_t	i,
				u;
	size_t		k = 0;
	size_t		istr = r->items.arena_used;

	wr32(p, 0, RK_MAGIC);
	wr32(p, 1, r->items.n);
	wr32(p, 2, r->units.n);
	wr32(p, 3, (uint32_t) r->npairs);
	wr32(p, 4, (uint32_t) (istr + r->units.arena_used));
	p += 20;
	for (i = 0; i < r->items.n; i++)
		wr32(p, i, r->sets[i].n);
	p += 4 * (size_t) r->items.n;
	for (i = 0; i < r->items.n; i++)
		wr32(p, i, r->items.ends[i]);
	p += 4 * (size_t) r->items.n;
	for (u = 0; u < r->units.n; u++)
		wr32(p, u, (uint32_t) (istr + r->units.ends[u]));
	p += 4 * (size_t) r->units.n;
	for (i = 0; i < r->items.n; i++)
	{
		const RkSet *s = &r->sets[i];

		SET_FOREACH(s, id, (wr32(p, k++, id), tick(&r->a, &r->ticks)));
	}
	p += 4 * k;
	if (istr > 0)
		memcpy(p + off, r->items.arena, istr);
	off += istr;
	if (r->units.arena_used > 0)
		memcpy(p + off, r->units.arena, r->units.arena_used);
}

/* Checks a flat body and opens a view of it. */
int
rk_flat_open(RkFlat *f, const void *body, size_t size, const RkAlloc *a)
{
	const unsigned char *p = body;
	uint64_t	need,
				sum = 0;
	uint32_t	i,
				prev = 0;
	unsigned	ticks = 0;

	if (size < 20 || rk_rd32(p, 0) != RK_MAGIC)
		return RK_CORRUPT;
	f->n_items = rk_rd32(p, 1);
	f->n_units = rk_rd32(p, 2);
	f->n_pairs = rk_rd32(p, 3);
	f->str_bytes = rk_rd32(p, 4);
	need = 20 + 4 * (2 * (uint64_t) f->n_items + f->n_units + f->n_pairs) + f->str_bytes;
	if (need != size)
		return RK_CORRUPT;
	f->item_npairs = p + 20;
	f->item_end = f->item_npairs + 4 * (size_t) f->n_items;
	f->unit_end = f->item_end + 4 * (size_t) f->n_items;
	f->pair_unit = f->unit_end + 4 * (size_t) f->n_units;
	f->strings = (const char *) (f->pair_unit + 4 * (size_t) f->n_pairs);

	if (f->n_units > f->n_pairs || (f->n_pairs > 0) != (f->n_units > 0))
		return RK_CORRUPT;
	for (i = 0; i < f->n_items; i++)
	{
		uint32_t	np = rk_rd32(f->item_npairs, i);
		uint32_t	e = rk_rd32(f->item_end, i);

		if (np == 0 || np > f->n_units || e < prev)
			return RK_CORRUPT;
		sum += np;
		prev = e;
	}
	if (sum != f->n_pairs)
		return RK_CORRUPT;
	for (i = 0; i < f->n_units; i++)
	{
		uint32_t	e = rk_rd32(f->unit_end, i);

		if (e < prev)
			return RK_CORRUPT;
		prev = e;
		tick(a, &ticks);
	}
	if (prev != f->str_bytes)
		return RK_CORRUPT;
	for (i = 0; i < f->n_pairs; i++)
	{
		if (rk_rd32(f->pair_unit, i) >= f->n_units)
			return RK_CORRUPT;
		tick(a, &ticks);
	}
	return RK_OK;
}

/* Name of item i. */
const char *
rk_flat_item(const RkFlat *f, uint32_t i, size_t *len)
{
	uint32_t	b = i == 0 ? 0 : rk_rd32(f->item_end, i - 1);

	*len = rk_rd32(f->item_end, i) - b;
	return f->strings + b;
}

/* Name of unit u. */
const char *
rk_flat_unit(const RkFlat *f, uint32_t u, size_t *len)
{
	uint32_t	b;

	if (u > 0)
		b = rk_rd32(f->unit_end, u - 1);
	else
		b = f->n_items == 0 ? 0 : rk_rd32(f->item_end, f->n_items - 1);
	*len = rk_rd32(f->unit_end, u) - b;
	return f->strings + b;
}

/* ---------------------------------------------------------------------------------------- */
/* Sorting																					*/
/* ---------------------------------------------------------------------------------------- */

typedef struct NameRef
{
	const char *p;
	uint32_t	len;
	uint32_t	id;
	uint32_t	units;
} NameRef;

static inline int
compare_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
	int			c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen ? 1 : 0;
}

/* Bytewise name order. */
static int
cmp_name(const void *x, const void *y)
{
	const NameRef *a = x,
			   *b = y;
	int			c = compare_bytes(a->p, a->len, b->p, b->len);

	return c != 0 ? c : (a->id < b->id ? -1 : a->id > b->id);
}

/* Units descending, then bytewise name order. */
static int
cmp_rank(const void *x, const void *y)
{
	const NameRef *a = x,
			   *b = y;

	if (a->units != b->units)
		return a->units > b->units ? -1 : 1;
	return cmp_name(x, y);
}

static int
cmp_u32(const void *x, const void *y)
{
	uint32_t	a = *(const uint32_t *) x,
				b = *(const uint32_t *) y;

	return a < b ? -1 : a > b;
}

/* ---------------------------------------------------------------------------------------- */
/* Text form																				*/
/* ---------------------------------------------------------------------------------------- */

/* Emits a JSON string. */
static void
emit_string(const char *s, size_t n, void (*emit) (void *, const char *, size_t), void *arg)
{
	static const char hex[] = "0123456789abcdef";
	size_t		run = 0,
				i;

	emit(arg, "\"", 1);
	for (i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) s[i];
		char		esc[6];
		size_t		elen = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (i > run)
			emit(arg, s + run, i - run);
		run = i + 1;
		esc[0] = '\\';
		switch (c)
		{
			case '"':
				esc[1] = '"';
				break;
			case '\\':
				esc[1] = '\\';
				break;
			case '\b':
				esc[1] = 'b';
				break;
			case '\f':
				esc[1] = 'f';
				break;
			case '\n':
				esc[1] = 'n';
				break;
			case '\r':
				esc[1] = 'r';
				break;
			case '\t':
				esc[1] = 't';
				break;
			default:
				esc[1] = 'u';
				esc[2] = '0';
				esc[3] = '0';
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 0xF];
				elen = 6;
				break;
		}
		emit(arg, esc, elen);
	}
	if (n > run)
		emit(arg, s + run, n - run);
	emit(arg, "\"", 1);
}

/* Writes the text form. */
int
rk_format(const RkFlat *f, const RkAlloc *a,
		  void (*emit) (void *arg, const char *s, size_t n), void *arg)
{
	NameRef    *units = NULL,
			   *items = NULL;
	uint32_t   *urank = NULL,
			   *first = NULL,
			   *buf = NULL;
	uint32_t	i,
				u,
				maxnp = 0;
	unsigned	ticks = 0;

	if (f->n_items == 0)
	{
		emit(arg, "{}", 2);
		return RK_OK;
	}
	units = a->alloc(a->ctx, (size_t) f->n_units * sizeof(NameRef));
	urank = a->alloc(a->ctx, (size_t) f->n_units * sizeof(uint32_t));
	items = a->alloc(a->ctx, (size_t) f->n_items * sizeof(NameRef));
	first = a->alloc(a->ctx, (size_t) f->n_items * sizeof(uint32_t));
	for (u = 0; u < f->n_units; u++)
	{
		size_t		n;

		units[u].p = rk_flat_unit(f, u, &n);
		units[u].len = (uint32_t) n;
		units[u].id = u;
		units[u].units = 0;
	}
	qsort(units, f->n_units, sizeof(NameRef), cmp_name);
	for (u = 0; u < f->n_units; u++)
		urank[units[u].id] = u;
	for (i = 0; i < f->n_items; i++)
	{
		size_t		n;
		uint32_t	np = rk_rd32(f->item_npairs, i);

		items[i].p = rk_flat_item(f, i, &n);
		items[i].len = (uint32_t) n;
		items[i].id = i;
		items[i].units = np;
		first[i] = i == 0 ? 0 : first[i - 1] + rk_rd32(f->item_npairs, i - 1);
		if (np > maxnp)
			maxnp = np;
	}
	qsort(items, f->n_items, sizeof(NameRef), cmp_name);
	buf = a->alloc(a->ctx, (size_t) maxnp * sizeof(uint32_t));

	emit(arg, "{", 1);
	for (i = 0; i < f->n_items; i++)
	{
		uint32_t	id = items[i].id,
					np = items[i].units,
					j;

		if (i > 0)
			emit(arg, ",", 1);
		emit_string(items[i].p, items[i].len, emit, arg);
		emit(arg, ":[", 2);
		for (j = 0; j < np; j++)
			buf[j] = urank[rk_rd32(f->pair_unit, first[id] + j)];
		qsort(buf, np, sizeof(uint32_t), cmp_u32);
		for (j = 0; j < np; j++)
		{
			if (j > 0)
				emit(arg, ",", 1);
			emit_string(units[buf[j]].p, units[buf[j]].len, emit, arg);
			tick(a, &ticks);
		}
		emit(arg, "]", 1);
	}
	emit(arg, "}", 1);

	a->free(a->ctx, buf);
	a->free(a->ctx, first);
	a->free(a->ctx, items);
	a->free(a->ctx, urank);
	a->free(a->ctx, units);
	return RK_OK;
}

/* Growable byte buffer of the parser. */
typedef struct Buf
{
	char	   *p;
	size_t		len;
	size_t		cap;
} Buf;

static void
buf_put(const RkAlloc *a, Buf *b, const char *s, size_t n)
{
	if (b->len + n > b->cap)
	{
		size_t		ncap = b->cap ? b->cap : 64;
		char	   *np;

		while (ncap < b->len + n)
			ncap *= 2;
		np = a->alloc(a->ctx, ncap);
		if (b->len > 0)
			memcpy(np, b->p, b->len);
		if (b->p)
			a->free(a->ctx, b->p);
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

typedef struct Parser
{
	const char *s;
	size_t		len;
	size_t		pos;
	size_t		errpos;
	const char *errmsg;
	bool		escape8;
	const RkAlloc *a;
} Parser;

static inline void
skip_ws(Parser *ps)
{
	while (ps->pos < ps->len &&
		   (ps->s[ps->pos] == ' ' || ps->s[ps->pos] == '\t' ||
			ps->s[ps->pos] == '\n' || ps->s[ps->pos] == '\r'))
		ps->pos++;
}

static int
syntax(Parser *ps, size_t pos, const char *msg)
{
	ps->errpos = pos;
	ps->errmsg = msg;
	return RK_SYNTAX;
}

static int
read_hex4(Parser *ps, size_t p, uint32_t *cp)
{
	uint32_t	v = 0;
	int			k;

	for (k = 0; k < 4; k++)
	{
		char		c;

		if (p + k >= ps->len)
			return syntax(ps, ps->len, "unterminated string");
		c = ps->s[p + k];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t) (c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t) (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t) (c - 'A' + 10);
		else
			return syntax(ps, p - 2, "invalid \\u escape");
	}
	*cp = v;
	return RK_OK;
}

/* Decodes the JSON string at ps->pos (an opening quote) into b. */
static int
read_string(Parser *ps, Buf *b)
{
	size_t		p,
				run;

	b->len = 0;
	if (ps->pos >= ps->len || ps->s[ps->pos] != '"')
		return syntax(ps, ps->pos, "expected a string in double quotes");
	p = run = ps->pos + 1;
	for (;;)
	{
		unsigned char c;

		if (p >= ps->len)
			return syntax(ps, ps->len, "unterminated string");
		c = (unsigned char) ps->s[p];
		if (c == '"')
			break;
		if (c < 0x20)
			return syntax(ps, p, "control character in string");
		if (c != '\\')
		{
			p++;
			continue;
		}
		if (p > run)
			buf_put(ps->a, b, ps->s + run, p - run);
		if (p + 1 >= ps->len)
			return syntax(ps, ps->len, "unterminated string");
		switch (ps->s[p + 1])
		{
			case '"':
				buf_put(ps->a, b, "\"", 1);
				break;
			case '\\':
				buf_put(ps->a, b, "\\", 1);
				break;
			case '/':
				buf_put(ps->a, b, "/", 1);
				break;
			case 'b':
				buf_put(ps->a, b, "\b", 1);
				break;
			case 'f':
				buf_put(ps->a, b, "\f", 1);
				break;
			case 'n':
				buf_put(ps->a, b, "\n", 1);
				break;
			case 'r':
				buf_put(ps->a, b, "\r", 1);
				break;
			case 't':
				buf_put(ps->a, b, "\t", 1);
				break;
			case 'u':
				{
					uint32_t	cp,
								lo;
					char		out[4];
					size_t		n;

					if (read_hex4(ps, p + 2, &cp) != RK_OK)
						return RK_SYNTAX;
					if (cp >= 0xD800 && cp <= 0xDBFF)
					{
						if (p + 7 >= ps->len || ps->s[p + 6] != '\\' || ps->s[p + 7] != 'u')
							return syntax(ps, p, "unpaired Unicode surrogate");
						if (read_hex4(ps, p + 8, &lo) != RK_OK)
							return RK_SYNTAX;
						if (lo < 0xDC00 || lo > 0xDFFF)
							return syntax(ps, p, "unpaired Unicode surrogate");
						cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
						p += 6;
					}
					else if (cp >= 0xDC00 && cp <= 0xDFFF)
						return syntax(ps, p, "unpaired Unicode surrogate");
					if (cp == 0)
						return syntax(ps, p, "\\u0000 is not allowed");
					if (cp < 0x80)
					{
						out[0] = (char) cp;
						n = 1;
					}
					else if (cp < 0x800)
					{
						out[0] = (char) (0xC0 | (cp >> 6));
						out[1] = (char) (0x80 | (cp & 0x3F));
						n = 2;
					}
					else if (cp < 0x10000)
					{
						out[0] = (char) (0xE0 | (cp >> 12));
						out[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
						out[2] = (char) (0x80 | (cp & 0x3F));
						n = 3;
					}
					else
					{
						out[0] = (char) (0xF0 | (cp >> 18));
						out[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
						out[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
						out[3] = (char) (0x80 | (cp & 0x3F));
						n = 4;
					}
					if (cp >= 0x80)
						ps->escape8 = true;
					buf_put(ps->a, b, out, n);
					p += 4;
				}
				break;
			default:
				return syntax(ps, p, "invalid escape sequence");
		}
		p += 2;
		run = p;
	}
	if (p > run)
		buf_put(ps->a, b, ps->s + run, p - run);
	ps->pos = p + 1;
	return RK_OK;
}

/* Parses the text form into r. */
int
rk_parse(RkRanking *r, const char *s, size_t len,
		 size_t *errpos, const char **errmsg, bool *had_escape_8bit)
{
	Parser		ps = {s, len, 0, 0, NULL, false, &r->a};
	Buf			item = {NULL, 0, 0},
				unit = {NULL, 0, 0};
	int			rc = RK_OK;
	unsigned	ticks = 0;

	skip_ws(&ps);
	if (ps.pos >= len || s[ps.pos] != '{')
	{
		rc = syntax(&ps, ps.pos, "expected \"{\"");
		goto done;
	}
	ps.pos++;
	skip_ws(&ps);
	if (ps.pos < len && s[ps.pos] == '}')
		ps.pos++;
	else
	{
		for (;;)
		{
			skip_ws(&ps);
			if ((rc = read_string(&ps, &item)) != RK_OK)
				goto done;
			skip_ws(&ps);
			if (ps.pos >= len || s[ps.pos] != ':')
			{
				rc = syntax(&ps, ps.pos, "expected \":\" after an item");
				goto done;
			}
			ps.pos++;
			skip_ws(&ps);
			if (ps.pos >= len || s[ps.pos] != '[')
			{
				rc = syntax(&ps, ps.pos, "expected \"[\" before the units of an item");
				goto done;
			}
			ps.pos++;
			skip_ws(&ps);
			if (ps.pos < len && s[ps.pos] == ']')
			{
				rc = syntax(&ps, ps.pos, "an item needs at least one unit");
				goto done;
			}
			for (;;)
			{
				skip_ws(&ps);
				if ((rc = read_string(&ps, &unit)) != RK_OK)
					goto done;
				if ((rc = rk_add(r, item.p ? item.p : "", item.len, unit.p ? unit.p : "", unit.len)) != RK_OK)
					goto done;
				tick(&r->a, &ticks);
				skip_ws(&ps);
				if (ps.pos < len && s[ps.pos] == ',')
				{
					ps.pos++;
					continue;
				}
				if (ps.pos < len && s[ps.pos] == ']')
				{
					ps.pos++;
					break;
				}
				rc = syntax(&ps, ps.pos, "expected \",\" or \"]\"");
				goto done;
			}
			skip_ws(&ps);
			if (ps.pos < len && s[ps.pos] == ',')
			{
				ps.pos++;
				continue;
			}
			if (ps.pos < len && s[ps.pos] == '}')
			{
				ps.pos++;
				break;
			}
			rc = syntax(&ps, ps.pos, "expected \",\" or \"}\"");
			goto done;
		}
	}
	skip_ws(&ps);
	if (ps.pos != len)
		rc = syntax(&ps, ps.pos, "unexpected text after \"}\"");

done:
	if (item.p)
		r->a.free(r->a.ctx, item.p);
	if (unit.p)
		r->a.free(r->a.ctx, unit.p);
	*errpos = ps.errpos;
	*errmsg = ps.errmsg;
	*had_escape_8bit = ps.escape8;
	return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Rank order																				*/
/* ---------------------------------------------------------------------------------------- */

/* Rows in rank order with standard competition ranks, cut at rank <= top when top >= 0. */
uint32_t
rk_ranks(const RkFlat *f, const RkAlloc *a, int64_t top, RkRankRow *rows)
{
	NameRef    *items;
	uint32_t	i,
				n = 0;
	unsigned	ticks = 0;

	if (f->n_items == 0)
		return 0;
	items = a->alloc(a->ctx, (size_t) f->n_items * sizeof(NameRef));
	for (i = 0; i < f->n_items; i++)
	{
		size_t		len;

		tick(a, &ticks);

		items[i].p = rk_flat_item(f, i, &len);
		items[i].len = (uint32_t) len;
		items[i].id = i;
		items[i].units = rk_rd32(f->item_npairs, i);
	}
	/* one uninterruptible sort: about a second for ten million items */
	qsort(items, f->n_items, sizeof(NameRef), cmp_rank);
	if (a->tick)
		a->tick(a->ctx);
	for (i = 0; i < f->n_items; i++)
	{
		uint32_t	rank = (i > 0 && items[i].units == items[i - 1].units) ? rows[n - 1].rank : i + 1;

		if (top >= 0 && (int64_t) rank > top)
			break;
		rows[n].item = items[i].id;
		rows[n].units = items[i].units;
		rows[n].rank = rank;
		n++;
	}
	a->free(a->ctx, items);
	return n;
}
