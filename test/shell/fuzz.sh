#!/bin/bash
# Fuzzing: builds every libFuzzer target listed in test/fuzz/targets (test/fuzz/<name>.c over the
# pure-C kernels src/*_core.c, with clang-14 -fsanitize=fuzzer,address,undefined), replays its
# seed corpus, then fuzzes it for SKPI_FUZZ_SECONDS (default 15) each. Any crash, sanitizer
# report, leak or timeout fails, printing the input (hex) and how to reproduce it.
# First, the target "selftest" (a planted out-of-bounds read) must be caught within the time:
# that proves the machinery finds bugs on this machine.
#
# Needs no server: runnable on its own as `bash test/shell/fuzz.sh` (SKPI_TMP and SKPI_ROOT
# default to a temporary directory and this tree). Longer: SKPI_FUZZ_SECONDS=600, or
# SKPI_FUZZ_LONG=1 (10 minutes a target); SKPI_FUZZ_TARGETS="factors" to pick targets.
set -euo pipefail

ROOT=${SKPI_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
if [ -n "${SKPI_TMP:-}" ]; then TMPBASE=$SKPI_TMP; OWN_TMP=; else TMPBASE=$(mktemp -d /tmp/skpi-fuzz.XXXXXX); OWN_TMP=$TMPBASE; fi
OUT=$TMPBASE/fuzz.$$
mkdir -p "$OUT"
SECS=${SKPI_FUZZ_SECONDS:-15}
[ "${SKPI_FUZZ_LONG:-0}" = 1 ] && SECS=${SKPI_FUZZ_SECONDS:-600}
CC=${SKPI_FUZZ_CC:-clang-14}
CFLAGS=(-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
	-fno-sanitize-recover=all -Wall -Wextra -Werror -Wno-unused-parameter -I"$ROOT/src")

fail() { printf 'fuzz: %s\n' "$*" >&2; exit 1; }
command -v "$CC" >/dev/null || fail "$CC not found (bash test/run.sh test installs clang-14 and libclang-rt-14-dev)"

# target name -> kernel sources, from test/fuzz/targets
declare -A SOURCES=()
names=()
while IFS= read -r line; do
	line=${line%%#*}
	[[ "$line" =~ ^[[:space:]]*$ ]] && continue
	name=${line%%:*}; name=${name//[[:space:]]/}
	SOURCES[$name]=${line#*:}
	names+=("$name")
done <"$ROOT/test/fuzz/targets"
if [ -n "${SKPI_FUZZ_TARGETS:-}" ]; then
	names=(selftest $SKPI_FUZZ_TARGETS)
fi

# "+pgcommon" in a target's sources: it also builds against PostgreSQL's frontend headers and
# links libpgcommon and libpgport (for an oracle such as the server's own JSON parser).
build() {
	local name=$1 srcs=() extra=() s
	for s in ${SOURCES[$name]:-}; do
		if [ "$s" = +pgcommon ]; then
			local pgc=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
			extra=(-isystem "$("$pgc" --includedir-server)" "$("$pgc" --pkglibdir)/libpgcommon.a" "$("$pgc" --pkglibdir)/libpgport.a")
		else
			srcs+=("$ROOT/$s")
		fi
	done
	[ -f "$ROOT/test/fuzz/$name.c" ] || fail "test/fuzz/$name.c is missing"
	"$CC" "${CFLAGS[@]}" -o "$OUT/$name" "$ROOT/test/fuzz/$name.c" "${srcs[@]}" "${extra[@]}" -lm 2>"$OUT/$name.build" ||
		{ cat "$OUT/$name.build" >&2; fail "cannot build target $name"; }
}

# Runs a target; returns libFuzzer's status. Seeds are read from the tree, new inputs go to OUT.
run() {
	local name=$1 secs=$2 args=()
	mkdir -p "$OUT/corpus-$name"
	[ -f "$ROOT/test/fuzz/$name.dict" ] && args+=("-dict=$ROOT/test/fuzz/$name.dict")
	local seeds=()
	[ -d "$ROOT/test/fuzz/corpus/$name" ] && seeds+=("$ROOT/test/fuzz/corpus/$name")
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$OUT/$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
		-print_final_stats=1 -artifact_prefix="$OUT/$name-" "${args[@]}" \
		"$OUT/corpus-$name" "${seeds[@]}" >"$OUT/$name.log" 2>&1
}

report_crash() {
	local name=$1 a
	{ grep -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|SUMMARY' "$OUT/$name.log" || true; } | head -5 >&2
	{ grep -A20 -E '^==[0-9]+== ?ERROR|runtime error' "$OUT/$name.log" || true; } | grep -E '^ +#[0-9]' | grep -vE 'libc|fuzzer::|_start|__sanitizer|signal' | head -8 >&2 || true
	for a in "$OUT/$name"-crash-* "$OUT/$name"-leak-* "$OUT/$name"-timeout-* "$OUT/$name"-oom-*; do
		[ -e "$a" ] || continue
		echo "input ($(wc -c <"$a") bytes, hex): $(head -c 256 "$a" | od -An -tx1 | tr -d ' \n')" >&2
		echo "reproduce: $CC ${CFLAGS[*]} -o /tmp/$name test/fuzz/$name.c${SOURCES[$name]/+pgcommon/(and the libpgcommon flags of build())} -lm && /tmp/$name <file with that input>" >&2
		mkdir -p "$TMPBASE/fuzz-artifacts" && cp "$a" "$TMPBASE/fuzz-artifacts/" 2>/dev/null || true
	done
}

# --- the machinery finds a planted bug -------------------------------------------------------
build selftest
if run selftest 15; then
	fail "selftest: the planted out-of-bounds read was not found in 15 s (libFuzzer or ASan is not working)"
fi
grep -q 'heap-buffer-overflow' "$OUT/selftest.log" || { tail -20 "$OUT/selftest.log" >&2; fail "selftest: no ASan report"; }
echo "fuzz: selftest: planted bug found ($(grep -oE 'Done [0-9]+ runs|#[0-9]+' "$OUT/selftest.log" | tail -1))"

# --- the kernels -----------------------------------------------------------------------------
failed=0 ran=0
for name in "${names[@]}"; do
	[ "$name" = selftest ] && continue
	build "$name"
	if run "$name" "$SECS"; then
		ran=$((ran + 1))
		echo "fuzz: $name: $(grep -oE 'stat::number_of_executed_units: [0-9]+' "$OUT/$name.log" | grep -oE '[0-9]+$') runs in ${SECS}s, corpus $(ls "$OUT/corpus-$name" | wc -l) inputs, $(grep -oE 'cov: [0-9]+' "$OUT/$name.log" | tail -1)"
	else
		echo "fuzz: $name FAILED" >&2
		report_crash "$name"
		failed=$((failed + 1))
	fi
done
[ $failed -eq 0 ] || fail "$failed target(s) failed"
[ $ran -gt 0 ] || echo "fuzz: no kernel targets listed yet in test/fuzz/targets"
rm -rf "$OUT"
[ -n "$OWN_TMP" ] && rm -rf "$OWN_TMP"
echo "fuzz: ok ($ran kernel target(s))"
