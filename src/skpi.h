/*
 * skpi.h
 *	  Declarations shared by the safeguarding_kpi C sources.
 */
#ifndef SKPI_H
#define SKPI_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/date.h"
#include "utils/timestamp.h"

#define SKPI_LIBRARY_VERSION "1.0"

/* Name of the extension's schema (the control file fixes it). */
#define SKPI_SCHEMA "skpi"

/* d as YYYY-MM-DD (or infinity / -infinity) for messages, whatever the DateStyle. */
extern char *skpi_date_text(DateADT d);

/* An interval in the postgres style ('2 years -1 days'), whatever the IntervalStyle. */
extern char *skpi_interval_text(const Interval *span);

/*
 * Data of an array known to have no NULL bitmap (ARR_DATA_PTR trips -Wsign-compare); needs
 * utils/array.h.
 */
#define ARR_DATA_NONULLS(a) ((char *) (a) + ARR_OVERHEAD_NONULLS(ARR_NDIM(a)))

#endif							/* SKPI_H */
