#!/usr/bin/env bash
# Run readout's fuzz harnesses, each for N inputs, and write a JSON summary of what they did.
#
#   fuzz/run.sh RUNS [HARNESS...]      # harnesses: parse extract html feed kb decode (default all)
#
# Each harness runs under libFuzzer (atheris) with -runs=RUNS and -timeout=1: an input that
# takes more than one second is a hang and stops the run like a crash. The work folder
# (FUZZ_WORK, default fuzz/work) keeps the growing corpus, the logs, crash inputs
# (artifacts/HARNESS-crash-*) and results/HARNESS.json; fuzz/summary.json gathers the results.
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
ALL=(parse extract html feed kb decode)

[[ $# -ge 1 && $1 =~ ^[0-9]+$ ]] || { echo "usage: $0 RUNS [${ALL[*]}]" >&2; exit 2; }
RUNS=$1; shift
HARNESSES=("${@:-${ALL[@]}}")

mkdir -p "$WORK"/{logs,results,artifacts}
"$PY" "$HERE/make_seeds.py" "$WORK" || exit 1

status=0
for name in "${HARNESSES[@]}"; do
    [[ -f $HERE/fuzz_$name.py ]] || { echo "no harness fuzz/fuzz_$name.py" >&2; exit 2; }
    mkdir -p "$WORK/corpus/$name"
    log=$WORK/logs/$name.log
    started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    echo "fuzzing $name for $RUNS inputs (log: $log)"
    (cd "$HERE" && "$PY" "fuzz_$name.py" -runs="$RUNS" -timeout=1 -rss_limit_mb="$RSS_MB" \
        -max_len="$MAX_LEN" -dict="$WORK/$name.dict" -print_final_stats=1 -max_total_time="$MAX_SECONDS" \
        -artifact_prefix="$WORK/artifacts/$name-" "$WORK/corpus/$name" "$WORK/seeds/$name") > "$log" 2>&1
    code=$?
    "$PY" "$HERE/summarize.py" result "$name" "$RUNS" "$code" "$started" "$log" "$WORK" || exit 1
    [[ $code -eq 0 ]] || status=1
done
"$PY" "$HERE/summarize.py" gather "$WORK" "$HERE/summary.json"
exit $status
