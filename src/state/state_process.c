/*
 * Process lifecycle events: a new thread from clone/fork/vfork/clone3 (from
 * the parent's exit or, when that was not seen, the child's), and a new
 * program from execve/execveat, in every event version sysdig 0.29.3 reads.
 */
#include <string.h>

#include "state/state_internal.h"
#include "state/state_event_ids.h"

/* sinsp forgets a thread whose clone is older than this when the same tid
 * returns from clone again (CLONE_STALE_TIME_NS). */
#define CLONE_STALE_NS 2000000000ull

/* PPM_CL_CLONE_NEWPID: the child starts a new pid namespace. */
#define CL_CLONE_NEWPID (1u << 6)

/* Where each clone version keeps the parameters sinsp reads. */
struct clone_layout {
	unsigned flags, uid, gid;
	bool has_comm, has_vm, has_ns, has_cgroups;
};

static bool clone_layout_of(uint16_t type, struct clone_layout *l)
{
	memset(l, 0, sizeof(*l));
	switch (type) {
	case EV_CLONE_11_X:
		*l = (struct clone_layout){.flags = 8, .uid = 9, .gid = 10};
		return true;
	case EV_CLONE_16_X:
	case EV_FORK_X:
	case EV_VFORK_X:
		*l = (struct clone_layout){.flags = 13, .uid = 14, .gid = 15, .has_vm = true};
		return true;
	case EV_CLONE_17_X:
	case EV_FORK_17_X:
	case EV_VFORK_17_X:
		*l = (struct clone_layout){.flags = 14, .uid = 15, .gid = 16, .has_comm = true, .has_vm = true};
		return true;
	case EV_CLONE_20_X:
	case EV_FORK_20_X:
	case EV_VFORK_20_X:
	case EV_CLONE3_X:
		*l = (struct clone_layout){.flags = 15, .uid = 16, .gid = 17, .has_comm = true, .has_vm = true,
					   .has_ns = true, .has_cgroups = true};
		return true;
	default:
		return false;
	}
}

static bool is_placeholder(const struct hr_thread *t)
{
	return t->comm.len == 4 && memcmp(t->comm.p, "<NA>", 4) == 0 && t->uid == 0xffffffffu;
}

/* The program identity a child inherits from its parent. */
static void inherit_program(struct hr_thread *child, const struct hr_thread *parent, uint32_t flags)
{
	hr_bytes_copy(&child->comm, &parent->comm);
	hr_bytes_copy(&child->exe, &parent->exe);
	hr_bytes_copy(&child->exepath, &parent->exepath);
	child->exe_writable = parent->exe_writable;
	/* What Falco's clone parsers also take from the caller. */
	child->exe_upper_layer = parent->exe_upper_layer;
	child->exe_lower_layer = parent->exe_lower_layer;
	child->exe_from_memfd = parent->exe_from_memfd;
	child->pgid = parent->pgid;
	child->cap_permitted = parent->cap_permitted;
	child->cap_inheritable = parent->cap_inheritable;
	child->cap_effective = parent->cap_effective;
	child->exe_ino = parent->exe_ino;
	child->exe_ino_ctime = parent->exe_ino_ctime;
	child->exe_ino_mtime = parent->exe_ino_mtime;
	child->exe_ino_ctime_duration_clone_ts = parent->exe_ino_ctime_duration_clone_ts;
	hr_bytes_copy(&child->args, &parent->args);
	hr_bytes_copy(&child->root, &parent->root);
	child->sid = parent->sid;
	child->vpgid = parent->vpgid;
	child->tty = parent->tty;
	child->loginuid = parent->loginuid;
	if (!(flags & HR_CL_CLONE_THREAD))
		hr_bytes_copy(&child->env, &parent->env);
}

static void set_comm_from_event(struct hr_thread *t, const struct hr_event *e, bool has_comm)
{
	hr_bytes_set_param_str(&t->exe, e, 1);
	if (has_comm)
		hr_bytes_set_param_str(&t->comm, e, 13);
	else
		hr_bytes_copy(&t->comm, &t->exe);
}

static void set_raw_param(struct hr_bytes *b, const struct hr_event *e, unsigned i)
{
	if (i < e->nparams_indexed)
		hr_bytes_set(b, e->param[i], e->param_len[i]);
	else
		hr_bytes_set(b, "", 0);
}

/* Falco's start of the child's pid namespace: the machine's boot time, or,
 * when the child's own clone exit shows it in another namespace, the start
 * of that namespace's init the newest clone exits carry (monotonic, made
 * epoch with the boot time). */
static void set_pidns_init_start(struct hr_state *s, const struct hr_event *e, struct hr_thread *child,
				 bool child_side, bool in_container)
{
	const struct hr_machine_info *mi = hr_state_machine(s);
	uint64_t boot = mi ? mi->boot_ts_epoch : 0;
	int i = hr_event_param_index(e, "pidns_init_start_ts");
	if (child_side && (in_container || (child->flags & CL_CLONE_NEWPID))) {
		if (i >= 0 && hr_event_has_param(e, (unsigned)i))
			child->pidns_init_start_ts = hr_p_u64(e, (unsigned)i, 0) + boot;
		return;
	}
	child->pidns_init_start_ts = boot;
}

void hr_state_parse_clone_exit(struct hr_state *s, struct hr_event *e)
{
	struct clone_layout l;
	if (!clone_layout_of(e->type, &l))
		return;
	int64_t tid = e->tid;
	int64_t childtid = hr_p_i64(e, 0, -1);
	uint32_t flags = hr_p_u32(e, l.flags, 0);
	if (childtid < 0)
		return;
	int64_t vtid = tid, vpid = -1;
	if (l.has_ns) {
		vtid = hr_p_i64(e, 18, tid);
		vpid = hr_p_i64(e, 19, -1);
	}
	bool in_container = (flags & HR_CL_CHILD_IN_PIDNS) || tid != vtid;
	bool inverted = false, collision = false;

	if (childtid == 0) {
		/* The child's side of the clone. */
		struct hr_thread *self = e->thread;
		if (self && self->clone_ts != 0 && e->ts - self->clone_ts > CLONE_STALE_NS) {
			hr_threads_remove(s, tid, true);
			e->thread = self = NULL;
		}
		int64_t parenttid = hr_p_i64(e, (flags & HR_CL_CLONE_THREAD) ? 4 : 5, -1);
		if (self) {
			if (in_container) {
				self->vtid = vtid;
				self->vpid = vpid;
			}
			return;
		}
		/* The child ran before its parent's clone returned. */
		inverted = true;
		childtid = tid;
		tid = parenttid;
	} else if (in_container) {
		/* The child's own exit carries its namespace ids; wait for it. */
		return;
	}

	struct hr_thread *parent = hr_threads_get_or_placeholder(s, tid);
	bool valid_parent = !is_placeholder(parent);
	struct hr_thread *existing = hr_threads_find(s, childtid);
	struct hr_thread *child = hr_threads_alloc(childtid);
	bool self_clone = false;
	if (existing) {
		if (existing->flags & HR_CL_CLONE_INVERTED) {
			hr_threads_free_detached(s, child);
			return;
		}
		/* A clone returning its own tid: sinsp frees the thread, then
		 * allocates the child where it was and copies the "parent"
		 * from there, i.e. from the fresh child itself. The child
		 * starts from the defaults, with no fds and no cwd. */
		if (existing == parent && valid_parent)
			self_clone = true;
		hr_threads_remove(s, childtid, true);
		collision = true;
		if (self_clone)
			parent = NULL;
		else
			parent = hr_threads_get_or_placeholder(s, tid);
	}

	child->ptid = tid;
	if (self_clone) {
		/* Nothing to inherit (see above). */
	} else if (valid_parent) {
		inherit_program(child, parent, flags);
	} else {
		/* sinsp drops the unknown parent and learns what it can of it
		 * from this event. */
		hr_threads_remove(s, tid, true);
		collision = true;
		parent = hr_threads_get_or_placeholder(s, tid);
		if (!is_placeholder(parent)) {
			inherit_program(child, parent, flags);
		} else {
			set_comm_from_event(child, e, l.has_comm);
			set_raw_param(&child->args, e, 2);
			hr_bytes_copy(&parent->comm, &child->comm);
			hr_bytes_copy(&parent->exe, &child->exe);
			hr_bytes_copy(&parent->exepath, &child->exepath);
			hr_bytes_copy(&parent->args, &child->args);
		}
	}

	child->pid = hr_p_i64(e, 4, -1);
	child->flags = flags;
	if (!(flags & HR_CL_CLONE_THREAD)) {
		child->pid = childtid;
		if (parent) {
			child->fds = hr_fdt_clone(s, hr_fdt_of(s, parent));
			hr_bytes_copy(&child->cwd, &hr_threads_main(s, parent)->cwd);
		}
	}
	if (inverted)
		child->flags |= HR_CL_CLONE_INVERTED;
	set_comm_from_event(child, e, l.has_comm);
	set_raw_param(&child->args, e, 2);
	child->fdlimit = (uint64_t)hr_p_i64(e, 7, -1);
	if (l.has_vm) {
		child->pfmajor = hr_p_u64(e, 8, 0);
		child->pfminor = hr_p_u64(e, 9, 0);
		child->vmsize_kb = hr_p_u32(e, 10, 0);
		child->vmrss_kb = hr_p_u32(e, 11, 0);
		child->vmswap_kb = hr_p_u32(e, 12, 0);
	}
	child->uid = hr_p_u32(e, l.uid, 0);
	child->gid = hr_p_u32(e, l.gid, 0);
	if (in_container) {
		child->vtid = vtid;
		child->vpid = vpid;
	} else {
		child->vtid = child->tid;
		child->vpid = child->pid;
	}
	if (l.has_cgroups) {
		set_raw_param(&child->cgroups, e, 14);
		hr_containers_resolve(s, child);
	}
	child->clone_ts = e->ts;
	set_pidns_init_start(s, e, child, inverted, in_container);
	hr_threads_insert(s, child);
	/* sinsp counts the child for its main thread before putting the child
	 * in the table: a thread that is its own main (pid == tid) is counted
	 * on a placeholder the child then replaces, i.e. not at all. */
	if ((child->flags & HR_CL_CLONE_THREAD) && child->pid != child->tid) {
		struct hr_thread *main = hr_threads_get_or_placeholder(s, child->pid);
		main->nchilds++;
	}
	if (collision)
		e->thread = hr_threads_find(s, e->tid);
}

/* The executable's full path, from the enter event's file name. */
static void set_exepath(struct hr_state *s, struct hr_event *e, struct hr_thread *t)
{
	const struct hr_event *en = e->enter;
	char full[HR_MAX_PATH];
	if (e->type == EV_EXECVE_18_X || e->type == EV_EXECVE_19_X) {
		if (!en)
			return;
		uint32_t len = en->nparams_indexed > 0 ? en->param_len[0] : 0;
		const char *name = len ? (const char *)en->param[0] : "";
		if (len >= 4 && memcmp(name, "<NA>", 4) == 0) {
			hr_bytes_set_str(&t->exepath, "<NA>");
			return;
		}
		if (len >= HR_MAX_PATH)
			len = HR_MAX_PATH - 1;
		hr_concatenate_paths(full, t->cwd.p ? t->cwd.p : "", t->cwd.len, name, len, s->newest_libs);
		hr_bytes_set_str(&t->exepath, full);
	} else if (e->type == EV_EXECVEAT_X) {
		if (!en)
			return;
		int64_t dirfd = hr_p_i64(en, 0, -100);
		uint32_t len = en->nparams_indexed > 1 ? en->param_len[1] : 0;
		char name[HR_MAX_PATH];
		if (len >= HR_MAX_PATH)
			len = HR_MAX_PATH - 1;
		if (len)
			memcpy(name, en->param[1], len);
		name[len] = 0;
		if (strncmp(name, "<NA>", 4) == 0) {
			hr_bytes_set_str(&t->exepath, "<NA>");
			return;
		}
		uint32_t flags = hr_p_u32(en, 2, 0);
		struct hr_bytes dir = {0};
		if (name[0] == '/') {
			hr_bytes_set_str(&dir, ".");
		} else if (dirfd == -100) {
			hr_bytes_copy(&dir, &hr_threads_main(s, t)->cwd);
		} else {
			struct hr_fd *f = hr_fdt_find(hr_fdt_of(s, t), dirfd);
			e->fd = f;
			if (!f) {
				hr_bytes_set_str(&dir, "<UNKNOWN>");
			} else {
				char buf[HR_MAX_PATH + 1];
				uint32_t n = f->name.len < HR_MAX_PATH - 1 ? f->name.len : HR_MAX_PATH - 1;
				memcpy(buf, f->name.p, n);
				buf[n++] = '/';
				hr_bytes_set(&dir, buf, n);
			}
		}
		/* AT_EMPTY_PATH with an empty name runs the file dirfd refers to. */
		if ((flags & 1) && name[0] == 0) {
			uint32_t n = dir.len < HR_MAX_PATH - 1 ? dir.len : HR_MAX_PATH - 1;
			memcpy(name, dir.p, n);
			name[n] = 0;
			len = n + 1 < HR_MAX_PATH ? n + 1 : HR_MAX_PATH - 1;
		}
		hr_concatenate_paths(full, dir.p, dir.len, name, len, s->newest_libs);
		hr_bytes_set_str(&t->exepath, full);
		hr_bytes_free(&dir);
	}
}

/* Exit-only captures: the newest execve exits carry the path themselves. */
static void set_exepath_from_exit(const struct hr_state *s, struct hr_event *e, struct hr_thread *t)
{
	int i = hr_event_param_index(e, "trusted_exepath");
	if (i >= 0 && (unsigned)i < e->nparams_indexed && e->param_len[i] > 1) {
		hr_bytes_set_param_str(&t->exepath, e, (unsigned)i);
		return;
	}
	i = hr_event_param_index(e, "filename");
	if (i < 0 || (unsigned)i >= e->nparams_indexed || e->param_len[i] == 0)
		return;
	char full[HR_MAX_PATH];
	uint32_t len = e->param_len[i] < HR_MAX_PATH ? e->param_len[i] : HR_MAX_PATH - 1;
	hr_concatenate_paths(full, t->cwd.p ? t->cwd.p : "", t->cwd.len, (const char *)e->param[i], len,
			     s->newest_libs);
	hr_bytes_set_str(&t->exepath, full);
}

void hr_state_parse_execve_exit(struct hr_state *s, struct hr_event *e)
{
	uint16_t type = e->type;
	struct hr_thread *t = e->thread;
	if (hr_p_i64(e, 0, -1) < 0 || !t)
		return;
	bool was_unknown = is_placeholder(t);
	bool old8 = type == EV_EXECVE_8_X, old13 = type == EV_EXECVE_13_X, old14 = type == EV_EXECVE_14_X;
	hr_bytes_set_param_str(&t->exe, e, 1);
	if (old8 || old13 || old14)
		hr_bytes_copy(&t->comm, &t->exe);
	else
		hr_bytes_set_param_str(&t->comm, e, 13);
	set_raw_param(&t->args, e, 2);
	t->pid = hr_p_i64(e, 4, t->pid);
	if (t->ptid == -1)
		t->ptid = hr_p_i64(e, 5, -1);
	t->fdlimit = (uint64_t)hr_p_i64(e, 7, (int64_t)t->fdlimit);
	/* The cwd the execve reports. sysdig 0.29.3 ignores it,
	 * so a process first seen at its execve shows an empty proc.cwd there
	 * (cat_write.scap; recorded as a deviation in tests/test_print_fields.py).
	 * Only a main thread sysdig knew nothing about (a placeholder) takes
	 * it: any cwd sysdig has, even an empty one it inherited, stays. */
	int cwd_i = hr_event_param_index(e, "cwd");
	if (was_unknown && t->tid == t->pid && t->cwd.len == 0 && cwd_i >= 0 && hr_event_has_param(e, (unsigned)cwd_i))
		hr_threads_set_cwd(s, t, (const char *)e->param[cwd_i],
				   (uint32_t)strnlen((const char *)e->param[cwd_i], e->param_len[cwd_i]));
	if (!old8) {
		t->pfmajor = hr_p_u64(e, 8, t->pfmajor);
		t->pfminor = hr_p_u64(e, 9, t->pfminor);
		t->vmsize_kb = hr_p_u32(e, 10, t->vmsize_kb);
		t->vmrss_kb = hr_p_u32(e, 11, t->vmrss_kb);
		t->vmswap_kb = hr_p_u32(e, 12, t->vmswap_kb);
	}
	if (old14) {
		set_raw_param(&t->env, e, 13);
	} else if (type == EV_EXECVE_15_X) {
		set_raw_param(&t->env, e, 14);
	} else if (!old8 && !old13) {
		set_raw_param(&t->env, e, 15);
		set_raw_param(&t->cgroups, e, 14);
		hr_containers_resolve(s, t);
	}
	bool has_tty = type == EV_EXECVE_17_X || type == EV_EXECVE_18_X || type == EV_EXECVE_19_X || type == EV_EXECVEAT_X;
	if (has_tty)
		t->tty = hr_p_u32(e, 16, t->tty);
	if (e->enter)
		set_exepath(s, e, t);
	else if (type == EV_EXECVE_19_X || type == EV_EXECVEAT_X)
		set_exepath_from_exit(s, e, t);
	if (type == EV_EXECVE_19_X || type == EV_EXECVEAT_X)
		t->vpgid = hr_p_i64(e, 17, t->vpgid);
	if (e->nparams > 18)
		t->loginuid = hr_p_u32(e, 18, t->loginuid);
	if (e->nparams > 19) {
		uint32_t exe_flags = hr_p_u32(e, 19, 0);
		t->exe_writable = (exe_flags & 1) != 0;
		t->exe_upper_layer = (exe_flags & 2) != 0;
		t->exe_from_memfd = (exe_flags & 4) != 0;
		t->exe_lower_layer = (exe_flags & 8) != 0;
	}
	/* Parameters only newer drivers write (sysdig 0.29.3 never sees them). */
	int i;
	if ((i = hr_event_param_index(e, "cap_inheritable")) >= 0 && hr_event_has_param(e, (unsigned)i)) {
		t->cap_inheritable = hr_p_u64(e, (unsigned)i, t->cap_inheritable);
		t->cap_permitted = hr_p_u64(e, (unsigned)i + 1, t->cap_permitted);
		t->cap_effective = hr_p_u64(e, (unsigned)i + 2, t->cap_effective);
	}
	if ((i = hr_event_param_index(e, "exe_ino")) >= 0 && hr_event_has_param(e, (unsigned)i)) {
		t->exe_ino = hr_p_u64(e, (unsigned)i, 0);
		t->exe_ino_ctime = hr_p_u64(e, (unsigned)i + 1, 0);
		t->exe_ino_mtime = hr_p_u64(e, (unsigned)i + 2, 0);
		/* Falco's derived ages of the executable (unsigned, as Falco
		 * subtracts them) */
		if (t->clone_ts)
			t->exe_ino_ctime_duration_clone_ts = t->clone_ts - t->exe_ino_ctime;
		if (t->pidns_init_start_ts && t->exe_ino_ctime > t->pidns_init_start_ts)
			t->exe_ino_ctime_duration_pidns_start = t->exe_ino_ctime - t->pidns_init_start_ts;
	}
	if ((i = hr_event_param_index(e, "uid")) >= 0 && hr_event_has_param(e, (unsigned)i))
		t->uid = hr_p_u32(e, (unsigned)i, t->uid);
	if ((i = hr_event_param_index(e, "gid")) >= 0 && hr_event_has_param(e, (unsigned)i))
		t->gid = hr_p_u32(e, (unsigned)i, t->gid);
	/* Falco forgets the process group at an execve that does not say it. */
	if ((i = hr_event_param_index(e, "pgid")) >= 0 && (unsigned)i >= 20 && hr_event_has_param(e, (unsigned)i))
		t->pgid = hr_p_i64(e, (unsigned)i, -1);
	else
		t->pgid = -1;

	uint32_t kept = t->flags & (HR_CL_PIPE_SRC | HR_CL_PIPE_DST | HR_CL_IS_MAIN_THREAD);
	bool was_inverted = (t->flags & HR_CL_CLONE_INVERTED) != 0;
	t->flags = HR_CL_ACTIVE | kept | HR_CL_NAME_CHANGED;
	if (was_inverted)
		t->flags |= HR_CL_CLONE_INVERTED;
}
