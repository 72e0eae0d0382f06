/*
 * reports_core.h
 *	  The short way of _json_fields (src/reports.c) through the common SSD outcome JSON: a flat
 *	  object of plain strings, read without the server's parser. Free of PostgreSQL types so
 *	  that it can be fuzzed against that parser.
 */
#ifndef REPORTS_CORE_H
#define REPORTS_CORE_H

#include <stdbool.h>
#include <stddef.h>

/* Called for each field in order: its key and value bytes (value NULL for JSON null). */
typedef void (*JsonFlatField) (void *arg, const char *key, size_t keylen,
							   const char *value, size_t valuelen);

/*
 * Whether the len bytes at s are a JSON object whose keys are strings without escapes and whose
 * values are such strings or null, with the lexer's whitespace (space, tab, CR, LF) anywhere
 * between tokens. When it is, field has been called for every field and the server's JSON
 * parser accepts s and reads the same fields; when it is not (valid JSON or not), field may have
 * been called for a leading part of the fields and the text needs the parser.
 */
extern bool json_flat_scan(const char *s, size_t len, JsonFlatField field, void *arg);

#endif							/* REPORTS_CORE_H */
