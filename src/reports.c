/*
 * reports.c
 *	  C support of the report layer: the fields of a JSON object, or NULL (never an error) when
 *	  the text is not one; the values that occur more than once in a column.
 *
 * The normalisation views read the outcome flags of every contact and section 47 enquiry of an
 * SSD extract once per refresh, and a malformed value must be listed in data_quality instead of
 * failing the refresh. PostgreSQL 15 has no error-free json input check, so this runs the
 * server's own JSON parser and looks at its result code, picking up the wanted fields on the way;
 * the flat objects of plain strings that extracts hold are read first by a shorter scanner
 * (reports_core.c) that accepts nothing the parser refuses.
 */
#include "skpi.h"
#include "reports_core.h"

#include "catalog/pg_type.h"
#include "common/jsonapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#define ST_SORT sort_int64
#define ST_ELEMENT_TYPE int64
#define ST_COMPARE(a, b) (*(a) < *(b) ? -1 : *(a) > *(b) ? 1 : 0)
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

PG_FUNCTION_INFO_V1(skpi_json_fields);

/*
 * Nesting deeper than this counts as invalid: the parser recurses once per level and would
 * raise "stack depth limit exceeded" (an error, not an answer) a few thousand levels down.
 */
#define JSON_MAX_DEPTH 1000

/* Whether arrays and objects of s, outside strings, nest no deeper than limit. */
static bool
json_depth_within(const char *s, int len, int limit)
{
	int			depth = 0;
	bool		in_string = false;
	int			i;

	for (i = 0; i < len; i++)
	{
		char		c = s[i];

		if (in_string)
		{
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		}
		else if (c == '"')
			in_string = true;
		else if (c == '[' || c == '{')
		{
			if (++depth > limit)
				return false;
		}
		else if (c == ']' || c == '}')
			depth--;
	}
	return true;
}

/* The wanted keys of one _json_fields call site, read from its keys array once. */
typedef struct JsonFieldsKeys
{
	int			nkeys;
	char	  **keys;
	int		   *keylens;
	int		   *same;			/* index of the first key equal to key i, or -1 */
	Size		arrsize;		/* the keys array, to know the call site's next array */
	char		arr[FLEXIBLE_ARRAY_MEMBER];
} JsonFieldsKeys;

/* The first of the wanted keys equal to the len bytes at name, or -1. */
static int
json_fields_find(const JsonFieldsKeys *k, const char *name, size_t len)
{
	int			i;

	for (i = 0; i < k->nkeys; i++)
		if ((size_t) k->keylens[i] == len && memcmp(k->keys[i], name, len) == 0)
			return i;
	return -1;
}

/* State of _json_fields (scanner or parser): the wanted keys and their values so far. */
typedef struct JsonFieldsState
{
	JsonLexContext *lex;
	const JsonFieldsKeys *k;
	Datum	   *values;
	bool	   *nulls;
	bool		is_object;		/* the top-level value is an object */
	int			field;			/* wanted key of the current top-level field, or -1 */
	bool		field_scalar;	/* that field's value was a scalar */
	char	   *field_start;	/* where that field's value starts in the text */
} JsonFieldsState;

/* Notes whether the top-level value is an object. */
static void
fields_object_start(void *state)
{
	JsonFieldsState *st = (JsonFieldsState *) state;

	if (st->lex->lex_level == 0)
		st->is_object = true;
}

/* A top-level field: remembers which wanted key it is, and where its value starts. */
static void
fields_field_start(void *state, char *fname, bool isnull)
{
	JsonFieldsState *st = (JsonFieldsState *) state;

	if (st->lex->lex_level != 1)
		return;
	st->field = json_fields_find(st->k, fname, strlen(fname));
	st->field_scalar = false;
	st->field_start = st->lex->token_start;
}

/* A wanted field's scalar value: a string unescaped, other scalars as written, null as NULL. */
static void
fields_scalar(void *state, char *token, JsonTokenType tokentype)
{
	JsonFieldsState *st = (JsonFieldsState *) state;

	if (st->lex->lex_level != 1 || st->field < 0)
		return;
	st->field_scalar = true;
	st->nulls[st->field] = (tokentype == JSON_TOKEN_NULL);
	st->values[st->field] = st->nulls[st->field] ? (Datum) 0 : CStringGetTextDatum(token);
}

/* End of a top-level field: a wanted array or object value is kept as its JSON text. */
static void
fields_field_end(void *state, char *fname, bool isnull)
{
	JsonFieldsState *st = (JsonFieldsState *) state;

	if (st->lex->lex_level != 1 || st->field < 0)
		return;
	if (!st->field_scalar)
	{
		st->nulls[st->field] = false;
		st->values[st->field] =
			PointerGetDatum(cstring_to_text_with_len(st->field_start,
													 st->lex->prev_token_terminator - st->field_start));
	}
	st->field = -1;
}

/* The keys of keyarr, from fn_extra when the call site passes the same array again. */
static JsonFieldsKeys *
json_fields_keys(FunctionCallInfo fcinfo, ArrayType *keyarr)
{
	JsonFieldsKeys *k = (JsonFieldsKeys *) fcinfo->flinfo->fn_extra;
	Size		arrsize = VARSIZE(keyarr);
	Size		size;
	char	   *p;
	Datum	   *keydatums;
	bool	   *keynulls;
	int			n;
	int			i;

	if (k != NULL && k->arrsize == arrsize && memcmp(k->arr, keyarr, arrsize) == 0)
		return k;
	if (ARR_NDIM(keyarr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("the keys of _json_fields must be a one-dimensional array")));
	deconstruct_array(keyarr, TEXTOID, -1, false, TYPALIGN_INT, &keydatums, &keynulls, &n);
	for (i = 0; i < n; i++)
		if (keynulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("the keys of _json_fields must not be NULL")));

	/* one chunk, so that the call site's previous keys go with one pfree */
	size = MAXALIGN(offsetof(JsonFieldsKeys, arr) + arrsize) +
		MAXALIGN(sizeof(char *) * n) + sizeof(int) * 2 * n;
	for (i = 0; i < n; i++)
		size += VARSIZE_ANY_EXHDR(DatumGetPointer(keydatums[i])) + 1;
	if (k != NULL)
		pfree(k);
	fcinfo->flinfo->fn_extra = NULL;
	k = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, size);
	p = (char *) k + MAXALIGN(offsetof(JsonFieldsKeys, arr) + arrsize);
	k->keys = (char **) p;
	p += MAXALIGN(sizeof(char *) * n);
	k->keylens = (int *) p;
	k->same = k->keylens + n;
	p = (char *) (k->same + n);
	k->nkeys = n;
	for (i = 0; i < n; i++)
	{
		text	   *key = DatumGetTextPP(keydatums[i]);
		int			first;

		k->keylens[i] = VARSIZE_ANY_EXHDR(key);
		k->keys[i] = p;
		memcpy(p, VARDATA_ANY(key), k->keylens[i]);
		p[k->keylens[i]] = '\0';
		p += k->keylens[i] + 1;
		/* the search stops at key i itself at the latest, before the keys not yet copied */
		first = json_fields_find(k, k->keys[i], k->keylens[i]);
		k->same[i] = first < i ? first : -1;
	}
	k->arrsize = arrsize;
	memcpy(k->arr, keyarr, arrsize);
	fcinfo->flinfo->fn_extra = k;
	return k;
}

/* A field of a flat object (json_flat_scan): its value kept when the key is a wanted one. */
static void
flat_field(void *arg, const char *key, size_t keylen, const char *value, size_t valuelen)
{
	JsonFieldsState *st = (JsonFieldsState *) arg;
	int			i = json_fields_find(st->k, key, keylen);

	if (i < 0)
		return;
	st->nulls[i] = (value == NULL);
	st->values[i] = value == NULL ? (Datum) 0 :
		PointerGetDatum(cstring_to_text_with_len(value, valuelen));
}

/*
 * _json_fields(j, keys): when j is a JSON object that the json type's input accepts (every \u
 * escape readable as text, nesting no deeper than JSON_MAX_DEPTH), the values of its top-level
 * fields keys, as json_to_record would read them into text columns (the last of repeated keys;
 * absent keys and JSON null as NULL); NULL otherwise, never an error.  A flat object of plain
 * strings is read by json_flat_scan; anything else by one pass of the server's JSON parser,
 * which replaces a validity check followed by json_to_record.
 */
Datum
skpi_json_fields(PG_FUNCTION_ARGS)
{
	text	   *j = PG_GETARG_TEXT_PP(0);
	JsonFieldsKeys *k = json_fields_keys(fcinfo, PG_GETARG_ARRAYTYPE_P(1));
	char	   *s = VARDATA_ANY(j);
	int			len = VARSIZE_ANY_EXHDR(j);
	JsonFieldsState st;
	JsonSemAction sem;
	JsonParseErrorType rc;
	int			dims[1];
	int			lbs[1] = {1};
	int			i;

	st.k = k;
	st.values = palloc0(sizeof(Datum) * Max(k->nkeys, 1));
	st.nulls = palloc(sizeof(bool) * Max(k->nkeys, 1));
	for (i = 0; i < k->nkeys; i++)
		st.nulls[i] = true;

	if (!json_flat_scan(s, len, flat_field, &st))
	{
		if (!json_depth_within(s, len, JSON_MAX_DEPTH))
			PG_RETURN_NULL();
		for (i = 0; i < k->nkeys; i++)
		{
			st.values[i] = (Datum) 0;
			st.nulls[i] = true;
		}
		st.is_object = false;
		st.field = -1;
		st.field_scalar = false;
		st.field_start = NULL;
		st.lex = makeJsonLexContextCstringLen(s, len, GetDatabaseEncoding(), true);

		memset(&sem, 0, sizeof(sem));
		sem.semstate = &st;
		sem.object_start = fields_object_start;
		sem.object_field_start = fields_field_start;
		sem.object_field_end = fields_field_end;
		sem.scalar = fields_scalar;
		rc = pg_parse_json(st.lex, &sem);
		if (rc != JSON_SUCCESS || !st.is_object)
			PG_RETURN_NULL();
	}
	/* a key asked for twice gets the value too where it is asked again */
	for (i = 0; i < k->nkeys; i++)
		if (k->same[i] >= 0)
		{
			st.values[i] = st.values[k->same[i]];
			st.nulls[i] = st.nulls[k->same[i]];
		}

	dims[0] = k->nkeys;
	PG_RETURN_ARRAYTYPE_P(construct_md_array(st.values, st.nulls, 1, dims, lbs,
											 TEXTOID, -1, false, TYPALIGN_INT));
}

/*
 * _duplicates(bigint): the values that occur more than once, as a sorted array of distinct
 * values ('{}' when there are none). The normalisation views run it over a 64-bit hash of each
 * row's keys to find the few keys that need numbering: keeping the values in an array and
 * sorting it once costs a fraction of a hash aggregate with one group per key, which spills to
 * disk at a few million keys. The state is 8 bytes a value (120 MB for 15 million rows).
 */
typedef struct DupState
{
	int64		n;				/* values so far */
	int64		cap;			/* room for this many */
	bool		sorted;			/* v is in ascending order */
	int64	   *v;
} DupState;

/* Refuses an array of cap values that one allocation cannot hold (n: the values wanted). */
static void
dup_check_size(int64 cap, int64 n)
{
	if ((Size) cap > MaxAllocHugeSize / sizeof(int64))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many values for %s._duplicates: " INT64_FORMAT, SKPI_SCHEMA, n)));
}

/* A new state in cxt with room for cap values. */
static DupState *
dup_new(MemoryContext cxt, int64 cap)
{
	DupState   *st = MemoryContextAlloc(cxt, sizeof(DupState));

	st->n = 0;
	st->sorted = true;
	st->cap = Max(cap, 1024);
	dup_check_size(st->cap, cap);
	st->v = MemoryContextAllocHuge(cxt, (Size) st->cap * sizeof(int64));
	return st;
}

/* Makes room in st for more values (the array stays in its memory context). */
static void
dup_reserve(DupState *st, int64 more)
{
	int64		cap = st->cap;

	if (st->n + more <= cap)
		return;
	while (cap < st->n + more)
		cap *= 2;
	dup_check_size(cap, st->n + more);
	st->v = repalloc_huge(st->v, (Size) cap * sizeof(int64));
	st->cap = cap;
}

/* Sorts the values of st, unless they are sorted already. */
static void
dup_sort(DupState *st)
{
	if (st->sorted)
		return;
	sort_int64(st->v, st->n);
	st->sorted = true;
	CHECK_FOR_INTERRUPTS();
}

PG_FUNCTION_INFO_V1(skpi_duplicates_add);

/* _duplicates transition: adds a value (NULLs are skipped). */
Datum
skpi_duplicates_add(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	DupState   *st;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s._duplicates_add called outside an aggregate", SKPI_SCHEMA);
	st = PG_ARGISNULL(0) ? NULL : (DupState *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	if (st == NULL)
		st = dup_new(aggcxt, 0);
	dup_reserve(st, 1);
	st->v[st->n++] = PG_GETARG_INT64(1);
	st->sorted = false;
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(skpi_duplicates_combine);

/*
 * _duplicates combine: the values of both states, in the first (copied when it is NULL). States
 * from parallel workers arrive sorted (see _duplicates_serialize): two sorted states are merged,
 * so that the final function has nothing left to sort.
 */
Datum
skpi_duplicates_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	DupState   *a;
	DupState   *b;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s._duplicates_combine called outside an aggregate", SKPI_SCHEMA);
	a = PG_ARGISNULL(0) ? NULL : (DupState *) PG_GETARG_POINTER(0);
	b = PG_ARGISNULL(1) ? NULL : (DupState *) PG_GETARG_POINTER(1);
	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	/* b may live in a shorter-lived context (deserialised): never keep it */
	if (a == NULL)
		a = dup_new(aggcxt, b->n);
	if (a->n > 0 && a->sorted && b->sorted)
	{
		int64	   *m;
		int64		i = 0,
					j = 0,
					k = 0;

		dup_check_size(a->n + b->n, a->n + b->n);
		m = MemoryContextAllocHuge(aggcxt, (Size) Max(a->n + b->n, 1024) * sizeof(int64));
		while (i < a->n && j < b->n)
			m[k++] = a->v[i] <= b->v[j] ? a->v[i++] : b->v[j++];
		while (i < a->n)
			m[k++] = a->v[i++];
		while (j < b->n)
			m[k++] = b->v[j++];
		pfree(a->v);
		a->v = m;
		a->n = k;
		a->cap = Max(k, 1024);
		PG_RETURN_POINTER(a);
	}
	dup_reserve(a, b->n);
	memcpy(a->v + a->n, b->v, (Size) b->n * sizeof(int64));
	a->sorted = a->n == 0 && b->sorted;
	a->n += b->n;
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(skpi_duplicates_serialize);

/*
 * _duplicates serial function: the values as bytea (the count, then each value), sorted first, so
 * that each parallel worker sorts its own share and the leader only merges.
 */
Datum
skpi_duplicates_serialize(PG_FUNCTION_ARGS)
{
	DupState   *st;
	StringInfoData buf;
	int64		i;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "%s._duplicates_serialize called outside an aggregate", SKPI_SCHEMA);
	st = (DupState *) PG_GETARG_POINTER(0);
	if ((Size) st->n > (MaxAllocSize - VARHDRSZ - sizeof(int64)) / sizeof(int64))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many values for %s._duplicates in a parallel worker: " INT64_FORMAT,
						SKPI_SCHEMA, st->n),
				 errhint("Run the query with max_parallel_workers_per_gather = 0.")));
	dup_sort(st);
	pq_begintypsend(&buf);
	enlargeStringInfo(&buf, (int) ((st->n + 1) * sizeof(int64)));
	pq_sendint64(&buf, st->n);
	for (i = 0; i < st->n; i++)
		pq_sendint64(&buf, st->v[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(skpi_duplicates_deserialize);

/* _duplicates deserial function: the state that _duplicates_serialize wrote. */
Datum
skpi_duplicates_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *b;
	StringInfoData buf;
	DupState   *st;
	int64		n,
				i;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "%s._duplicates_deserialize called outside an aggregate", SKPI_SCHEMA);
	b = PG_GETARG_BYTEA_PP(0);
	buf.data = VARDATA_ANY(b);
	buf.len = VARSIZE_ANY_EXHDR(b);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	n = pq_getmsgint64(&buf);
	if (n < 0 || n != (buf.len - (int64) sizeof(int64)) / (int64) sizeof(int64) ||
		buf.len % sizeof(int64) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid %s._duplicates state: " INT64_FORMAT " values in %d bytes",
						SKPI_SCHEMA, n, buf.len)));
	st = dup_new(CurrentMemoryContext, n);
	for (i = 0; i < n; i++)
	{
		st->v[i] = pq_getmsgint64(&buf);
		if (i > 0 && st->v[i] < st->v[i - 1])
			st->sorted = false;
	}
	st->n = n;
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(skpi_duplicates_final);

/* _duplicates final function: sorts the values and returns those seen more than once. */
Datum
skpi_duplicates_final(PG_FUNCTION_ARGS)
{
	DupState   *st;
	Datum	   *out;
	int			nout = 0;
	int64		i;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "%s._duplicates_final called outside an aggregate", SKPI_SCHEMA);
	if (PG_ARGISNULL(0))
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(INT8OID));
	st = (DupState *) PG_GETARG_POINTER(0);
	dup_sort(st);
	out = palloc(sizeof(Datum) * 16);
	for (i = 1; i < st->n; i++)
	{
		if (st->v[i] != st->v[i - 1] || (nout > 0 && DatumGetInt64(out[nout - 1]) == st->v[i]))
			continue;
		if ((size_t) nout >= MaxArraySize)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many duplicated values for %s._duplicates", SKPI_SCHEMA)));
		if (nout >= 16 && (nout & (nout - 1)) == 0)
			out = repalloc_huge(out, sizeof(Datum) * (Size) nout * 2);
		out[nout++] = Int64GetDatum(st->v[i]);
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(out, nout, INT8OID, sizeof(int64), FLOAT8PASSBYVAL,
										  TYPALIGN_DOUBLE));
}

/*
 * What _sorted_has remembers of the last array it checked: only its address and size, so a
 * different array at the same address with the same size (not the case of an initplan's
 * result, which stays put) is not checked again; the search still reads only that array.
 */
typedef struct SortedCheck
{
	const void *arr;
	int			n;
} SortedCheck;

PG_FUNCTION_INFO_V1(skpi_sorted_has);

/*
 * _sorted_has(bigint[], bigint): whether the value is in the array, by binary search. The
 * array must be in ascending order without NULLs, as _duplicates returns it; that is checked
 * once per array (the normalisation views pass the same array, an initplan's result, for every
 * row), so a call costs a few comparisons however many values there are.
 */
Datum
skpi_sorted_has(PG_FUNCTION_ARGS)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	int64		v = PG_GETARG_INT64(1);
	SortedCheck *seen = (SortedCheck *) fcinfo->flinfo->fn_extra;
	const int64 *x;
	int			n,
				len;

	if (ARR_ELEMTYPE(a) != INT8OID)
		elog(ERROR, "%s._sorted_has expects a bigint array", SKPI_SCHEMA);
	n = ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));
	if (n == 0)
		PG_RETURN_BOOL(false);
	if (ARR_NDIM(a) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array of %s._sorted_has must be one-dimensional", SKPI_SCHEMA),
				 errdetail("The array has %d dimensions.", ARR_NDIM(a))));
	if (ARR_HASNULL(a))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("array of %s._sorted_has must not contain NULLs", SKPI_SCHEMA)));
	x = (const int64 *) ARR_DATA_NONULLS(a);
	if (seen == NULL || seen->arr != (const void *) a || seen->n != n)
	{
		int			i;

		for (i = 1; i < n; i++)
			if (x[i - 1] >= x[i])
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("array of %s._sorted_has is not in strictly ascending order", SKPI_SCHEMA),
						 errdetail("Element %d is " INT64_FORMAT " and element %d is " INT64_FORMAT ".",
								   i, x[i - 1], i + 1, x[i])));
		if (seen == NULL)
			seen = fcinfo->flinfo->fn_extra =
				MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(SortedCheck));
		seen->arr = a;
		seen->n = n;
	}
	/*
	 * The last value <= v lies in x[0 .. len - 1] (if anywhere): halve that range without
	 * branches the processor could mispredict (a conditional move), then look at what is left.
	 */
	len = n;
	while (len > 1)
	{
		int			half = len / 2;

		x = x[half] <= v ? x + half : x;
		len -= half;
	}
	PG_RETURN_BOOL(x[0] == v);
}
