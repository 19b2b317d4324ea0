// sql-duckdb.js - run by bench/sql-duckdb.sh (read it first):
//
//     NODE_PATH=CACHE/duckdb/node_modules node bench/sql-duckdb.js \
//             KSCOPE TRACE RUNS [BASE_KSCOPE BASE_TRACE]
//
// Loads TRACE.syscalls.csv and TRACE.processes.csv into an in-memory
// DuckDB, then runs each query RUNS times, `KSCOPE query -F csv TRACE SQL`
// and the same SQL on DuckDB in turn, checks that both give the same rows
// (keys equal, counts and sums exact, averages to 1e-9 relative), and
// prints median wall times and the ratio kscope/DuckDB.  With BASE_KSCOPE
// (an earlier build) and BASE_TRACE (the same rows in its format), that
// build runs in the same rounds too, its answers checked as well, and its
// medians are printed as "before".  Exits 1 when the answers differ.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { DuckDBInstance } = require('@duckdb/node-api');

const [kscope, trace, runsArg, baseKscope, baseTrace] =
	process.argv.slice(2);
const runs = Math.max(1, parseInt(runsArg || '5', 10));
const timesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(),
					   'sql-duckdb-')), 'times');

function now() { return Number(process.hrtime.bigint()) / 1e9; }

function median(xs) {
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// RFC 4180 rows of TEXT (kscope's CSV: NULL is an empty, unquoted field).
function parseCsv(text) {
	const rows = [];
	let row = [], cell = '', quoted = false, i = 0;
	while (i < text.length) {
		const ch = text[i++];
		if (quoted) {
			if (ch === '"' && text[i] === '"') { cell += '"'; i++; }
			else if (ch === '"') quoted = false;
			else cell += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') { row.push(cell); cell = ''; }
		else if (ch === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
		else if (ch !== '\r') cell += ch;
	}
	if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
	return rows.slice(1); // the header
}

// CPU seconds (user + system) of the process itself, every thread
function cpuNow() {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1e6;
}

// Runs argv[2:] and writes to argv[1] its wall and CPU seconds (user +
// system, from wait4's rusage: microseconds, where times(1) has ticks).
const timer = `import os, resource, subprocess, sys, time
t0 = time.monotonic()
rc = subprocess.call(sys.argv[2:])
t = time.monotonic() - t0
r = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], 'w').write('%f %f' % (t, r.ru_utime + r.ru_stime))
sys.exit(rc)`;

// Wall seconds T, CPU seconds C and the rows of
// `BIN query -F csv FILE SQL`.
function runKscope(sql, bin = kscope, file = trace) {
	const r = spawnSync(process.env.PYTHON || 'python3', ['-c', timer,
			    timesFile, bin, 'query',
			    '-F', 'csv', file, sql],
			    { encoding: 'utf8', maxBuffer: 1 << 28 });
	if (r.status !== 0)
		throw new Error(`kscope failed on ${sql}: ${r.stderr}`);
	const [t, c] = fs.readFileSync(timesFile, 'utf8').split(' ')
		.map(Number);
	return { t, c, rows: parseCsv(r.stdout) };
}

async function runDuck(con, sql) {
	const t0 = now(), c0 = cpuNow();
	const reader = await con.runAndReadAll(sql);
	const t = now() - t0, c = cpuNow() - c0;
	const rows = reader.getRows().map(r => r.map(v => v === null ? '' :
							   String(v)));
	return { t, c, rows };
}

// Same answer?  Rows are compared sorted; a cell holding a non-integer
// number compares to 1e-9 relative, anything else exactly.
function same(a, b) {
	if (a.length !== b.length)
		return `${a.length} rows against ${b.length}`;
	const key = r => r.join('\u0001');
	const sa = [...a].sort((x, y) => key(x) < key(y) ? -1 : 1);
	const sb = [...b].sort((x, y) => key(x) < key(y) ? -1 : 1);
	for (let i = 0; i < sa.length; i++) {
		for (let j = 0; j < sa[i].length; j++) {
			const x = sa[i][j], y = sb[i][j];
			if (x === y)
				continue;
			const fx = Number(x), fy = Number(y);
			const num = x !== '' && y !== '' && isFinite(fx) &&
				    isFinite(fy) && !/^-?\d+$/.test(x + y);
			if (num && Math.abs(fx - fy) <=
			    1e-9 * Math.max(Math.abs(fx), Math.abs(fy)))
				continue;
			return `row ${JSON.stringify(sa[i])} against ` +
			       JSON.stringify(sb[i]);
		}
	}
	return null;
}

async function main() {
	const inst = await DuckDBInstance.create(':memory:');
	const con = await inst.connect();
	const ver = (await con.runAndReadAll('SELECT version()')).getRows()[0][0];
	const t0 = now();
	await con.run(`CREATE TABLE syscalls AS SELECT * FROM read_csv(
		'${trace}.syscalls.csv', header = true, columns = {
		'ts': 'BIGINT', 'dur': 'BIGINT', 'pid': 'INTEGER',
		'tid': 'INTEGER', 'name': 'VARCHAR' })`);
	await con.run(`CREATE TABLE processes AS SELECT * FROM read_csv(
		'${trace}.processes.csv', header = true, columns = {
		'pid': 'INTEGER', 'start_ts': 'BIGINT', 'comm': 'VARCHAR' })`);
	const span = (await con.runAndReadAll(
		'SELECT min(ts), max(ts), count(*) FROM syscalls')).getRows()[0];
	console.log(`DuckDB ${ver}: loaded ${span[2]} syscalls in ` +
		    `${(now() - t0).toFixed(1)} s (not timed below)`);
	// 1% of the trace's time, from its middle
	const len = (span[1] - span[0]) / 100n;
	const lo = span[0] + (span[1] - span[0]) / 2n, hi = lo + len;
	const queries = [
		['GROUP BY name', 'SELECT name, count(*), avg(dur) FROM ' +
		 'syscalls GROUP BY name'],
		['1% ts range', 'SELECT count(*), sum(dur) FROM syscalls ' +
		 `WHERE ts BETWEEN ${lo} AND ${hi}`],
		['join processes', 'SELECT p.comm, count(*), sum(s.dur) FROM ' +
		 'syscalls s JOIN processes p ON p.pid = s.pid GROUP BY p.comm'],
	];
	const floor = [];
	for (let r = 0; r < runs; r++)
		floor.push(runKscope('SELECT 1'));
	console.log('kscope process start and open (SELECT 1): ' +
		    `${(median(floor.map(f => f.t)) * 1000).toFixed(1)} ms ` +
		    `wall, ${(median(floor.map(f => f.c)) * 1000).toFixed(1)}` +
		    ' ms CPU, median');
	const times = queries.map(() => ({ k: [], d: [], b: [], kc: [], dc: [],
					   bc: [] }));
	let bad = 0;
	const check = (name, who, got, want) => {
		const why = same(got, want);
		if (why) {
			console.log(`DIFFERENT ANSWERS: ${name}: ${who} ${why}`);
			bad = 1;
		}
	};
	for (let r = 0; r < runs; r++) {
		for (let q = 0; q < queries.length; q++) {
			const k = runKscope(queries[q][1]);
			const d = await runDuck(con, queries[q][1]);
			times[q].k.push(k.t);
			times[q].d.push(d.t);
			times[q].kc.push(k.c);
			times[q].dc.push(d.c);
			if (r === 0)
				check(queries[q][0], 'kscope', k.rows, d.rows);
			if (!baseKscope)
				continue;
			const b = runKscope(queries[q][1], baseKscope, baseTrace);
			times[q].b.push(b.t);
			times[q].bc.push(b.c);
			if (r === 0)
				check(queries[q][0], 'before', b.rows, d.rows);
		}
	}
	const ms = x => (x * 1000).toFixed(1).padStart(9);
	const range = xs => `${ms(Math.min(...xs)).trim()}-` +
			    `${ms(Math.max(...xs)).trim()}`;
	const x = (a, b) => `${(a / b).toFixed(2).padStart(6)}x`;
	console.log('query              kscope ms    DuckDB ms   ratio' +
		    (baseKscope ? '    before ms   ratio' : '') +
		    '   (kscope range; DuckDB range)');
	for (let q = 0; q < queries.length; q++) {
		const k = median(times[q].k), d = median(times[q].d);
		const b = baseKscope ? median(times[q].b) : 0;
		console.log(`${queries[q][0].padEnd(16)} ${ms(k)}    ${ms(d)}` +
			    `  ${x(k, d)}` +
			    (baseKscope ? `    ${ms(b)}  ${x(b, d)}` : '') +
			    `   (${range(times[q].k)}; ${range(times[q].d)})`);
	}
	// CPU time does not grow with other processes' load as wall time
	// does; DuckDB's counts all its threads
	console.log('CPU (user + system), ms:');
	for (let q = 0; q < queries.length; q++) {
		const k = median(times[q].kc), d = median(times[q].dc);
		const b = baseKscope ? median(times[q].bc) : 0;
		console.log(`${queries[q][0].padEnd(16)} ${ms(k)}    ${ms(d)}` +
			    `  ${x(k, d)}` +
			    (baseKscope ? `    ${ms(b)}  ${x(b, d)}` : ''));
	}
	for (const [name, sql] of queries)
		console.log(`  ${name}: ${sql}`);
	console.log(bad ? 'answers: DIFFERENT' : 'answers: the same');
	process.exit(bad);
}

main().catch(e => { console.error(`sql-duckdb: ${e.message}`); process.exit(1); });
