#!/usr/bin/env bash
# Run readout's fuzz harnesses, each for N inputs, and write a JSON summary of what they did.
#
#   fuzz/run.sh RUNS [HARNESS...]      # harnesses: parse extract html feed kb decode api (default all)
#
# Each harness runs under libFuzzer (atheris) with -runs=RUNS and -timeout=1: an input that
# takes more than one second is a hang and stops the run like a crash. The timer is wall-clock
# time, so on a loaded machine an ordinary input can overrun it: a timed-out input is replayed
# alone (up to 3 times); if it then finishes in time it is counted as a load stall, kept in
# artifacts/stalls/, and fuzzing resumes from the corpus for the inputs still to go. A crash,
# or a hang that replays as a hang, ends the harness.
#
# The work folder (FUZZ_WORK, default fuzz/work) keeps the growing corpus, the logs, crash
# inputs (artifacts/HARNESS-crash-*) and results/HARNESS.json; fuzz/summary.json gathers them.
# FUZZ_MAX_SECONDS caps each harness's time; the summary then tells how many inputs it reached.
# Run two at a time on a two-core machine, e.g.
#   nohup fuzz/run.sh 1000000 html parse kb > /tmp/fuzz-a.out 2>&1 &
#   nohup fuzz/run.sh 1000000 extract feed decode > /tmp/fuzz-b.out 2>&1 &
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
PY=${PYTHON:-$ROOT/.venv/bin/python}
WORK=${FUZZ_WORK:-$HERE/work}
MAX_LEN=${FUZZ_MAX_LEN:-4096}     # bytes; the seeds are cut to 2048, mutations may double them
RSS_MB=${FUZZ_RSS_MB:-2048}       # an input that takes more memory than this is a crash too
MAX_SECONDS=${FUZZ_MAX_SECONDS:-0} # stop each harness after this long, RUNS reached or not (0: no limit)
ALL=(parse extract html feed kb decode api)

[[ $# -ge 1 && $1 =~ ^[0-9]+$ ]] || { echo "usage: $0 RUNS [${ALL[*]}]" >&2; exit 2; }
RUNS=$1; shift
HARNESSES=("${@:-${ALL[@]}}")

mkdir -p "$WORK"/{logs,results,artifacts/stalls}
"$PY" "$HERE/make_seeds.py" "$WORK" || exit 1

# libFuzzer on one harness: fuzz_segment NAME RUNS SECONDS LOG
fuzz_segment() {
    (cd "$HERE" && "$PY" "fuzz_$1.py" -runs="$2" -timeout=1 -rss_limit_mb="$RSS_MB" \
        -max_len="$MAX_LEN" -dict="$WORK/$1.dict" -print_final_stats=1 -max_total_time="$3" \
        -artifact_prefix="$WORK/artifacts/$1-" "$WORK/corpus/$1" "$WORK/seeds/$1") > "$4" 2>&1
}

# 0 when a timed-out input finishes within the limit on one of three replays alone.
replays_in_time() {
    for _ in 1 2 3; do
        (cd "$HERE" && "$PY" "fuzz_$1.py" -timeout=1 -rss_limit_mb="$RSS_MB" "$2") >/dev/null 2>&1 && return 0
    done
    return 1
}

status=0
for name in "${HARNESSES[@]}"; do
    [[ -f $HERE/fuzz_$name.py ]] || { echo "no harness fuzz/fuzz_$name.py" >&2; exit 2; }
    mkdir -p "$WORK/corpus/$name"
    rm -f "$WORK"/logs/"$name".*.log
    started=$(date -u +%Y-%m-%dT%H:%M:%SZ); began=$SECONDS; left=$RUNS; segment=0
    echo "fuzzing $name for $RUNS inputs (logs: $WORK/logs/$name.N.log)"
    while :; do
        segment=$((segment + 1)); log=$WORK/logs/$name.$segment.log
        seconds=0
        if [[ $MAX_SECONDS -gt 0 ]]; then
            seconds=$((MAX_SECONDS - (SECONDS - began)))
            [[ $seconds -gt 0 ]] || break
        fi
        fuzz_segment "$name" "$left" "$seconds" "$log"; code=$?
        left=$((left - $("$PY" "$HERE/summarize.py" count "$log")))
        timeout_input=$(sed -n "s/.*Test unit written to \(.*-timeout-[0-9a-f]*\)$/\1/p" "$log" | tail -1)
        if [[ $code -ne 0 && -n $timeout_input ]] && grep -q "libFuzzer: timeout" "$log" \
                && replays_in_time "$name" "$timeout_input"; then
            mv "$timeout_input" "$WORK/artifacts/stalls/"
            echo "$name: input over 1 s under load, in time alone: a stall; resuming ($left to go)"
            [[ $left -gt 0 ]] && continue
        fi
        break
    done
    "$PY" "$HERE/summarize.py" result "$name" "$RUNS" "$code" "$started" "$WORK" || exit 1
    [[ $code -eq 0 ]] || status=1
done
"$PY" "$HERE/summarize.py" gather "$WORK" "${FUZZ_SUMMARY:-$HERE/summary.json}"
exit $status
