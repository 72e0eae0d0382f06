#!/bin/bash
# test/run.sh: the project's driver on a Debian 12 machine.
#
#   bash test/run.sh demo     build, install, throwaway PostgreSQL 15, synthetic council, scorecard
#   bash test/run.sh test     build, every test suite, summary line "N passed, N failed"
#   bash test/run.sh bench    build, every benchmark under test/bench/, one table of ratios
#   bash test/run.sh shell    build, start a throwaway cluster with the extension and keep it
#   bash test/run.sh valgrind build, the pg_regress suite with the server under valgrind memcheck
#
# Runs as root or as a user with sudo. Missing packages are installed with apt-get. The server
# always runs as the postgres user, on a unix socket in a temporary directory (no TCP).
#
# Narrowing a test run (for development):
#   REGRESS="install calendar"  pg_regress tests to run (default: all of sql/)
#   PGTAP="calendar rates"      pgTAP files of test/pgtap/ to run (default: all; "none" for none)
#   SHELL_TESTS="dump_restore"  harnesses of test/shell/ to run (default: all; "none" for none)
#   SCALE=0.01                  benchmark row counts as a fraction of the issues' sizes
set -uo pipefail

MODE=${1:-test}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGV=15
SYSBIN=/usr/lib/postgresql/$PGV/bin
SUDO=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "run.sh: run as root, or as a user with sudo" >&2; exit 1; }
	SUDO=sudo
fi

say() { printf '== %s\n' "$*"; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

case "$MODE" in
	demo|test|bench|shell|valgrind) ;;
	*) die "unknown mode '$MODE' (use demo, test, bench, shell or valgrind)" ;;
esac

# --- packages ------------------------------------------------------------------------------
PKGS="make gcc libc6-dev postgresql-$PGV postgresql-server-dev-$PGV postgresql-$PGV-pgtap
      libtap-parser-sourcehandler-pgtap-perl postgresql-$PGV-cron"
if [ "$MODE" = test ]; then
	PKGS="$PKGS libxml2-utils odbc-postgresql unixodbc sqlsmith clang-14 libclang-rt-14-dev"
fi
[ "$MODE" = valgrind ] && PKGS="$PKGS valgrind"

pkg_version() { dpkg-query -W -f='${Status} ${Version}' "$1" 2>/dev/null | awk '$3=="installed"{print $4}'; }

ensure_packages() {
	local missing=() p
	for p in $PKGS; do
		[ -n "$(pkg_version "$p")" ] || missing+=("$p")
	done
	# The server development files must match the server's minor version.
	if [ -n "$(pkg_version postgresql-$PGV)" ] && [ -n "$(pkg_version postgresql-server-dev-$PGV)" ] &&
	   [ "$(pkg_version postgresql-$PGV)" != "$(pkg_version postgresql-server-dev-$PGV)" ]; then
		missing+=("postgresql-$PGV" "postgresql-server-dev-$PGV")
	fi
	if [ ${#missing[@]} -gt 0 ]; then
		say "installing ${missing[*]}"
		$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed"
		# postgresql-$PGV is named so that server and development files arrive at one version.
		$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			"postgresql-$PGV" "${missing[@]}" >/dev/null || die "apt-get install failed"
	fi
}
ensure_packages

# --- build -----------------------------------------------------------------------------------
PG_CONFIG=$SYSBIN/pg_config
say "building"
make -C "$ROOT" -s PG_CONFIG="$PG_CONFIG" >/dev/null || die "build failed"

# --- temporary directories and install -------------------------------------------------------
TMP=$(mktemp -d /tmp/skpi-run.XXXXXX)
chmod 755 "$TMP"
SOCK=$TMP/socket
LOGDIR=$TMP/log
mkdir -p "$SOCK" "$LOGDIR"
# The data directory gets its own mktemp -d so that no parent blocks the postgres user.
DATA=$(mktemp -d /tmp/skpi-data.XXXXXX)
$SUDO chown postgres:postgres "$SOCK" "$LOGDIR" "$DATA"
$SUDO chmod 700 "$DATA"

if [ "$MODE" = demo ]; then
	# The demo installs into the system server, as a user would.
	say "installing into $($PG_CONFIG --pkglibdir)"
	$SUDO make -C "$ROOT" -s PG_CONFIG="$PG_CONFIG" install >/dev/null || die "make install failed"
	PGBIN=$SYSBIN
else
	# Tests and benchmarks use a private copy of the server with the extension installed in it,
	# so that they never touch (or depend on) what is installed system-wide. PostgreSQL finds its
	# share and lib directories relative to the postgres binary, so a copied bin/ is enough.
	INST=$TMP/install
	mkdir -p "$INST/usr/lib/postgresql/$PGV" "$INST/usr/share/postgresql"
	cp -a "$SYSBIN" "$INST/usr/lib/postgresql/$PGV/bin"
	cp -as "/usr/lib/postgresql/$PGV/lib" "$INST/usr/lib/postgresql/$PGV/lib"
	cp -as "/usr/share/postgresql/$PGV" "$INST/usr/share/postgresql/$PGV"
	rm -f "$INST"/usr/lib/postgresql/$PGV/lib/safeguarding_kpi* \
		"$INST"/usr/share/postgresql/$PGV/extension/safeguarding_kpi*
	make -C "$ROOT" -s PG_CONFIG="$PG_CONFIG" install DESTDIR="$INST" >/dev/null || die "make install failed"
	PGBIN=$INST/usr/lib/postgresql/$PGV/bin
	chmod -R a+rX "$TMP"
fi

as_postgres() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

# --- cluster ---------------------------------------------------------------------------------
CRON_DB=skpi_cron
[ "$MODE" = demo ] && CRON_DB=skpi_demo
as_postgres "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$TMP/initdb.log" 2>&1 ||
	{ cat "$TMP/initdb.log"; die "initdb failed"; }
cat >>"$DATA/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$SOCK'
port = 5432
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 1GB
work_mem = 64MB
maintenance_work_mem = 512MB
max_parallel_workers_per_gather = 2
max_worker_processes = 16
shared_preload_libraries = 'pg_cron'
cron.database_name = '$CRON_DB'
cron.use_background_workers = on
max_locks_per_transaction = 256
lc_messages = 'C'
log_min_messages = warning

EOF
# Benchmarks run without JIT: its compile time is noise that hides the functions' own cost.
[ "$MODE" = bench ] && echo "jit = off" >>"$DATA/postgresql.conf"
START_TIMEOUT=60
if [ "$MODE" = valgrind ]; then
	. "$ROOT/test/valgrind/setup.sh" || die "valgrind setup failed"
fi
as_postgres "$PGBIN/pg_ctl" -D "$DATA" -l "$LOGDIR/server.log" -w -t "$START_TIMEOUT" start >/dev/null ||
	{ cat "$LOGDIR/server.log"; die "server did not start"; }

stop_cluster() {
	as_postgres "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1
	$SUDO rm -rf "$DATA"
	rm -rf "$TMP"
}

export PGHOST=$SOCK PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
export SKPI_ROOT=$ROOT SKPI_TMP=$TMP SKPI_PGBIN=$PGBIN SKPI_DATA=$DATA SKPI_CRON_DB=$CRON_DB
export SKPI_SERVER_LOG=$LOGDIR/server.log
PSQL="$PGBIN/psql -X -v ON_ERROR_STOP=1 -q"

case "$MODE" in
# --- demo ------------------------------------------------------------------------------------
demo)
	$PSQL -c "CREATE DATABASE skpi_demo" || die "createdb failed"
	say "loading a synthetic council"
	if ! $PSQL -d skpi_demo -f "$ROOT/test/demo.sql"; then
		tail -20 "$LOGDIR/server.log"
		die "demo failed (cluster left running: $PGBIN/psql -h $SOCK -U postgres skpi_demo)"
	fi
	echo
	say "the demo cluster is still running. Connect with:"
	echo "   $PGBIN/psql -h $SOCK -U postgres skpi_demo"
	say "stop it with:"
	echo "   $( [ -n "$SUDO" ] && echo 'sudo ' )runuser -u postgres -- $PGBIN/pg_ctl -D $DATA stop"
	;;

# --- shell -----------------------------------------------------------------------------------
shell)
	$PSQL -c "CREATE DATABASE skpi" && $PSQL -d skpi -c "CREATE EXTENSION safeguarding_kpi; CREATE EXTENSION pgtap"
	say "cluster running (data $DATA). Connect with:"
	echo "   $PGBIN/psql -h $SOCK -U postgres skpi"
	say "stop it with: runuser -u postgres -- $PGBIN/pg_ctl -D $DATA stop"
	;;

# --- valgrind --------------------------------------------------------------------------------
valgrind)
	trap stop_cluster EXIT
	PG_CONFIG=$PG_CONFIG bash "$ROOT/test/valgrind/check.sh"
	exit $?
	;;

# --- bench -----------------------------------------------------------------------------------
bench)
	trap stop_cluster EXIT
	bash "$ROOT/test/bench/run_all.sh"
	exit $?
	;;

# --- test ------------------------------------------------------------------------------------
test)
	trap stop_cluster EXIT
	passed=0 failed=0
	failures=()

	# 1. pg_regress over sql/ and expected/.
	say "pg_regress"
	regress_args=()
	[ -n "${REGRESS:-}" ] && regress_args=(REGRESS="$REGRESS")
	make -C "$ROOT" -s PG_CONFIG="$PG_CONFIG" installcheck "${regress_args[@]}" >"$TMP/regress.log" 2>&1
	rc=$?
	cat "$TMP/regress.log"
	n_ok=$(grep -cE '\.\.\. ok' "$TMP/regress.log")
	n_bad=$(grep -cE '\.\.\. FAILED|\.\.\. failed' "$TMP/regress.log")
	passed=$((passed + n_ok)); failed=$((failed + n_bad))
	if [ $rc -ne 0 ]; then
		[ "$n_bad" -eq 0 ] && { failed=$((failed + 1)); }
		failures+=("pg_regress")
		[ -f "$ROOT/regression.diffs" ] && { say "regression.diffs"; cat "$ROOT/regression.diffs"; }
	fi

	# 2. pgTAP suites through pg_prove, each file in the database skpi_tap.
	$PSQL -c "CREATE DATABASE skpi_tap" && $PSQL -d skpi_tap -c "CREATE EXTENSION pgtap; CREATE EXTENSION safeguarding_kpi"
	if [ "${PGTAP:-}" != none ]; then
		if [ -n "${PGTAP:-}" ]; then
			tap_files=(); for t in $PGTAP; do tap_files+=("$ROOT/test/pgtap/$t.sql"); done
		else
			tap_files=("$ROOT"/test/pgtap/*.sql)
		fi
		for f in "${tap_files[@]}"; do
			[ -f "$f" ] || continue
			say "pg_prove $(basename "$f")"
			if pg_prove -h "$SOCK" -U postgres -d skpi_tap "$f"; then
				passed=$((passed + 1))
			else
				failed=$((failed + 1)); failures+=("pgtap/$(basename "$f")")
			fi
		done
	fi

	# 3. Shell harnesses (several sessions, pg_dump, ODBC, pg_cron, fuzzing, random SQL).
	if [ "${SHELL_TESTS:-}" != none ]; then
		if [ -n "${SHELL_TESTS:-}" ]; then
			sh_files=(); for t in $SHELL_TESTS; do sh_files+=("$ROOT/test/shell/$t.sh"); done
		else
			sh_files=("$ROOT"/test/shell/*.sh)
		fi
		for f in "${sh_files[@]}"; do
			[ -f "$f" ] || continue
			say "harness $(basename "$f" .sh)"
			if bash "$f"; then
				passed=$((passed + 1)); echo "ok: $(basename "$f" .sh)"
			else
				failed=$((failed + 1)); failures+=("shell/$(basename "$f")"); echo "FAILED: $(basename "$f" .sh)"
			fi
		done
	fi

	if grep -q 'terminated by signal' "$LOGDIR/server.log"; then
		say "the server crashed during the tests:"
		grep -B2 -A5 'terminated by signal' "$LOGDIR/server.log"
		failed=$((failed + 1)); failures+=("server crash")
	fi
	[ ${#failures[@]} -gt 0 ] && say "failed: ${failures[*]}"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
	;;
esac
