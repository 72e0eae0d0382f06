/*
 * reports.c
 *	  C support of the report layer: the fields of a JSON object, or NULL (never an error) when
 *	  the text is not one.
 *
 * The normalisation views read the outcome flags of every contact and section 47 enquiry of an
 * SSD extract once per refresh, and a malformed value must be listed in data_quality instead of
 * failing the refresh. PostgreSQL 15 has no error-free json input check, so this runs the
 * server's own JSON parser and looks at its result code, picking up the wanted fields on the way.
 */
#include "skpi.h"

#include "catalog/pg_type.h"
#include "common/jsonapi.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"

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

/* Parser state of _json_fields: the wanted keys and their values so far. */
typedef struct JsonFieldsState
{
	JsonLexContext *lex;
	int			nkeys;
	char	  **keys;
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
	int			i;

	if (st->lex->lex_level != 1)
		return;
	st->field = -1;
	for (i = 0; i < st->nkeys && st->field < 0; i++)
		if (strcmp(fname, st->keys[i]) == 0)
			st->field = i;
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

/*
 * _json_fields(j, keys): when j is a JSON object that the json type's input accepts (every \u
 * escape readable as text, nesting no deeper than JSON_MAX_DEPTH), the values of its top-level
 * fields keys, as json_to_record would read them into text columns (the last of repeated keys;
 * absent keys and JSON null as NULL); NULL otherwise, never an error.  One pass of the server's
 * JSON parser replaces a validity check followed by json_to_record.
 */
Datum
skpi_json_fields(PG_FUNCTION_ARGS)
{
	text	   *j = PG_GETARG_TEXT_PP(0);
	ArrayType  *keyarr = PG_GETARG_ARRAYTYPE_P(1);
	char	   *s = VARDATA_ANY(j);
	int			len = VARSIZE_ANY_EXHDR(j);
	Datum	   *keydatums;
	bool	   *keynulls;
	JsonFieldsState st;
	JsonSemAction sem;
	JsonParseErrorType rc;
	int			dims[1];
	int			lbs[1] = {1};
	int			i;

	if (ARR_NDIM(keyarr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("the keys of _json_fields must be a one-dimensional array")));
	deconstruct_array(keyarr, TEXTOID, -1, false, TYPALIGN_INT, &keydatums, &keynulls, &st.nkeys);
	st.keys = palloc(sizeof(char *) * Max(st.nkeys, 1));
	for (i = 0; i < st.nkeys; i++)
	{
		if (keynulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("the keys of _json_fields must not be NULL")));
		st.keys[i] = TextDatumGetCString(keydatums[i]);
	}

	if (!json_depth_within(s, len, JSON_MAX_DEPTH))
		PG_RETURN_NULL();
	st.values = palloc0(sizeof(Datum) * Max(st.nkeys, 1));
	st.nulls = palloc(sizeof(bool) * Max(st.nkeys, 1));
	for (i = 0; i < st.nkeys; i++)
		st.nulls[i] = true;
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
	/* a key asked for twice gets the value too where it is asked again */
	for (i = 1; i < st.nkeys; i++)
	{
		int			k;

		for (k = 0; k < i; k++)
			if (strcmp(st.keys[i], st.keys[k]) == 0)
			{
				st.values[i] = st.values[k];
				st.nulls[i] = st.nulls[k];
				break;
			}
	}

	dims[0] = st.nkeys;
	PG_RETURN_ARRAYTYPE_P(construct_md_array(st.values, st.nulls, 1, dims, lbs,
											 TEXTOID, -1, false, TYPALIGN_INT));
}
