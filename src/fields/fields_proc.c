/*
 * The process, user and group fields (`proc.*`, `thread.*`, `user.*`,
 * `group.*`): read from the thread the event belongs to and from the tables
 * of the state, as sysdig 0.29.3 reads them; Falco 0.44's newer process
 * fields (ancestors' exe/args/env, group leaders, the executable's inode,
 * capabilities, standard fds) with Falco's meaning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields/field_classes.h"

#define CL_CHILD_IN_PIDNS (1u << 29)
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
/* Falco's get_env(NAME): the value of NAME in the process's environment,
 * its surrounding spaces stripped; "" when absent or empty. */
static void append_env_value(struct hr_strbuf *out, const struct hr_bytes *env, const char *name)
{
	size_t nlen = strlen(name);
	for (uint32_t pos = 0; env->p && pos < env->len;) {
		const char *item = env->p + pos;
		size_t n = strnlen(item, env->len - pos);
		pos += (uint32_t)n + 1;
		if (n <= nlen + 1 || item[nlen] != '=' || memcmp(item, name, nlen) != 0)
			continue;
		size_t first = nlen + 1, last = n;
		while (first < n && item[first] == ' ')
			first++;
		while (last > first && item[last - 1] == ' ')
			last--;
		hr_sb_append(out, item + first, last - first);
		return;
	}
}

static bool x_args(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)ctx;
	THREAD_OR_MISSING();
	hr_sb_reset(&f->storage);
	if (f->arg_index < 0) {
		append_items(&f->storage, &t->args, " ");
		return hr_set_storage(out, f);
	}
	/* Falco's proc.args[N]: the N-th argument, "" past the last */
	int32_t i = 0;
	for (uint32_t pos = 0; t->args.p && pos < t->args.len; i++) {
		size_t n = strnlen(t->args.p + pos, t->args.len - pos);
		if (i == f->arg_index) {
			hr_sb_append(&f->storage, t->args.p + pos, n);
			break;
		}
		pos += (uint32_t)n + 1;
	}
	return hr_set_storage(out, f);
}
static bool x_env(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	THREAD_OR_MISSING();
	/* the environment is the process's: kept on its main thread */
	const struct hr_bytes *env = hr_state_env(ctx->state, t);
	hr_sb_reset(&f->storage);
	if (f->arg_name[0])
		append_env_value(&f->storage, env, f->arg_name);
	else
		append_items(&f->storage, env, " ");
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


/* ---- Falco's newer process fields ----------------------------------------
 * Falco walks ancestry two ways: by process (each step the parent's main
 * thread, proc.aexe[N]) and by raw parent links from a main thread without
 * an index (proc.aexe alone lists every ancestor). */

/* Falco's get_ancestor_process: the main thread of the N-th ancestor
 * process, following each parent's main thread. */
static const struct hr_thread *ancestor_process(struct hr_field_ctx *ctx, const struct hr_thread *t, int32_t n)
{
	const struct hr_thread *m = main_thread(ctx, t);
	for (int32_t i = 0; m && i < n; i++) {
		const struct hr_thread *p = parent_of(ctx, m);
		m = p ? main_thread(ctx, p) : NULL;
	}
	return m;
}

typedef bool (*ancestor_visit)(void *arg, const struct hr_thread *a);

/* Falco's traverse_parent_state: visits the parents of `t` (not `t`),
 * stopping where the visitor says so, at a tid of -1, or where a loop in
 * the parent links shows (a second walker at twice the speed meets it). */
static void each_parent(struct hr_field_ctx *ctx, const struct hr_thread *t, ancestor_visit visit, void *arg)
{
	const struct hr_thread *slow = parent_of(ctx, t), *fast = slow;
	fast = fast ? parent_of(ctx, fast) : NULL;
	while (slow && slow->tid != -1) {
		if (!visit(arg, slow))
			return;
		slow = parent_of(ctx, slow);
		for (int i = 0; i < 2; i++) {
			fast = fast ? parent_of(ctx, fast) : NULL;
			if (slow && (slow == fast || slow->tid == slow->ptid))
				return;
		}
	}
}

/* What an indexless ancestor field lists of each process. */
enum ancestor_item { ITEM_NAME, ITEM_EXE, ITEM_EXEPATH, ITEM_ARGS, ITEM_CMDLINE };

static void append_item(struct hr_strbuf *out, const struct hr_thread *a, enum ancestor_item what)
{
	switch (what) {
	case ITEM_NAME:
		hr_sb_append(out, hr_bytes_str(&a->comm), a->comm.len);
		break;
	case ITEM_EXE:
		hr_sb_append(out, hr_bytes_str(&a->exe), a->exe.len);
		break;
	case ITEM_EXEPATH:
		hr_sb_append(out, hr_bytes_str(&a->exepath), a->exepath.len);
		break;
	case ITEM_ARGS:
		append_items(out, &a->args, " ");
		break;
	case ITEM_CMDLINE:
		append_cmdline(out, a);
		break;
	}
}

struct ancestor_list {
	struct hr_strbuf *out;
	enum ancestor_item what;
};

static bool list_ancestor(void *arg, const struct hr_thread *a)
{
	struct ancestor_list *l = arg;
	if (l->out->len)
		hr_sb_putc(l->out, ' ');
	append_item(l->out, a, l->what);
	return true;
}

/* proc.aexe[N], proc.aexepath[N], proc.aargs[N], proc.acmdline[N]: the N-th
 * ancestor's value; without an index every ancestor's, space-separated
 * (no value when that is empty). */
static bool ancestor_field(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			   struct hr_value *out, enum ancestor_item what)
{
	THREAD_OR_MISSING();
	hr_sb_reset(&f->storage);
	if (f->arg_index < 0) {
		const struct hr_thread *m = main_thread(ctx, t);
		if (!m)
			return false;
		struct ancestor_list l = {&f->storage, what};
		each_parent(ctx, m, list_ancestor, &l);
		if (!f->storage.len)
			return false;
		return hr_set_storage(out, f);
	}
	const struct hr_thread *a = ancestor_process(ctx, t, f->arg_index);
	if (!a)
		return false;
	append_item(&f->storage, a, what);
	return hr_set_storage(out, f);
}

static bool x_aexe(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	return ancestor_field(f, ctx, e, out, ITEM_EXE);
}
static bool x_aexepath(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	return ancestor_field(f, ctx, e, out, ITEM_EXEPATH);
}
static bool x_aargs(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	return ancestor_field(f, ctx, e, out, ITEM_ARGS);
}
static bool x_acmdline(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	return ancestor_field(f, ctx, e, out, ITEM_CMDLINE);
}
static bool x_pexe(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	const struct hr_thread *p = ancestor_process(ctx, t, 1);
	return p && hr_set_str(out, hr_bytes_str(&p->exe), p->exe.len);
}
static bool x_pexepath(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	const struct hr_thread *p = ancestor_process(ctx, t, 1);
	return p && hr_set_str(out, hr_bytes_str(&p->exepath), p->exepath.len);
}

static uint64_t count_items(const struct hr_bytes *b, uint64_t *total_len)
{
	uint64_t n = 0;
	*total_len = 0;
	for (uint32_t pos = 0; b->p && pos < b->len; n++) {
		size_t l = strnlen(b->p + pos, b->len - pos);
		*total_len += l;
		pos += (uint32_t)l + 1;
	}
	return n;
}
static bool x_cmdnargs(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	uint64_t total;
	return hr_set_u64(out, HR_PT_UINT64, count_items(&t->args, &total));
}
static bool x_cmdlenargs(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			 struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	uint64_t total;
	count_items(&t->args, &total);
	return hr_set_u64(out, HR_PT_UINT64, total);
}

/* The environment shown for a thread: its main thread's (sinsp's get_env). */
static const struct hr_bytes *env_of(struct hr_field_ctx *ctx, const struct hr_thread *t)
{
	return hr_state_env(ctx->state, t);
}

static bool x_aenv(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	THREAD_OR_MISSING();
	hr_sb_reset(&f->storage);
	if (!f->arg_name[0] && f->arg_index < 1) {
		append_items(&f->storage, env_of(ctx, t), " ");
		return hr_set_storage(out, f);
	}
	const struct hr_thread *m = main_thread(ctx, t);
	if (!m)
		return hr_set_storage(out, f);
	if (f->arg_name[0]) {
		/* the nearest of up to 20 ancestors that has the variable */
		for (int i = 0; i < 20 && f->storage.len == 0; i++) {
			m = parent_of(ctx, m);
			if (!m)
				break;
			append_env_value(&f->storage, env_of(ctx, m), f->arg_name);
		}
		return hr_set_storage(out, f);
	}
	for (int32_t i = 0; i < f->arg_index; i++) {
		m = parent_of(ctx, m);
		if (!m)
			return false;
	}
	append_items(&f->storage, env_of(ctx, m), " ");
	return hr_set_storage(out, f);
}

/* ---- Falco's "any ancestor" filter forms ---- */

bool hr_field_is_any_ancestor(const struct hr_field *f)
{
	hr_field_extract_fn x = f->def->extract;
	if (x == x_aexe || x == x_aexepath || x == x_acmdline)
		return f->arg_index < 0;
	/* Falco tests proc.aenv[N] (a number, no variable name) this way too */
	return x == x_aenv && !f->arg_name[0];
}

struct ancestor_test {
	struct hr_field *f;
	hr_field_value_test test;
	void *arg;
	bool found;
	struct hr_field_ctx *ctx_for_env;
};

static bool test_ancestor(void *arg, const struct hr_thread *a)
{
	struct ancestor_test *at = arg;
	struct hr_field *f = at->f;
	struct hr_value v;
	hr_sb_reset(&f->storage);
	hr_field_extract_fn x = f->def->extract;
	if (x == x_aenv)
		append_items(&f->storage, env_of(at->ctx_for_env, a), " ");
	else
		append_item(&f->storage, a, x == x_aexe ? ITEM_EXE : x == x_aexepath ? ITEM_EXEPATH : ITEM_CMDLINE);
	hr_set_storage(&v, f);
	at->found = at->test(at->arg, &v);
	return !at->found;
}

bool hr_field_any_ancestor(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			   hr_field_value_test test, void *arg)
{
	const struct hr_thread *t = e->thread;
	const struct hr_thread *m = t ? main_thread(ctx, t) : NULL;
	if (!m || !hr_field_is_any_ancestor(f))
		return false;
	struct ancestor_test at = {f, test, arg, false, ctx};
	each_parent(ctx, m, test_ancestor, &at);
	return at.found;
}

static bool x_pvpid(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	const struct hr_thread *p = parent_of(ctx, t);
	return p && hr_set_i64(out, HR_PT_INT64, p->vpid);
}

static bool in_pid_namespace(const struct hr_thread *t)
{
	return (t->flags & CL_CHILD_IN_PIDNS) || (t->tid != t->vtid && t->vtid >= 0);
}

/* Which id a group leader is found by. */
enum group_id { GROUP_SID, GROUP_VPGID, GROUP_PGID };

static int64_t group_id_of(const struct hr_thread *t, enum group_id which)
{
	return which == GROUP_SID ? t->sid : which == GROUP_VPGID ? t->vpgid : t->pgid;
}

struct leader_search {
	enum group_id which;
	int64_t id;
	const struct hr_thread *leader;
};

static bool follow_group(void *arg, const struct hr_thread *a)
{
	struct leader_search *l = arg;
	if (group_id_of(a, l->which) != l->id)
		return false;
	l->leader = a;
	return true;
}

/* Falco's get_oldest_matching_ancestor: the thread whose tid is the id,
 * when the id can be looked up (a real pgid, or a session/group id outside
 * a pid namespace); else the oldest of the unbroken line of parents that
 * share the id. */
static const struct hr_thread *group_leader(struct hr_field_ctx *ctx, const struct hr_thread *t, enum group_id which)
{
	int64_t id = group_id_of(t, which);
	if (id == -1)
		return NULL;
	if (which == GROUP_PGID || !in_pid_namespace(t)) {
		const struct hr_thread *l = hr_state_thread(ctx->state, id);
		if (l)
			return l;
	}
	struct leader_search l = {which, id, NULL};
	each_parent(ctx, t, follow_group, &l);
	return l.leader;
}

/* proc.sid.exe, proc.vpgid.name...: the group leader's value, "" when the
 * leader is not found. */
static bool leader_field(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			 struct hr_value *out, enum group_id which, enum ancestor_item what)
{
	THREAD_OR_MISSING();
	const struct hr_thread *l = group_leader(ctx, t, which);
	hr_sb_reset(&f->storage);
	if (l)
		append_item(&f->storage, l, what);
	return hr_set_storage(out, f);
}

#define LEADER_EXTRACTOR(fn, which, what)                                                                   \
	static bool fn(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out) \
	{                                                                                                   \
		return leader_field(f, ctx, e, out, which, what);                                           \
	}
LEADER_EXTRACTOR(x_sid_exe, GROUP_SID, ITEM_EXE)
LEADER_EXTRACTOR(x_sid_exepath, GROUP_SID, ITEM_EXEPATH)
LEADER_EXTRACTOR(x_vpgid_name, GROUP_VPGID, ITEM_NAME)
LEADER_EXTRACTOR(x_vpgid_exe, GROUP_VPGID, ITEM_EXE)
LEADER_EXTRACTOR(x_vpgid_exepath, GROUP_VPGID, ITEM_EXEPATH)
LEADER_EXTRACTOR(x_pgid_name, GROUP_PGID, ITEM_NAME)
LEADER_EXTRACTOR(x_pgid_exe, GROUP_PGID, ITEM_EXE)
LEADER_EXTRACTOR(x_pgid_exepath, GROUP_PGID, ITEM_EXEPATH)

static bool x_pgid(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_i64(out, HR_PT_INT64, t->pgid);
}
static bool x_is_sid_leader(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			    struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_bool(out, t->sid == t->vpid);
}
static bool x_is_vpgid_leader(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			      struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_bool(out, t->vpgid == t->vpid);
}
static bool x_is_pgid_leader(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			     struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_bool(out, t->pgid == t->pid);
}

static bool x_ppid_duration(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			    struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	const struct hr_thread *p = ancestor_process(ctx, t, 1);
	/* Falco 0.44 falls through to proc.fdopencount's value when the
	 * parent's start is unknown (a missing break); no value is the
	 * meaning the field documents. */
	if (!p || !p->clone_ts)
		return false;
	return hr_set_u64(out, HR_PT_RELTIME, e->ts - p->clone_ts);
}
static bool x_pid_ts(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return t->clone_ts && hr_set_u64(out, HR_PT_RELTIME, t->clone_ts);
}
static bool x_ppid_ts(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	const struct hr_thread *p = parent_of(ctx, t);
	return p && hr_set_u64(out, HR_PT_RELTIME, p->clone_ts);
}

#define BOOL_MEMBER_EXTRACTOR(fn, member)                                                                   \
	static bool fn(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out) \
	{                                                                                                   \
		(void)f, (void)ctx;                                                                         \
		THREAD_OR_MISSING();                                                                        \
		return hr_set_bool(out, t->member);                                                         \
	}
BOOL_MEMBER_EXTRACTOR(x_exe_upper_layer, exe_upper_layer)
BOOL_MEMBER_EXTRACTOR(x_exe_lower_layer, exe_lower_layer)
BOOL_MEMBER_EXTRACTOR(x_exe_from_memfd, exe_from_memfd)

/* Falco's inode fields: 0 stands for "unknown" and gives no value. */
#define NONZERO_MEMBER_EXTRACTOR(fn, member, type)                                                          \
	static bool fn(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out) \
	{                                                                                                   \
		(void)f, (void)ctx;                                                                         \
		THREAD_OR_MISSING();                                                                        \
		return t->member != 0 && hr_set_u64(out, type, t->member);                                  \
	}
NONZERO_MEMBER_EXTRACTOR(x_exe_ino, exe_ino, HR_PT_INT64)
NONZERO_MEMBER_EXTRACTOR(x_exe_ino_ctime, exe_ino_ctime, HR_PT_ABSTIME)
NONZERO_MEMBER_EXTRACTOR(x_exe_ino_mtime, exe_ino_mtime, HR_PT_ABSTIME)
NONZERO_MEMBER_EXTRACTOR(x_exe_ctime_since_start, exe_ino_ctime_duration_clone_ts, HR_PT_ABSTIME)
NONZERO_MEMBER_EXTRACTOR(x_exe_ctime_since_pidns, exe_ino_ctime_duration_pidns_start, HR_PT_ABSTIME)
NONZERO_MEMBER_EXTRACTOR(x_pidns_init_start_ts, pidns_init_start_ts, HR_PT_UINT64)

/* Capability bit numbers' names, as Falco prints sets of them. */
static const char *const cap_names[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
	"CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
	"CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
	"CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
	"CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
	"CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
	"CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

/* The names of the set's capabilities, space-separated; bits without a
 * name are left out. */
static bool caps_value(struct hr_field *f, struct hr_value *out, uint64_t caps)
{
	hr_sb_reset(&f->storage);
	for (size_t i = 0; i < sizeof cap_names / sizeof cap_names[0]; i++) {
		if (!(caps & (1ull << i)))
			continue;
		if (f->storage.len)
			hr_sb_putc(&f->storage, ' ');
		hr_sb_puts(&f->storage, cap_names[i]);
	}
	return hr_set_storage(out, f);
}
static bool x_cap_permitted(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			    struct hr_value *out)
{
	(void)ctx;
	THREAD_OR_MISSING();
	return caps_value(f, out, t->cap_permitted);
}
static bool x_cap_inheritable(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			      struct hr_value *out)
{
	(void)ctx;
	THREAD_OR_MISSING();
	return caps_value(f, out, t->cap_inheritable);
}
static bool x_cap_effective(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			    struct hr_value *out)
{
	(void)ctx;
	THREAD_OR_MISSING();
	return caps_value(f, out, t->cap_effective);
}

/* Falco's fd type names (sysdig 0.29.3's plus the newer types). */
static const char *falco_fd_type_name(uint8_t type)
{
	static const char *const names[] = {
		[HR_FD_FILE] = "file", [HR_FD_FILE_V2] = "file", [HR_FD_DIRECTORY] = "directory",
		[HR_FD_IPV4_SOCK] = "ipv4", [HR_FD_IPV4_SERVSOCK] = "ipv4", [HR_FD_IPV6_SOCK] = "ipv6",
		[HR_FD_IPV6_SERVSOCK] = "ipv6", [HR_FD_UNIX_SOCK] = "unix", [HR_FD_FIFO] = "pipe",
		[HR_FD_EVENT] = "event", [HR_FD_SIGNALFD] = "signalfd", [HR_FD_EVENTPOLL] = "eventpoll",
		[HR_FD_INOTIFY] = "inotify", [HR_FD_TIMERFD] = "timerfd", [HR_FD_NETLINK] = "netlink",
		[HR_FD_BPF] = "bpf", [HR_FD_USERFAULTFD] = "userfaultfd", [HR_FD_IOURING] = "io_uring",
		[HR_FD_MEMFD] = "memfd", [HR_FD_PIDFD] = "pidfd",
	};
	return type < sizeof names / sizeof names[0] && names[type] ? names[type] : "<NA>";
}

/* proc.stdin/stdout/stderr.type and .name: fds 0, 1, 2 of the process. */
static bool std_fd_field(struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out, int64_t fd,
			 bool name)
{
	THREAD_OR_MISSING();
	const struct hr_fd *d = hr_state_fd(ctx->state, t, fd);
	if (!d)
		return false;
	if (name)
		return hr_set_str(out, hr_bytes_str(&d->name), d->name.len);
	return hr_set_cstr(out, falco_fd_type_name(d->type));
}
#define STD_FD_EXTRACTOR(fn, fd, name)                                                                      \
	static bool fn(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out) \
	{                                                                                                   \
		(void)f;                                                                                    \
		return std_fd_field(ctx, e, out, fd, name);                                                 \
	}
STD_FD_EXTRACTOR(x_stdin_type, 0, false)
STD_FD_EXTRACTOR(x_stdout_type, 1, false)
STD_FD_EXTRACTOR(x_stderr_type, 2, false)
STD_FD_EXTRACTOR(x_stdin_name, 0, true)
STD_FD_EXTRACTOR(x_stdout_name, 1, true)
STD_FD_EXTRACTOR(x_stderr_name, 2, true)

/* ---- sysdig's counting fields ------------------------------------------- */

static bool x_nthreads(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	const struct hr_thread *m = main_thread(ctx, t);
	return m && hr_set_u64(out, HR_PT_UINT64, (uint64_t)m->nchilds + 1);
}
static bool x_nchilds(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_u64(out, HR_PT_UINT64, t->nchilds);
}
static bool x_fdopencount(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			  struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	const struct hr_thread *m = main_thread(ctx, t);
	return m && hr_set_u64(out, HR_PT_UINT64, hr_state_fd_table_size(m));
}
static bool x_fdusage(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	const struct hr_thread *m = main_thread(ctx, t);
	if (!m)
		return false;
	int64_t limit = (int64_t)m->fdlimit;
	uint64_t open = hr_state_fd_table_size(m);
	out->type = HR_PT_DOUBLE;
	if (limit <= 0)
		out->v.d = 0;
	else if (open <= (uint64_t)limit)
		out->v.d = (double)open * 100 / (double)limit;
	else
		out->v.d = 100;
	return true;
}

/*
 * thread.exectime, thread.totexectime and thread.cpu* remember values
 * between events, per field as sysdig's filter checks do: the time of the
 * last context switch seen on each CPU, and a number per thread (keyed by
 * the thread's allocation serial, so that a new thread with an old tid
 * starts from zero). These fields print numbers, so the field's string
 * storage is free to hold that memory: a header, one slot per CPU, then an
 * open-addressing table of (serial, value) pairs.
 */
struct field_memory {
	uint32_t ncpus, cap, count;
};

static struct field_memory *memory_head(struct hr_field *f) { return (struct field_memory *)(void *)f->storage.p; }
static uint64_t *memory_cpus(struct hr_field *f) { return (uint64_t *)(void *)(f->storage.p + sizeof(uint64_t) * 2); }
static uint64_t *memory_table(struct hr_field *f)
{
	return memory_cpus(f) + memory_head(f)->ncpus;
}

static void memory_layout(struct hr_field *f, uint32_t ncpus, uint32_t cap)
{
	size_t size = sizeof(uint64_t) * (2 + ncpus + 2 * (size_t)cap);
	f->storage.len = 0;
	hr_sb_grow(&f->storage, size);
	memset(f->storage.p, 0, size);
	f->storage.len = size;
	*memory_head(f) = (struct field_memory){ncpus, cap, 0};
}

static void memory_init(struct hr_field *f, const struct hr_field_ctx *ctx)
{
	if (f->storage.len)
		return;
	const struct hr_machine_info *mi = hr_state_machine(ctx->state);
	memory_layout(f, mi ? mi->num_cpus : 0, 64);
}

/* The per-thread slot of `t`, created at 0. */
static uint64_t *memory_thread_slot(struct hr_field *f, const struct hr_thread *t)
{
	struct field_memory *h = memory_head(f);
	if ((h->count + 1) * 2 > h->cap) {
		uint32_t n = h->cap, ncpus = h->ncpus;
		uint64_t *old = malloc(sizeof(uint64_t) * (ncpus + 2 * (size_t)n));
		if (!old)
			abort();
		memcpy(old, memory_cpus(f), sizeof(uint64_t) * (ncpus + 2 * (size_t)n));
		memory_layout(f, ncpus, n * 2);
		memcpy(memory_cpus(f), old, sizeof(uint64_t) * ncpus);
		for (uint32_t i = 0; i < n; i++)
			if (old[ncpus + 2 * i])
				*memory_thread_slot(f, &(struct hr_thread){.serial = old[ncpus + 2 * i]}) =
					old[ncpus + 2 * i + 1];
		free(old);
		h = memory_head(f);
	}
	uint64_t *table = memory_table(f);
	uint32_t i = (uint32_t)(t->serial * 0x9E3779B97F4A7C15ull >> 32) & (h->cap - 1);
	while (table[2 * i] && table[2 * i] != t->serial)
		i = (i + 1) & (h->cap - 1);
	if (!table[2 * i]) {
		table[2 * i] = t->serial;
		h->count++;
	}
	return &table[2 * i + 1];
}

static uint64_t param_u64(const struct hr_event *e, unsigned i)
{
	uint64_t v = 0;
	hr_param_u64(e, i, &v);
	return v;
}

enum { EVT_SCHEDSWITCH_1_E = 146, EVT_SCHEDSWITCH_6_E = 152, EVT_PROCINFO_E = 234 };

/* sysdig's extract_exectime: on a context switch, the time since the last
 * switch this field saw on the same CPU (0 for the first); 0 otherwise. */
static uint64_t exectime(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e)
{
	if (e->type != EVT_SCHEDSWITCH_1_E && e->type != EVT_SCHEDSWITCH_6_E)
		return 0;
	memory_init(f, ctx);
	if (e->cpu >= memory_head(f)->ncpus)
		return 0;
	uint64_t *last = &memory_cpus(f)[e->cpu];
	uint64_t d = *last ? e->ts - *last : 0;
	*last = e->ts;
	return d;
}
static bool x_exectime(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	return hr_set_u64(out, HR_PT_RELTIME, exectime(f, ctx, e));
}
static bool x_totexectime(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			  struct hr_value *out)
{
	uint64_t d = exectime(f, ctx, e);
	THREAD_OR_MISSING();
	memory_init(f, ctx);
	uint64_t *total = memory_thread_slot(f, t);
	*total += d;
	return hr_set_u64(out, HR_PT_RELTIME, *total);
}

/* sysdig's extract_thread_cpu: on a procinfo event, how much the thread's
 * CPU counters (user, system or both) grew since this field's last
 * procinfo for it, capped at 100; 0 the first time. */
static bool thread_cpu(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out,
		       bool user, bool system)
{
	THREAD_OR_MISSING();
	if (e->type != EVT_PROCINFO_E)
		return false;
	uint64_t now = (user ? param_u64(e, 0) : 0) + (system ? param_u64(e, 1) : 0);
	memory_init(f, ctx);
	uint64_t *last = memory_thread_slot(f, t);
	out->type = HR_PT_DOUBLE;
	out->v.d = 0;
	if (*last) {
		out->v.d = (double)(now - *last);
		if (out->v.d > 100)
			out->v.d = 100;
	}
	*last = now;
	return true;
}
static bool x_thread_cpu(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	return thread_cpu(f, ctx, e, out, true, true);
}
static bool x_thread_cpu_user(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			      struct hr_value *out)
{
	return thread_cpu(f, ctx, e, out, true, false);
}
static bool x_thread_cpu_system(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
				struct hr_value *out)
{
	return thread_cpu(f, ctx, e, out, false, true);
}

const struct hr_field_def hr_fields_thread[] = {
	{"proc.pid", HR_PT_INT64, HR_FMT_ID, 0, HR_FA_NONE, x_pid, NULL, "process id (PID) of the process behind the event."},
	{"proc.exe", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_exe, NULL,
	 "argv[0] of the process: normally how the program was invoked, but the caller may set anything."},
	{"proc.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_name, NULL,
	 "base name of the program the process is running, without directories."},
	{"proc.args", HR_PT_CHARBUF, HR_FMT_NA, HR_FF_ARG_OPTIONAL, HR_FA_INDEX, x_args, NULL,
	 "command-line arguments after argv[0]; proc.args[N] gives the one at index N (from 0)."},
	{"proc.env", HR_PT_CHARBUF, HR_FMT_NA, HR_FF_ARG_OPTIONAL, HR_FA_KEY, x_env, NULL,
	 "the process' environment; proc.env[NAME] picks out one variable's value."},
	{"proc.cmdline", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_cmdline, NULL,
	 "proc.name followed by proc.args: the whole command line."},
	{"proc.exeline", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_exeline, NULL,
	 "proc.exe followed by proc.args: the command line as invoked."},
	{"proc.cwd", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_cwd, NULL, "working directory of the process at the time of the event."},
	{"proc.nthreads", HR_PT_UINT32, HR_FMT_DEC, 0, HR_FA_NONE, x_nthreads, NULL,
	 "how many threads the process has right now, its main thread included."},
	{"proc.nchilds", HR_PT_UINT32, HR_FMT_DEC, 0, HR_FA_NONE, x_nchilds, NULL,
	 "how many threads the process has right now besides its main thread."},
	{"proc.ppid", HR_PT_INT64, HR_FMT_ID, 0, HR_FA_NONE, x_ppid, NULL, "PID of this process' parent."},
	{"proc.pname", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_pname, NULL, "the name of the parent of the process."},
	{"proc.pcmdline", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_pcmdline, NULL,
	 "command line (name and arguments) of the parent process."},
	{"proc.apid", HR_PT_INT64, HR_FMT_ID, HR_FF_ARG_OPTIONAL, HR_FA_INDEX, x_apid, NULL,
	 "the pid of one of the process ancestors: proc.apid[1] is the parent, [2] the grandparent..."},
	{"proc.aname", HR_PT_CHARBUF, HR_FMT_NA, HR_FF_ARG_OPTIONAL, HR_FA_INDEX, x_aname, NULL,
	 "the name of one of the process ancestors: proc.aname[1] is the parent, [2] the grandparent..."},
	{"proc.loginshellid", HR_PT_INT64, HR_FMT_ID, 0, HR_FA_NONE, x_loginshellid, NULL,
	 "the pid of the oldest shell among the ancestors of the current process, if there is one."},
	{"proc.duration", HR_PT_RELTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_duration, NULL,
	 "how long the process has existed, in nanoseconds."},
	{"proc.fdopencount", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_fdopencount, NULL,
	 "how many file descriptors the process holds open."},
	{"proc.fdlimit", HR_PT_INT64, HR_FMT_DEC, 0, HR_FA_NONE, x_fdlimit, NULL,
	 "the most file descriptors this process may have open."},
	{"proc.fdusage", HR_PT_DOUBLE, HR_FMT_NA, 0, HR_FA_NONE, x_fdusage, NULL,
	 "open file descriptors as a share of the process' limit."},
	{"proc.vmsize", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_vmsize, NULL,
	 "size of the process' virtual address space, in kB."},
	{"proc.vmrss", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_vmrss, NULL,
	 "resident set size of the process (in RAM, not swapped out), in kB."},
	{"proc.vmswap", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_vmswap, NULL, "amount of the process' memory swapped out, in kB."},
	{"thread.pfmajor", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_pfmajor, NULL,
	 "count of major page faults the thread has taken since it started."},
	{"thread.pfminor", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_pfminor, NULL,
	 "count of minor page faults the thread has taken since it started."},
	{"thread.tid", HR_PT_INT64, HR_FMT_ID, 0, HR_FA_NONE, x_tid, NULL, "TID: which thread made the call."},
	{"thread.ismain", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_ismain, NULL,
	 "'true' when the thread is its process' main thread (TID equals PID)."},
	{"thread.exectime", HR_PT_RELTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_exectime, NULL,
	 "nanoseconds of CPU the previously running thread used; only context switch events carry it."},
	{"thread.totexectime", HR_PT_RELTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_totexectime, NULL,
	 "nanoseconds of CPU this thread has used since the capture began."},
	{"thread.cgroups", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_cgroups, NULL,
	 "every cgroup of the thread, joined in one string."},
	{"thread.cgroup", HR_PT_CHARBUF, HR_FMT_NA, HR_FF_REQUIRES_ARG, HR_FA_WORD, x_cgroup, NULL,
	 "the thread's cgroup in one subsystem, named in the field (e.g. thread.cgroup.cpuacct)."},
	{"thread.vtid", HR_PT_INT64, HR_FMT_ID, 0, HR_FA_NONE, x_vtid, NULL,
	 "thread id as the thread's own PID namespace sees it."},
	{"proc.vpid", HR_PT_INT64, HR_FMT_ID, 0, HR_FA_NONE, x_vpid, NULL,
	 "process id as the process' own PID namespace sees it."},
	{"thread.cpu", HR_PT_DOUBLE, HR_FMT_NA, 0, HR_FA_NONE, x_thread_cpu, NULL,
	 "share of a CPU this thread used during the most recent second."},
	{"thread.cpu.user", HR_PT_DOUBLE, HR_FMT_NA, 0, HR_FA_NONE, x_thread_cpu_user, NULL,
	 "share of a CPU this thread spent in user mode during the most recent second."},
	{"thread.cpu.system", HR_PT_DOUBLE, HR_FMT_NA, 0, HR_FA_NONE, x_thread_cpu_system, NULL,
	 "share of a CPU this thread spent in the kernel during the most recent second."},
	{"thread.vmsize", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_thread_vmsize, NULL,
	 "virtual memory of the process in kB when read on its main thread; other threads give 0."},
	{"thread.vmrss", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_thread_vmrss, NULL,
	 "for the main thread, the resident memory of the process (kb); 0 for other threads."},
	{"thread.vmsize.b", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_thread_vmsize_b, NULL,
	 "bytes of virtual memory mapped by the process, shown on its main thread only (0 on its other threads)."},
	{"thread.vmrss.b", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_thread_vmrss_b, NULL,
	 "for the main thread, the resident memory of the process (bytes); 0 for other threads."},
	{"proc.sid", HR_PT_INT64, HR_FMT_ID, 0, HR_FA_NONE, x_sid, NULL, "the session id of the process."},
	{"proc.sname", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_sname, NULL,
	 "the name of the current process's session leader."},
	{"proc.tty", HR_PT_INT32, HR_FMT_ID, 0, HR_FA_NONE, x_tty, NULL,
	 "terminal the process is attached to; 0 when it has none."},
	{"proc.exepath", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_exepath, NULL,
	 "full path of the program file the process runs."},
	{"thread.nametid", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_nametid, NULL,
	 "the process name followed by the thread id."},
	{"proc.vpgid", HR_PT_INT64, HR_FMT_ID, 0, HR_FA_NONE, x_vpgid, NULL,
	 "process group id as the process' own PID namespace sees it."},
	{"proc.is_container_healthcheck", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_not_a_probe, NULL,
	 "'true' when the process was started as a container's health check."},
	{"proc.is_container_liveness_probe", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_not_a_probe, NULL,
	 "'true' when the process was started as a container's liveness probe."},
	{"proc.is_container_readiness_probe", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_not_a_probe, NULL,
	 "'true' when the process was started as a container's readiness probe."},
	{"proc.is_exe_writable", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_exe_writable, NULL,
	 "'true' when the user who started the process may write to its program file."},
	/* Falco's newer fields (sysdig 0.29.3 lacks them). */
	{"proc.pexe", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_pexe, NULL,
	 "argv[0] (proc.exe) of the process that spawned this one."},
	{"proc.aexe", HR_PT_CHARBUF, HR_FMT_NA, HR_FF_ARG_OPTIONAL, HR_FA_INDEX, x_aexe, NULL,
	 "the proc.exe of a process ancestor: proc.aexe[1] is the parent, [2] the grandparent...; without an index, every ancestor's, space-separated (in a filter: true when any ancestor's passes)."},
	{"proc.pexepath", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_pexepath, NULL,
	 "where the parent process's program lives on disk (its proc.exepath)."},
	{"proc.aexepath", HR_PT_CHARBUF, HR_FMT_NA, HR_FF_ARG_OPTIONAL, HR_FA_INDEX, x_aexepath, NULL,
	 "the proc.exepath of a process ancestor: proc.aexepath[1] is the parent, [2] the grandparent...; without an index, every ancestor's, space-separated (in a filter: true when any ancestor's passes)."},
	{"proc.aargs", HR_PT_CHARBUF, HR_FMT_NA, HR_FF_ARG_OPTIONAL, HR_FA_INDEX, x_aargs, NULL,
	 "the proc.args of a process ancestor: proc.aargs[1] is the parent, [2] the grandparent..."},
	{"proc.acmdline", HR_PT_CHARBUF, HR_FMT_NA, HR_FF_ARG_OPTIONAL, HR_FA_INDEX, x_acmdline, NULL,
	 "the proc.cmdline of a process ancestor: proc.acmdline[1] is the parent, [2] the grandparent...; without an index, every ancestor's, space-separated (in a filter: true when any ancestor's passes)."},
	{"proc.cmdnargs", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_cmdnargs, NULL,
	 "how many arguments follow the program name on the command line."},
	{"proc.cmdlenargs", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_cmdlenargs, NULL,
	 "the total length of the command line args (proc.args), separators excluded."},
	{"proc.aenv", HR_PT_CHARBUF, HR_FMT_NA, HR_FF_ARG_OPTIONAL, HR_FA_KEY, x_aenv, NULL,
	 "the proc.env of a process ancestor (proc.aenv[2]), or the value of a variable in the nearest ancestor "
	 "that has it (proc.aenv[NAME]); in a filter without a variable name, true when any ancestor's environment passes."},
	{"proc.pvpid", HR_PT_INT64, HR_FMT_ID, 0, HR_FA_NONE, x_pvpid, NULL,
	 "the parent's process id inside the PID namespace the parent lives in."},
	{"proc.sid.exe", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_sid_exe, NULL,
	 "the proc.exe of the current process's session leader."},
	{"proc.sid.exepath", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_sid_exepath, NULL,
	 "the proc.exepath of the current process's session leader."},
	{"proc.vpgid.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_vpgid_name, NULL,
	 "the name of the current process's process group leader (by vpgid)."},
	{"proc.vpgid.exe", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_vpgid_exe, NULL,
	 "the proc.exe of the current process's process group leader (by vpgid)."},
	{"proc.vpgid.exepath", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_vpgid_exepath, NULL,
	 "the proc.exepath of the current process's process group leader (by vpgid)."},
	{"proc.pgid", HR_PT_INT64, HR_FMT_ID, 0, HR_FA_NONE, x_pgid, NULL,
	 "id of the process group this process belongs to, in the host's numbering."},
	{"proc.pgid.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_pgid_name, NULL,
	 "the name of the current process's process group leader (by pgid)."},
	{"proc.pgid.exe", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_pgid_exe, NULL,
	 "the proc.exe of the current process's process group leader (by pgid)."},
	{"proc.pgid.exepath", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_pgid_exepath, NULL,
	 "the proc.exepath of the current process's process group leader (by pgid)."},
	{"proc.ppid.duration", HR_PT_RELTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_ppid_duration, NULL,
	 "how long the parent process has existed at this event, in nanoseconds."},
	{"proc.pid.ts", HR_PT_RELTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_pid_ts, NULL,
	 "start of the process (its clone) as epoch nanoseconds."},
	{"proc.ppid.ts", HR_PT_RELTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_ppid_ts, NULL,
	 "when the parent process was cloned, in nanoseconds since the Unix epoch."},
	{"proc.is_exe_upper_layer", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_exe_upper_layer, NULL,
	 "true if the executable file of the process is in the upper layer of an overlayfs."},
	{"proc.is_exe_lower_layer", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_exe_lower_layer, NULL,
	 "true if the executable file of the process is in a lower layer of an overlayfs."},
	{"proc.is_exe_from_memfd", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_exe_from_memfd, NULL,
	 "true if the executable file of the process is stored in fileless memory (memfd)."},
	{"proc.is_sid_leader", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_is_sid_leader, NULL,
	 "true when the process leads its session, i.e. its proc.vpid equals proc.sid."},
	{"proc.is_vpgid_leader", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_is_vpgid_leader, NULL,
	 "true if this process is the leader of the virtual process group (proc.vpgid == proc.vpid)."},
	{"proc.is_pgid_leader", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_is_pgid_leader, NULL,
	 "true if this process is the leader of the process group (proc.pgid == proc.pid)."},
	{"proc.exe_ino", HR_PT_INT64, HR_FMT_DEC, 0, HR_FA_NONE, x_exe_ino, NULL,
	 "inode of the program file the process executes."},
	{"proc.exe_ino.ctime", HR_PT_ABSTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_exe_ino_ctime, NULL,
	 "last status change time of the executable file (inode->ctime), epoch nanoseconds."},
	{"proc.exe_ino.mtime", HR_PT_ABSTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_exe_ino_mtime, NULL,
	 "last modification time of the executable file (inode->mtime), epoch nanoseconds."},
	{"proc.exe_ino.ctime_duration_proc_start", HR_PT_ABSTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_exe_ctime_since_start,
	 NULL, "nanoseconds between the executable's last status change (ctime) and the process start."},
	{"proc.exe_ino.ctime_duration_pidns_start", HR_PT_ABSTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_exe_ctime_since_pidns,
	 NULL, "nanoseconds between the PID namespace's start and the executable's last status change (ctime)."},
	{"proc.pidns_init_start_ts", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_pidns_init_start_ts, NULL,
	 "start of the PID namespace (its init process) as epoch nanoseconds."},
	{"thread.cap_permitted", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_cap_permitted, NULL,
	 "names of the capabilities the thread may take on (its permitted set)."},
	{"thread.cap_inheritable", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_cap_inheritable, NULL,
	 "names of the capabilities the thread passes across execve (its inheritable set)."},
	{"thread.cap_effective", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_cap_effective, NULL,
	 "names of the capabilities the kernel checks for the thread right now (its effective set)."},
	{"proc.stdin.type", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_stdin_type, NULL,
	 "the type of fd 0 (stdin) of the process."},
	{"proc.stdout.type", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_stdout_type, NULL,
	 "the type of fd 1 (stdout) of the process."},
	{"proc.stderr.type", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_stderr_type, NULL,
	 "the type of fd 2 (stderr) of the process."},
	{"proc.stdin.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_stdin_name, NULL,
	 "the name of fd 0 (stdin) of the process."},
	{"proc.stdout.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_stdout_name, NULL,
	 "the name of fd 1 (stdout) of the process."},
	{"proc.stderr.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_stderr_name, NULL,
	 "the name of fd 2 (stderr) of the process."},
	{0},
};

/* ---- users and groups ----------------------------------------------------- */

#define NO_ID 0xFFFFFFFFu

/* The thread's container names its users when the state knows them. */
static const struct hr_user *user_of(struct hr_field_ctx *ctx, const struct hr_thread *t, uint32_t uid)
{
	return uid == NO_ID ? NULL : hr_state_thread_user(ctx->state, t, uid);
}

/* An id missing from the user (group) table: sysdig 0.29.3 has no value;
 * Falco 0.44 (hr_state_newest_libs) names it `root_text` when it is 0 and
 * "<NA>" otherwise (a NULL `root_text`: "<NA>" always). */
static bool missing_id_text(struct hr_field_ctx *ctx, uint32_t id, const char *root_text, struct hr_value *out)
{
	if (!hr_state_newest_libs(ctx->state))
		return false;
	return hr_set_cstr(out, id == 0 && root_text ? root_text : "<NA>");
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
	const struct hr_user *u = user_of(ctx, t, t->uid);
	if (!u)
		return missing_id_text(ctx, t->uid, "root", out);
	return hr_set_str(out, hr_bytes_str(&u->name), u->name.len);
}
static bool x_homedir(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	const struct hr_user *u = user_of(ctx, t, t->uid);
	if (!u)
		return missing_id_text(ctx, t->uid, "/root", out);
	return hr_set_str(out, hr_bytes_str(&u->homedir), u->homedir.len);
}
static bool x_shell(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	const struct hr_user *u = user_of(ctx, t, t->uid);
	if (!u)
		return missing_id_text(ctx, t->uid, NULL, out);
	return hr_set_str(out, hr_bytes_str(&u->shell), u->shell.len);
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
	const struct hr_user *u = user_of(ctx, t, t->loginuid);
	if (!u)
		return missing_id_text(ctx, t->loginuid, "root", out);
	return hr_set_str(out, hr_bytes_str(&u->name), u->name.len);
}

const struct hr_field_def hr_fields_user[] = {
	{"user.uid", HR_PT_UINT32, HR_FMT_ID, 0, HR_FA_NONE, x_uid, NULL, "numeric id of the user."},
	{"user.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_user_name, NULL, "login name of the user."},
	{"user.homedir", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_homedir, NULL, "the user's home directory path."},
	{"user.shell", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_shell, NULL, "login shell configured for the user."},
	{"user.loginuid", HR_PT_INT32, HR_FMT_ID, 0, HR_FA_NONE, x_loginuid, NULL, "audit login id (auid) of the process."},
	{"user.loginname", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_loginname, NULL, "name of the user that the audit login id (auid) belongs to."},
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
	const struct hr_group *g = t->gid == NO_ID ? NULL : hr_state_thread_group(ctx->state, t, t->gid);
	if (!g)
		return missing_id_text(ctx, t->gid, "root", out);
	return hr_set_str(out, hr_bytes_str(&g->name), g->name.len);
}

const struct hr_field_def hr_fields_group[] = {
	{"group.gid", HR_PT_UINT64, HR_FMT_ID, 0, HR_FA_NONE, x_gid, NULL, "numeric id of the group."},
	{"group.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_group_name, NULL, "name of the group."},
	{0},
};
