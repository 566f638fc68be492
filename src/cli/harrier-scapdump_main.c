/*
 * harrier-scapdump: a low-level view of a capture as the reader sees it,
 * one line per record with -v, and always a count of records by kind.
 * It exists to test the reader on hand-built and damaged captures, without
 * the state engine or sysdig-style formatting in the way.
 *
 *   harrier-scapdump [-v] FILE      (FILE may be "-" for stdin)
 *
 * Exit status: 0 after a clean end of file, 1 on a read error (message on
 * stderr naming the offset and block), 2 on bad usage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "capture/scap_reader.h"

/* Prints a file string with anything unprintable as \xHH, so NUL-separated
 * lists (args, env, cgroups) stay on one line. */
static void put_str(const char *label, const char *p, uint32_t len)
{
	printf(" %s=", label);
	for (uint32_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
}

static void put_hex(const char *label, const uint8_t *p, unsigned len)
{
	printf(" %s=", label);
	for (unsigned i = 0; i < len; i++)
		printf("%02x", p[i]);
}

static void dump_thread(const struct hr_proc_entry *t)
{
	printf("thread tid=%" PRId64 " pid=%" PRId64 " ptid=%" PRId64 " sid=%" PRId64 " vpgid=%" PRId64, t->tid,
	       t->pid, t->ptid, t->sid, t->vpgid);
	put_str("comm", t->comm.p, t->comm.len);
	put_str("exe", t->exe.p, t->exe.len);
	put_str("exepath", t->exepath.p, t->exepath.len);
	put_str("args", t->args.p, t->args.len);
	put_str("cwd", t->cwd.p, t->cwd.len);
	printf(" fdlimit=%" PRIu64 " flags=%u uid=%u gid=%u vmsize=%u vmrss=%u vmswap=%u pfmajor=%" PRIu64
	       " pfminor=%" PRIu64,
	       t->fdlimit, t->flags, t->uid, t->gid, t->vmsize_kb, t->vmrss_kb, t->vmswap_kb, t->pfmajor, t->pfminor);
	put_str("env", t->env.p, t->env.len);
	printf(" vtid=%" PRId64 " vpid=%" PRId64, t->vtid, t->vpid);
	put_str("cgroups", t->cgroups.p, t->cgroups.len);
	put_str("root", t->root.p, t->root.len);
	printf(" loginuid=%u exe_writable=%d", t->loginuid, t->exe_writable);
	if (t->has_caps)
		printf(" caps=%" PRIx64 "/%" PRIx64 "/%" PRIx64, t->cap_inheritable, t->cap_permitted,
		       t->cap_effective);
	printf(" pidns_init_start_ts=%" PRIu64 " tty=%u pgid=%" PRId64 " exe_ino=%" PRIu64 " upper=%d lower=%d memfd=%d\n",
	       t->pidns_init_start_ts, t->tty, t->pgid, t->exe_ino, t->exe_upper_layer, t->exe_lower_layer,
	       t->exe_from_memfd);
}

static void dump_fd(int64_t tid, const struct hr_fd_entry *f)
{
	printf("fd tid=%" PRId64 " fd=%" PRId64 " type=%u ino=%" PRIu64, tid, f->fd, f->type, f->ino);
	switch (f->type) {
	case 3: case 5:
		put_hex("sip", f->sip, 4);
		put_hex("dip", f->dip, 4);
		break;
	case 4: case 6:
		put_hex("sip", f->sip, 16);
		put_hex("dip", f->dip, 16);
		break;
	default:
		break;
	}
	printf(" sport=%u dport=%u l4proto=%u", f->sport, f->dport, f->l4proto);
	if (f->type == 8)
		printf(" usrc=%" PRIx64 " udst=%" PRIx64, f->unix_source, f->unix_dest);
	if (f->type == 16)
		printf(" open_flags=%u", f->open_flags);
	if (f->has_dev)
		printf(" dev=%u", f->dev);
	put_str("name", f->name.p, f->name.len);
	putchar('\n');
}

static void dump_event(const struct hr_event *e)
{
	printf("event num=%" PRIu64 " ts=%" PRIu64 " tid=%" PRId64 " cpu=%u type=%u(%s) flags=%u len=%u nparams=%u lens=",
	       e->num, e->ts, e->tid, e->cpu, e->type, hr_event_table[e->type].name, e->dump_flags, e->len,
	       e->nparams);
	for (uint32_t i = 0; i < e->nparams_indexed; i++)
		printf(i ? ",%u" : "%u", e->param_len[i]);
	putchar('\n');
}

int main(int argc, char **argv)
{
	bool verbose = false;
	int argi = 1;
	if (argi < argc && strcmp(argv[argi], "-v") == 0) {
		verbose = true;
		argi++;
	}
	if (argi + 1 != argc) {
		fprintf(stderr, "usage: harrier-scapdump [-v] FILE\n");
		return 2;
	}
	const char *path = argv[argi];
	char err[512];
	struct hr_reader *r = hr_reader_open(path, err, sizeof err);
	if (!r) {
		fprintf(stderr, "harrier-scapdump: %s\n", err);
		return 1;
	}
	static struct hr_record rec;
	static const char *const kind_names[] = {
		[HR_REC_SECTION] = "section", [HR_REC_MACHINE] = "machine", [HR_REC_IFACE] = "iface",
		[HR_REC_USER] = "user", [HR_REC_GROUP] = "group", [HR_REC_USERLIST_BEGIN] = "userlist",
		[HR_REC_THREAD] = "thread", [HR_REC_FD] = "fd", [HR_REC_EVENT] = "event",
	};
	uint64_t counts[HR_REC_EVENT + 1] = {0};
	enum hr_record_kind k;
	while ((k = hr_reader_next(r, &rec)) != HR_REC_END && k != HR_REC_ERROR) {
		counts[k]++;
		if (!verbose)
			continue;
		switch (k) {
		case HR_REC_SECTION:
			printf("section %u.%u\n", rec.u.section.major, rec.u.section.minor);
			break;
		case HR_REC_MACHINE:
			printf("machine cpus=%u memory=%" PRIu64 " max_pid=%" PRIu64 " hostname=%s boot_ts=%" PRIu64
			       " flags=%" PRIu64 "\n",
			       rec.u.machine.num_cpus, rec.u.machine.memory_size_bytes, rec.u.machine.max_pid,
			       rec.u.machine.hostname, rec.u.machine.boot_ts_epoch, rec.u.machine.flags);
			break;
		case HR_REC_IFACE: {
			const struct hr_iface_entry *i = &rec.u.iface;
			unsigned n = i->kind == HR_IFACE_IPV4 ? 4 : 16;
			printf("iface kind=%u", i->kind);
			put_str("name", i->name.p, i->name.len);
			put_hex("addr", i->addr, n);
			put_hex("netmask", i->netmask, n);
			put_hex("bcast", i->bcast, n);
			if (i->has_linkspeed)
				printf(" linkspeed=%" PRIu64, i->linkspeed);
			putchar('\n');
			break;
		}
		case HR_REC_USER:
			printf("user uid=%u gid=%u", rec.u.user.uid, rec.u.user.gid);
			put_str("name", rec.u.user.name.p, rec.u.user.name.len);
			put_str("home", rec.u.user.homedir.p, rec.u.user.homedir.len);
			put_str("shell", rec.u.user.shell.p, rec.u.user.shell.len);
			putchar('\n');
			break;
		case HR_REC_GROUP:
			printf("group gid=%u", rec.u.group.gid);
			put_str("name", rec.u.group.name.p, rec.u.group.name.len);
			putchar('\n');
			break;
		case HR_REC_USERLIST_BEGIN:
			printf("userlist\n");
			break;
		case HR_REC_THREAD:
			dump_thread(&rec.u.thread);
			break;
		case HR_REC_FD:
			dump_fd(rec.u.fd.tid, &rec.u.fd.entry);
			break;
		case HR_REC_EVENT:
			dump_event(&rec.event);
			break;
		default:
			break;
		}
	}
	for (int i = HR_REC_SECTION; i <= HR_REC_EVENT; i++)
		printf("%s %" PRIu64 "\n", kind_names[i], counts[i]);
	int status = 0;
	if (k == HR_REC_ERROR) {
		fprintf(stderr, "harrier-scapdump: %s: %s\n", path, hr_reader_error(r));
		status = 1;
	}
	hr_reader_close(r);
	return status;
}
