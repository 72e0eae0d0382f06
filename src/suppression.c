/*
 * suppression.c
 *	  The secondary suppression of refresh_reports, run in memory.
 *
 * refresh_reports lists the cells of published that can be suppressed or hide one (every
 * measure with a value) in a temporary table: each cell's key, size, whether it is zero or a
 * primary (small) count, and its quarter and year groups. It suppresses the primary cells
 * itself; the passes that follow are here. While a group's suppressed cells could be worked out
 * from its published ones, the group's smallest other cell is suppressed too (the rule is set
 * out at refresh_reports). A pass looks at the groups that gained a suppressed cell in the pass
 * before (the first, at those holding a primary cell), decides on the state the pass started
 * with, then marks what it picked.
 *
 * The cells are read once, each group's members are sorted once in picking order, and a pass
 * then costs what it touches; done in SQL, every pass scanned every cell and sorted the
 * affected ones three times.
 */
#include "skpi.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/tuplestore.h"
#include "utils/varlena.h"

/* The three kinds of group: a measure's breakdowns in a period, a quarter, a year. */
typedef enum GroupKind
{
	GROUP_BREAKDOWN,
	GROUP_QUARTER,
	GROUP_YEAR,
	NUM_GROUP_KINDS
} GroupKind;

/* The columns read, in this order (see cells_query). */
enum
{
	COL_AREA,
	COL_PTYPE,
	COL_PLABEL,
	COL_START,
	COL_MEASURE,
	COL_BREAKDOWN,
	COL_SIZE,
	COL_ZERO,
	COL_PRIM,
	COL_QGROUP,
	COL_YGROUP,
	NUM_COLS
};

static const char *const col_names[NUM_COLS] = {
	"area_code", "period_type", "period_label", "period_start", "measure", "breakdown",
	"size", "zero", "prim", "quarter_group", "year_group"
};

static const Oid col_types[NUM_COLS] = {
	TEXTOID, TEXTOID, TEXTOID, DATEOID, TEXTOID, TEXTOID,
	NUMERICOID, BOOLOID, BOOLOID, TEXTOID, TEXTOID
};

/* The text columns, kept as interned strings (see intern), and their columns. */
enum
{
	T_AREA,
	T_PTYPE,
	T_PLABEL,
	T_MEASURE,
	T_BREAKDOWN,
	T_QGROUP,
	T_YGROUP,
	NUM_TEXTS
};

static const int text_cols[NUM_TEXTS] = {
	COL_AREA, COL_PTYPE, COL_PLABEL, COL_MEASURE, COL_BREAKDOWN, COL_QGROUP, COL_YGROUP
};

typedef struct Cell
{
	const char *text[NUM_TEXTS];	/* NULL for no quarter (year) group */
	DateADT		start;
	bool		start_null;
	bool		zero;
	bool		prim;
	bool		supp;			/* suppressed (primary, or by an earlier pass) */
	bool		picked;			/* picked in the current pass */
	Numeric		size;
	double		dsize;			/* size as float8: compared first, numerically on a tie */
	int32		group[NUM_GROUP_KINDS];	/* its group of each kind, or -1 */
} Cell;

typedef struct CellGroup
{
	int32		first;			/* members: member[first .. first + n - 1], picking order */
	int32		n;
	int32		nsupp;			/* suppressed members */
	int32		nprim;			/* primary members */
	Numeric		sum;			/* sizes of the suppressed members; NULL while there are none */
	bool		total;			/* holds its quarter (year) itself; always, for breakdowns */
	int32		queued;			/* the last pass it was queued for, or -1 */
} CellGroup;

typedef struct Suppression
{
	MemoryContext cxt;
	Cell	   *cells;
	int32		ncells;
	CellGroup  *groups[NUM_GROUP_KINDS];
	int32		ngroups[NUM_GROUP_KINDS];
	int32	   *member[NUM_GROUP_KINDS];
	char	   *arena;			/* the sizes are copied into blocks of ARENA_BLOCK */
	Size		arena_free;
	Oid			breakdown_collation;	/* of the columns ranked in picking order */
	Oid			ptype_collation;
	HTAB	   *interned;
} Suppression;

typedef struct SortEntry
{
	uint64		hash;			/* of the group key */
	int32		cell;
} SortEntry;

typedef struct SortContext
{
	const Suppression *s;
	GroupKind	kind;
} SortContext;

/* Strings up to this length are interned; longer ones are copied (never seen in practice). */
#define INTERN_KEYSIZE 128

/* The columns of the key of a group of each kind (a quarter or year group: NULL for none). */
static const int group_cols[NUM_GROUP_KINDS][4] = {
	{T_AREA, T_PTYPE, T_PLABEL, T_MEASURE},
	{T_AREA, T_MEASURE, T_BREAKDOWN, T_QGROUP},
	{T_AREA, T_MEASURE, T_BREAKDOWN, T_YGROUP}
};

/* The period type that makes a quarter (year) group one that hides something. */
static const char *const total_types[NUM_GROUP_KINDS] = {NULL, "quarter", "year"};

/* The sizes are kept one after another in blocks of this size (no per-value overhead). */
#define ARENA_BLOCK (1024 * 1024)

/* Returns a copy of the numeric value d, kept until the end. */
static Numeric
keep_numeric(Suppression *s, Datum d)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(d);
	Size		len = VARSIZE_ANY_EXHDR(v) + VARHDRSZ;
	Size		need = MAXALIGN(len);
	Numeric		n;

	if (need > s->arena_free)
	{
		Size		block = Max(need, ARENA_BLOCK);

		s->arena = MemoryContextAlloc(s->cxt, block);
		s->arena_free = block;
	}
	n = (Numeric) s->arena;
	SET_VARSIZE(n, len);
	memcpy(VARDATA(n), VARDATA_ANY(v), len - VARHDRSZ);
	s->arena += need;
	s->arena_free -= need;
	if ((Pointer) v != DatumGetPointer(d))
		pfree(v);
	return n;
}

/* Returns the one copy of str kept for all cells (equal strings share it). */
static const char *
intern(Suppression *s, const char *str, Size len)
{
	bool		found;
	char	   *entry;

	if (len >= INTERN_KEYSIZE)
		return MemoryContextStrdup(s->cxt, str);
	entry = hash_search(s->interned, str, HASH_ENTER, &found);
	return entry;
}

/* Whether two interned strings are equal: the same copy, unless too long to be interned. */
static inline bool
same_text(const char *x, const char *y)
{
	return x == y || (strnlen(x, INTERN_KEYSIZE) >= INTERN_KEYSIZE && strcmp(x, y) == 0);
}

/* Compares two sizes numerically (the float8 values first, the numerics on a tie). */
static int
size_cmp(const Cell *a, const Cell *b)
{
	if (a->dsize < b->dsize)
		return -1;
	if (a->dsize > b->dsize)
		return 1;
	if (VARSIZE(a->size) == VARSIZE(b->size) && memcmp(a->size, b->size, VARSIZE(a->size)) == 0)
		return 0;
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a->size),
											 NumericGetDatum(b->size)));
}

/*
 * Orders entries by group (hash, then key bytes: equal keys end up together), and within a
 * group in picking order: size, then breakdown for a breakdown group, period start and type
 * for a quarter or year group (as refresh_reports ranks them), then the cell's place.
 */
static int
entry_cmp(const void *pa, const void *pb, void *arg)
{
	const SortEntry *ea = (const SortEntry *) pa;
	const SortEntry *eb = (const SortEntry *) pb;
	const SortContext *cx = (const SortContext *) arg;
	const Cell *a = &cx->s->cells[ea->cell];
	const Cell *b = &cx->s->cells[eb->cell];
	int			i,
				r;

	if (ea->hash != eb->hash)
		return ea->hash < eb->hash ? -1 : 1;
	for (i = 0; i < 4; i++)
	{
		const char *x = a->text[group_cols[cx->kind][i]];
		const char *y = b->text[group_cols[cx->kind][i]];

		if (x != y && (r = strcmp(x, y)) != 0)
			return r;
	}
	if ((r = size_cmp(a, b)) != 0)
		return r;
	if (cx->kind == GROUP_BREAKDOWN)
	{
		r = varstr_cmp(a->text[T_BREAKDOWN], strlen(a->text[T_BREAKDOWN]),
					   b->text[T_BREAKDOWN], strlen(b->text[T_BREAKDOWN]),
					   cx->s->breakdown_collation);
		if (r != 0)
			return r;
	}
	else
	{
		/* ascending, NULLs last */
		if (a->start_null != b->start_null)
			return a->start_null ? 1 : -1;
		if (!a->start_null && a->start != b->start)
			return a->start < b->start ? -1 : 1;
		r = varstr_cmp(a->text[T_PTYPE], strlen(a->text[T_PTYPE]),
					   b->text[T_PTYPE], strlen(b->text[T_PTYPE]),
					   cx->s->ptype_collation);
		if (r != 0)
			return r;
	}
	return ea->cell < eb->cell ? -1 : ea->cell > eb->cell ? 1 : 0;
}

/* Whether two cells have the same key of the given kind. */
static bool
same_group(const Cell *a, const Cell *b, GroupKind kind)
{
	int			i;

	for (i = 0; i < 4; i++)
	{
		if (!same_text(a->text[group_cols[kind][i]], b->text[group_cols[kind][i]]))
			return false;
	}
	return true;
}

/* Raises the error for a cell of the table with a NULL where a value is needed. */
static void
cell_null(const char *relname, const char *column, const Cell *c)
{
	ereport(ERROR,
			(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			 errmsg("%s of a cell of %s is NULL", column, relname),
			 errdetail("The cell is %s %s %s %s.",
					   c->text[T_AREA] ? c->text[T_AREA] : "NULL",
					   c->text[T_PTYPE] ? c->text[T_PTYPE] : "NULL",
					   c->text[T_PLABEL] ? c->text[T_PLABEL] : "NULL",
					   c->text[T_MEASURE] ? c->text[T_MEASURE] : "NULL")));
}

/* Reads every cell of the table into s. */
static void
read_cells(Suppression *s, const char *relname)
{
	StringInfoData query;
	SPIPlanPtr	plan;
	Portal		portal;
	int32		allocated;
	const char *prev[NUM_TEXTS] = {0};
	int			i;

	initStringInfo(&query);
	appendStringInfoString(&query, "SELECT ");
	for (i = 0; i < NUM_COLS; i++)
		appendStringInfo(&query, "%s%s", i > 0 ? ", " : "", quote_identifier(col_names[i]));
	appendStringInfo(&query, " FROM %s", relname);

	s->ncells = 0;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* counted first, so that the cells take just what they need (millions nationally) */
	{
		char	   *count_query = psprintf("SELECT count(*) FROM %s", relname);
		bool		isnull;
		int64		n;

		if (SPI_execute(count_query, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "could not count the cells of %s", relname);
		n = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		if (n > PG_INT32_MAX / 2)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many cells in %s for the secondary suppression", relname),
					 errdetail("It has " INT64_FORMAT " cells; the limit is %d.", n, PG_INT32_MAX / 2)));
		allocated = Max((int32) n, 1);
		SPI_freetuptable(SPI_tuptable);
	}
	s->cells = MemoryContextAllocHuge(s->cxt, allocated * sizeof(Cell));
	plan = SPI_prepare(query.data, 0, NULL);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s", query.data, SPI_result_code_string(SPI_result));
	portal = SPI_cursor_open(NULL, plan, NULL, NULL, true);
	for (;;)
	{
		TupleDesc	desc;
		uint64		t;

		SPI_cursor_fetch(portal, true, 10000);
		if (SPI_processed == 0)
			break;
		desc = SPI_tuptable->tupdesc;
		for (i = 0; i < NUM_COLS; i++)
			if (TupleDescAttr(desc, i)->atttypid != col_types[i])
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("column %s of cells table %s is of type %s, not %s", col_names[i], relname,
								format_type_be(TupleDescAttr(desc, i)->atttypid),
								format_type_be(col_types[i]))));
		s->breakdown_collation = TupleDescAttr(desc, COL_BREAKDOWN)->attcollation;
		s->ptype_collation = TupleDescAttr(desc, COL_PTYPE)->attcollation;

		for (t = 0; t < SPI_processed; t++)
		{
			HeapTuple	tup = SPI_tuptable->vals[t];
			Cell	   *c;
			Datum		d;
			bool		isnull;
			int			k;

			CHECK_FOR_INTERRUPTS();
			/* the count and the cursor read the same snapshot */
			if (s->ncells == allocated)
				elog(ERROR, "%s holds more cells than it counted (%d)", relname, allocated);
			c = &s->cells[s->ncells];
			memset(c, 0, sizeof(Cell));
			for (k = 0; k < NUM_TEXTS; k++)
			{
				char	   *str;

				d = heap_getattr(tup, text_cols[k] + 1, desc, &isnull);
				if (isnull)
				{
					if (k < T_QGROUP)
						cell_null(relname, col_names[text_cols[k]], c);
					continue;
				}
				str = TextDatumGetCString(d);
				/* consecutive cells mostly share their area, measure, period */
				if (prev[k] != NULL && strcmp(prev[k], str) == 0)
					c->text[k] = prev[k];
				else
					c->text[k] = prev[k] = intern(s, str, strlen(str));
				pfree(str);
			}
			d = heap_getattr(tup, COL_START + 1, desc, &c->start_null);
			if (!c->start_null)
				c->start = DatumGetDateADT(d);
			d = heap_getattr(tup, COL_ZERO + 1, desc, &isnull);
			if (isnull)
				cell_null(relname, "zero", c);
			c->zero = DatumGetBool(d);
			d = heap_getattr(tup, COL_PRIM + 1, desc, &isnull);
			if (isnull)
				cell_null(relname, "prim", c);
			c->prim = c->supp = DatumGetBool(d);
			d = heap_getattr(tup, COL_SIZE + 1, desc, &isnull);
			if (isnull)
				cell_null(relname, "size", c);
			c->size = keep_numeric(s, d);
			c->dsize = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow,
														  NumericGetDatum(c->size)));
			s->ncells++;
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
	SPI_finish();
}

/*
 * Forms the groups of one kind: sorts the cells that have such a group by group and picking
 * order, then records each run of equal keys as a group and each cell's group.
 */
static void
form_groups(Suppression *s, GroupKind kind)
{
	SortEntry  *e = MemoryContextAllocHuge(s->cxt, Max(s->ncells, 1) * sizeof(SortEntry));
	SortContext cx = {s, kind};
	int32		n = 0,
				ng = 0,
				i;
	CellGroup  *g = NULL;

	for (i = 0; i < s->ncells; i++)
	{
		Cell	   *c = &s->cells[i];
		uint64		h = 0;
		int			k;

		c->group[kind] = -1;
		if (c->text[group_cols[kind][3]] == NULL)
			continue;
		for (k = 0; k < 4; k++)
		{
			const char *x = c->text[group_cols[kind][k]];

			/* an interned string is one copy: its address stands for it */
			if (strnlen(x, INTERN_KEYSIZE) < INTERN_KEYSIZE)
				h = hash_bytes_extended((const unsigned char *) &x, sizeof(x), h);
			else
				h = hash_bytes_extended((const unsigned char *) x, strlen(x) + 1, h);
		}
		e[n].hash = h;
		e[n].cell = i;
		n++;
	}
	qsort_arg(e, n, sizeof(SortEntry), entry_cmp, &cx);

	s->member[kind] = MemoryContextAllocHuge(s->cxt, Max(n, 1) * sizeof(int32));
	s->groups[kind] = MemoryContextAllocHuge(s->cxt, Max(n, 1) * sizeof(CellGroup));
	for (i = 0; i < n; i++)
	{
		Cell	   *c = &s->cells[e[i].cell];

		if (i == 0 || e[i].hash != e[i - 1].hash ||
			!same_group(c, &s->cells[e[i - 1].cell], kind))
		{
			g = &s->groups[kind][ng++];
			memset(g, 0, sizeof(CellGroup));
			g->first = i;
			g->queued = -1;
			g->total = (kind == GROUP_BREAKDOWN);
		}
		s->member[kind][i] = e[i].cell;
		c->group[kind] = ng - 1;
		g->n++;
		if (c->supp)
		{
			g->nsupp++;
			g->sum = g->sum == NULL ? c->size : numeric_add_opt_error(g->sum, c->size, NULL);
		}
		if (c->prim)
			g->nprim++;
		if (kind != GROUP_BREAKDOWN && strcmp(c->text[T_PTYPE], total_types[kind]) == 0)
			g->total = true;
	}
	s->ngroups[kind] = ng;
	if (ng > 0 && ng < n)
		s->groups[kind] = repalloc_huge(s->groups[kind], ng * sizeof(CellGroup));
	pfree(e);
}

/* Raises an error when two cells have the same key (the breakdown groups must be formed). */
static void
check_unique(const Suppression *s, const char *relname)
{
	int32		gi;

	for (gi = 0; gi < s->ngroups[GROUP_BREAKDOWN]; gi++)
	{
		const CellGroup *g = &s->groups[GROUP_BREAKDOWN][gi];
		int32		i,
					j;

		/* members are few (a measure's breakdowns): compare each pair */
		for (i = 1; i < g->n; i++)
		{
			const Cell *a = &s->cells[s->member[GROUP_BREAKDOWN][g->first + i]];

			for (j = 0; j < i; j++)
			{
				const Cell *b = &s->cells[s->member[GROUP_BREAKDOWN][g->first + j]];

				if (same_text(a->text[T_BREAKDOWN], b->text[T_BREAKDOWN]))
					ereport(ERROR,
							(errcode(ERRCODE_UNIQUE_VIOLATION),
							 errmsg("cell %s %s %s %s breakdown %s occurs more than once in %s",
									a->text[T_AREA], a->text[T_PTYPE], a->text[T_PLABEL],
									a->text[T_MEASURE], quote_literal_cstr(a->text[T_BREAKDOWN]),
									relname),
							 errhint("Two report themes publish the same measure.")));
			}
		}
	}
}

/* Compares a numeric with an integer. */
static int
numeric_cmp_int(Numeric a, int64 b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a),
											 NumericGetDatum(int64_to_numeric(b))));
}

/*
 * Whether the group's suppressed cells could be worked out from the rest: exactly one of
 * them; or several adding up to less than min_count; or several primary ones adding up to
 * their least or most possible total (all 1, or all min_count - 1).
 */
static bool
group_unsafe(const CellGroup *g, int32 min_count)
{
	if (g->nsupp == 1)
		return true;
	if (g->nsupp < 2)
		return false;
	if (numeric_cmp_int(g->sum, min_count) < 0)
		return true;
	return g->nprim == g->nsupp &&
		(numeric_cmp_int(g->sum, g->nsupp) == 0 ||
		 numeric_cmp_int(g->sum, (int64) g->nsupp * (min_count - 1)) == 0);
}

/* Puts the group on the queue of the given pass, once. */
static inline void
queue_group(Suppression *s, GroupKind kind, int32 gi, int32 pass, int32 *queue, int32 *nqueue)
{
	CellGroup  *g = &s->groups[kind][gi];

	if (g->queued != pass)
	{
		g->queued = pass;
		queue[(*nqueue)++] = gi;
	}
}

PG_FUNCTION_INFO_V1(skpi_secondary_suppression);

/*
 * _secondary_suppression(cells regclass, min_count integer): the cells that the secondary
 * suppression adds to the primary ones of a table laid out as refresh_reports builds it, with
 * the pass that added each (1 for the first).
 */
Datum
skpi_secondary_suppression(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);
	int32		min_count = PG_GETARG_INT32(1);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Suppression s;
	int32	   *queue[NUM_GROUP_KINDS],
			   *next[NUM_GROUP_KINDS],
				nqueue[NUM_GROUP_KINDS],
				nnext[NUM_GROUP_KINDS];
	int32	   *picked;
	int32		pass,
				i;
	int			k;
	MemoryContext old,
				scratch;
	char	   *relname;

	if (min_count < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_count must be at least 1, not %d", min_count)));
	relname = get_rel_name(relid);
	if (relname == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	relname = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), relname);
	InitMaterializedSRF(fcinfo, 0);

	memset(&s, 0, sizeof(s));
	s.cxt = AllocSetContextCreate(CurrentMemoryContext, "secondary suppression",
								  ALLOCSET_DEFAULT_SIZES);
	scratch = AllocSetContextCreate(CurrentMemoryContext, "secondary suppression pass",
									ALLOCSET_DEFAULT_SIZES);
	{
		HASHCTL		ctl;

		ctl.keysize = INTERN_KEYSIZE;
		ctl.entrysize = INTERN_KEYSIZE;
		ctl.hcxt = s.cxt;
		s.interned = hash_create("secondary suppression strings", 1024, &ctl,
								 HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	}
	read_cells(&s, relname);
	old = MemoryContextSwitchTo(s.cxt);
	for (k = 0; k < NUM_GROUP_KINDS; k++)
		form_groups(&s, k);
	check_unique(&s, relname);
	elog(DEBUG1, "secondary suppression: %d cells, %zu bytes", s.ncells,
		 (size_t) MemoryContextMemAllocated(s.cxt, true));

	/* the first pass looks at the groups that hold a primary cell */
	for (k = 0; k < NUM_GROUP_KINDS; k++)
	{
		queue[k] = palloc_extended(Max(s.ngroups[k], 1) * sizeof(int32), MCXT_ALLOC_HUGE);
		next[k] = palloc_extended(Max(s.ngroups[k], 1) * sizeof(int32), MCXT_ALLOC_HUGE);
		nqueue[k] = 0;
	}
	picked = palloc_extended(Max(s.ncells, 1) * sizeof(int32), MCXT_ALLOC_HUGE);
	for (i = 0; i < s.ncells; i++)
		if (s.cells[i].prim)
			for (k = 0; k < NUM_GROUP_KINDS; k++)
				if (s.cells[i].group[k] >= 0)
					queue_group(&s, k, s.cells[i].group[k], 0, queue[k], &nqueue[k]);

	for (pass = 0;; pass++)
	{
		int32		npicked = 0;

		CHECK_FOR_INTERRUPTS();
		/* decide on the state the pass started with */
		MemoryContextSwitchTo(scratch);
		for (k = 0; k < NUM_GROUP_KINDS; k++)
			for (i = 0; i < nqueue[k]; i++)
			{
				CellGroup  *g = &s.groups[k][queue[k][i]];
				int32		m;

				if (!g->total || !group_unsafe(g, min_count))
					continue;
				/* its smallest cell that is neither zero nor suppressed, if any */
				for (m = 0; m < g->n; m++)
				{
					int32		ci = s.member[k][g->first + m];
					Cell	   *c = &s.cells[ci];

					if (c->supp || c->zero)
						continue;
					if (!c->picked)
					{
						c->picked = true;
						picked[npicked++] = ci;
					}
					break;
				}
			}
		MemoryContextReset(scratch);
		MemoryContextSwitchTo(s.cxt);
		if (npicked == 0)
			break;
		elog(DEBUG1, "secondary suppression: pass %d suppresses %d cells", pass + 1, npicked);

		/* then mark what it picked, and queue their groups for the next pass */
		for (k = 0; k < NUM_GROUP_KINDS; k++)
			nnext[k] = 0;
		for (i = 0; i < npicked; i++)
		{
			Cell	   *c = &s.cells[picked[i]];
			Datum		values[6];
			bool		nulls[6] = {false, false, false, false, false, false};

			c->picked = false;
			c->supp = true;
			for (k = 0; k < NUM_GROUP_KINDS; k++)
			{
				CellGroup  *g;

				if (c->group[k] < 0)
					continue;
				g = &s.groups[k][c->group[k]];
				g->nsupp++;
				g->sum = g->sum == NULL ? c->size : numeric_add_opt_error(g->sum, c->size, NULL);
				queue_group(&s, k, c->group[k], pass + 1, next[k], &nnext[k]);
			}
			MemoryContextSwitchTo(scratch);
			values[0] = CStringGetTextDatum(c->text[T_AREA]);
			values[1] = CStringGetTextDatum(c->text[T_PTYPE]);
			values[2] = CStringGetTextDatum(c->text[T_PLABEL]);
			values[3] = CStringGetTextDatum(c->text[T_MEASURE]);
			values[4] = CStringGetTextDatum(c->text[T_BREAKDOWN]);
			values[5] = Int32GetDatum(pass + 1);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
			MemoryContextSwitchTo(s.cxt);
		}
		MemoryContextReset(scratch);
		for (k = 0; k < NUM_GROUP_KINDS; k++)
		{
			int32	   *t = queue[k];

			queue[k] = next[k];
			next[k] = t;
			nqueue[k] = nnext[k];
		}
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(scratch);
	MemoryContextDelete(s.cxt);
	return (Datum) 0;
}
