/*
 * ranking_core.h
 *	  The rank-table state: the distinct (item, unit) pairs seen, without PostgreSQL types.
 *
 * In memory (RkRanking) the items and the units are interned into dictionaries of dense ids and
 * each item keeps the set of its unit ids (a hash set, or a bitmap when that is smaller), so that
 * memory grows with the distinct pairs only.
 * The flat form (the body of the skpi.ranking varlena, after its length word) is:
 *
 *	 u32 magic, n_items, n_units, n_pairs, str_bytes
 *	 u32 item_npairs[n_items]	units of each item
 *	 u32 item_end[n_items]		end offset of each item's name in strings[]
 *	 u32 unit_end[n_units]		end offset of each unit's name (units follow the items)
 *	 u32 pair_unit[n_pairs]		unit ids, item by item
 *	 char strings[str_bytes]
 *
 * in native byte order (the text form is the portable one). The text form is a JSON object
 * mapping each item to the array of its units, both sorted bytewise: {"3B":["a1","a2"],"4B":["a1"]}.
 */
#ifndef SKPI_RANKING_CORE_H
#define SKPI_RANKING_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Memory and interrupt hooks: alloc never returns NULL (it throws or aborts). */
typedef struct RkAlloc
{
	void	   *(*alloc) (void *ctx, size_t size);
	void		(*free) (void *ctx, void *ptr);
	void		(*tick) (void *ctx);	/* called now and then in long loops; may throw */
	void	   *ctx;
} RkAlloc;

/* Largest flat body (the varlena limit is 1 GB). */
#define RK_MAX_BYTES ((size_t) 0x3FFFFF00)

#define RK_MAGIC 0x314B4E52u

/* Results */
#define RK_OK 0
#define RK_TOO_LARGE (-1)
#define RK_CORRUPT (-2)
#define RK_SYNTAX (-3)

typedef struct RkDict
{
	uint64_t   *slots;			/* tag << 32 | (id + 1); 0: empty */
	uint32_t	bits;			/* log2 of the slot count */
	uint32_t	n;				/* strings */
	uint32_t	cap;			/* capacity of ends[] */
	uint32_t   *ends;			/* end of string i in arena; it starts at ends[i - 1] (0 for i = 0) */
	char	   *arena;
	size_t		arena_used;
	size_t		arena_cap;
} RkDict;

/*
 * The units of one item: a hash form (slots[] of unit id + 1, 0 empty, 2^bits of them) while
 * sparse, a bitmap over unit ids (nwords words) once that is no bigger. Units of clustered input
 * then land in the same few bitmap words instead of random hash slots.
 */
typedef struct RkSet
{
	uint32_t   *slots;
	uint32_t	bits;			/* hash form: log2 of the slot count */
	uint32_t	nwords;			/* bitmap form: words; 0 in the hash form */
	uint32_t	n;				/* units in the set */
} RkSet;

typedef struct RkRanking
{
	RkAlloc		a;
	RkDict		items;
	RkDict		units;
	RkSet	   *sets;			/* one per item (items.cap of them) */
	uint64_t	npairs;
	uint32_t	last_unit;		/* id of the previous row's unit, UINT32_MAX if none */
	unsigned	ticks;
} RkRanking;

/* Read-only view of a flat body, checked by rk_flat_open. */
typedef struct RkFlat
{
	uint32_t	n_items;
	uint32_t	n_units;
	uint32_t	n_pairs;
	uint32_t	str_bytes;
	const unsigned char *item_npairs;
	const unsigned char *item_end;
	const unsigned char *unit_end;
	const unsigned char *pair_unit;
	const char *strings;
} RkFlat;

/* One row of a rank table. */
typedef struct RkRankRow
{
	uint32_t	item;			/* item index in the flat form */
	uint32_t	units;
	uint32_t	rank;
} RkRankRow;

static inline uint32_t
rk_rd32(const unsigned char *p, size_t i)
{
	uint32_t	v;

	memcpy(&v, p + 4 * i, 4);
	return v;
}

/* An empty ranking. */
extern void rk_init(RkRanking *r, const RkAlloc *a);

/* Frees the memory of r (it stays usable as an empty ranking after rk_init). */
extern void rk_free(RkRanking *r);

/* Adds the pair (item, unit); RK_OK or RK_TOO_LARGE (r unchanged). */
extern int	rk_add(RkRanking *r, const char *item, size_t ilen, const char *unit, size_t ulen);

/* Adds every pair of a flat ranking; RK_OK or RK_TOO_LARGE. */
extern int	rk_merge_flat(RkRanking *r, const RkFlat *f);

/* Size of the flat body. */
static inline size_t
rk_flat_size(const RkRanking *r)
{
	return 20 + 8 * (size_t) r->items.n + 4 * (size_t) r->units.n + 4 * (size_t) r->npairs +
		r->items.arena_used + r->units.arena_used;
}

/* Writes the flat body (rk_flat_size bytes) into dst. */
extern void rk_flatten(RkRanking *r, void *dst);

/* Checks a flat body of size bytes and opens a view of it; RK_OK or RK_CORRUPT. */
extern int	rk_flat_open(RkFlat *f, const void *body, size_t size, const RkAlloc *a);

/* Name of item i / unit u of a flat view. */
extern const char *rk_flat_item(const RkFlat *f, uint32_t i, size_t *len);
extern const char *rk_flat_unit(const RkFlat *f, uint32_t u, size_t *len);

/*
 * Writes the text form through emit (called with pieces of it); RK_OK. The pieces are
 * NUL-free except where a name contains NUL bytes, which the PostgreSQL caller never has.
 */
extern int	rk_format(const RkFlat *f, const RkAlloc *a,
					  void (*emit) (void *arg, const char *s, size_t n), void *arg);

/*
 * Parses the text form into r (which should be empty). Returns RK_OK, RK_SYNTAX (with *errpos
 * and *errmsg) or RK_TOO_LARGE. *had_escape_8bit tells whether a \u escape above U+007F was
 * decoded (into UTF-8).
 */
extern int	rk_parse(RkRanking *r, const char *s, size_t len,
					 size_t *errpos, const char **errmsg, bool *had_escape_8bit);

/*
 * Rank table rows in order (units descending, then item names bytewise), with standard
 * competition ranks; only rows with rank <= top when top >= 0. rows has room for n_items rows.
 * Returns the number of rows.
 */
extern uint32_t rk_ranks(const RkFlat *f, const RkAlloc *a, int64_t top, RkRankRow *rows);

#endif							/* SKPI_RANKING_CORE_H */
