/*
 * schema.h - the SQL schema of a trace file, format 1 (docs/FORMAT.md).
 *
 * chunks holds one row per chunk with its span and sizes; the compressed
 * bytes live in chunk_data under the same id, so scanning the chunk index
 * never touches blob pages.
 */
#ifndef KSCOPE_SCHEMA_H
#define KSCOPE_SCHEMA_H

#define SCHEMA_SQL                                                          \
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;" \
	"CREATE TABLE chunks("                                              \
	"  id INTEGER PRIMARY KEY, kind INTEGER NOT NULL,"                  \
	"  ts_first INTEGER NOT NULL, ts_last INTEGER NOT NULL,"            \
	"  count INTEGER NOT NULL, raw_size INTEGER NOT NULL,"              \
	"  stored_size INTEGER NOT NULL, codec INTEGER NOT NULL);"          \
	"CREATE INDEX chunks_by_kind ON chunks(kind, ts_first);"            \
	"CREATE TABLE chunk_data(id INTEGER PRIMARY KEY, data BLOB NOT NULL);" \
	"CREATE TABLE processes("                                           \
	"  pid INTEGER NOT NULL, ppid INTEGER, comm TEXT, exe TEXT,"        \
	"  cmdline TEXT, cgroup TEXT, container TEXT,"                      \
	"  start_ts INTEGER NOT NULL, end_ts INTEGER,"                      \
	"  exit_code INTEGER, exit_signal INTEGER,"                         \
	"  PRIMARY KEY(pid, start_ts));"                                    \
	"CREATE TABLE threads("                                             \
	"  tid INTEGER NOT NULL, pid INTEGER NOT NULL, comm TEXT,"          \
	"  start_ts INTEGER NOT NULL, PRIMARY KEY(tid, start_ts));"         \
	"CREATE TABLE lost("                                                \
	"  ts INTEGER NOT NULL, cpu INTEGER NOT NULL, class TEXT NOT NULL," \
	"  count INTEGER NOT NULL, PRIMARY KEY(ts, cpu, class));"            \
	SCHEMA_SQL_1_2

/* Tables format 1.2 added: a file of an older minor version may lack
 * them (store_schema_check lets that be; readers take a missing one as
 * empty). */
#define SCHEMA_TABLES_1_2 { "shed" }
#define SCHEMA_SQL_1_2                                                      \
	"CREATE TABLE shed("                                                \
	"  ts INTEGER NOT NULL, cpu INTEGER NOT NULL, class TEXT NOT NULL," \
	"  name TEXT NOT NULL, what TEXT NOT NULL, rate INTEGER NOT NULL,"  \
	"  dropped INTEGER NOT NULL,"                                       \
	"  PRIMARY KEY(ts, cpu, class, name, what, rate));"               \
	SCHEMA_SQL_1_3

/* Indexes format 1.3 added on tables of earlier versions: a file of an
 * older minor version may lack them (store_schema_check lets that be;
 * queries are then planned without them).  processes_by_comm lets a join
 * of an event table with processes grouped or ordered by comm walk the
 * processes in comm order instead of sorting every joined row. */
#define SCHEMA_INDEXES_1_3 { "processes_by_comm" }
#define SCHEMA_SQL_1_3                                                      \
	"CREATE INDEX processes_by_comm ON processes(comm, pid);"

#endif
