/*
 * keyset.c
 *	  Exact sets of (area_code, id) keys for the orphan checks of the report layer.
 *
 * Most normalisation views check that each row's person is a usable row of ssd_person. As a
 * join, the leader of every such refresh hashed all usable persons (10 million nationally) and
 * probed every child row itself while the parallel workers waited. _key_set builds the usable
 * keys once per refresh into one value (a materialized view of one row); _key_has finds a key
 * in it by binary search over 64-bit hashes and then compares the key itself, so the answer
 * is exact. The views call it in the rows' scans, which run in parallel workers, and each
 * process reads the set once per query. Each process also indexes its copy by the top bits of
 * the hashes (a directory of one bucket per two to four keys), so a search reads a bucket of a
 * few hashes instead of bisecting all of them: the hashes are uniform, so the buckets are even.
 *
 * The value is a bytea:
 *
 *		int32	varlena header
 *		int32	KEYSET_MAGIC
 *		int32	n, the number of keys
 *		int32	zero
 *		uint64	hash[n]			ascending
 *		uint32	off[n + 1]		key i is bytes off[i] .. off[i + 1] - 1 of the key area
 *		char	keys[off[n]]	each key: uint32 length of the area code, the area code, the id
 *
 * Keys compare byte for byte, as text equality does under a deterministic collation (the only
 * kind a database's default collation can be).
 */
#include "skpi.h"

#include "access/detoast.h"
#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#define KEYSET_MAGIC 0x4b534554	/* "KSET" */

typedef struct KeySetHeader
{
	int32		vl_len_;
	int32		magic;
	int32		n;
	int32		zero;
} KeySetHeader;

#define KEYSET_HASHES(ks) ((const uint64 *) ((const char *) (ks) + sizeof(KeySetHeader)))
#define KEYSET_OFFS(ks) ((const uint32 *) (KEYSET_HASHES(ks) + (ks)->n))
#define KEYSET_KEYS(ks) ((const char *) (KEYSET_OFFS(ks) + (ks)->n + 1))

/*
 * Aggregate state: the keys in the order they came, each as in the set (length of the area
 * code, area code, id) one after the other in buf, key i starting at off[i].
 */
typedef struct KeySetState
{
	int64		n;
	int64		cap;
	uint64	   *hash;
	int64	   *off;
	char	   *buf;
	int64		len;
	int64		bufcap;
} KeySetState;

/* The hash of a key: the id's bytes hashed with the area code's hash as seed. */
static inline uint64
key_hash(const char *area, int alen, const char *id, int ilen)
{
	return hash_bytes_extended((const unsigned char *) id, ilen,
							   hash_bytes_extended((const unsigned char *) area, alen, 0));
}

/* A new, empty state in cxt. */
static KeySetState *
keyset_new(MemoryContext cxt)
{
	KeySetState *st = MemoryContextAllocZero(cxt, sizeof(KeySetState));

	st->cap = 1024;
	st->hash = MemoryContextAllocHuge(cxt, st->cap * sizeof(uint64));
	st->off = MemoryContextAllocHuge(cxt, st->cap * sizeof(int64));
	st->bufcap = 16384;
	st->buf = MemoryContextAllocHuge(cxt, st->bufcap);
	return st;
}

/* Makes room in st for nkeys more keys of nbytes bytes in all. */
static void
keyset_reserve(KeySetState *st, int64 nkeys, int64 nbytes)
{
	if (st->n + nkeys > st->cap)
	{
		int64		cap = st->cap;

		while (cap < st->n + nkeys)
			cap *= 2;
		if ((Size) cap > MaxAllocHugeSize / sizeof(uint64))
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many keys for %s._key_set: " INT64_FORMAT, SKPI_SCHEMA, st->n + nkeys)));
		st->hash = repalloc_huge(st->hash, cap * sizeof(uint64));
		st->off = repalloc_huge(st->off, cap * sizeof(int64));
		st->cap = cap;
	}
	if (st->len + nbytes > st->bufcap)
	{
		int64		cap = st->bufcap;

		while (cap < st->len + nbytes)
			cap *= 2;
		if ((Size) cap > MaxAllocHugeSize)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many keys for %s._key_set: " INT64_FORMAT " bytes",
							SKPI_SCHEMA, st->len + nbytes)));
		st->buf = repalloc_huge(st->buf, cap);
		st->bufcap = cap;
	}
}

/* Appends one key (its hash given) to st. */
static void
keyset_append(KeySetState *st, uint64 h, const char *area, uint32 alen, const char *id, uint32 ilen)
{
	keyset_reserve(st, 1, sizeof(uint32) + alen + ilen);
	st->hash[st->n] = h;
	st->off[st->n] = st->len;
	st->n++;
	memcpy(st->buf + st->len, &alen, sizeof(uint32));
	memcpy(st->buf + st->len + sizeof(uint32), area, alen);
	memcpy(st->buf + st->len + sizeof(uint32) + alen, id, ilen);
	st->len += sizeof(uint32) + alen + ilen;
}

/* Length in bytes of key i of st. */
static inline int64
keyset_keylen(const KeySetState *st, int64 i)
{
	return (i + 1 < st->n ? st->off[i + 1] : st->len) - st->off[i];
}

PG_FUNCTION_INFO_V1(skpi_key_set_add);

/* _key_set transition: adds a key (keys with a NULL part are skipped). */
Datum
skpi_key_set_add(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	KeySetState *st;
	text	   *area;
	text	   *id;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s._key_set_add called outside an aggregate", SKPI_SCHEMA);
	st = PG_ARGISNULL(0) ? keyset_new(aggcxt) : (KeySetState *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	area = PG_GETARG_TEXT_PP(1);
	id = PG_GETARG_TEXT_PP(2);
	keyset_append(st,
				  key_hash(VARDATA_ANY(area), VARSIZE_ANY_EXHDR(area), VARDATA_ANY(id), VARSIZE_ANY_EXHDR(id)),
				  VARDATA_ANY(area), VARSIZE_ANY_EXHDR(area), VARDATA_ANY(id), VARSIZE_ANY_EXHDR(id));
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(skpi_key_set_combine);

/* _key_set combine: the keys of both states, in the first (made when it is NULL). */
Datum
skpi_key_set_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	KeySetState *a;
	KeySetState *b;
	int64		i;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s._key_set_combine called outside an aggregate", SKPI_SCHEMA);
	a = PG_ARGISNULL(0) ? NULL : (KeySetState *) PG_GETARG_POINTER(0);
	b = PG_ARGISNULL(1) ? NULL : (KeySetState *) PG_GETARG_POINTER(1);
	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	/* b may live in a shorter-lived context (deserialised): copy it */
	if (a == NULL)
		a = keyset_new(aggcxt);
	keyset_reserve(a, b->n, b->len);
	for (i = 0; i < b->n; i++)
	{
		a->hash[a->n + i] = b->hash[i];
		a->off[a->n + i] = a->len + b->off[i];
	}
	memcpy(a->buf + a->len, b->buf, b->len);
	a->n += b->n;
	a->len += b->len;
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(skpi_key_set_serialize);

/* _key_set serial function: the count, the byte count, each key's hash and length, the keys. */
Datum
skpi_key_set_serialize(PG_FUNCTION_ARGS)
{
	KeySetState *st;
	StringInfoData buf;
	int64		i;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "%s._key_set_serialize called outside an aggregate", SKPI_SCHEMA);
	st = (KeySetState *) PG_GETARG_POINTER(0);
	if ((Size) st->len + (Size) st->n * 12 + 16 > MaxAllocSize - VARHDRSZ - 1)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many keys for %s._key_set in a parallel worker: " INT64_FORMAT,
						SKPI_SCHEMA, st->n),
				 errhint("Run the query with max_parallel_workers_per_gather = 0.")));
	pq_begintypsend(&buf);
	enlargeStringInfo(&buf, (int) (st->len + st->n * 12 + 16));
	pq_sendint64(&buf, st->n);
	pq_sendint64(&buf, st->len);
	for (i = 0; i < st->n; i++)
	{
		pq_sendint64(&buf, (int64) st->hash[i]);
		pq_sendint32(&buf, (uint32) keyset_keylen(st, i));
	}
	pq_sendbytes(&buf, st->buf, (int) st->len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(skpi_key_set_deserialize);

/* _key_set deserial function: the state that _key_set_serialize wrote. */
Datum
skpi_key_set_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *b;
	StringInfoData buf;
	KeySetState *st;
	int64		n,
				len,
				pos = 0,
				i;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "%s._key_set_deserialize called outside an aggregate", SKPI_SCHEMA);
	b = PG_GETARG_BYTEA_PP(0);
	buf.data = VARDATA_ANY(b);
	buf.len = VARSIZE_ANY_EXHDR(b);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	n = pq_getmsgint64(&buf);
	len = pq_getmsgint64(&buf);
	if (n < 0 || len < 0 || n > (buf.len - 16) / 12 || 16 + n * 12 + len != buf.len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid %s._key_set state: " INT64_FORMAT " keys of " INT64_FORMAT " bytes in %d bytes",
						SKPI_SCHEMA, n, len, buf.len)));
	st = keyset_new(CurrentMemoryContext);
	keyset_reserve(st, n, len);
	for (i = 0; i < n; i++)
	{
		uint32		klen;

		st->hash[i] = (uint64) pq_getmsgint64(&buf);
		klen = pq_getmsgint(&buf, 4);
		st->off[i] = pos;
		pos += klen;
	}
	if (pos != len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid %s._key_set state: keys of " INT64_FORMAT " bytes, not " INT64_FORMAT,
						SKPI_SCHEMA, pos, len)));
	memcpy(st->buf, pq_getmsgbytes(&buf, (int) len), len);
	st->n = n;
	st->len = len;
	PG_RETURN_POINTER(st);
}

/* Sort item of _key_set_final: a key's hash and its place in the state. */
typedef struct KeyRef
{
	uint64		hash;
	int64		i;
} KeyRef;

/* Orders two keys of st by hash, then bytes, then length. */
static int
keyref_cmp(const KeyRef *a, const KeyRef *b, const KeySetState *st)
{
	int64		la,
				lb;
	int			c;

	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	la = keyset_keylen(st, a->i);
	lb = keyset_keylen(st, b->i);
	c = memcmp(st->buf + st->off[a->i], st->buf + st->off[b->i], Min(la, lb));
	if (c != 0)
		return c;
	return la < lb ? -1 : la > lb ? 1 : 0;
}

#define ST_SORT sort_keyrefs
#define ST_ELEMENT_TYPE KeyRef
#define ST_COMPARE(a, b, st) keyref_cmp(a, b, st)
#define ST_COMPARE_ARG_TYPE const KeySetState
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

PG_FUNCTION_INFO_V1(skpi_key_set_final);

/* _key_set final function: the distinct keys, sorted by hash, as the set _key_has reads. */
Datum
skpi_key_set_final(PG_FUNCTION_ARGS)
{
	KeySetState *st;
	KeyRef	   *refs;
	int64		n,
				nout = 0,
				bytes = 0,
				i;
	Size		size;
	KeySetHeader *ks;
	uint64	   *hash;
	uint32	   *off;
	char	   *keys;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "%s._key_set_final called outside an aggregate", SKPI_SCHEMA);
	st = PG_ARGISNULL(0) ? NULL : (KeySetState *) PG_GETARG_POINTER(0);
	n = st == NULL ? 0 : st->n;
	refs = palloc_extended(Max(n, 1) * sizeof(KeyRef), MCXT_ALLOC_HUGE);
	for (i = 0; i < n; i++)
	{
		refs[i].hash = st->hash[i];
		refs[i].i = i;
	}
	if (n > 1)
		sort_keyrefs(refs, n, st);
	CHECK_FOR_INTERRUPTS();
	/* distinct keys */
	for (i = 0; i < n; i++)
		if (i == 0 || keyref_cmp(&refs[i - 1], &refs[i], st) != 0)
		{
			refs[nout++] = refs[i];
			bytes += keyset_keylen(st, refs[i].i);
		}
	size = sizeof(KeySetHeader) + nout * sizeof(uint64) + (nout + 1) * sizeof(uint32) + bytes;
	if (nout > PG_INT32_MAX || size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many keys for %s._key_set: " INT64_FORMAT " keys of " INT64_FORMAT " bytes",
						SKPI_SCHEMA, nout, bytes),
				 errdetail("A key set is one value, at most 1 GB.")));
	ks = palloc(size);
	SET_VARSIZE(ks, size);
	ks->magic = KEYSET_MAGIC;
	ks->n = (int32) nout;
	ks->zero = 0;
	hash = (uint64 *) KEYSET_HASHES(ks);
	off = (uint32 *) KEYSET_OFFS(ks);
	keys = (char *) KEYSET_KEYS(ks);
	off[0] = 0;
	for (i = 0; i < nout; i++)
	{
		int64		len = keyset_keylen(st, refs[i].i);

		hash[i] = refs[i].hash;
		memcpy(keys + off[i], st->buf + st->off[refs[i].i], len);
		off[i + 1] = off[i] + (uint32) len;
	}
	pfree(refs);
	PG_RETURN_BYTEA_P(ks);
}

/*
 * What _key_has keeps of the set it last read: the set itself, read once into the function's
 * memory, and what identifies the value it came from: the TOAST pointer of a stored value (the
 * case of the report layer's person_keys), else the address and size of one in memory and,
 * up to KEYSET_COMPARED_SIZE, its bytes. So a bigger set computed in memory and passed row by
 * row (not the case of an initplan's result, which stays put) is taken for the last one when
 * it has its address and size.
 */
#define KEYSET_COMPARED_SIZE (1024 * 1024)

typedef struct KeySetCache
{
	bool		ondisk;
	varatt_external ptr;
	const void *addr;
	Size		size;
	KeySetHeader *ks;
	int			bits;			/* the directory has 2^bits buckets */
	uint32	   *dir;			/* bucket b's keys are dir[b] .. dir[b + 1] - 1 */
} KeySetCache;

/* The directory bucket of hash h (the top bits bits of h). */
static inline uint64
keyset_bucket(uint64 h, int bits)
{
	return bits == 0 ? 0 : h >> (64 - bits);
}

/*
 * The directory of ks, allocated in cxt: 2^bits buckets of two to four keys each on average
 * (at most 2^24 buckets), bucket b holding the keys whose hashes have b as their top bits.
 */
static uint32 *
keyset_index(const KeySetHeader *ks, int *bits_out, MemoryContext cxt)
{
	const uint64 *hash = KEYSET_HASHES(ks);
	int			bits = 0;
	uint64		nbuckets,
				b = 0;
	int64		i;
	uint32	   *dir;

	while (bits < 24 && ((int64) 1 << (bits + 1)) <= ks->n / 2)
		bits++;
	nbuckets = (uint64) 1 << bits;
	dir = MemoryContextAlloc(cxt, (nbuckets + 1) * sizeof(uint32));
	for (i = 0; i < ks->n; i++)
	{
		uint64		bi = keyset_bucket(hash[i], bits);

		while (b <= bi)
			dir[b++] = (uint32) i;
	}
	while (b <= nbuckets)
		dir[b++] = (uint32) ks->n;
	*bits_out = bits;
	return dir;
}

/* Whether cache holds the set of value raw (ptr: its TOAST pointer when ondisk). */
static bool
keyset_cached(const KeySetCache *cache, const struct varlena *raw, bool ondisk,
			  const varatt_external *ptr)
{
	if (cache->ks == NULL || cache->ondisk != ondisk)
		return false;
	if (ondisk)
		return memcmp(&cache->ptr, ptr, sizeof(*ptr)) == 0;
	if (cache->addr != (const void *) raw || cache->size != VARSIZE_ANY(raw))
		return false;
	/* an uncompressed value in memory, small enough: its bytes too */
	if (!VARATT_IS_EXTENDED(raw) || VARATT_IS_SHORT(raw))
	{
		Size		len = VARSIZE_ANY_EXHDR(raw);

		if (len <= KEYSET_COMPARED_SIZE)
			return len == VARSIZE(cache->ks) - VARHDRSZ &&
				memcmp(VARDATA_ANY(raw), VARDATA(cache->ks), len) == 0;
	}
	return true;
}

/* Raises the error for a value that is not a key set (what: the first thing found wrong). */
static void
keyset_invalid(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("value is not a key set of %s._key_set", SKPI_SCHEMA),
			 errdetail("%s", what)));
}

/* Checks that ks is laid out as _key_set_final writes it (not that each hash is right). */
static void
keyset_check(const KeySetHeader *ks)
{
	Size		size = VARSIZE(ks);
	const uint64 *hash;
	const uint32 *off;
	int64		i;

	if (size < sizeof(KeySetHeader) || ks->magic != KEYSET_MAGIC || ks->n < 0 || ks->zero != 0)
		keyset_invalid("Its header is wrong.");
	if (size < sizeof(KeySetHeader) + (Size) ks->n * sizeof(uint64) + ((Size) ks->n + 1) * sizeof(uint32))
		keyset_invalid("It is shorter than its count of keys needs.");
	hash = KEYSET_HASHES(ks);
	off = KEYSET_OFFS(ks);
	if (off[0] != 0 ||
		size != sizeof(KeySetHeader) + (Size) ks->n * sizeof(uint64) + ((Size) ks->n + 1) * sizeof(uint32) + off[ks->n])
		keyset_invalid("Its size does not match its keys.");
	for (i = 0; i < ks->n; i++)
	{
		uint32		alen;

		if (off[i + 1] < off[i] || off[i + 1] - off[i] < sizeof(uint32))
			keyset_invalid("A key is shorter than its length field.");
		memcpy(&alen, KEYSET_KEYS(ks) + off[i], sizeof(uint32));
		if (alen > off[i + 1] - off[i] - sizeof(uint32))
			keyset_invalid("An area code is longer than its key.");
		if (i > 0 && hash[i] < hash[i - 1])
			keyset_invalid("Its hashes are not in ascending order.");
	}
}

PG_FUNCTION_INFO_V1(skpi_key_has);

/*
 * _key_has(keys bytea, area_code text, id text): whether the set holds the key. A binary
 * search of the hash's directory bucket finds the first entry with the key's hash; the keys of
 * the entries with that hash are then compared byte for byte.
 */
Datum
skpi_key_has(PG_FUNCTION_ARGS)
{
	struct varlena *raw = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(0));
	text	   *area = PG_GETARG_TEXT_PP(1);
	text	   *id = PG_GETARG_TEXT_PP(2);
	KeySetCache *cache = (KeySetCache *) fcinfo->flinfo->fn_extra;
	const char *a = VARDATA_ANY(area);
	const char *d = VARDATA_ANY(id);
	uint32		alen = VARSIZE_ANY_EXHDR(area);
	uint32		ilen = VARSIZE_ANY_EXHDR(id);
	uint64		h,
				b;
	const KeySetHeader *ks;
	const uint64 *hash;
	const uint32 *off;
	const char *keys;
	int64		lo,
				hi;
	bool		ondisk = VARATT_IS_EXTERNAL_ONDISK(raw);
	varatt_external ptr;

	if (ondisk)
		VARATT_EXTERNAL_GET_POINTER(ptr, raw);
	else
		memset(&ptr, 0, sizeof(ptr));
	if (cache == NULL)
		cache = fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(KeySetCache));
	if (!keyset_cached(cache, raw, ondisk, &ptr))
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		struct varlena *copy;

		if (cache->ks != NULL)
			pfree(cache->ks);
		if (cache->dir != NULL)
			pfree(cache->dir);
		cache->ks = NULL;
		cache->dir = NULL;
		/* a copy of its own, 4-byte header and aligned, whatever form the value came in */
		copy = VARATT_IS_EXTENDED(raw) ? detoast_attr(raw) : NULL;
		if (copy == NULL || copy == raw)
		{
			copy = palloc_extended(VARSIZE(raw), MCXT_ALLOC_HUGE);
			memcpy(copy, raw, VARSIZE(raw));
		}
		MemoryContextSwitchTo(old);
		keyset_check((KeySetHeader *) copy);
		cache->dir = keyset_index((KeySetHeader *) copy, &cache->bits, fcinfo->flinfo->fn_mcxt);
		cache->ks = (KeySetHeader *) copy;
		cache->ondisk = ondisk;
		cache->ptr = ptr;
		cache->addr = raw;
		cache->size = VARSIZE_ANY(raw);
	}
	ks = cache->ks;
	hash = KEYSET_HASHES(ks);
	off = KEYSET_OFFS(ks);
	keys = KEYSET_KEYS(ks);

	h = key_hash(a, alen, d, ilen);
	b = keyset_bucket(h, cache->bits);
	lo = cache->dir[b];
	hi = cache->dir[b + 1];
	while (lo < hi)
	{
		int64		mid = lo + (hi - lo) / 2;

		if (hash[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < ks->n && hash[lo] == h; lo++)
	{
		const char *k = keys + off[lo];
		uint32		kalen;

		memcpy(&kalen, k, sizeof(uint32));
		if (kalen == alen && off[lo + 1] - off[lo] == sizeof(uint32) + alen + ilen &&
			memcmp(k + sizeof(uint32), a, alen) == 0 &&
			memcmp(k + sizeof(uint32) + alen, d, ilen) == 0)
			PG_RETURN_BOOL(true);
	}
	PG_RETURN_BOOL(false);
}
