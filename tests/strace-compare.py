#!/usr/bin/env python3
"""strace-compare.py - compare a kscope trace with strace's log of the same run.

    kscope record -o T -- strace -f -q -o LOG -- CMD ARGS...
    strace-compare.py [--fd-strict] [--filtered] KSCOPE T LOG
    strace-compare.py --slower-than NS [--no-errors] KSCOPE T LOG   # strace -T
    strace-compare.py --errors-only [--slower-than NS] KSCOPE T LOG

strace is the root of the recorded tree.  The workload is the child that
strace forked and that exec'd CMD (found in proc_events: a fork by strace
followed by an exec of that child), plus that child's descendants (fork
rows, threads included).  The comparisons, each printed with both figures:

  threads     the set of workload thread ids
  calls       per-thread, per-name syscall counts
  returns     return values call by call, per thread in order of entry
  bytes       sums of positive returns of the read and write families
  openat      (tid, path, ret) of every open/openat/openat2, as a multiset
  addresses   (tid, name, address) of connect/bind/accept(4)/sendto/recvfrom
              where strace printed an IPv4, IPv6 or unix address
  exec        (pid, filename) of every successful execve
  forks       the child ids returned by clone/clone3/fork/vfork
  exits       exit status or killing signal of every process (strace's
              "+++ exited with N +++" / "+++ killed by SIG +++" lines)
  fd names    when strace ran with -yy: per call with an fd, kscope's
              fd_name against strace's <...> annotation of that fd (the
              first argument's, or the returned fd's) in kscope's notation
              (tcp A:p->B:q, unix:/path, pipe:[INODE], paths); an fd
              kscope names NULL, or names less precisely than strace (a
              socket's protocol alone; unix: without the path), is
              counted apart and fails with --fd-strict

With --filtered, kscope recorded with --syscalls and strace ran with the
matching -e trace=: the calls of CMD's process before its exec are those
that returned before its exec row (execve itself may not be recorded);
forks and execs compare the calls only (fork and exec rows are there
whatever calls were recorded), exits those of the processes with a call
recorded (the ones strace prints an exit line for).  --slower-than,
--errors-only and --no-errors (implying --filtered) keep of strace's
calls those kscope's options of the same names keep: by the time strace
-T printed, and failure (a return of -4095..-1); a call that never
returned has no time and is not kept.

Differences that are legitimate and handled explicitly:
  * strace's own processes (strace itself: ptrace, wait4, its feature
    probes' forks) are not the workload: only the workload pids count.
  * the workload's root runs strace's code between fork and exec
    (PTRACE_TRACEME, kill(SIGSTOP), ...); strace prints nothing before
    the execve, so the root's calls before its successful execve entry
    are dropped (a failed execve of a PATH search would be printed by
    strace and is kept).
  * a call that does not return (exit, exit_group, a thread killed inside
    a call) is "= ?" in strace and flagged unfinished (flags & 1) in
    kscope: its name is compared, not its return value.
  * strace splits a call interrupted by another thread's output into
    "<unfinished ...>" and "<... resumed>" lines: joined into one call.
  * a call interrupted by a signal returns the kernel's restart code
    (ERESTARTSYS 512 ... ERESTART_RESTARTBLOCK 516) at the tracepoint;
    strace prints it as "= ? ERESTARTSYS": read as -512 etc.

Exit status: 0 when every comparison matched, else 1.
"""

import csv
import errno
import io
import re
import signal
import subprocess
import sys
from collections import Counter, defaultdict

RESTART = {"ERESTARTSYS": 512, "ERESTARTNOINTR": 513, "ERESTARTNOHAND": 514,
           "ENOIOCTLCMD": 515, "ERESTART_RESTARTBLOCK": 516}
READS = {"read", "pread64", "readv", "preadv", "preadv2", "recvfrom",
         "recvmsg"}
WRITES = {"write", "pwrite64", "writev", "pwritev", "pwritev2", "sendto",
          "sendmsg"}
OPENS = {"open", "openat", "openat2"}
FORKS = {"clone", "clone3", "fork", "vfork"}
ADDRS = {"connect", "bind", "accept", "accept4", "sendto", "recvfrom"}
INET_RE = re.compile(r'\{sa_family=AF_INET, sin_port=htons\((\d+)\), '
                     r'sin_addr=inet_addr\("([0-9.]+)"\)\}')
INET6_RE = re.compile(r'\{sa_family=AF_INET6, sin6_port=htons\((\d+)\), '
                      r'sin6_flowinfo=htonl\(\d+\), '
                      r'inet_pton\(AF_INET6, "([0-9a-f:.]+)", &sin6_addr\)')
UNIX_RE = re.compile(r'\{sa_family=AF_UNIX, sun_path=(@?)"')

RET_RE = re.compile(r"(-?\d+|0x[0-9a-f]+|\?)(?: ([A-Z][A-Z0-9_]*))?"
                    r"(?: \(.*\))?")
LINE_RE = re.compile(r"(\d+) +(.*)")
CALL_RE = re.compile(r"([a-z_][a-z0-9_]*)\((.*)")
RESUMED_RE = re.compile(r"<\.\.\. ([a-z_][a-z0-9_]*) resumed>(.*)")


def s64(v):
	v &= (1 << 64) - 1
	return v - (1 << 64) if v >> 63 else v


def parse_ret(tail):
	"""The return value at the end of a complete line: (known, value).

	The rightmost " = " whose remainder is a return value is the one:
	decorations such as "(flags O_RDONLY)" or "([{fd=3, ...}])" hold no
	" = ", while earlier ones may sit inside printed strings."""
	pos = len(tail)
	while True:
		pos = tail.rfind(" = ", 0, pos)
		if pos < 0:
			raise ValueError("no return value in: " + tail)
		m = RET_RE.fullmatch(tail[pos + 3:])
		if m:
			break
	val, err = m.group(1), m.group(2)
	if val == "?":
		if err in RESTART:
			return True, -RESTART[err]
		return False, None
	if err and val == "-1":
		if err in RESTART:
			return True, -RESTART[err]
		return True, -getattr(errno, err)
	if val.startswith("0x"):
		return True, s64(int(val, 16))
	if len(val) > 1 and val.startswith("0"):
		return True, int(val, 8)  # umask prints its result in octal
	return True, int(val)


def c_string(s, i):
	"""Decode the C string literal starting at s[i] == '"': (text, end)."""
	assert s[i] == '"'
	out = bytearray()
	i += 1
	simple = {"n": 10, "t": 9, "r": 13, "v": 11, "f": 12, "a": 7, "b": 8,
	          '"': 34, "\\": 92, "'": 39}
	while s[i] != '"':
		c = s[i]
		if c != "\\":
			out += c.encode()
			i += 1
			continue
		e = s[i + 1]
		if e in simple:
			out.append(simple[e])
			i += 2
		elif e == "x":
			out.append(int(s[i + 2:i + 4], 16))
			i += 4
		else:
			j = i + 1
			while j < i + 4 and s[j] in "01234567":
				j += 1
			out.append(int(s[i + 1:j], 8))
			i = j
	return out.decode("utf-8", "surrogateescape"), i + 1


def path_arg(name, args):
	"""The path strace printed for an open call (first string argument)."""
	q = args.find('"')
	if q < 0:
		return None
	return c_string(args, q)[0]


def sock_addr(args):
	"""The socket address strace printed, in kscope's notation
	(1.2.3.4:80, [::1]:80, unix:/path, unix:@name); None when there is
	none (NULL, or a family the comparison does not cover)."""
	m = INET_RE.search(args)
	if m:
		return "%s:%s" % (m.group(2), m.group(1))
	m = INET6_RE.search(args)
	if m:
		return "[%s]:%s" % (m.group(2), m.group(1))
	m = UNIX_RE.search(args)
	if m:
		return "unix:" + m.group(1) + c_string(args, m.end() - 1)[0]
	if "{sa_family=AF_UNIX}" in args:
		return "unix:"  # an unnamed peer (accept)
	return None


class Call:
	__slots__ = ("name", "known", "ret", "path", "addr", "fd", "fdn_arg",
	             "fdn_ret", "end", "dur")

	def __init__(self, name):
		self.name = name
		self.known = False
		self.ret = None
		self.path = None
		self.addr = None
		self.fd = None       # kscope: the fd column
		self.fdn_arg = None  # strace -y: the first argument's <...>
		self.fdn_ret = None  # kscope: fd_name; strace: the result's <...>
		self.end = None      # kscope: ts + dur
		self.dur = None      # strace -T: the time, ns


FDN_RE = re.compile(r"(-?\d+)<")


def annotation(s, i):
	"""The text of the <...> opening at s[i] == '<': (text, end).  A '>'
	inside [...] (TCP:[a->b]) or a nested <char 1:3> does not close it."""
	depth, square, j = 0, 0, i
	while j < len(s):
		c = s[j]
		if c == "[":
			square += 1
		elif c == "]":
			square -= 1
		elif c == "<" and not square:
			depth += 1
		elif c == ">" and not square:
			depth -= 1
			if depth == 0:
				return s[i + 1:j], j + 1
		j += 1
	return None, len(s)


def split_annotations(args):
	"""(first argument's annotation, the result's, ARGS with the result's
	annotation removed) for a line strace -y printed."""
	first = None
	m = FDN_RE.match(args)
	if m:
		first = annotation(args, m.end() - 1)[0]
	ret = None
	pos = args.rfind(" = ")
	if pos >= 0:
		m = FDN_RE.match(args, pos + 3)
		if m:
			text, end = annotation(args, m.end() - 1)
			if text is not None:
				ret = text
				args = args[:m.end() - 1] + args[end:]
	return first, ret, args


def strace_fd_name(a):
	"""strace -yy's annotation in kscope's fd_name notation."""
	a = re.sub(r"<(char|block) [0-9]+:[0-9]+>$", "", a)
	m = re.fullmatch(r"(TCP|UDP)(?:v6)?:\[(.*)\]", a)
	if m:
		if re.fullmatch(r"\d+", m.group(2)):
			return m.group(1).lower()
		return m.group(1).lower() + " " + m.group(2)
	m = re.fullmatch(r"UNIX(?:-[A-Z]+)?:\[(.*)\]", a)
	if m:
		p = re.search(r',"(.*)"$', m.group(1))
		return "unix:" + (p.group(1) if p else "")
	return a


def parse_strace(log):
	calls = defaultdict(list)  # tid -> [Call] in order of entry
	pending = {}               # tid -> Call waiting for "resumed"
	exits = {}                 # tid -> ("exit", N) / ("signal", SIGNAME)
	for raw in open(log, encoding="utf-8", errors="surrogateescape"):
		m = LINE_RE.fullmatch(raw.rstrip("\n"))
		if not m:
			continue
		tid, rest = int(m.group(1)), m.group(2)
		t = re.search(r" <(\d+\.\d+)>$", rest)  # strace -T
		dur = int(round(float(t.group(1)) * 1e9)) if t else None
		if t:
			rest = rest[:t.start()]
		if rest.startswith("--- "):
			continue  # signal delivery, not a call
		if rest.startswith("+++ "):
			e = re.match(r"\+\+\+ exited with (\d+) \+\+\+", rest)
			k = re.match(r"\+\+\+ killed by (SIG[A-Z0-9]+)", rest)
			if e:
				exits[tid] = ("exit", int(e.group(1)))
			elif k:
				exits[tid] = ("signal", k.group(1))
			continue
		r = RESUMED_RE.fullmatch(rest)
		if r:
			c = pending.pop(tid)
			assert c.name == r.group(1), raw
			_, c.fdn_ret, tail = split_annotations(r.group(2))
			c.known, c.ret = parse_ret(tail)
			c.dur = dur
			if c.name in ADDRS and c.addr is None:
				c.addr = sock_addr(r.group(2))
			continue
		c = CALL_RE.fullmatch(rest)
		if not c:
			continue
		call = Call(c.group(1))
		call.dur = dur
		call.fdn_arg, call.fdn_ret, args = split_annotations(c.group(2))
		calls[tid].append(call)
		if call.name in OPENS:
			call.path = path_arg(call.name, args)
		if call.name == "execve":
			call.path = path_arg(call.name, args)
		if call.name in ADDRS:
			call.addr = sock_addr(args)
		if args.endswith(" <unfinished ...>"):
			pending[tid] = call
		else:
			call.known, call.ret = parse_ret(args)
	return calls, exits


def query(kscope, trace, sql):
	out = subprocess.run([kscope, "query", trace, sql, "--format", "csv"],
	                     check=True, capture_output=True, text=True,
	                     errors="surrogateescape").stdout
	rows = list(csv.reader(io.StringIO(out)))
	return rows[1:]


def workload(kscope, trace):
	"""(strace pid, root pid, set of workload pids) from proc_events."""
	ev = query(kscope, trace, "SELECT kind, pid, child_pid, filename FROM "
	           "proc_events WHERE kind IN ('fork','exec') ORDER BY ts")
	strace = next(int(p) for k, p, c, f in ev
	              if k == "exec" and f.endswith("/strace"))
	children = {int(c) for k, p, c, f in ev
	            if k == "fork" and int(p) == strace}
	root = next(int(p) for k, p, c, f in ev
	            if k == "exec" and int(p) in children)
	pids = {root}
	for k, p, c, f in ev:
		if k == "fork" and int(p) in pids:
			pids.add(int(c))
	return strace, root, pids


def kscope_calls(kscope, trace, pids):
	inset = ",".join(str(p) for p in sorted(pids))
	rows = query(kscope, trace, "SELECT pid, tid, name, ret, flags, path, "
	             "addr, fd, quote(fd_name), ts + dur FROM syscalls WHERE "
	             "pid IN (%s) ORDER BY tid, ts" % inset)
	calls = defaultdict(list)
	for pid, tid, name, ret, flags, path, addr, fd, fdn, end in rows:
		c = Call(name)
		c.end = int(end)
		c.fd = int(fd)
		# quote(): NULL, or the text in single quotes
		c.fdn_ret = None if fdn == "NULL" else fdn[1:-1].replace("''", "'")
		c.known = not int(flags) & 1
		c.ret = int(ret) if c.known else None
		c.path = path if path != "" or name in OPENS | {"execve"} else None
		c.addr = addr or None
		calls[int(tid)].append(c)
	return calls, {int(t) for p, t, *_ in rows if int(p) == int(t)}


def filter_calls(calls, slower, errors):
	"""The calls kscope record --slower-than SLOWER (ns) with ERRORS
	(None, "--errors-only", "--no-errors") keeps (bpf/filter.h)."""
	def keep(c):
		if c.dur is None:
			return False
		failed = c.known and -4095 <= c.ret < 0
		if errors == "--errors-only":
			return failed and c.dur >= slower
		return c.dur >= slower or (failed and errors != "--no-errors")
	out = defaultdict(list)
	for t in calls:
		out[t] = [c for c in calls[t] if keep(c)]
	return out


def main(argv):
	argv = list(argv)
	slower = errors = None
	if "--slower-than" in argv:
		i = argv.index("--slower-than")
		slower = int(argv.pop(i + 1))
		argv.pop(i)
	for e in ("--errors-only", "--no-errors"):
		if e in argv:
			errors = e
	strict = "--fd-strict" in argv
	filtered = "--filtered" in argv or slower is not None or errors
	kscope, trace, log = [a for a in argv if a not in (
	    "--fd-strict", "--filtered", "--errors-only", "--no-errors")]
	strace, root, pids = workload(kscope, trace)
	kc, procs = kscope_calls(kscope, trace, pids)
	sc, sexits = parse_strace(log)
	if slower is not None or errors:
		sc = filter_calls(sc, slower or 0, errors)
	# strace's code in the root before the exec of CMD.
	if filtered:
		(exec_ts,), = query(kscope, trace, "SELECT min(ts) FROM "
		                    "proc_events WHERE kind='exec' AND pid=%d" % root)
		first = sum(1 for c in kc[root] if c.known and c.end < int(exec_ts))
		sfirst = 0
	else:
		first = next(i for i, c in enumerate(kc[root])
		             if c.name == "execve" and c.ret == 0)
		sfirst = next(i for i, c in enumerate(sc[root])
		              if c.name == "execve" and c.ret == 0)
	dropped = kc[root][:first - sfirst]
	kc[root] = kc[root][first - sfirst:]
	(others,), = query(kscope, trace, "SELECT count(*) FROM syscalls WHERE "
	                   "pid NOT IN (%s)" % ",".join(map(str, pids)))
	print("workload: strace pid %d, CMD pid %d, %d tasks; left out: %s calls "
	      "of strace and its probes, %d calls of CMD's process before its "
	      "exec (%s)" % (strace, root, len(pids), others, len(dropped),
	                     " ".join(c.name for c in dropped)))

	failed = 0

	def report(name, ok, text, details=()):
		nonlocal failed
		if ok:
			print("ok   %s: %s" % (name, text))
			return
		print("FAIL %s: %s" % (name, text))
		failed += 1
		for d in list(details)[:15]:
			print("       " + d)

	if filtered:  # threads without a call kept are not compared
		for calls in kc, sc:
			for t in [t for t in calls if not calls[t]]:
				del calls[t]
	ktids, stids = set(kc), set(sc)
	report("threads", ktids == stids, "kscope %d = strace %d" %
	       (len(ktids), len(stids)),
	       ["only in kscope: %s" % sorted(ktids - stids),
	        "only in strace: %s" % sorted(stids - ktids)])

	kn = Counter((t, c.name) for t in kc for c in kc[t])
	sn = Counter((t, c.name) for t in sc for c in sc[t])
	diff = sorted(k for k in kn.keys() | sn.keys() if kn[k] != sn[k])
	report("calls", not diff, "kscope %d = strace %d (%d (thread, name) "
	       "pairs, %d differ)" % (sum(kn.values()), sum(sn.values()),
	                               len(kn.keys() | sn.keys()), len(diff)),
	       ["tid %d %s: kscope %d, strace %d" % (t, n, kn[t, n], sn[t, n])
	        for t, n in diff])

	compared = equal = namesonly = 0
	bad = []
	for t in sorted(ktids & stids):
		for i, (k, s) in enumerate(zip(kc[t], sc[t])):
			if k.name != s.name:
				bad.append("tid %d call %d: kscope %s, strace %s "
				           "(sequences diverge here)" %
				           (t, i, k.name, s.name))
				break
			if not (k.known and s.known):
				namesonly += 1
				continue
			compared += 1
			if k.ret == s.ret:
				equal += 1
			else:
				bad.append("tid %d call %d %s: kscope %d, strace %d" %
				           (t, i, k.name, k.ret, s.ret))
	report("returns", not bad, "%d of %d equal, call by call (%d calls that "
	       "never returned compared by name only)" %
	       (equal, compared, namesonly), bad)

	def bytes_sum(calls, names):
		return sum(c.ret for t in calls for c in calls[t]
		           if c.name in names and c.known and c.ret > 0)
	kr, sr = bytes_sum(kc, READS), bytes_sum(sc, READS)
	kw, sw = bytes_sum(kc, WRITES), bytes_sum(sc, WRITES)
	report("bytes", kr == sr and kw == sw, "read %d = %d, written %d = %d" %
	       (kr, sr, kw, sw))

	def opens(calls):
		return Counter((t, c.path, c.ret) for t in calls for c in calls[t]
		               if c.name in OPENS)
	ko, so = opens(kc), opens(sc)
	report("openat", ko == so, "kscope %d = strace %d paths" %
	       (sum(ko.values()), sum(so.values())),
	       ["only in kscope: tid %d %r ret %s" % k for k in ko - so] +
	       ["only in strace: tid %d %r ret %s" % k for k in so - ko])

	def addrs(calls):
		return Counter((t, c.name, c.addr) for t in calls for c in calls[t]
		               if c.name in ADDRS and c.addr)
	ka, sa = addrs(kc), addrs(sc)
	report("addresses", ka == sa, "kscope %d = strace %d socket addresses "
	       "of %s" % (sum(ka.values()), sum(sa.values()),
	                  "/".join(sorted(ADDRS))),
	       ["only in kscope: tid %d %s %s" % k for k in ka - sa] +
	       ["only in strace: tid %d %s %s" % k for k in sa - ka])

	def execs(calls):
		return Counter((t, c.path) for t in calls for c in calls[t]
		               if c.name == "execve" and c.ret == 0)
	ke, se = execs(kc), execs(sc)
	pe = Counter((int(p), f) for p, f in query(kscope, trace,
	             "SELECT pid, filename FROM proc_events WHERE kind='exec' "
	             "AND pid IN (%s)" % ",".join(map(str, pids))))
	report("exec", ke == se and (filtered or pe == se),
	       "execve calls %d = strace %d, exec rows %d" %
	       (sum(ke.values()), sum(se.values()), sum(pe.values())),
	       ["kscope calls %s" % sorted(ke), "strace %s" % sorted(se),
	        "exec rows %s" % sorted(pe)])

	def forks(calls):
		return sorted(c.ret for t in calls for c in calls[t]
		              if c.name in FORKS and c.known and c.ret > 0)
	kf, sf = forks(kc), forks(sc)
	pf = sorted(int(c) for (c,) in query(kscope, trace,
	            "SELECT child_pid FROM proc_events WHERE kind='fork' AND "
	            "pid IN (%s)" % ",".join(map(str, pids))))
	report("forks", kf == sf and (filtered or pf == sf),
	       "clone returns %d = strace %d, fork rows %d" %
	       (len(kf), len(sf), len(pf)),
	       ["kscope %s" % kf, "strace %s" % sf, "fork rows %s" % pf])

	rows = query(kscope, trace, "SELECT pid, exit_code, exit_signal FROM "
	             "proc_events WHERE kind='exit' AND pid=tid AND pid IN (%s)"
	             % ",".join(map(str, pids)))
	kx = {}
	for p, code, sig in rows:
		if int(sig):
			kx[int(p)] = ("signal", signal.Signals(int(sig)).name)
		else:
			kx[int(p)] = ("exit", int(code))
	if filtered:  # strace prints the exits of processes it printed calls of
		kx = {p: v for p, v in kx.items() if p in procs}
	# strace prints an exit line per thread; kscope's rows are per process.
	sx = {p: v for p, v in sexits.items() if p in procs}
	status = Counter("%s %s" % v for v in sx.values())
	report("exits", kx == sx and len(sx) == len(procs),
	       "kscope %d = strace %d processes (%s)" %
	       (len(kx), len(sx), ", ".join("%s x%d" % (k, n) for k, n in
	                                    sorted(status.items()))),
	       ["kscope %s" % sorted(kx.items()),
	        "strace %s" % sorted(sx.items())])

	if any(c.fdn_arg or c.fdn_ret for t in sc for c in sc[t]):
		fd_names(kc, sc, report, strict)
	return 1 if failed else 0


def less_precise(k, s):
	"""Whether kscope's name K says less than strace's S, nothing wrong:
	a socket's protocol alone, or unix: without the path."""
	if k in ("tcp", "udp"):
		return s.startswith(k)
	return k == "unix:" and s.startswith("unix:")


def fd_names(kc, sc, report, strict):
	"""kscope's fd_name against strace -yy's annotations, call by call."""
	agree = unknown = vaguer = 0
	bad, vague = [], []
	kinds = Counter()
	for t in sorted(set(kc) & set(sc)):
		for i, (k, s) in enumerate(zip(kc[t], sc[t])):
			if k.name != s.name or k.fd is None or k.fd < 0:
				continue
			ann = s.fdn_ret if (s.fdn_ret is not None and k.known and
			                     k.fd == k.ret) else s.fdn_arg
			if ann is None:
				continue  # strace names no fd here (EBADF ...)
			want = strace_fd_name(ann)
			if k.fdn_ret == want:
				agree += 1
				kinds[re.match(r"[a-z_]*", want).group(0) or "path"] += 1
			elif k.fdn_ret is None:
				unknown += 1
				vague.append("tid %d call %d %s(%d): kscope NULL, strace "
				             "%s" % (t, i, k.name, k.fd, want))
			elif want == "unix:" and k.fdn_ret.startswith("unix:"):
				# strace names a connected client by its own
				# (empty) address; kscope by the path it connected to
				agree += 1
				kinds["unix"] += 1
			elif less_precise(k.fdn_ret, want):
				vaguer += 1
				vague.append("tid %d call %d %s(%d): kscope %s, strace "
				             "%s" % (t, i, k.name, k.fd, k.fdn_ret, want))
			else:
				bad.append("tid %d call %d %s(%d): kscope %s, strace %s" %
				           (t, i, k.name, k.fd, k.fdn_ret, want))
	report("fd names", not bad and (not strict or not vague),
	       "%d agree (%s), %d differ, %d unknown to kscope, %d less "
	       "precise" % (agree, ", ".join("%s %d" % kv for kv in
	                                     sorted(kinds.items())),
	                    len(bad), unknown, vaguer), bad + vague)


if __name__ == "__main__":
	sys.exit(main(sys.argv[1:]))
