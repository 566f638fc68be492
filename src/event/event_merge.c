/*
 * The newest libs' converter run on decoded events (see event_merge.h):
 * classification of each (id, parameter count), the rule for it, the
 * per-thread store of enter events, and the fd an exit uses once its enter
 * is gone. Parameters are never copied into the result: it points at the
 * event read, at the stored enter, or at static defaults.
 */
#include "event/event_merge.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/event_merge_rules.h"

/* The converter gives up on an event after this many steps. */
#define MAX_STEPS 50

/* An enter event kept for its exit, with its own copy of the bytes. */
struct stored_enter {
	int64_t tid;
	bool used;          /* the slot belongs to `tid` */
	bool valid;         /* holds an enter not consumed yet */
	uint16_t type;
	uint32_t nparams;
	uint32_t len[HR_MAX_PARAMS];
	uint8_t *buf;
	uint32_t cap;
};

/* A parameter list under construction. */
struct layout {
	uint16_t type;
	uint32_t nparams;
	const uint8_t *param[HR_MAX_PARAMS];
	uint32_t len[HR_MAX_PARAMS];
};

struct hr_event_merge {
	struct stored_enter *slots; /* open addressing by tid; never removed */
	uint32_t cap, nused;
	uint64_t count;
	int8_t exit_fd_location[HR_EVENT_MAX]; /* -1 when none */
	bool filtered_enter[HR_EVENT_MAX];
	/* rules by (type): first index into hr_merge_rules and how many */
	uint16_t first_rule[HR_EVENT_MAX];
	uint8_t nrules[HR_EVENT_MAX];
	struct hr_event out;
};

static const uint8_t zeros[16];
static const uint8_t all_ones[4] = {0xff, 0xff, 0xff, 0xff};

static int type_by_enum(const char *name)
{
	for (int i = 0; i < HR_EVENT_MAX; i++)
		if (hr_event_table[i].enum_name && !strcmp(hr_event_table[i].enum_name, name))
			return i;
	return -1;
}

/* Where libsinsp looks for the fd of an exit event that has no enter
 * (scap_event.c get_exit_event_fd_location). */
static void init_fd_locations(struct hr_event_merge *m)
{
	static const struct {
		int8_t location;
		const char *names;
	} groups[] = {
		{1, "SETNS LISTEN SHUTDOWN FCHDIR LSEEK LLSEEK IOCTL_3 FSTAT CLOSE GETDENTS GETDENTS64 FLOCK "
		    "COPY_FILE_RANGE FCNTL DUP_1 DUP2 DUP3 NEWFSTATAT FCHOWNAT FCHMODAT MKDIRAT UNLINKAT_2 MKNODAT "
		    "SENDMMSG RECVMMSG IO_URING_REGISTER IO_URING_ENTER SETSOCKOPT GETSOCKOPT FSCONFIG FINIT_MODULE "
		    "FCHMOD FCHOWN"},
		{2, "READ PREAD BIND WRITE PWRITE RECV SEND SENDTO SENDMSG SENDFILE SPLICE WRITEV PWRITEV CONNECT "
		    "SYMLINKAT"},
		{3, "RECVFROM READV PREADV"},
		{5, "RECVMSG"},
		{8, "MMAP MMAP2"},
	};
	memset(m->exit_fd_location, -1, sizeof m->exit_fd_location);
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		const char *p = groups[g].names;
		while (*p) {
			size_t n = strcspn(p, " ");
			char name[64];
			/* the socket calls are PPME_SOCKET_*, the others PPME_SYSCALL_* */
			for (int k = 0; k < 2; k++) {
				snprintf(name, sizeof name, "%s%.*s_X", k ? "PPME_SOCKET_" : "PPME_SYSCALL_", (int)n, p);
				int t = type_by_enum(name);
				if (t >= 0 && (hr_event_table[t].flags & HR_EF_USES_FD))
					m->exit_fd_location[t] = groups[g].location;
			}
			p += n;
			p += *p == ' ';
		}
	}
}

/* Enters libsinsp parses (TOCTOU paths, execve fallbacks) and then
 * filters out before any consumer sees them (sinsp_evt_filter). */
static void init_filtered_enters(struct hr_event_merge *m)
{
	static const char *const names[] = {
		"PPME_SYSCALL_OPEN_E", "PPME_SYSCALL_OPENAT_2_E", "PPME_SYSCALL_OPENAT2_E", "PPME_SYSCALL_CREAT_E",
		"PPME_SOCKET_CONNECT_E", "PPME_SYSCALL_EXECVE_19_E", "PPME_SYSCALL_EXECVEAT_E",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		int t = type_by_enum(names[i]);
		if (t >= 0)
			m->filtered_enter[t] = true;
	}
}

struct hr_event_merge *hr_event_merge_new(void)
{
	struct hr_event_merge *m = calloc(1, sizeof *m);
	if (!m)
		abort();
	init_fd_locations(m);
	init_filtered_enters(m);
	/* the generated rules are grouped by event id */
	for (unsigned i = 0; i < hr_merge_rule_count; i++) {
		uint16_t t = hr_merge_rules[i].type;
		if (!m->nrules[t])
			m->first_rule[t] = (uint16_t)i;
		m->nrules[t]++;
	}
	return m;
}

void hr_event_merge_free(struct hr_event_merge *m)
{
	if (!m)
		return;
	for (uint32_t i = 0; i < m->cap; i++)
		free(m->slots[i].buf);
	free(m->slots);
	free(m);
}

uint64_t hr_event_merge_count(const struct hr_event_merge *m)
{
	return m->count;
}

static uint32_t tid_hash(int64_t tid)
{
	uint64_t h = (uint64_t)tid * 0x9e3779b97f4a7c15ull;
	return (uint32_t)(h >> 32);
}

static struct stored_enter *find_slot(struct hr_event_merge *m, int64_t tid, bool create);

static void grow(struct hr_event_merge *m)
{
	struct stored_enter *old = m->slots;
	uint32_t oldcap = m->cap;
	m->cap = oldcap ? oldcap * 2 : 64;
	m->slots = calloc(m->cap, sizeof *m->slots);
	if (!m->slots)
		abort();
	m->nused = 0;
	for (uint32_t i = 0; i < oldcap; i++) {
		if (!old[i].used)
			continue;
		struct stored_enter *s = find_slot(m, old[i].tid, true);
		*s = old[i];
	}
	free(old);
}

static struct stored_enter *find_slot(struct hr_event_merge *m, int64_t tid, bool create)
{
	if (create && (m->nused + 1) * 4 > m->cap * 3)
		grow(m);
	if (!m->cap)
		return NULL;
	uint32_t mask = m->cap - 1;
	for (uint32_t b = tid_hash(tid) & mask;; b = (b + 1) & mask) {
		struct stored_enter *s = &m->slots[b];
		if (s->used && s->tid == tid)
			return s;
		if (!s->used) {
			if (!create)
				return NULL;
			s->used = true;
			s->tid = tid;
			m->nused++;
			return s;
		}
	}
}

static void store(struct hr_event_merge *m, int64_t tid, const struct layout *l)
{
	struct stored_enter *s = find_slot(m, tid, true);
	uint32_t total = 0;
	for (uint32_t i = 0; i < l->nparams; i++)
		total += l->len[i];
	if (total > s->cap) {
		/* the layout never points into this slot: enters take nothing
		 * from stored events */
		free(s->buf);
		s->cap = total < 256 ? 256 : total;
		s->buf = malloc(s->cap);
		if (!s->buf)
			abort();
	}
	uint32_t off = 0;
	for (uint32_t i = 0; i < l->nparams; i++) {
		if (l->len[i])
			memcpy(s->buf + off, l->param[i], l->len[i]);
		s->len[i] = l->len[i];
		off += l->len[i];
	}
	s->type = l->type;
	s->nparams = l->nparams;
	s->valid = true;
}

static const uint8_t *stored_param(const struct stored_enter *s, unsigned i)
{
	uint32_t off = 0;
	for (unsigned k = 0; k < i; k++)
		off += s->len[k];
	return s->buf + off;
}

enum verdict { V_DROP, V_PASS, V_CONVERT };

/* test_event_convertibility: what the converter does with this layout. */
static enum verdict classify(const struct layout *l)
{
	const struct hr_event_info *info = &hr_event_table[l->type];
	if (info->flags & HR_EF_UNUSED)
		return V_DROP;
	if (!(info->flags & HR_EF_CONVERTER_MANAGED)) {
		if (!(info->flags & HR_EF_OLD_VERSION))
			return V_PASS;
		/* an old exit not managed would be a table bug: let it through */
		return info->is_enter ? V_DROP : V_PASS;
	}
	if (info->is_enter)
		return V_CONVERT;
	/* more parameters than the table knows: the newest reader refuses the
	 * capture; Harrier keeps the event as it is */
	if (l->nparams > info->nparams)
		return V_PASS;
	return (info->flags & HR_EF_OLD_VERSION) || l->nparams != info->nparams ? V_CONVERT : V_PASS;
}

static const struct hr_merge_rule *rule_for(const struct hr_event_merge *m, const struct layout *l)
{
	for (unsigned i = 0; i < m->nrules[l->type]; i++) {
		const struct hr_merge_rule *r = &hr_merge_rules[m->first_rule[l->type] + i];
		if (r->nparams == l->nparams)
			return r;
	}
	return NULL;
}

static unsigned fixed_size(uint8_t type)
{
	switch (type) {
	case HR_PT_INT8: case HR_PT_UINT8: case HR_PT_FLAGS8: case HR_PT_ENUMFLAGS8: case HR_PT_SIGTYPE:
		return 1;
	case HR_PT_INT16: case HR_PT_UINT16: case HR_PT_FLAGS16: case HR_PT_ENUMFLAGS16: case HR_PT_SYSCALLID:
	case HR_PT_PORT:
		return 2;
	case HR_PT_INT32: case HR_PT_UINT32: case HR_PT_FLAGS32: case HR_PT_ENUMFLAGS32: case HR_PT_UID:
	case HR_PT_GID: case HR_PT_MODE: case HR_PT_SIGSET: case HR_PT_FD32: case HR_PT_PID32: case HR_PT_IPV4ADDR:
		return 4;
	case HR_PT_INT64: case HR_PT_UINT64: case HR_PT_RELTIME: case HR_PT_ABSTIME: case HR_PT_ERRNO:
	case HR_PT_FD: case HR_PT_PID:
		return 8;
	case HR_PT_IPV6ADDR:
		return 16;
	default:
		return 0; /* variable size: the default is empty */
	}
}

static uint8_t param_type(uint16_t type, unsigned i)
{
	const struct hr_event_info *info = &hr_event_table[type];
	return i < info->nparams ? info->params[i].type : HR_PT_NONE;
}

static void put_default(struct layout *l, unsigned i)
{
	uint8_t t = param_type(l->type, i);
	l->param[i] = t == HR_PT_UID || t == HR_PT_GID ? all_ones : zeros;
	l->len[i] = fixed_size(t);
}

/* A copied value is cut to what the new parameter's type can hold. */
static void put_copy(struct layout *l, unsigned i, const uint8_t *p, uint32_t len)
{
	unsigned max = fixed_size(param_type(l->type, i));
	if (!max)
		max = hr_event_len_size(l->type) == 2 ? 0xffff : UINT32_MAX;
	l->param[i] = p;
	l->len[i] = len < max ? len : max;
}

/* One conversion step from `in` into `out`; false when the step cannot be
 * done (no rule, or a rule the event does not fit). */
static bool convert(struct hr_event_merge *m, int64_t tid, const struct hr_merge_rule *r, const struct layout *in,
		    struct layout *out)
{
	unsigned first = 0;
	out->type = in->type;
	if (r->action == HR_MERGE_ADD_PARAMS) {
		*out = *in;
		first = in->nparams;
	} else {
		out->type = r->new_type;
	}
	if (first + r->ninstrs > HR_MAX_PARAMS)
		return false;
	out->nparams = first + r->ninstrs;
	struct stored_enter *s = find_slot(m, tid, false);
	bool used_enter = false;
	for (unsigned k = 0; k < r->ninstrs; k++) {
		const struct hr_merge_instr *ins = &r->instrs[k];
		unsigned i = first + k;
		switch (ins->source) {
		case HR_MERGE_FROM_OLD:
			if (ins->param >= in->nparams)
				return false;
			put_copy(out, i, in->param[ins->param], in->len[ins->param]);
			break;
		case HR_MERGE_FROM_ENTER:
			/* the libs treat an enter of another type as a broken
			 * capture; Harrier reads it as no enter at all */
			if (s && s->valid && s->type + 1 == in->type && ins->param < s->nparams) {
				put_copy(out, i, stored_param(s, ins->param), s->len[ins->param]);
				used_enter = true;
			} else if (ins->empty_fallback) {
				out->param[i] = zeros;
				out->len[i] = 0;
			} else {
				put_default(out, i);
			}
			break;
		case HR_MERGE_FROM_DEFAULT:
			put_default(out, i);
			break;
		default: /* empty, and the container JSON callback Harrier does not rebuild */
			out->param[i] = zeros;
			out->len[i] = 0;
			break;
		}
	}
	if (used_enter)
		s->valid = false; /* its bytes stay readable until the next store */
	return true;
}

/* The fd of an exit that uses one: its own fd parameter. */
static void link_fd(struct hr_event_merge *m, const struct hr_state *st, struct hr_event *out)
{
	int loc = m->exit_fd_location[out->type];
	if (loc < 0 || (uint32_t)loc >= out->nparams_indexed || out->param_len[loc] != 8 || !out->thread)
		return;
	int64_t fd;
	memcpy(&fd, out->param[loc], 8);
	out->fd_num = fd;
	out->fd = hr_state_fd(st, out->thread, fd);
}

const struct hr_event *hr_event_merge(struct hr_event_merge *m, const struct hr_state *st, const struct hr_event *e)
{
	if (e->type >= HR_EVENT_MAX)
		return NULL;
	struct layout a, b, *cur = &a, *next = &b;
	a.type = e->type;
	a.nparams = e->nparams_indexed;
	for (uint32_t i = 0; i < a.nparams; i++) {
		a.param[i] = e->param[i];
		a.len[i] = e->param_len[i];
	}
	for (int step = 0;; step++) {
		enum verdict v = classify(cur);
		if (v == V_DROP)
			return NULL;
		if (v == V_PASS || step == MAX_STEPS)
			break;
		const struct hr_merge_rule *r = rule_for(m, cur);
		if (!r)
			break; /* the libs stop reading here; Harrier keeps the event */
		if (r->action == HR_MERGE_STORE || r->action == HR_MERGE_STORE_AND_PASS) {
			store(m, e->tid, cur);
			if (r->action == HR_MERGE_STORE)
				return NULL;
			break;
		}
		if (r->action == HR_MERGE_PASS)
			break;
		if (!convert(m, e->tid, r, cur, next))
			break;
		struct layout *t = cur;
		cur = next;
		next = t;
	}
	m->count++;
	if (hr_event_table[cur->type].is_enter && m->filtered_enter[cur->type])
		return NULL;
	struct hr_event *out = &m->out;
	*out = *e;
	out->type = cur->type;
	out->nparams = cur->nparams;
	out->nparams_indexed = cur->nparams;
	uint32_t len = HR_EVENT_HEADER_V2_LEN + cur->nparams * hr_event_len_size(cur->type);
	for (uint32_t i = 0; i < cur->nparams; i++) {
		out->param[i] = cur->param[i];
		out->param_len[i] = cur->len[i];
		len += cur->len[i];
	}
	out->len = len;
	out->num = m->count;
	out->enter = NULL;
	out->newest_layout = true;
	if (!hr_event_table[cur->type].is_enter && (hr_event_table[cur->type].flags & HR_EF_USES_FD))
		link_fd(m, st, out);
	return out;
}
