/*
 * reports_core.c
 *	  The flat-object scanner of _json_fields (see reports_core.h).
 *
 * Plain C99; no PostgreSQL types, no allocation. It accepts only what the json type's input
 * accepts: a string is any bytes but '"', '\' and the controls below 0x20 (the server's lexer
 * does not check the encoding of unescaped bytes, which text input has already checked), and
 * after null the next byte must be whitespace, ',' or '}' (so nullx is refused as the lexer
 * refuses it). Anything else, numbers, true and false, escapes and nesting included, is left to
 * the parser: the scanner answers "flat" or "ask the parser", never "invalid".
 */
#include "reports_core.h"

#include <string.h>

#define JSON_SPACE(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r')

/* Skips whitespace from p up to end. */
static const char *
skip_space(const char *p, const char *end)
{
	while (p < end && JSON_SPACE(*p))
		p++;
	return p;
}

/* The end of a plain string whose opening quote is just before p: its closing quote, or NULL. */
static const char *
plain_string_end(const char *p, const char *end)
{
	for (; p < end; p++)
	{
		if (*p == '"')
			return p;
		if ((unsigned char) *p < 0x20 || *p == '\\')
			return NULL;
	}
	return NULL;
}

/* Whether s is a flat object of plain strings and nulls; calls field for each field. */
bool
json_flat_scan(const char *s, size_t len, JsonFlatField field, void *arg)
{
	const char *p = s;
	const char *end = s + len;

	p = skip_space(p, end);
	if (p == end || *p++ != '{')
		return false;
	p = skip_space(p, end);
	if (p < end && *p == '}')
		return skip_space(p + 1, end) == end;
	for (;;)
	{
		const char *key;
		const char *key_end;

		if (p == end || *p++ != '"')
			return false;
		key = p;
		if ((key_end = plain_string_end(key, end)) == NULL)
			return false;
		p = skip_space(key_end + 1, end);
		if (p == end || *p++ != ':')
			return false;
		p = skip_space(p, end);
		if (p < end && *p == '"')
		{
			const char *value = p + 1;
			const char *value_end = plain_string_end(value, end);

			if (value_end == NULL)
				return false;
			field(arg, key, key_end - key, value, value_end - value);
			p = value_end + 1;
		}
		else if (end - p >= 4 && memcmp(p, "null", 4) == 0)
		{
			field(arg, key, key_end - key, NULL, 0);
			p += 4;
		}
		else
			return false;
		p = skip_space(p, end);
		if (p == end)
			return false;
		if (*p == '}')
			return skip_space(p + 1, end) == end;
		if (*p++ != ',')
			return false;
		p = skip_space(p, end);
	}
}
