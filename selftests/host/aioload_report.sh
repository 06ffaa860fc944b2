#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# aioload's reports: the JSON schema, the time series (JSON and CSV), the
# fairness figures, the progress line, interim status, I/O errors and what
# a stop by Ctrl-C or SIGTERM prints.
. tools/aioload/tests/lib.sh

F=$T_DIR/data
J=$T_DIR/out.json
dd if=/dev/urandom of="$F" bs=1M count=8 status=none

# --- JSON schema ---
"$AIOLOAD" --output-format=json --filename="$F" --rw=randread --runtime=2 \
	--time_based --log_avg_msec=500 --series_csv="$T_DIR/s.csv" \
	--name=a --weight=1 --name=b --weight=2 --ioengine=libaio \
	--iodepth=4 >"$J" 2>"$T_DIR/err"
rc=$?
ok "$([ $rc -eq 0 ] && jq -e . "$J" >/dev/null; echo $?)" "JSON report parses (exit $rc)"
ok "$([ ! -s "$T_DIR/err" ]; echo $?)" "no progress line when stderr is not a terminal"
missing=$(jq -r '
	def need(o; ks): ks - (o | keys) | .[];
	need(.; ["aioload_version","schema","final","elapsed_ms","signal","log_avg_msec","jobs","fairness"]),
	(.jobs[] | need(.; ["name","jobnum","pid","tid","filename","ioengine","rw","bs","iodepth","direct","offset","size","prioclass","prio","cgroup","weight","runtime_ms","read","write","share","expected_share","share_error","errors","first_error","verify","series","exit_code"])),
	(.jobs[].read | need(.; ["ios","bytes","errors","iops","bw_bytes","clat_ns"])),
	(.jobs[].read.clat_ns | need(.; ["count","min","max","mean","stddev","percentiles"])),
	(.jobs[].read.clat_ns.percentiles | need(.; ["50","90","99","99.9"])),
	(.jobs[].series[] | need(.; ["t_ms","dt_ms","read_ios","write_ios","read_bytes","write_bytes","iops","bw_bytes","clat_mean_ns","clat_p50_ns","clat_p99_ns","clat_max_ns"])),
	(.fairness | need(.; ["jobs","jain_index","basis","weighted","max_share_error"]))' "$J" | sort -u | tr '\n' ' ')
ok "$([ -z "$missing" ]; echo $?)" "JSON has every documented key${missing:+ (missing: $missing)}"
ok "$(jq -e '.schema == 1 and .final == true and (.jobs | length) == 2' "$J" >/dev/null; echo $?)" \
	"schema 1, final report, two jobs"
ok "$(jq -e '.jobs[] | .read.clat_ns | .min <= .percentiles["50"] and .percentiles["50"] <= .percentiles["90"] and .percentiles["90"] <= .percentiles["99"] and .percentiles["99"] <= .percentiles["99.9"] and .percentiles["99.9"] <= .max' "$J" >/dev/null; echo $?)" \
	"percentiles are ordered between min and max"
ok "$(jq -e '[.jobs[].share] | add | . > 0.999 and . < 1.001' "$J" >/dev/null; echo $?)" \
	"shares add up to 1"
ok "$(jq -e '(.jobs[0].expected_share - 1/3 | fabs) < 1e-6 and (.jobs[1].expected_share - 2/3 | fabs) < 1e-6 and .fairness.weighted' "$J" >/dev/null; echo $?)" \
	"expected shares follow --weight (1/3, 2/3)"
ok "$(jq -e '.fairness.jain_index > 0 and .fairness.jain_index <= 1 and .fairness.basis == "bw_per_weight" and (.fairness.max_share_error - ([.jobs[].share_error | fabs] | max) | fabs) < 1e-9' "$J" >/dev/null; echo $?)" \
	"Jain index in (0, 1], max share error is the largest job's"

# --- time series ---
n=$(jq '.jobs[0].series | length' "$J")
ok "$([ "$n" -ge 4 ] && [ "$n" -le 6 ]; echo $?)" "2s at 500ms intervals: $n samples"
ok "$(jq -e '.jobs[] | ([.series[].read_ios] | add) == .read.ios' "$J" >/dev/null; echo $?)" \
	"the series adds up to the totals"
ok "$(jq -e '[.jobs[0].series[] | .t_ms] | . == sort' "$J" >/dev/null; echo $?)" \
	"series times increase"
head -1 "$T_DIR/s.csv" | grep -q '^t_ms,dt_ms,jobnum,name,read_ios,write_ios,read_bytes,write_bytes,iops,bw_bytes,clat_mean_ns,clat_p50_ns,clat_p99_ns,clat_max_ns$'
ok $? "--series_csv header"
rows=$(($(wc -l <"$T_DIR/s.csv") - 1))
want=$(jq '[.jobs[].series | length] | add' "$J")
ok "$([ "$rows" -eq "$want" ]; echo $?)" "--series_csv has one row per job and interval ($rows)"
csv_ios=$(awk -F, 'NR > 1 && $3 == 1 { s += $5 } END { print s }' "$T_DIR/s.csv")
ok "$([ "$csv_ios" = "$(jq '.jobs[1].read.ios' "$J")" ]; echo $?)" \
	"CSV rows add up to the totals"

# --- normal report ---
"$AIOLOAD" --filename="$F" --rw=randrw --runtime=300ms --time_based \
	--name=a --name=b --weight=3 >"$T_DIR/out" 2>&1
for re in '^a: \(jobnum=0, pid=[0-9]+\): ioengine=psync rw=randrw bs=4KiB iodepth=1' \
	'^  read: IOPS=[0-9.]+k?, BW=' '^  write: IOPS=' \
	'^    clat: min=.*, avg=.*, stdev=.*, max=' \
	'^    clat percentiles: p50=.* p90=.* p99=.* p99.9=' \
	'^  share: [0-9.]+% of bytes \(weight 3, expected 75.00%, error [-+]' \
	'^fairness: 2 jobs, Jain index [01]\.[0-9]+ \(bandwidth per unit of weight\), max share error'; do
	grep -Eq "$re" "$T_DIR/out"
	ok $? "normal report: /$re/"
done
"$AIOLOAD" --filename="$F" --rw=read --size=1M --percentile_list=10:99.99 \
	>"$T_DIR/out" 2>&1
grep -Eq 'clat percentiles: p10=.* p99.99=' "$T_DIR/out"
ok $? "--percentile_list chooses the percentiles"
"$AIOLOAD" --filename="$F" --rw=read --size=1M --output="$T_DIR/rep" \
	>"$T_DIR/out" 2>&1
ok "$([ ! -s "$T_DIR/out" ] && grep -q '^  read: IOPS' "$T_DIR/rep"; echo $?)" \
	"--output writes the report to a file"

# --- JSON written to --output, read by python3: strict, in order ---
"$AIOLOAD" --output-format=json --output="$T_DIR/o.json" --filename="$F" \
	--size=1m --rw=randwrite --verify=crc32c --prioclass=be --prio=3 \
	--log_avg_msec=100 --name=$'q"u\\o\tt\001e' --name=b --offset=1m \
	--weight=3 >/dev/null 2>&1
python3 - "$T_DIR/o.json" <<'PY'
import json, sys

def pairs(kv):
    keys = [k for k, _ in kv]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate key in %s" % keys)
    return dict(kv)

r = json.load(open(sys.argv[1]), object_pairs_hook=pairs)
top = ["aioload_version", "schema", "final", "elapsed_ms", "signal",
       "log_avg_msec", "jobs", "fairness"]
job = ["name", "jobnum", "pid", "tid", "filename", "ioengine", "rw", "bs",
       "iodepth", "direct", "offset", "size", "prioclass", "prio", "cgroup",
       "weight", "runtime_ms", "read", "write", "share", "expected_share",
       "share_error", "errors", "first_error", "verify", "completion",
       "nowait", "signal", "epoll", "cpu", "series", "exit_code"]
assert list(r) == top, list(r)
assert [list(j) for j in r["jobs"]] == [job, job], [list(j) for j in r["jobs"]]
assert r["jobs"][0]["name"] == 'q"u\\o\tt\x01e', r["jobs"][0]["name"]
assert r["jobs"][1]["weight"] == 3 and r["jobs"][0]["weight"] is None
assert r["jobs"][0]["prioclass"] == "be" and r["jobs"][0]["prio"] == 3
v = r["jobs"][0]["verify"]
assert list(v) == ["blocks", "errors", "failures"] and v["failures"] == []
assert list(r["fairness"]) == ["jobs", "jain_index", "basis", "weighted",
                               "max_share_error"]
PY
ok $? "--output JSON: python3 reads it, no key twice, keys in the documented order, names escaped"

# --- interim status ---
"$AIOLOAD" --filename="$F" --rw=randread --runtime=2200ms --time_based \
	--status-interval=1 >"$T_DIR/out" 2>&1
n=$(grep -c '^-- status at' "$T_DIR/out")
ok "$([ "$n" -eq 2 ]; echo $?)" "--status-interval=1 over 2.2s: $n interim reports"
"$AIOLOAD" --filename="$F" --rw=randread --runtime=1200ms --time_based \
	--status-interval=500ms --output-format=json >"$J" 2>/dev/null
ok "$(jq -s -e 'length >= 3 and (.[:-1] | all(.final == false)) and .[-1].final == true' "$J" >/dev/null; echo $?)" \
	"JSON status: a stream of reports, the last one final"

# --- the progress line on a terminal ---
script -qec "$AIOLOAD --filename=$F --rw=randread --runtime=1500ms --time_based --output=$T_DIR/rep" \
	/dev/null >"$T_DIR/tty" 2>&1
grep -q $'\r\\[[0-9]s/2s\\] jobs: 1/1  r: [0-9.]*k\\? IOPS' "$T_DIR/tty"
ok $? "a progress line on stderr when it is a terminal"
"$AIOLOAD" --filename="$F" --rw=randread --runtime=1500ms --time_based \
	--eta=always >/dev/null 2>"$T_DIR/err"
grep -q 'jobs: 1/1' "$T_DIR/err"
ok $? "--eta=always shows progress off a terminal"

# --- I/O errors: the file size limit makes writes past 512KiB fail ---
rm -f "$F.e"
truncate -s 1M "$F.e"
(trap '' XFSZ; ulimit -f 512
 exec "$AIOLOAD" --filename="$F.e" --rw=write --bs=4k --output-format=json \
	--continue_on_error) >"$J" 2>"$T_DIR/err"
rc=$?
ok "$([ $rc -eq 1 ] && jq -e '.jobs[0] | .errors == 128 and .write.errors == 128 and .write.ios == 128 and .first_error.offset == 524288 and .first_error.errno == 27' "$J" >/dev/null; echo $?)" \
	"I/O errors are counted and reported, exit 1 (exit $rc)"
ok "$([ "$(grep -c 'write error at offset' "$T_DIR/err")" -eq 5 ] &&
      grep -q 'more I/O errors, not shown' "$T_DIR/err"; echo $?)" \
	"the first I/O errors are told on stderr"
(trap '' XFSZ; ulimit -f 512
 exec "$AIOLOAD" --filename="$F.e" --rw=write --bs=4k --ioengine=libaio \
	--iodepth=4) >"$T_DIR/out" 2>"$T_DIR/err"
rc=$?
ok "$([ $rc -eq 1 ] && grep -q '^  errors: [1-4] (first: write at offset 524288: File too large)' "$T_DIR/out"; echo $?)" \
	"without --continue_on_error the job stops at its first error (exit $rc)"

# --- Ctrl-C and SIGTERM stop the jobs and print what was measured ---
for mode in "" --thread; do
	for sig in INT TERM; do
		"$AIOLOAD" $mode --output-format=json --filename="$F" \
			--rw=randread --runtime=60 --time_based --name=a \
			--name=b --ioengine=io_uring --iodepth=4 >"$J" 2>/dev/null &
		pid=$!
		sleep 1
		kill -$sig $pid
		wait $pid
		rc=$?
		[ $sig = INT ] && want=130 || want=143
		ok "$([ $rc -eq $want ] && jq -e ".signal > 0 and (.jobs | all(.read.ios > 0 and .runtime_ms < 5000))" "$J" >/dev/null; echo $?)" \
			"SIG$sig ${mode:-(processes)}: report of what was done, exit $rc"
	done
done
# What a stop cancels is neither done nor an error: posixaio 256 deep with
# direct reads (each waits for the disk; /var/tmp) keeps about 192 requests
# that glibc has not started (aioload gives it 64 threads at most) for
# aio_cancel to end with ECANCELED (the old code failed 6 runs of 6 here)
"$AIOLOAD" --output-format=json --filename="$F" --rw=randread --runtime=60 \
	--time_based --name=a --ioengine=posixaio --direct=1 --iodepth=256 \
	>"$J" 2>"$T_DIR/err" &
pid=$!
sleep 1
kill -INT $pid
wait $pid
rc=$?
ok "$([ $rc -eq 130 ] && [ ! -s "$T_DIR/err" ] &&
      jq -e '.jobs[0].errors == 0 and .jobs[0].read.errors == 0 and .jobs[0].read.ios > 0' "$J" >/dev/null; echo $?)" \
	"SIGINT, posixaio 256 deep: no error for the cancelled reads (exit $rc, $(head -c 100 "$T_DIR/err"))"
# Ctrl-C on a terminal reaches the whole process group
"$AIOLOAD" --filename="$F" --rw=randread --runtime=60 --time_based --name=a \
	--numjobs=2 --ioengine=posixaio --iodepth=4 >"$T_DIR/out" 2>&1 &
pid=$!
sleep 1
kill -INT $pid $(pgrep -P $pid)
wait $pid
rc=$?
ok "$([ $rc -eq 130 ] && grep -q '^stopped by signal 2 after' "$T_DIR/out" &&
      [ "$(grep -c '^  read: IOPS' "$T_DIR/out")" -eq 2 ]; echo $?)" \
	"SIGINT to every process: both jobs reported (exit $rc)"

done_testing
