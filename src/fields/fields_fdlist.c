/*
 * The `fdlist.*` fields: the fds a poll/ppoll event lists, as one
 * comma-separated string each (numbers, names, addresses, ports), resolved
 * against the thread's fd table as sysdig 0.29.3 does it, on enter and exit.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fields/field_classes.h"

enum { EVT_POLL_E = 80, EVT_POLL_X = 81, EVT_PPOLL_E = 254, EVT_PPOLL_X = 255 };
enum { LIST_NUMS, LIST_NAMES, LIST_CIPS, LIST_SIPS, LIST_CPORTS, LIST_SPORTS };

/* One fd's entry; false when the fd contributes nothing (then no comma). */
static bool append_entry(struct hr_strbuf *out, int what, int64_t num, const struct hr_fd *fd)
{
	char ip[INET6_ADDRSTRLEN];
	switch (what) {
	case LIST_NUMS:
		hr_sb_printf(out, "%" PRId64, num);
		return true;
	case LIST_NAMES:
		hr_sb_puts(out, fd && fd->name.len ? fd->name.p : "<NA>");
		return true;
	case LIST_CIPS:
		if (!fd || (fd->type != HR_FD_IPV4_SOCK && fd->type != HR_FD_IPV6_SOCK))
			return false;
		inet_ntop(fd->type == HR_FD_IPV4_SOCK ? AF_INET : AF_INET6, fd->sip, ip, sizeof ip);
		hr_sb_puts(out, ip);
		return true;
	case LIST_SIPS:
		if (!fd)
			return false;
		switch (fd->type) {
		case HR_FD_IPV4_SOCK: inet_ntop(AF_INET, fd->dip, ip, sizeof ip); break;
		case HR_FD_IPV6_SOCK: inet_ntop(AF_INET6, fd->dip, ip, sizeof ip); break;
		case HR_FD_IPV4_SERVSOCK: inet_ntop(AF_INET, fd->sip, ip, sizeof ip); break;
		/* sysdig (and Falco) print a listening IPv6 socket's address as
		 * IPv4: its first four bytes */
		case HR_FD_IPV6_SERVSOCK: inet_ntop(AF_INET, fd->sip, ip, sizeof ip); break;
		default: return false;
		}
		hr_sb_puts(out, ip);
		return true;
	case LIST_CPORTS:
	case LIST_SPORTS:
		if (!fd || (fd->type != HR_FD_IPV4_SOCK && fd->type != HR_FD_IPV6_SOCK))
			return false;
		hr_sb_printf(out, "%u", (unsigned)(what == LIST_CPORTS ? fd->sport : fd->dport));
		return true;
	default:
		return false;
	}
}

static bool fd_list(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, int what,
		    struct hr_value *out)
{
	unsigned at;
	if (e->type == EVT_POLL_E || e->type == EVT_PPOLL_E)
		at = 0;
	else if (e->type == EVT_POLL_X || e->type == EVT_PPOLL_X)
		at = 1;
	else
		return false;
	if (!e->thread || at >= e->nparams_indexed || e->param_len[at] < 2)
		return false;
	const uint8_t *p = e->param[at];
	uint32_t len = e->param_len[at];
	uint16_t n;
	memcpy(&n, p, 2);
	hr_sb_reset(&f->storage);
	/* each entry: the fd (i64) and its poll flags (i16) */
	for (uint32_t i = 0, pos = 2; i < n && pos + 8 <= len; i++, pos += 10) {
		int64_t num;
		memcpy(&num, p + pos, 8);
		const struct hr_fd *fd = hr_state_fd(ctx->state, e->thread, num);
		if (append_entry(&f->storage, what, num, fd))
			hr_sb_putc(&f->storage, ',');
	}
	if (f->storage.len == 0)
		return false;
	f->storage.p[--f->storage.len] = 0; /* the last comma */
	return hr_set_storage(out, f);
}

#define FDLIST_FIELD(fn, what)                                                                                  \
	static bool fn(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out) \
	{                                                                                                        \
		return fd_list(f, ctx, e, what, out);                                                            \
	}
FDLIST_FIELD(x_nums, LIST_NUMS)
FDLIST_FIELD(x_names, LIST_NAMES)
FDLIST_FIELD(x_cips, LIST_CIPS)
FDLIST_FIELD(x_sips, LIST_SIPS)
FDLIST_FIELD(x_cports, LIST_CPORTS)
FDLIST_FIELD(x_sports, LIST_SPORTS)

const struct hr_field_def hr_fields_fdlist[] = {
	{"fdlist.nums", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_nums, NULL,
	 "poll/ppoll events: the numbers of the fds in the 'fds' argument, comma-separated."},
	{"fdlist.names", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_names, NULL,
	 "poll/ppoll events: the names of the fds in the 'fds' argument, comma-separated (<NA> when unknown)."},
	{"fdlist.cips", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_cips, NULL,
	 "poll/ppoll events: the client IP addresses of the IP sockets in the 'fds' argument, comma-separated."},
	{"fdlist.sips", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_sips, NULL,
	 "poll/ppoll events: the server IP addresses of the IP sockets in the 'fds' argument, comma-separated."},
	{"fdlist.cports", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_cports, NULL,
	 "poll/ppoll events: the client ports of the TCP/UDP sockets in the 'fds' argument, comma-separated."},
	{"fdlist.sports", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_sports, NULL,
	 "poll/ppoll events: the server ports of the TCP/UDP sockets in the 'fds' argument, comma-separated."},
	{0},
};
