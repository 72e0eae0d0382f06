/*
 * skpi.c
 *	  Module entry point of safeguarding_kpi.
 */
#include "skpi.h"

#include "utils/builtins.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(skpi_library_version);

/* Returns the version of the loaded shared library. */
Datum
skpi_library_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(SKPI_LIBRARY_VERSION));
}
