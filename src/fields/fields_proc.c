/*
 * The process, user and group fields (`proc.*`, `thread.*`, `user.*`,
 * `group.*`): read from the thread the event belongs to and from the tables
 * of the state, as sysdig reads them.
 */
#include <stdio.h>
#include <string.h>

#include "fields/field_classes.h"

#define CL_IS_MAIN_THREAD (1u << 30)
/* sysdig's guard against loops in a corrupt parent chain */
#define MAX_ANCESTORS 256

static bool is_main_thread(const struct hr_thread *t)
{
	return t->tid == t->pid || (t->flags & CL_IS_MAIN_THREAD);
}

static const struct hr_thread *main_thread(const struct hr_field_ctx *ctx, const struct hr_thread *t)
{
	return is_main_thread(t) ? t : hr_state_main_thread(ctx->state, t);
}

static const struct hr_thread *parent_of(const struct hr_field_ctx *ctx, const struct hr_thread *t)
{
	return hr_state_thread(ctx->state, t->ptid);
}

/* Appends the NUL-separated items of `b` joined by `sep`. */
static void append_items(struct hr_strbuf *out, const struct hr_bytes *b, const char *sep)
{
	bool first = true;
	for (uint32_t pos = 0; b->p && pos < b->len;) {
		size_t n = strnlen(b->p + pos, b->len - pos);
		if (!first)
			hr_sb_puts(out, sep);
		hr_sb_append(out, b->p + pos, n);
		first = false;
		pos += (uint32_t)n + 1;
	}
}

/* Appends comm followed by each argument, as sysdig builds proc.cmdline. */
static void append_cmdline(struct hr_strbuf *out, const struct hr_thread *t)
{
	hr_sb_puts(out, hr_bytes_str(&t->comm));
	if (t->args.len) {
		hr_sb_putc(out, ' ');
		append_items(out, &t->args, " ");
	}
}

static bool x_tid(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	return hr_set_i64(out, HR_PT_INT64, e->tid);
}
static bool x_pid(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_i64(out, HR_PT_INT64, t->pid);
}
static bool x_vtid(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	if (t->vtid == -1)
		return false;
	return hr_set_i64(out, HR_PT_INT64, t->vtid);
}
static bool x_vpid(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	if (t->vpid == -1)
		return false;
	return hr_set_i64(out, HR_PT_INT64, t->vpid);
}
static bool x_sid(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_i64(out, HR_PT_INT64, t->sid);
}
static bool x_vpgid(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_i64(out, HR_PT_INT64, t->vpgid);
}
static bool x_tty(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_i64(out, HR_PT_INT32, (int32_t)t->tty);
}
static bool x_name(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_str(out, hr_bytes_str(&t->comm), t->comm.len);
}
static bool x_exe(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_str(out, hr_bytes_str(&t->exe), t->exe.len);
}
static bool x_exepath(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_str(out, hr_bytes_str(&t->exepath), t->exepath.len);
}
static bool x_args(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)ctx;
	THREAD_OR_MISSING();
	hr_sb_reset(&f->storage);
	append_items(&f->storage, &t->args, " ");
	return hr_set_storage(out, f);
}
static bool x_env(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	THREAD_OR_MISSING();
	/* the environment is the process's: kept on its main thread */
	const struct hr_thread *m = main_thread(ctx, t);
	hr_sb_reset(&f->storage);
	append_items(&f->storage, &(m ? m : t)->env, " ");
	return hr_set_storage(out, f);
}
static bool x_cmdline(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)ctx;
	THREAD_OR_MISSING();
	hr_sb_reset(&f->storage);
	append_cmdline(&f->storage, t);
	return hr_set_storage(out, f);
}
static bool x_exeline(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)ctx;
	THREAD_OR_MISSING();
	hr_sb_reset(&f->storage);
	hr_sb_puts(&f->storage, hr_bytes_str(&t->exe));
	hr_sb_putc(&f->storage, ' ');
	append_items(&f->storage, &t->args, " ");
	return hr_set_storage(out, f);
}
static bool x_cwd(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	/* the working directory is the process's: kept on its main thread */
	const struct hr_thread *m = main_thread(ctx, t);
	if (!m)
		return hr_set_cstr(out, "./");
	return hr_set_str(out, hr_bytes_str(&m->cwd), m->cwd.len);
}
static bool x_ppid(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	const struct hr_thread *m = main_thread(ctx, t);
	if (!m)
		return false;
	return hr_set_i64(out, HR_PT_INT64, m->ptid);
}
static bool x_pname(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	const struct hr_thread *p = parent_of(ctx, t);
	if (!p)
		return false;
	return hr_set_str(out, hr_bytes_str(&p->comm), p->comm.len);
}
static bool x_pcmdline(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	THREAD_OR_MISSING();
	const struct hr_thread *p = parent_of(ctx, t);
	if (!p)
		return false;
	hr_sb_reset(&f->storage);
	append_cmdline(&f->storage, p);
	return hr_set_storage(out, f);
}

/* The main thread of the N-th ancestor process (0 = the process itself). */
static const struct hr_thread *ancestor(struct hr_field_ctx *ctx, const struct hr_thread *t, int32_t n)
{
	const struct hr_thread *m = main_thread(ctx, t);
	for (int32_t i = 0; m && i < n; i++) {
		const struct hr_thread *p = parent_of(ctx, m);
		if (p == m) /* its own parent: every further step stays here */
			break;
		m = p;
	}
	return m;
}
static bool x_apid(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	THREAD_OR_MISSING();
	const struct hr_thread *a = ancestor(ctx, t, f->arg_index);
	if (!a)
		return false;
	return hr_set_i64(out, HR_PT_INT64, a->pid);
}
static bool x_aname(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	THREAD_OR_MISSING();
	const struct hr_thread *a = ancestor(ctx, t, f->arg_index);
	if (!a)
		return false;
	return hr_set_str(out, hr_bytes_str(&a->comm), a->comm.len);
}

static bool is_shell_name(const struct hr_bytes *comm)
{
	return comm->len >= 2 && comm->p[comm->len - 2] == 's' && comm->p[comm->len - 1] == 'h';
}

static bool x_loginshellid(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			   struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	const struct hr_thread *m = main_thread(ctx, t);
	if (!m)
		return false;
	/* the oldest shell among the process and its ancestors */
	bool found = false;
	int64_t pid = 0;
	for (int i = 0; m && i < MAX_ANCESTORS; i++, m = parent_of(ctx, m)) {
		if (is_shell_name(&m->comm)) {
			pid = m->pid;
			found = true;
		}
		if (m->ptid == m->tid)
			break;
	}
	if (!found)
		return false;
	return hr_set_i64(out, HR_PT_INT64, pid);
}
static bool x_sname(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	/* a session's id is its leader's pid; when the leader is gone, the
	 * oldest ancestor in the same session stands for it */
	const struct hr_thread *s = hr_state_thread(ctx->state, t->sid);
	if (!s) {
		s = main_thread(ctx, t);
		if (!s)
			return false;
		int64_t sid = s->sid;
		for (int i = 0; i < MAX_ANCESTORS; i++) {
			const struct hr_thread *p = parent_of(ctx, s);
			if (!p || p->sid != sid || p == s)
				break;
			s = p;
		}
	}
	return hr_set_str(out, hr_bytes_str(&s->comm), s->comm.len);
}
static bool x_duration(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	if (!t->clone_ts)
		return false;
	return hr_set_u64(out, HR_PT_RELTIME, e->ts - t->clone_ts);
}
static bool x_fdlimit(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	const struct hr_thread *m = main_thread(ctx, t);
	return hr_set_i64(out, HR_PT_INT64, (int64_t)(m ? m : t)->fdlimit);
}
static bool x_vmsize(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_u64(out, HR_PT_UINT64, t->vmsize_kb);
}
static bool x_vmrss(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_u64(out, HR_PT_UINT64, t->vmrss_kb);
}
static bool x_vmswap(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_u64(out, HR_PT_UINT64, t->vmswap_kb);
}
static bool x_pfmajor(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_u64(out, HR_PT_UINT64, t->pfmajor);
}
static bool x_pfminor(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_u64(out, HR_PT_UINT64, t->pfminor);
}
static bool x_ismain(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_bool(out, is_main_thread(t));
}
static bool x_thread_vmsize(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			    struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_u64(out, HR_PT_UINT64, is_main_thread(t) ? t->vmsize_kb : 0);
}
static bool x_thread_vmrss(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			   struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_u64(out, HR_PT_UINT64, is_main_thread(t) ? t->vmrss_kb : 0);
}
static bool x_thread_vmsize_b(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			      struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_u64(out, HR_PT_UINT64, is_main_thread(t) ? (uint64_t)t->vmsize_kb * 1024 : 0);
}
static bool x_thread_vmrss_b(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			     struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_u64(out, HR_PT_UINT64, is_main_thread(t) ? (uint64_t)t->vmrss_kb * 1024 : 0);
}
static bool x_nametid(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)ctx;
	THREAD_OR_MISSING();
	hr_sb_reset(&f->storage);
	hr_sb_printf(&f->storage, "%s%lld", hr_bytes_str(&t->comm), (long long)e->tid);
	return hr_set_storage(out, f);
}
/* Health and liveness probes are recognized from container settings the
 * capture does not hold: no process is one. */
static bool x_not_a_probe(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			  struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_bool(out, false);
}
static bool x_cgroups(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)ctx;
	THREAD_OR_MISSING();
	if (!t->cgroups.len)
		return false;
	hr_sb_reset(&f->storage);
	append_items(&f->storage, &t->cgroups, " ");
	return hr_set_storage(out, f);
}
static bool x_cgroup(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)ctx;
	THREAD_OR_MISSING();
	size_t want = strlen(f->arg_name);
	for (uint32_t pos = 0; t->cgroups.p && pos < t->cgroups.len;) {
		const char *item = t->cgroups.p + pos;
		size_t n = strnlen(item, t->cgroups.len - pos);
		if (n > want && item[want] == '=' && memcmp(item, f->arg_name, want) == 0)
			return hr_set_str(out, item + want + 1, (uint32_t)(n - want - 1));
		pos += (uint32_t)n + 1;
	}
	return false;
}
static bool x_exe_writable(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			   struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_bool(out, t->exe_writable);
}

const struct hr_field_def hr_fields_thread[] = {
	{"proc.pid", HR_PT_INT64, HR_FMT_ID, 0, HR_FA_NONE, x_pid, NULL, "the id of the process generating the event."},
	{"proc.exe", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_exe, NULL,
	 "the first command line argument (usually the executable name or a custom one)."},
	{"proc.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_name, NULL,
	 "the name (excluding the path) of the executable generating the event."},
	{"proc.args", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_args, NULL,
	 "the arguments passed on the command line when starting the process."},
	{"proc.env", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_env, NULL, "the environment variables of the process."},
	{"proc.cmdline", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_cmdline, NULL,
	 "full process command line, i.e. proc.name + proc.args."},
	{"proc.exeline", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_exeline, NULL,
	 "full process command line, with exe as first argument, i.e. proc.exe + proc.args."},
	{"proc.cwd", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_cwd, NULL, "the current working directory of the event."},
	UNSUPPORTED("proc.nthreads", HR_PT_UINT32),
	UNSUPPORTED("proc.nchilds", HR_PT_UINT32),
	{"proc.ppid", HR_PT_INT64, HR_FMT_ID, 0, HR_FA_NONE, x_ppid, NULL, "the pid of the parent of the process."},
	{"proc.pname", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_pname, NULL, "the name of the parent of the process."},
	{"proc.pcmdline", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_pcmdline, NULL,
	 "the full command line (proc.name + proc.args) of the parent of the process."},
	{"proc.apid", HR_PT_INT64, HR_FMT_ID, HR_FF_ARG_OPTIONAL, HR_FA_INDEX, x_apid, NULL,
	 "the pid of one of the process ancestors: proc.apid[1] is the parent, [2] the grandparent..."},
	{"proc.aname", HR_PT_CHARBUF, HR_FMT_NA, HR_FF_ARG_OPTIONAL, HR_FA_INDEX, x_aname, NULL,
	 "the name of one of the process ancestors: proc.aname[1] is the parent, [2] the grandparent..."},
	{"proc.loginshellid", HR_PT_INT64, HR_FMT_ID, 0, HR_FA_NONE, x_loginshellid, NULL,
	 "the pid of the oldest shell among the ancestors of the current process, if there is one."},
	{"proc.duration", HR_PT_RELTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_duration, NULL,
	 "number of nanoseconds since the process started."},
	UNSUPPORTED("proc.fdopencount", HR_PT_UINT64),
	{"proc.fdlimit", HR_PT_INT64, HR_FMT_DEC, 0, HR_FA_NONE, x_fdlimit, NULL,
	 "maximum number of FDs the process can open."},
	UNSUPPORTED("proc.fdusage", HR_PT_DOUBLE),
	{"proc.vmsize", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_vmsize, NULL,
	 "total virtual memory for the process (as kb)."},
	{"proc.vmrss", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_vmrss, NULL,
	 "resident non-swapped memory for the process (as kb)."},
	{"proc.vmswap", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_vmswap, NULL, "swapped memory for the process (as kb)."},
	{"thread.pfmajor", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_pfmajor, NULL,
	 "number of major page faults since thread start."},
	{"thread.pfminor", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_pfminor, NULL,
	 "number of minor page faults since thread start."},
	{"thread.tid", HR_PT_INT64, HR_FMT_ID, 0, HR_FA_NONE, x_tid, NULL, "the id of the thread generating the event."},
	{"thread.ismain", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_ismain, NULL,
	 "'true' if the thread generating the event is the main one in the process."},
	UNSUPPORTED("thread.exectime", HR_PT_RELTIME),
	UNSUPPORTED("thread.totexectime", HR_PT_RELTIME),
	{"thread.cgroups", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_cgroups, NULL,
	 "all the cgroups the thread belongs to, aggregated into a single string."},
	{"thread.cgroup", HR_PT_CHARBUF, HR_FMT_NA, HR_FF_REQUIRES_ARG, HR_FA_WORD, x_cgroup, NULL,
	 "the cgroup the thread belongs to, for a specific subsystem (thread.cgroup.cpuacct)."},
	{"thread.vtid", HR_PT_INT64, HR_FMT_ID, 0, HR_FA_NONE, x_vtid, NULL,
	 "the id of the thread generating the event as seen from its current PID namespace."},
	{"proc.vpid", HR_PT_INT64, HR_FMT_ID, 0, HR_FA_NONE, x_vpid, NULL,
	 "the id of the process generating the event as seen from its current PID namespace."},
	UNSUPPORTED("thread.cpu", HR_PT_DOUBLE),
	UNSUPPORTED("thread.cpu.user", HR_PT_DOUBLE),
	UNSUPPORTED("thread.cpu.system", HR_PT_DOUBLE),
	{"thread.vmsize", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_thread_vmsize, NULL,
	 "for the main thread, the total virtual memory of the process (kb); 0 for other threads."},
	{"thread.vmrss", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_thread_vmrss, NULL,
	 "for the main thread, the resident memory of the process (kb); 0 for other threads."},
	{"thread.vmsize.b", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_thread_vmsize_b, NULL,
	 "for the main thread, the total virtual memory of the process (bytes); 0 for other threads."},
	{"thread.vmrss.b", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_thread_vmrss_b, NULL,
	 "for the main thread, the resident memory of the process (bytes); 0 for other threads."},
	{"proc.sid", HR_PT_INT64, HR_FMT_ID, 0, HR_FA_NONE, x_sid, NULL, "the session id of the process."},
	{"proc.sname", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_sname, NULL,
	 "the name of the current process's session leader."},
	{"proc.tty", HR_PT_INT32, HR_FMT_ID, 0, HR_FA_NONE, x_tty, NULL,
	 "the controlling terminal of the process; 0 for processes without a terminal."},
	{"proc.exepath", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_exepath, NULL,
	 "the full executable path of the process."},
	{"thread.nametid", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_nametid, NULL,
	 "the process name followed by the thread id."},
	{"proc.vpgid", HR_PT_INT64, HR_FMT_ID, 0, HR_FA_NONE, x_vpgid, NULL,
	 "the process group id of the process, as seen from its current PID namespace."},
	{"proc.is_container_healthcheck", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_not_a_probe, NULL,
	 "true if the process runs a container's health check."},
	{"proc.is_container_liveness_probe", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_not_a_probe, NULL,
	 "true if the process runs a container's liveness probe."},
	{"proc.is_container_readiness_probe", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_not_a_probe, NULL,
	 "true if the process runs a container's readiness probe."},
	{"proc.is_exe_writable", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_exe_writable, NULL,
	 "true if the process' executable file is writable by the same user that spawned the process."},
	{0},
};

/* ---- users and groups ----------------------------------------------------- */

#define NO_ID 0xFFFFFFFFu

static const struct hr_user *user_of(struct hr_field_ctx *ctx, uint32_t uid)
{
	return uid == NO_ID ? NULL : hr_state_user(ctx->state, uid);
}

static bool x_uid(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_u64(out, HR_PT_UINT32, t->uid);
}
static bool x_user_name(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	const struct hr_user *u = user_of(ctx, t->uid);
	return u && hr_set_str(out, hr_bytes_str(&u->name), u->name.len);
}
static bool x_homedir(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	const struct hr_user *u = user_of(ctx, t->uid);
	return u && hr_set_str(out, hr_bytes_str(&u->homedir), u->homedir.len);
}
static bool x_shell(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	const struct hr_user *u = user_of(ctx, t->uid);
	return u && hr_set_str(out, hr_bytes_str(&u->shell), u->shell.len);
}
static bool x_loginuid(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_i64(out, HR_PT_INT32, (int32_t)t->loginuid);
}
static bool x_loginname(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	const struct hr_user *u = user_of(ctx, t->loginuid);
	return u && hr_set_str(out, hr_bytes_str(&u->name), u->name.len);
}

const struct hr_field_def hr_fields_user[] = {
	{"user.uid", HR_PT_UINT32, HR_FMT_ID, 0, HR_FA_NONE, x_uid, NULL, "user ID."},
	{"user.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_user_name, NULL, "user name."},
	{"user.homedir", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_homedir, NULL, "home directory of the user."},
	{"user.shell", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_shell, NULL, "user's shell."},
	{"user.loginuid", HR_PT_INT32, HR_FMT_ID, 0, HR_FA_NONE, x_loginuid, NULL, "audit user id (auid)."},
	{"user.loginname", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_loginname, NULL, "audit user name (auid)."},
	{0},
};

static bool x_gid(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_u64(out, HR_PT_UINT64, t->gid);
}
static bool x_group_name(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			 struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	const struct hr_group *g = t->gid == NO_ID ? NULL : hr_state_group(ctx->state, t->gid);
	return g && hr_set_str(out, hr_bytes_str(&g->name), g->name.len);
}

const struct hr_field_def hr_fields_group[] = {
	{"group.gid", HR_PT_UINT64, HR_FMT_ID, 0, HR_FA_NONE, x_gid, NULL, "group ID."},
	{"group.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_group_name, NULL, "group name."},
	{0},
};
