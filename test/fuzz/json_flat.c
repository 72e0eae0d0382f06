/*
 * json_flat.c
 *	  libFuzzer target: json_flat_scan (src/reports_core.c) against PostgreSQL's own JSON parser
 *	  (pg_parse_json of libpgcommon, the code the json type's input runs). Whenever the scanner
 *	  says an input is a flat object, the parser must accept it as an object and report the same
 *	  top-level fields in the same order, with the same keys and values (null as null).
 */
#include "postgres_fe.h"

#include "common/jsonapi.h"
#include "mb/pg_wchar.h"

#include "reports_core.h"

#define MAX_FIELDS 4096

typedef struct Field
{
	char	   *key;
	size_t		keylen;
	char	   *value;			/* NULL for null */
	size_t		valuelen;
	bool		scalar;			/* parsed: the value was a scalar, not an array or object */
} Field;

typedef struct Fields
{
	int			n;
	Field		f[MAX_FIELDS];
} Fields;

static Fields scanned;
static Fields parsed;

/* The scanner's fields, copied. */
static void
scan_field(void *arg, const char *key, size_t keylen, const char *value, size_t valuelen)
{
	Fields	   *fs = (Fields *) arg;
	Field	   *f;

	if (fs->n == MAX_FIELDS)
		abort();
	f = &fs->f[fs->n++];
	f->key = malloc(keylen + 1);
	memcpy(f->key, key, keylen);
	f->keylen = keylen;
	f->value = NULL;
	f->valuelen = 0;
	f->scalar = true;
	if (value != NULL)
	{
		f->value = malloc(valuelen + 1);
		memcpy(f->value, value, valuelen);
		f->valuelen = valuelen;
	}
}

/* Parser state: the top-level fields and whether the top-level value is an object. */
typedef struct ParseState
{
	JsonLexContext *lex;
	bool		object;
} ParseState;

/* Notes whether the top-level value is an object. */
static void
p_object_start(void *state)
{
	ParseState *ps = (ParseState *) state;

	if (ps->lex->lex_level == 0)
		ps->object = true;
}

/* A field: a top-level one is recorded with the parser's (unescaped) key. */
static void
p_field_start(void *state, char *fname, bool isnull)
{
	ParseState *ps = (ParseState *) state;

	if (ps->lex->lex_level == 1)
	{
		Field	   *f;

		if (parsed.n == MAX_FIELDS)
			abort();
		f = &parsed.f[parsed.n++];
		f->key = fname;			/* the parser's copy, freed below */
		f->keylen = strlen(fname);
		f->value = NULL;
		f->valuelen = 0;
		f->scalar = false;
	}
	else
		pfree(fname);
}

/* A scalar: the value of the current top-level field (NULL for null). */
static void
p_scalar(void *state, char *token, JsonTokenType tokentype)
{
	ParseState *ps = (ParseState *) state;

	if (ps->lex->lex_level == 1 && parsed.n > 0)
	{
		Field	   *f = &parsed.f[parsed.n - 1];

		f->scalar = true;
		if (tokentype == JSON_TOKEN_NULL)
			pfree(token);
		else
		{
			f->value = token;
			f->valuelen = strlen(token);
		}
	}
	else if (token != NULL)
		pfree(token);
}

/* Frees the recorded fields, allocated by the parser or by scan_field. */
static void
free_fields(Fields *fs, bool from_parser)
{
	int			i;

	for (i = 0; i < fs->n; i++)
	{
		if (from_parser)
		{
			pfree(fs->f[i].key);
			if (fs->f[i].value)
				pfree(fs->f[i].value);
		}
		else
		{
			free(fs->f[i].key);
			free(fs->f[i].value);
		}
	}
	fs->n = 0;
}

/* One input: scanned, and when the scanner calls it flat, parsed and compared. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = malloc(size + 1);
	bool		flat;

	memcpy(s, data, size);
	s[size] = '\0';
	scanned.n = 0;
	flat = json_flat_scan(s, size, scan_field, &scanned);
	if (flat && memchr(s, '\0', size) == NULL)
	{
		ParseState ps;
		JsonSemAction sem;
		JsonParseErrorType rc;
		int			i;

		ps.lex = makeJsonLexContextCstringLen(s, size, PG_UTF8, true);
		ps.object = false;
		memset(&sem, 0, sizeof(sem));
		sem.semstate = &ps;
		sem.object_start = p_object_start;
		sem.object_field_start = p_field_start;
		sem.scalar = p_scalar;
		parsed.n = 0;
		rc = pg_parse_json(ps.lex, &sem);
		if (rc != JSON_SUCCESS || !ps.object || parsed.n != scanned.n)
			abort();
		for (i = 0; i < scanned.n; i++)
		{
			Field	   *a = &scanned.f[i];
			Field	   *b = &parsed.f[i];

			if (!b->scalar || a->keylen != b->keylen || memcmp(a->key, b->key, a->keylen) != 0)
				abort();
			if ((a->value == NULL) != (b->value == NULL))
				abort();
			if (a->value && (a->valuelen != b->valuelen || memcmp(a->value, b->value, a->valuelen) != 0))
				abort();
		}
		free_fields(&parsed, true);
		pfree(ps.lex->strval->data);
		pfree(ps.lex->strval);
		pfree(ps.lex);
	}
	else if (flat)
		abort();				/* text has no NUL bytes: the scanner must refuse them */
	free_fields(&scanned, false);
	free(s);
	return 0;
}
