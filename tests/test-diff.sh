#!/bin/sh
# test-diff.sh - `kscope diff` over kscope-synth traces and bad input:
#   - a trace diffed with itself: every line "same", nothing significant,
#     in every format;
#   - two seeds: the per-second rates are the totals over each trace's
#     seconds, the calls totals equal `kscope query`'s per trace, the
#     ranked list is ordered by impact, and each section's table holds
#     the ranked list's lines of that section;
#   - a trace twice as long at the same rate (same seed, -n doubled at
#     the same --rate) is mostly not significant;
#   - a missing file, a file that is not a trace, a damaged chunk, a bad
#     --format, a missing operand: one line on stderr, non-zero exit.
. "$(dirname "$0")/cli-lib.sh"
SYNTH=${SYNTH:-tests/kscope-synth}
[ -x "$SYNTH" ] || { echo "SKIP: $SYNTH not built"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }

A=$TMP/a.kscope
B=$TMP/b.kscope
"$SYNTH" -o "$A" -n 20000 --seed 1 >/dev/null || { echo "FAIL: synth"; exit 1; }
"$SYNTH" -o "$B" -n 20000 --seed 2 >/dev/null || { echo "FAIL: synth"; exit 1; }

# ---- a trace against itself ----------------------------------------------
run diff "$A" "$A" -F json
expect_rc 0 && python3 - "$TMP/out" <<'PY' && ok "self: nothing changed" || fail "self"
import json, sys
d = json.load(open(sys.argv[1]))
r = d["ranked"]
assert len(r) > 50, len(r)
assert not [l for l in r if l["significant"] or l["z"] != 0], "significant"
assert not [l for l in r if l["status"] != "same"], "status"
assert not [l for l in r if l["impact_ns_per_s"] != 0], "impact"
PY
run diff "$A" "$A"
expect_rc 0 && expect_out_has "What changed, by impact" &&
	! grep -q " yes " "$TMP/out" && ok "self, text"
run diff "$A" "$A" --format csv
expect_rc 0 && expect_out_has "# ranked" && expect_out_has "# histograms" &&
	ok "self, csv"

# ---- two seeds ---------------------------------------------------------------
calls() {
	"$KSCOPE" query "$1" -F csv "SELECT name, count(*) AS n FROM
		syscalls GROUP BY name" | tail -n +2 | tr -d '\r'
}
opens() {
	"$KSCOPE" query "$1" -F csv "SELECT 'open ' || errno_name(ret) || ' '
		|| path AS k, count(*) AS n FROM syscalls WHERE name IN ('open', 'openat',
		'openat2', 'creat') AND ret BETWEEN -4095 AND -1 AND path != ''
		GROUP BY 1" | tail -n +2 | tr -d '\r'
}
calls "$A" >"$TMP/qa"
calls "$B" >"$TMP/qb"
opens "$A" >"$TMP/oa"
opens "$B" >"$TMP/ob"
run diff "$A" "$B" -F json
expect_rc 0 && python3 - "$TMP/out" "$TMP/qa" "$TMP/qb" "$TMP/oa" "$TMP/ob" <<'PY' && ok "two seeds: figures" || fail "two seeds"
import json, sys
d = json.load(open(sys.argv[1]))
q = [dict((n, int(c)) for n, c in (l.rsplit(",", 1) for l in open(f)))
     for f in sys.argv[2:4]]
o = [dict((n, int(c)) for n, c in (l.rsplit(",", 1) for l in open(f)))
     for f in sys.argv[4:6]]
errs = dict((l["key"], l) for l in d["errors"] if l["key"].startswith("open "))
assert errs and set(errs) == set(o[0]) | set(o[1]), "failed opens"
for k, l in errs.items():
    assert (l["before"], l["after"]) == (o[0].get(k, 0), o[1].get(k, 0)), k
r = d["ranked"]
secs = {t["role"]: t["seconds"] for t in d["traces"]}
for l in r:
    if l["metric"] == "latency":
        assert l["p50_before_ns"] <= l["p90_before_ns"] <= l["p99_before_ns"]
        continue
    for side, t in (("before", secs["before"]), ("after", secs["after"])):
        assert abs(l[side + "_per_s"] - l[side] / t) <= \
            1e-9 * abs(l[side] / t) + 1e-9, l
calls = dict((l["key"], l) for l in r
             if l["section"] == "syscalls" and l["metric"] == "calls")
for name in set(q[0]) | set(q[1]):
    assert calls[name]["before"] == q[0].get(name, 0), name
    assert calls[name]["after"] == q[1].get(name, 0), name
imp = [l["impact_ns_per_s"] for l in r]
assert imp == sorted(imp, reverse=True)
assert [l["rank"] for l in r] == list(range(1, len(r) + 1))
for sec in ("syscalls", "errors", "processes", "cpu", "offcpu", "runqlat",
            "connections"):
    assert d[sec] == [l for l in r if l["section"] == sec], sec
assert d["syscalls"] and d["offcpu"] and d["errors"]
assert d["histograms"]
PY

# ---- the same load, twice as long ----------------------------------------
L=$TMP/long.kscope
"$SYNTH" -o "$L" -n 40000 --seed 1 >/dev/null || { echo "FAIL: synth"; exit 1; }
run diff "$A" "$L" -F json
expect_rc 0 && python3 - "$TMP/out" <<'PY' && ok "same load, longer: rates hold" || fail "longer"
import json, sys
d = json.load(open(sys.argv[1]))
r = d["ranked"]
sig = sum(l["significant"] for l in r)
assert 5 * sig < len(r), (sig, len(r))
PY

# ---- bad input ---------------------------------------------------------------
printf 'not a trace\n' >"$TMP/junk"
run diff "$A" "$TMP/none.kscope"
expect_one_error 1 "cannot open '$TMP/none.kscope'*" && ok
run diff "$TMP/junk" "$A"
expect_one_error 1 "cannot open '$TMP/junk': not a kscope trace*" && ok
run diff "$A" "$B" --format xml
expect_one_error 2 "diff: unknown format 'xml' (text, json or csv)" && ok
run diff "$A"
expect_one_error 2 "diff: two trace files needed: BEFORE AFTER" && ok
run diff "$A" "$B" "$A"
expect_one_error 2 "diff: two trace files: BEFORE AFTER*" && ok
cp "$B" "$TMP/flip.kscope"
flip_chunk "$TMP/flip.kscope"
run diff "$A" "$TMP/flip.kscope"
expect_one_error 1 "diff: $TMP/flip.kscope: chunk *" && ok
run diff --help
expect_rc 0 && expect_out_has "usage: kscope diff BEFORE AFTER" && ok

[ "$fails" -eq 0 ] || { echo "$fails failed"; exit 1; }
