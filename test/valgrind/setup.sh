# test/valgrind/setup.sh: sourced by test/run.sh in mode "valgrind" after initdb, before the
# server starts. Replaces the private copy's postgres binary by a wrapper that runs it under
# valgrind memcheck (one log per process in $TMP/valgrind), and makes the cluster lighter.
# Uses run.sh's variables: ROOT, TMP, PGBIN, DATA, SUDO.
VG_LOGDIR=$TMP/valgrind
mkdir -p "$VG_LOGDIR"
$SUDO chown postgres:postgres "$VG_LOGDIR"
mv "$PGBIN/postgres" "$PGBIN/postgres.bin"
cat >"$PGBIN/postgres" <<WRAP
#!/bin/sh
# postgres under valgrind memcheck (test/valgrind/setup.sh)
exec valgrind --quiet --tool=memcheck --trace-children=yes --track-origins=yes \\
	--read-var-info=no --num-callers=40 --error-limit=no --leak-check=no \\
	--suppressions=$ROOT/test/valgrind/postgres.supp \\
	--log-file=$VG_LOGDIR/%p.log "$PGBIN/postgres.bin" "\$@"
WRAP
chmod 755 "$PGBIN/postgres"
cp "$ROOT/test/valgrind/postgres.supp" "$VG_LOGDIR/" 2>/dev/null || true
# memcheck shadows every byte of shared memory: keep it small; statements are ~30x slower.
cat >>"$DATA/postgresql.conf" <<CONF
shared_buffers = 64MB
max_parallel_workers_per_gather = 2
statement_timeout = 0
CONF
export SKPI_VALGRIND_LOGS=$VG_LOGDIR
START_TIMEOUT=600
