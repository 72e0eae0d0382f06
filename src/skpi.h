/*
 * skpi.h
 *	  Declarations shared by the safeguarding_kpi C sources.
 */
#ifndef SKPI_H
#define SKPI_H

#include "postgres.h"
#include "fmgr.h"

#define SKPI_LIBRARY_VERSION "1.0"

/* Name of the extension's schema (the control file fixes it). */
#define SKPI_SCHEMA "skpi"

#endif							/* SKPI_H */
