/*
 * listeners.c - the TCP sockets a process has open when a recording
 * starts: listening ones and connections.
 *
 *     struct rec_sockets_fn fn = { on_listener, on_conn };
 *     rec_sockets_read("/proc", pid, &fn, ctx);  // once per socket
 *
 * The BPF program learns a socket's owner where the process connects,
 * listens, sends or receives; a listener already listening would leave the
 * connections it accepts without an owner, and an open connection its
 * state changes until the process uses it (in a -p recording: not
 * recorded).  record.c hands what this finds to rec_session_listener and
 * rec_session_conn.
 *
 * How: the process's socket inodes come from the links in /proc/PID/fd
 * ("socket:[INODE]"); its network namespace from /proc/PID/ns/net
 * ("net:[INODE]"); the listening sockets of that namespace, with their
 * inodes, from /proc/PID/net/tcp and tcp6 (state 0A).  Addresses there are
 * the kernel's 32-bit words printed in hex, so converting each word back
 * with the host's byte order gives the address bytes in network order, as
 * the BPF side reads them from the socket.
 *
 * rec_sockets_names reads the same tables (and udp, udp6, unix) to name
 * the sockets a process holds at start, for its fd table (fdtab.c).
 */
#include "config.h"
#include "record/record.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TCP_LISTEN_HEX 0x0a

static int ino_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The socket inodes of PID's open files, sorted: *OUT is malloc'd (NULL
 * when none), the count is returned, or -errno. */
static long sock_inodes(const char *proc, uint32_t pid, uint64_t **out)
{
	char path[64], link[64];
	DIR *d;
	struct dirent *de;
	uint64_t *v = NULL, ino;
	size_t n = 0, cap = 0;

	*out = NULL;
	snprintf(path, sizeof(path), "%s/%u/fd", proc, pid);
	if (!(d = opendir(path)))
		return -errno;
	while ((de = readdir(d))) {
		ssize_t l;

		if (de->d_name[0] == '.')
			continue;
		l = readlinkat(dirfd(d), de->d_name, link, sizeof(link) - 1);
		if (l <= 0)
			continue;
		link[l] = 0;
		if (sscanf(link, "socket:[%" SCNu64 "]", &ino) != 1)
			continue;
		if (n == cap) {
			uint64_t *nv = realloc(v, (cap = cap ? 2 * cap : 16) *
					       sizeof(*v));

			if (!nv) {
				free(v);
				closedir(d);
				return -ENOMEM;
			}
			v = nv;
		}
		v[n++] = ino;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), ino_cmp);
	*out = v;
	return (long)n;
}

/* Address words as /proc/net/tcp prints them (HEX, LEN digits) back to
 * bytes in network order. */
static void addr_parse(const char *hex, size_t len, uint8_t *out)
{
	for (size_t w = 0; w < len / 8; w++) {
		char word[9];
		uint32_t v;

		memcpy(word, hex + 8 * w, 8);
		word[8] = 0;
		v = (uint32_t)strtoul(word, NULL, 16);
		memcpy(out + 4 * w, &v, 4);
	}
}

/* One line of /proc/net/tcp(6) (FAMILY): the listener key (state LISTEN,
 * returns 1) or the connection key (other states, returns 2) in K or C,
 * and *INO; 0 for a header or a line that does not parse. */
static int tcp_line(const char *line, uint16_t family, struct ks_listen_key *k,
		    struct ks_conn_key *c, uint64_t *ino)
{
	char la[40], ra[40];
	unsigned lp, rp, st;
	size_t alen = family == 2 ? 8 : 32;

	if (sscanf(line, " %*u: %39[0-9A-Fa-f]:%x %39[0-9A-Fa-f]:%x %x "
		   "%*x:%*x %*x:%*x %*x %*u %*d %" SCNu64, la, &lp, ra, &rp,
		   &st, ino) != 6 || strlen(la) != alen || strlen(ra) != alen)
		return 0;
	if (st == TCP_LISTEN_HEX) {
		k->family = family;
		k->port = (uint16_t)lp;
		addr_parse(la, alen, k->addr);
		return 1;
	}
	c->family = family;
	c->sport = (uint16_t)lp;
	c->dport = (uint16_t)rp;
	addr_parse(la, alen, c->saddr);
	addr_parse(ra, alen, c->daddr);
	return 2;
}

int rec_sockets_read(const char *proc, uint32_t pid,
		     const struct rec_sockets_fn *fn, void *ctx)
{
	static const struct { const char *name; uint16_t family; } tabs[] = {
		{ "tcp", 2 /* AF_INET */ }, { "tcp6", 10 /* AF_INET6 */ },
	};
	char path[64], link[64], *line = NULL;
	size_t linecap = 0;
	uint64_t *inos, ino;
	uint32_t netns;
	long n = sock_inodes(proc, pid, &inos);
	ssize_t l;
	int rc = 0;

	if (n <= 0)
		return n < 0 ? (int)n : 0;
	snprintf(path, sizeof(path), "%s/%u/ns/net", proc, pid);
	l = readlink(path, link, sizeof(link) - 1);
	if (l <= 0) {
		free(inos);
		return l < 0 ? -errno : -ENOENT;
	}
	link[l] = 0;
	if (sscanf(link, "net:[%" SCNu32 "]", &netns) != 1) {
		free(inos);
		return -EINVAL;
	}
	for (size_t t = 0; t < 2 && rc >= 0; t++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%u/net/%s", proc, pid,
			 tabs[t].name);
		if (!(f = fopen(path, "re")))
			continue; /* no IPv6 */
		while (rc >= 0 && getline(&line, &linecap, f) > 0) {
			struct ks_listen_key k = { .netns = netns };
			struct ks_conn_key c = { .netns = netns };
			int kind = tcp_line(line, tabs[t].family, &k, &c, &ino);

			if (!kind || !bsearch(&ino, inos, (size_t)n,
					      sizeof(*inos), ino_cmp))
				continue;
			if (kind == 1 && fn->listener)
				rc = fn->listener(ctx, &k);
			else if (kind == 2 && fn->conn)
				rc = fn->conn(ctx, &c);
		}
		fclose(f);
	}
	free(line);
	free(inos);
	return rc;
}

/* "A:p" or "[A]:p" from address bytes ADDR of FAMILY. */
static void addr_text(uint16_t family, const uint8_t *addr, unsigned port,
		      char *out, size_t outlen)
{
	char ip[INET6_ADDRSTRLEN];

	inet_ntop(family == 2 ? AF_INET : AF_INET6, addr, ip, sizeof(ip));
	snprintf(out, outlen, family == 2 ? "%s:%u" : "[%s]:%u", ip, port);
}

/* Name the Unix sockets of /proc/PID/net/unix whose inode is in INOS. */
static int unix_names(const char *proc, uint32_t pid, const uint64_t *inos,
		      size_t n,
		      int (*fn)(void *ctx, uint64_t ino, const char *name),
		      void *ctx)
{
	char path[64], name[4096 + 8], *line = NULL;
	size_t linecap = 0;
	uint64_t ino;
	int rc = 0, off;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%u/net/unix", proc, pid);
	if (!(f = fopen(path, "re")))
		return 0;
	while (rc >= 0 && getline(&line, &linecap, f) > 0) {
		char *p;

		off = 0;
		if (sscanf(line, "%*x: %*x %*x %*x %*x %*x %" SCNu64 "%n",
			   &ino, &off) != 1 || !off ||
		    !bsearch(&ino, inos, n, sizeof(*inos), ino_cmp))
			continue;
		p = line + off;
		p += strspn(p, " ");
		p[strcspn(p, "\n")] = 0;
		snprintf(name, sizeof(name), "unix:%s", p);
		rc = fn(ctx, ino, name);
	}
	free(line);
	fclose(f);
	return rc;
}

int rec_sockets_names(const char *proc, uint32_t pid,
		      int (*fn)(void *ctx, uint64_t ino, const char *name),
		      void *ctx)
{
	static const struct {
		const char *name;
		uint16_t family;
	} tabs[] = {
		{ "tcp", 2 }, { "tcp6", 10 }, { "udp", 2 }, { "udp6", 10 },
	};
	char path[64], name[160], la[64], ra[64], *line = NULL;
	size_t linecap = 0;
	uint64_t *inos, ino;
	long n = sock_inodes(proc, pid, &inos);
	int rc = 0;

	if (n <= 0)
		return n < 0 ? (int)n : 0;
	for (size_t t = 0; t < 4 && rc >= 0; t++) {
		const char *proto = t < 2 ? "tcp" : "udp";
		FILE *f;

		snprintf(path, sizeof(path), "%s/%u/net/%s", proc, pid,
			 tabs[t].name);
		if (!(f = fopen(path, "re")))
			continue;
		while (rc >= 0 && getline(&line, &linecap, f) > 0) {
			struct ks_listen_key k = { 0 };
			struct ks_conn_key c = { 0 };
			int kind = tcp_line(line, tabs[t].family, &k, &c, &ino);

			if (!kind || !bsearch(&ino, inos, (size_t)n,
					      sizeof(*inos), ino_cmp))
				continue;
			if (kind == 1) {
				addr_text(k.family, k.addr, k.port, la,
					  sizeof(la));
				snprintf(name, sizeof(name), "%s %s", proto, la);
			} else {
				addr_text(c.family, c.saddr, c.sport, la,
					  sizeof(la));
				addr_text(c.family, c.daddr, c.dport, ra,
					  sizeof(ra));
				if (c.dport)
					snprintf(name, sizeof(name), "%s %s->%s",
						 proto, la, ra);
				else
					snprintf(name, sizeof(name), "%s %s",
						 proto, la);
			}
			rc = fn(ctx, ino, name);
		}
		fclose(f);
	}
	free(line);
	if (rc >= 0)
		rc = unix_names(proc, pid, inos, (size_t)n, fn, ctx);
	free(inos);
	return rc;
}
