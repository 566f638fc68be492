/*
 * 2022 ids for exits, and the 2022 enter event of an exit built from the
 * exit's parameters, matched by name (record_2022.h).
 */
#include "capture/live/record_2022.h"

#include <string.h>

/* The exit rewritten in place (record_2022.h). */
static void exit_to_2022(struct hr_event *x)
{
	switch (x->type) {
	case 389: /* accept4 (ACCEPT4_6_X): ACCEPT4_5_X plus flags */
		x->type = 249;
		break;
	case 367: /* dup (DUP_1_X): DUP_X plus oldfd */
	case 363: /* dup2 (DUP2_X) and dup3 (DUP3_X): 2022 drivers sent DUP_X for all three */
	case 365:
		x->type = 125;
		break;
	case 393: /* pipe2 (PIPE2_X): PIPE_X plus flags */
		x->type = 61;
		break;
	case 1: { /* generic syscall */
		uint16_t code;
		if (hr_param_u16(x, 0, &code) && (code >= HR_SYSCALL_MAX || !hr_syscall_names[code].name_2022)) {
			code = 0;
			memcpy((uint8_t *)x->param[0], &code, 2);
		}
		break;
	}
	default:
		break;
	}
}

/* The newest reader converts old ids by their parameter count: never more
 * parameters than its table has for a converter-managed id (the dropped
 * ones are carried by the enter event). */
static void trim_to_table(struct hr_event *x)
{
	const struct hr_event_info *info = hr_event_info_of(x->type);
	if (info && (info->flags & HR_EF_CONVERTER_MANAGED) && x->nparams > info->nparams) {
		x->nparams = info->nparams;
		if (x->nparams_indexed > x->nparams)
			x->nparams_indexed = x->nparams;
	}
}

/* Exit ids exit_to_2022 maps to a 2022 id. */
static bool has_2022_id(uint16_t type)
{
	return type == 389 || type == 367 || type == 363 || type == 365 || type == 393;
}

bool hr_record_2022_needs_generic(uint16_t type)
{
	const struct hr_event_info *info = hr_event_info_of(type);
	return info && type != 1 && !info->is_enter && !info->known_2022 && !has_2022_id(type);
}

uint32_t hr_record_2022_generic(const struct hr_event *x, uint16_t ppm_sc, uint16_t native, uint8_t *buf,
				size_t cap)
{
	const uint32_t nparams = 2, len = HR_EVENT_HEADER_V2_LEN + 2 * 2 + 2 + 2;
	if (cap < len)
		return 0;
	uint64_t tid = (uint64_t)x->tid;
	uint16_t type = 1, two = 2; /* GENERIC_X */
	memcpy(buf, &x->ts, 8);
	memcpy(buf + 8, &tid, 8);
	memcpy(buf + 16, &len, 4);
	memcpy(buf + 20, &type, 2);
	memcpy(buf + 22, &nparams, 4);
	memcpy(buf + HR_EVENT_HEADER_V2_LEN, &two, 2);
	memcpy(buf + HR_EVENT_HEADER_V2_LEN + 2, &two, 2);
	memcpy(buf + HR_EVENT_HEADER_V2_LEN + 4, &ppm_sc, 2);
	memcpy(buf + HR_EVENT_HEADER_V2_LEN + 6, &native, 2);
	return len;
}

/* Wire size of a fixed-size parameter type, 0 for variable ones. */
static unsigned fixed_size(uint8_t type)
{
	switch (type) {
	case HR_PT_INT8: case HR_PT_UINT8: case HR_PT_SIGTYPE: case HR_PT_FLAGS8: case HR_PT_ENUMFLAGS8:
	case HR_PT_L4PROTO: case HR_PT_SOCKFAMILY:
		return 1;
	case HR_PT_INT16: case HR_PT_UINT16: case HR_PT_FLAGS16: case HR_PT_ENUMFLAGS16: case HR_PT_PORT:
	case HR_PT_SYSCALLID:
		return 2;
	case HR_PT_INT32: case HR_PT_UINT32: case HR_PT_FLAGS32: case HR_PT_ENUMFLAGS32: case HR_PT_UID:
	case HR_PT_GID: case HR_PT_BOOL: case HR_PT_SIGSET: case HR_PT_IPV4ADDR: case HR_PT_MODE: case HR_PT_FD32:
	case HR_PT_PID32:
		return 4;
	case HR_PT_INT64: case HR_PT_UINT64: case HR_PT_ERRNO: case HR_PT_FD: case HR_PT_PID: case HR_PT_RELTIME:
	case HR_PT_ABSTIME: case HR_PT_DOUBLE:
		return 8;
	default:
		return 0;
	}
}

static bool is_string(uint8_t type)
{
	return type == HR_PT_CHARBUF || type == HR_PT_FSPATH || type == HR_PT_FSRELPATH;
}

/* The exit parameter carrying the enter parameter `name`, or -1. */
static int exit_param(const struct hr_event *x, const struct hr_event_info *xi, const char *name)
{
	for (unsigned i = 0; i < xi->nparams; i++)
		if (strcmp(xi->params[i].name, name) == 0 && hr_event_has_param(x, i))
			return (int)i;
	/* dup's enter names the duplicated fd "fd", its exit "oldfd" */
	if (strcmp(name, "fd") == 0)
		return exit_param(x, xi, "oldfd");
	return -1;
}

/* The child's side of a clone, fork, vfork or clone3 (result 0). */
static bool is_child_of_clone(const struct hr_event *x, const struct hr_event_info *xi)
{
	int64_t res;
	if (strcmp(xi->name, "clone") && strcmp(xi->name, "fork") && strcmp(xi->name, "vfork") &&
	    strcmp(xi->name, "clone3"))
		return false;
	if (!hr_event_has_param(x, 0) || x->param_len[0] != sizeof res)
		return false;
	memcpy(&res, x->param[0], sizeof res);
	return res == 0;
}

/* The 2022 enter of exit `x` (already given its 2022 id), its parameters
 * taken by name from the exit's layout `xi`. The child's side of a clone
 * gets none: the child never entered the syscall, and an enter from it
 * would make a reader create the child empty, so that its own exit no
 * longer describes it (readers build a child whose exit comes before its
 * parent's from that exit) and the parent's exit, often after the child's
 * execve under vfork, would then replace the exec'd child with a copy of
 * the parent. */
static bool build_enter(const struct hr_event *x, const struct hr_event_info *xi, uint8_t *buf, size_t cap,
			uint32_t *len)
{
	const struct hr_event_info *ei = hr_event_info_of((uint16_t)(x->type - 1));
	if (!xi || !ei || !ei->known_2022 || !ei->is_enter || (ei->flags & HR_EF_UNUSED) ||
	    hr_event_len_size((uint16_t)(x->type - 1)) != 2 || is_child_of_clone(x, xi))
		return false;
	unsigned n = ei->nparams;
	size_t off = HR_EVENT_HEADER_V2_LEN + 2 * (size_t)n;
	if (off > cap)
		return false;
	for (unsigned i = 0; i < n; i++) {
		const struct hr_param_info *p = &ei->params[i];
		int from = exit_param(x, xi, p->name);
		size_t plen;
		if (from >= 0) {
			plen = x->param_len[from];
			if (off + plen > cap || plen > UINT16_MAX)
				return false;
			memcpy(buf + off, x->param[from], plen);
		} else {
			/* not carried by the exit: a zero value, never an empty
			 * fixed-size parameter (2022 misreads those) */
			plen = is_string(p->type) ? 1 : fixed_size(p->type);
			if (off + plen > cap)
				return false;
			memset(buf + off, 0, plen);
		}
		uint16_t l16 = (uint16_t)plen;
		memcpy(buf + HR_EVENT_HEADER_V2_LEN + 2 * i, &l16, 2);
		off += plen;
	}
	uint64_t tid = (uint64_t)x->tid;
	uint32_t total = (uint32_t)off, np = n;
	uint16_t type = (uint16_t)(x->type - 1);
	memcpy(buf, &x->ts, 8);
	memcpy(buf + 8, &tid, 8);
	memcpy(buf + 16, &total, 4);
	memcpy(buf + 20, &type, 2);
	memcpy(buf + 22, &np, 4);
	*len = total;
	return true;
}

bool hr_record_2022(struct hr_event *x, uint8_t *buf, size_t cap, uint32_t *len)
{
	if ((x->type & 1) == 0 || x->type >= HR_EVENT_MAX)
		return false;
	/* parameter names come from the layout the exit was built with */
	const struct hr_event_info *xi = hr_event_info_of(x->type);
	exit_to_2022(x);
	bool with_enter = build_enter(x, xi, buf, cap, len);
	trim_to_table(x);
	return with_enter;
}
