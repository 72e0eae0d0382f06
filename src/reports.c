/*
 * reports.c
 *	  C support of the report layer: whether a text is valid JSON, without raising an error.
 *
 * The normalisation views check every JSON value of an SSD extract (contact outcomes, factor
 * lists) once per refresh, so that a malformed one is listed in data_quality instead of failing
 * the refresh. PostgreSQL 15 has no error-free json input check, so this runs the server's own
 * JSON parser with no semantic actions and looks at its result code.
 */
#include "skpi.h"

#include "common/jsonapi.h"
#include "mb/pg_wchar.h"

PG_FUNCTION_INFO_V1(skpi_json_valid);

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

/*
 * _json_valid(j): true when the json type's input would accept j and every \u escape of it can
 * be read back as text (so \u0000 and lone surrogates count as invalid, as ->> would fail on
 * them).
 */
Datum
skpi_json_valid(PG_FUNCTION_ARGS)
{
	text	   *j = PG_GETARG_TEXT_PP(0);
	char	   *s = VARDATA_ANY(j);
	int			len = VARSIZE_ANY_EXHDR(j);
	JsonLexContext *lex;
	JsonParseErrorType rc;

	if (!json_depth_within(s, len, JSON_MAX_DEPTH))
		PG_RETURN_BOOL(false);
	lex = makeJsonLexContextCstringLen(s, len, GetDatabaseEncoding(), true);
	rc = pg_parse_json(lex, &nullSemAction);
	if (lex->strval != NULL)
	{
		pfree(lex->strval->data);
		pfree(lex->strval);
	}
	pfree(lex);
	PG_RETURN_BOOL(rc == JSON_SUCCESS);
}
