/*
 * skpi.c
 *	  Module entry point of safeguarding_kpi.
 */
#include "skpi.h"

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(skpi_library_version);

/* Returns the version of the loaded shared library. */
Datum
skpi_library_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(SKPI_LIBRARY_VERSION));
}

/* Writes d as YYYY-MM-DD (or infinity / -infinity) whatever the DateStyle, for messages. */
char *
skpi_date_text(DateADT d)
{
	struct pg_tm tm;
	char		buf[MAXDATELEN + 1];

	if (DATE_IS_NOBEGIN(d))
		return pstrdup("-infinity");
	if (DATE_IS_NOEND(d))
		return pstrdup("infinity");
	memset(&tm, 0, sizeof(tm));
	j2date(d + POSTGRES_EPOCH_JDATE, &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	EncodeDateOnly(&tm, USE_ISO_DATES, buf);
	return pstrdup(buf);
}

/* Writes an interval in the postgres IntervalStyle, whatever the session's, for messages. */
char *
skpi_interval_text(const Interval *span)
{
	struct pg_itm itm;
	char		buf[MAXDATELEN + 1];

	interval2itm(*span, &itm);
	EncodeInterval(&itm, INTSTYLE_POSTGRES, buf);
	return pstrdup(buf);
}
