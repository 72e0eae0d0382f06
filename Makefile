# safeguarding_kpi: PGXS build.
#
#   make && sudo make install        build and install into the server of PG_CONFIG
#   bash test/run.sh demo            throwaway cluster, synthetic council, quarterly scorecard
#   bash test/run.sh test            every test (pg_regress, pgTAP, harnesses)
#   bash test/run.sh bench           benchmarks (not part of the tests)

EXTENSION  = safeguarding_kpi
EXTVERSION = 1.0

MODULE_big = safeguarding_kpi
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))

# The install script is the per-concern SQL beside the C files, in this order.
SQL_CONCERNS = schema reference calendar rates snapshots episodes factors ranking \
	generate keyset suppression reports measures scorecard grants
SQL_PARTS = $(wildcard $(foreach c,$(SQL_CONCERNS),src/$(c).sql))
SQL_UNLISTED = $(filter-out $(SQL_PARTS),$(wildcard src/*.sql))
ifneq ($(SQL_UNLISTED),)
$(error add $(SQL_UNLISTED) to SQL_CONCERNS in the Makefile)
endif

DATA_built = $(EXTENSION)--$(EXTVERSION).sql
# Upgrade scripts (every version after 1.0 ships one).
DATA = $(wildcard src/upgrade/$(EXTENSION)--*--*.sql)

# pg_regress: sql/ + expected/, "install" first, the rest by name.
REGRESS_ALL = $(basename $(notdir $(wildcard sql/*.sql)))
REGRESS = install $(sort $(filter-out install,$(REGRESS_ALL)))
REGRESS_OPTS = --dbname=contrib_regression

PG_CPPFLAGS = -I$(srcdir)/src
# fmgr entry points all take fcinfo, so unused parameters are expected.
PG_CFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter

EXTRA_CLEAN = $(DATA_built)

PG_CONFIG ?= $(firstword $(wildcard /usr/lib/postgresql/15/bin/pg_config) pg_config)
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(PGXS),)
include $(PGXS)
else
all install installcheck:
	@echo "PostgreSQL server development files not found: run 'bash test/run.sh test' (installs them) or apt-get install postgresql-server-dev-15" >&2; exit 1
endif

# Rebuild every object when a header changes.
$(OBJS): $(wildcard $(srcdir)/src/*.h)

$(DATA_built): $(SQL_PARTS) Makefile
	cat $(SQL_PARTS) > $@

.PHONY: demo test bench
demo test bench:
	bash test/run.sh $@
