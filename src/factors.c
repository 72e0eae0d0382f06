/*
 * factors.c
 *	  Assessment factor codes, SSD factor lists and the toxic trio.
 *
 * The codes of skpi.assessment_factors and the grouping of skpi.toxic_trio_codes are read once
 * per backend into a small hash set (factors_core.c) and reloaded when either table changes.
 */
#include "postgres.h"

#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/tuptable.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "port/pg_bitutils.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "factors_core.h"
#include "reference.h"
#include "skpi.h"

/* Longest piece of user text quoted in an error message, in bytes. */
#define QUOTE_MAX 64

/*
 * The per-backend code set. It is rebuilt when the reference-table generation (reference.c)
 * moves. The tables are read with the latest snapshot, not the query's: an invalidation can be
 * processed after the query's snapshot was taken (e.g. inside a REPEATABLE READ transaction),
 * and a set built from that older snapshot would then stay stale until the next change. Parallel
 * mode forbids a new snapshot, so a set built there is provisional and rebuilt at the first call
 * outside parallel mode.
 */
typedef struct FactorCache
{
	MemoryContext cxt;			/* NULL until the first load */
	uint64		generation;
	bool		provisional;
	FcSet		set;
} FactorCache;

static FactorCache cache = {NULL, 0, false, {NULL, 0, 0}};

/* One row read from a reference table. */
typedef struct CodeRow
{
	uint64		key;
	int			value;			/* relates_to or element index */
} CodeRow;

/* Attribute number of a text column of a reference table, or an error naming it. */
static AttrNumber
text_column(Relation rel, const char *name)
{
	AttrNumber	attnum = get_attnum(RelationGetRelid(rel), name);

	if (attnum == InvalidAttrNumber || get_atttype(RelationGetRelid(rel), attnum) != TEXTOID)
		elog(ERROR, "%s.%s has no text column \"%s\"", SKPI_SCHEMA, RelationGetRelationName(rel), name);
	return attnum;
}

/*
 * Reads (code, name) pairs from rel, mapping each name through lookup; *n gets the row count.
 * Rows with a NULL name are skipped; a bad code or name is an error naming the table.
 */
static CodeRow *
read_code_rows(Relation rel, Snapshot snapshot, const char *column,
			   int (*lookup) (const char *, size_t), const char *valid, int *n)
{
	AttrNumber	code_att = text_column(rel, "code");
	AttrNumber	name_att = text_column(rel, column);
	TableScanDesc scan = table_beginscan(rel, snapshot, 0, NULL);
	TupleTableSlot *slot = table_slot_create(rel, NULL);
	int			cap = 64;
	CodeRow    *rows = palloc(sizeof(CodeRow) * cap);

	*n = 0;
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		bool		code_null,
					name_null;
		Datum		code = slot_getattr(slot, code_att, &code_null);
		Datum		name = slot_getattr(slot, name_att, &name_null);
		text	   *ct,
				   *nt;
		uint64		key;
		int			v;

		CHECK_FOR_INTERRUPTS();
		if (code_null || name_null)
			continue;
		ct = DatumGetTextPP(code);
		nt = DatumGetTextPP(name);
		key = fc_code_key(VARDATA_ANY(ct), VARSIZE_ANY_EXHDR(ct));
		if (key == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid code \"%s\" in table %s.%s", text_to_cstring(ct),
							SKPI_SCHEMA, RelationGetRelationName(rel)),
					 errhint("Codes are 1 to 8 upper-case letters or digits.")));
		v = lookup(VARDATA_ANY(nt), VARSIZE_ANY_EXHDR(nt));
		if (v < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid %s \"%s\" of code \"%s\" in table %s.%s", column,
							text_to_cstring(nt), text_to_cstring(ct), SKPI_SCHEMA,
							RelationGetRelationName(rel)),
					 errhint("Use %s.", valid)));
		if (*n == cap)
		{
			cap *= 2;
			rows = repalloc(rows, sizeof(CodeRow) * cap);
		}
		rows[*n].key = key;
		rows[*n].value = v;
		(*n)++;
	}
	ExecDropSingleTupleTableSlot(slot);
	table_endscan(scan);
	return rows;
}

/* Reloads the code set from skpi.assessment_factors and skpi.toxic_trio_codes. */
static void
load_factor_cache(void)
{
	Oid			af_oid = skpi_reference_table("assessment_factors");
	Oid			tt_oid = skpi_reference_table("toxic_trio_codes");
	bool		provisional = IsInParallelMode();
	Relation	af,
				tt;
	uint64		generation;
	Snapshot	snapshot;
	CodeRow    *codes,
			   *trio;
	int			ncodes,
				ntrio,
				i;
	MemoryContext newcxt;
	FcSet		set;

	skpi_cache_watch(af_oid);
	skpi_cache_watch(tt_oid);
	af = table_open(af_oid, AccessShareLock);
	tt = table_open(tt_oid, AccessShareLock);
	/* Invalidations received while locking are now counted: read the generation after. */
	generation = skpi_cache_generation();

	if (provisional)
		snapshot = ActiveSnapshotSet() ? GetActiveSnapshot() : GetTransactionSnapshot();
	else
		snapshot = GetLatestSnapshot();
	snapshot = RegisterSnapshot(snapshot);
	codes = read_code_rows(af, snapshot, "relates_to", fc_relates_from_name,
						   "child, parent/carer or other", &ncodes);
	trio = read_code_rows(tt, snapshot, "element", fc_element_from_name,
						  "domestic_abuse, mental_health or substance_misuse", &ntrio);
	UnregisterSnapshot(snapshot);
	table_close(tt, AccessShareLock);
	table_close(af, AccessShareLock);

	/* Build the new set in its own context (freed on error), then swap it in. */
	newcxt = AllocSetContextCreate(CurrentMemoryContext, "skpi factor codes", ALLOCSET_SMALL_SIZES);
	fc_set_init(&set, MemoryContextAlloc(newcxt, fc_set_mem_size((uint32) ncodes)), (uint32) ncodes);
	for (i = 0; i < ncodes; i++)
		if (!fc_set_add(&set, codes[i].key, codes[i].value, FC_NONE))
			elog(ERROR, "duplicate code in %s.assessment_factors", SKPI_SCHEMA);
	/* trio codes missing from assessment_factors are never matched: skip them */
	for (i = 0; i < ntrio; i++)
		(void) fc_set_element(&set, trio[i].key, trio[i].value);
	pfree(codes);
	pfree(trio);

	MemoryContextSetParent(newcxt, TopMemoryContext);
	if (cache.cxt != NULL)
		MemoryContextDelete(cache.cxt);
	cache.cxt = newcxt;
	cache.set = set;
	cache.generation = generation;
	cache.provisional = provisional;
}

/* The current code set, reloaded if a reference table changed. */
static const FcSet *
factor_set(void)
{
	if (cache.cxt == NULL || cache.generation != skpi_cache_generation() ||
		(cache.provisional && !IsInParallelMode()))
		load_factor_cache();
	return &cache.set;
}

/* Raises 22023 for a code that is not in skpi.assessment_factors. */
static void
unknown_code(const char *s, int len, const char *list)
{
	int			clip = pg_mbcliplen(s, len, QUOTE_MAX);
	char	   *code = pnstrdup(s, clip);

	if (list == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown assessment factor code \"%s\"%s", code, clip < len ? "..." : ""),
				 errhint("The valid codes are listed in table %s.assessment_factors; add a row there for a local code.",
						 SKPI_SCHEMA)));
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown assessment factor code \"%s\"%s in factor list", code, clip < len ? "..." : ""),
				 errdetail("The factor list is %s.", list),
				 errhint("The valid codes are listed in table %s.assessment_factors; add a row there for a local code.",
						 SKPI_SCHEMA)));
}

/* The first QUOTE_MAX bytes of s (whole characters), with "..." when cut. */
static char *
clipped(const char *s, int len)
{
	int			clip = pg_mbcliplen(s, len, QUOTE_MAX);

	return psprintf("%.*s%s", clip, s, clip < len ? "..." : "");
}

/* Looks up a code, raising 22023 when it is unknown. */
static inline const FcEntry *
lookup_code(const FcSet *set, const char *s, int len)
{
	const FcEntry *e = fc_set_find(set, fc_code_key(s, len));

	if (e == NULL)
		unknown_code(s, len, NULL);
	return e;
}

/* The text[] of n code keys, built directly: each element a 4-byte-header text, int-aligned. */
static ArrayType *
codes_array(const uint64 *keys, int n)
{
	Size		nbytes = 0;
	ArrayType  *result;
	char	   *p;
	int			i;

	if (n == 0)
		return construct_empty_array(TEXTOID);
	for (i = 0; i < n; i++)
	{
		char		buf[FC_CODE_MAX];

		nbytes += INTALIGN(VARHDRSZ + fc_key_text(keys[i], buf));
	}
	result = (ArrayType *) palloc0(ARR_OVERHEAD_NONULLS(1) + nbytes);
	SET_VARSIZE(result, ARR_OVERHEAD_NONULLS(1) + nbytes);
	result->ndim = 1;
	result->dataoffset = 0;
	result->elemtype = TEXTOID;
	ARR_DIMS(result)[0] = n;
	ARR_LBOUND(result)[0] = 1;
	p = (char *) result + ARR_OVERHEAD_NONULLS(1);
	for (i = 0; i < n; i++)
	{
		int			l = fc_key_text(keys[i], VARDATA(p));

		SET_VARSIZE(p, VARHDRSZ + l);
		p += INTALIGN(VARHDRSZ + l);
	}
	return result;
}

PG_FUNCTION_INFO_V1(skpi_factor_code);

/* factor_code(raw): the normalised code. */
Datum
skpi_factor_code(PG_FUNCTION_ARGS)
{
	text	   *raw = PG_GETARG_TEXT_PP(0);
	const FcEntry *e = lookup_code(factor_set(), VARDATA_ANY(raw), VARSIZE_ANY_EXHDR(raw));
	char		buf[FC_CODE_MAX];
	int			n = fc_key_text(e->key, buf);

	PG_RETURN_TEXT_P(cstring_to_text_with_len(buf, n));
}

/*
 * Reads the code keys of a factor list into *keys: local (nlocal entries) while they fit, else
 * a palloc'd array. Returns their number; -1 when the list is malformed (it says where), -2 at
 * the first code that is not in set (*bad is its element).
 */
static int
list_keys(const char *s, int len, const FcSet *set, uint64 *local, int nlocal, uint64 **keys,
		  FcListIter *it, FcListItem *bad)
{
	FcListItem	item;
	int			n = 0,
				cap = nlocal,
				rc;

	*keys = local;
	fc_list_init(it, s, len);
	while ((rc = fc_list_next(it, &item)) > 0)
	{
		CHECK_FOR_INTERRUPTS();

		if (fc_set_find(set, item.key) == NULL)
		{
			*bad = item;
			return -2;
		}
		if (n == cap)
		{
			uint64	   *bigger = palloc(sizeof(uint64) * cap * 2);

			memcpy(bigger, *keys, sizeof(uint64) * n);
			if (*keys != local)
				pfree(*keys);
			*keys = bigger;
			cap *= 2;
		}
		(*keys)[n++] = item.key;
	}
	return rc < 0 ? -1 : n;
}

PG_FUNCTION_INFO_V1(skpi_factor_codes);

/* factor_codes(json_list): the codes of an SSD factor list, as text[]. */
Datum
skpi_factor_codes(PG_FUNCTION_ARGS)
{
	text	   *list = PG_GETARG_TEXT_PP(0);
	const char *s = VARDATA_ANY(list);
	int			len = VARSIZE_ANY_EXHDR(list);
	FcListIter	it;
	FcListItem	bad;
	uint64		local[32];
	uint64	   *keys;
	int			n = list_keys(s, len, factor_set(), local, lengthof(local), &keys, &it, &bad);

	if (n == -2)
	{
		size_t		b = bad.start,
					end = bad.end;

		if (s[b] == '"')
		{
			b++;
			end--;
		}
		unknown_code(s + b, (int) (end - b), clipped(s, len));
	}
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("malformed factor list \"%s\"", clipped(s, len)),
				 errdetail("%c%s at character %d.", pg_toupper((unsigned char) it.errmsg[0]), it.errmsg + 1,
						   pg_mbstrlen_with_len(s, (int) it.errpos) + 1),
				 errhint("An SSD factor list is a JSON array of codes such as [\"1B\", \"3A\", \"16A\"].")));

	PG_RETURN_ARRAYTYPE_P(codes_array(keys, n));
}

/*
 * A code key left-aligned (its first character in the top byte) and back: left-aligned keys
 * order as the codes' texts in byte order, a code before the longer ones it starts. Codes have
 * no zero byte, so the trailing zero bytes tell the length; list_keys never gives the key 0
 * (fc_set_find finds no code for it).
 */
static inline uint64
key_left(uint64 key)
{
	return key << (8 * (7 - pg_leftmost_one_pos64(key) / 8));
}

static inline uint64
key_right(uint64 left)
{
	return left >> (8 * (pg_rightmost_one_pos64(left) / 8));
}

/* qsort_interruptible comparator of left-aligned keys. */
static int
key_left_cmp(const void *a, const void *b, void *arg)
{
	uint64		x = *(const uint64 *) a;
	uint64		y = *(const uint64 *) b;

	return (x > y) - (x < y);
}

PG_FUNCTION_INFO_V1(skpi_factor_codes_sorted);

/*
 * _factor_codes_sorted(json_list): the distinct codes of an SSD factor list in byte order, or
 * NULL, never an error, when factor_codes would raise one (malformed list, unknown code). The
 * normalisation of ssd_assessment_factors calls it once per row instead of a subquery that
 * splits the list with a regular expression and looks each code up.
 */
Datum
skpi_factor_codes_sorted(PG_FUNCTION_ARGS)
{
	text	   *list = PG_GETARG_TEXT_PP(0);
	FcListIter	it;
	FcListItem	bad;
	uint64		local[32];
	uint64	   *keys;
	int			n = list_keys(VARDATA_ANY(list), VARSIZE_ANY_EXHDR(list), factor_set(), local,
							  lengthof(local), &keys, &it, &bad),
				i,
				kept;

	if (n < 0)
		PG_RETURN_NULL();
	for (i = 0; i < n; i++)
		keys[i] = key_left(keys[i]);
	qsort_interruptible(keys, n, sizeof(uint64), key_left_cmp, NULL);
	kept = Min(n, 1);
	for (i = 1; i < n; i++)
		if (keys[i] != keys[kept - 1])
			keys[kept++] = keys[i];
	for (i = 0; i < kept; i++)
		keys[i] = key_right(keys[i]);
	PG_RETURN_ARRAYTYPE_P(codes_array(keys, kept));
}

/* ---------------------------------------------------------------------------------------- */
/* The trio type																			*/
/* ---------------------------------------------------------------------------------------- */

#define PG_GETARG_TRIO(n) ((FcTrio) PG_GETARG_UINT16(n))
#define PG_RETURN_TRIO(t) PG_RETURN_UINT16((uint16) (t))

PG_FUNCTION_INFO_V1(skpi_trio_in);

/* Text input: '{element:relates_to,...}'. */
Datum
skpi_trio_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	FcTrio		t;
	size_t		errpos;

	if (fc_trio_parse(s, strlen(s), &t, &errpos) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s.trio: \"%s\"", SKPI_SCHEMA, s),
				 errdetail("Unexpected text at character %d.", pg_mbstrlen_with_len(s, (int) errpos) + 1),
				 errhint("Write a set of element:relates_to pairs such as {domestic_abuse:parent/carer,mental_health:child}; elements are domestic_abuse, mental_health, substance_misuse, relates_to child, parent/carer, other.")));
	PG_RETURN_TRIO(t);
}

PG_FUNCTION_INFO_V1(skpi_trio_out);

/* Text output. */
Datum
skpi_trio_out(PG_FUNCTION_ARGS)
{
	char	   *buf = palloc(FC_TRIO_TEXT_MAX);

	fc_trio_format(PG_GETARG_TRIO(0) & FC_TRIO_MASK, buf);
	PG_RETURN_CSTRING(buf);
}

PG_FUNCTION_INFO_V1(skpi_trio_recv);

/* Binary input: the bit set as int2. */
Datum
skpi_trio_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	uint16		t = (uint16) pq_getmsgint(buf, 2);

	if (t & ~FC_TRIO_MASK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value %u for type %s.trio", t, SKPI_SCHEMA)));
	PG_RETURN_TRIO(t);
}

PG_FUNCTION_INFO_V1(skpi_trio_send);

/* Binary output. */
Datum
skpi_trio_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint16(&buf, PG_GETARG_TRIO(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(skpi_trio_eq);

/* Equality. */
Datum
skpi_trio_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_TRIO(0) == PG_GETARG_TRIO(1));
}

PG_FUNCTION_INFO_V1(skpi_trio_ne);

/* Inequality. */
Datum
skpi_trio_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_TRIO(0) != PG_GETARG_TRIO(1));
}

PG_FUNCTION_INFO_V1(skpi_trio_hash);

/* Hash for hash joins and hashed grouping. */
Datum
skpi_trio_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) PG_GETARG_TRIO(0));
}

/* Adds the trio bit of one code (nothing for codes outside the trio). */
static inline FcTrio
trio_add_code(FcTrio t, const FcSet *set, const char *s, int len)
{
	const FcEntry *e = lookup_code(set, s, len);

	if (e->element != FC_NONE)
		t |= fc_trio_bit(e->element, e->relates);
	return t;
}

/* First element of an array (ARR_DATA_PTR without its signedness warning). */
static inline char *
array_data(ArrayType *a)
{
	if (ARR_HASNULL(a))
		return (char *) a + a->dataoffset;
	return (char *) a + ARR_OVERHEAD_NONULLS(ARR_NDIM(a));
}

/* Adds the codes of a text[] (NULL elements skipped). */
static FcTrio
trio_add_array(FcTrio t, ArrayType *a)
{
	const FcSet *set = factor_set();
	int			n = ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));
	char	   *p = array_data(a);
	bits8	   *bitmap = ARR_NULLBITMAP(a);
	int			bitmask = 1;
	int			i;

	if (ARR_ELEMTYPE(a) != TEXTOID && ARR_ELEMTYPE(a) != VARCHAROID && ARR_ELEMTYPE(a) != BPCHAROID)
		elog(ERROR, "expected an array of text, got element type %u", ARR_ELEMTYPE(a));
	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("factor codes must be a one-dimensional array, got %d dimensions", ARR_NDIM(a)),
				 errhint("Pass the codes of one assessment as a text[], e.g. from skpi.factor_codes().")));
	for (i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (bitmap == NULL || (*bitmap & bitmask) != 0)
		{
			t = trio_add_code(t, set, VARDATA_ANY(p), VARSIZE_ANY_EXHDR(p));
			p = att_addlength_pointer(p, -1, p);
			p = (char *) att_align_nominal(p, TYPALIGN_INT);
		}
		if (bitmap != NULL)
		{
			bitmask <<= 1;
			if (bitmask == 0x100)
			{
				bitmap++;
				bitmask = 1;
			}
		}
	}
	return t;
}

PG_FUNCTION_INFO_V1(skpi_trio_add);

/* toxic_trio(text) transition: adds one code. */
Datum
skpi_trio_add(PG_FUNCTION_ARGS)
{
	text	   *code = PG_GETARG_TEXT_PP(1);

	PG_RETURN_TRIO(trio_add_code(PG_GETARG_TRIO(0), factor_set(),
								 VARDATA_ANY(code), VARSIZE_ANY_EXHDR(code)));
}

PG_FUNCTION_INFO_V1(skpi_trio_add_all);

/* toxic_trio(text[]) transition: adds the codes of one array. */
Datum
skpi_trio_add_all(PG_FUNCTION_ARGS)
{
	PG_RETURN_TRIO(trio_add_array(PG_GETARG_TRIO(0), PG_GETARG_ARRAYTYPE_P(1)));
}

PG_FUNCTION_INFO_V1(skpi_trio_union);

/* toxic_trio combine: union of two trios. */
Datum
skpi_trio_union(PG_FUNCTION_ARGS)
{
	PG_RETURN_TRIO(PG_GETARG_TRIO(0) | PG_GETARG_TRIO(1));
}

PG_FUNCTION_INFO_V1(skpi_trio_of);

/* trio_of(codes): the trio of one array of codes. */
Datum
skpi_trio_of(PG_FUNCTION_ARGS)
{
	PG_RETURN_TRIO(trio_add_array(0, PG_GETARG_ARRAYTYPE_P(0)));
}

PG_FUNCTION_INFO_V1(skpi_trio_any);

/* trio_any(t): any element for anyone. */
Datum
skpi_trio_any(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL((PG_GETARG_TRIO(0) & FC_TRIO_MASK) != 0);
}

PG_FUNCTION_INFO_V1(skpi_trio_all);

/* trio_all(t): all three elements, each for anyone. */
Datum
skpi_trio_all(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(fc_trio_count(PG_GETARG_TRIO(0)) == FC_NELEMENTS);
}

PG_FUNCTION_INFO_V1(skpi_trio_all_for);

/* trio_all(t, relates_to): all three elements for that person type. */
Datum
skpi_trio_all_for(PG_FUNCTION_ARGS)
{
	FcTrio		t = PG_GETARG_TRIO(0);
	text	   *rel = PG_GETARG_TEXT_PP(1);
	int			r = fc_relates_from_name(VARDATA_ANY(rel), VARSIZE_ANY_EXHDR(rel));

	if (r < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid relates_to \"%s\"", clipped(VARDATA_ANY(rel), VARSIZE_ANY_EXHDR(rel))),
				 errhint("Use child, parent/carer or other.")));
	PG_RETURN_BOOL(fc_trio_all_for(t, r));
}

PG_FUNCTION_INFO_V1(skpi_trio_count);

/* trio_count(t): number of elements present (0-3). */
Datum
skpi_trio_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(fc_trio_count(PG_GETARG_TRIO(0)));
}
