/*
 * Falco's `fs.path.*` fields: the path a successful file-system call acts on
 * (open, mkdir, unlink, chmod, chown, mount...) or, for calls with two paths
 * (rename, link, symlink, mount), its source and target. The plain fields
 * resolve relative paths against the call's directory fd or the cwd; the
 * `raw` ones give the argument as the call received it. sysdig 0.29.3 does
 * not have this class.
 */
#include <string.h>

#include "fields/field_classes.h"
#include "format/event_args.h"
#include "format/param_text.h"

enum {
	OPEN_X = 3, RENAME_X = 175, RENAMEAT_X = 177, SYMLINK_X = 179, SYMLINKAT_X = 181, QUOTACTL_X = 191,
	MOUNT_X = 257, MKDIR_2_X = 277, RMDIR_2_X = 279, UNLINK_2_X = 301, UNLINKAT_2_X = 303, MKDIRAT_X = 305,
	OPENAT_2_X = 307, LINK_2_X = 309, LINKAT_2_X = 311, FCHMODAT_X = 313, CHMOD_X = 315, FCHMOD_X = 317,
	RENAMEAT2_X = 319, OPENAT2_X = 327, CHOWN_X = 379, LCHOWN_X = 381, FCHOWN_X = 383, FCHOWNAT_X = 385,
	UMOUNT_1_X = 387, UMOUNT2_X = 391,
};

enum which_path { PATH_ONLY, PATH_SOURCE, PATH_TARGET };

/* The parameter naming the event's path of kind `which`; NULL when the
 * event has none. "fd" means the name of the fd the call acts on. */
static const char *path_param(uint16_t type, enum which_path which)
{
	switch (type) {
	case MKDIR_2_X: case MKDIRAT_X: case RMDIR_2_X: case UNLINK_2_X: case CHOWN_X: case LCHOWN_X:
		return which == PATH_ONLY ? "path" : NULL;
	case UNLINKAT_2_X: case OPEN_X: case OPENAT_2_X: case OPENAT2_X: case UMOUNT_1_X: case UMOUNT2_X:
		return which == PATH_ONLY ? "name" : NULL;
	case FCHMODAT_X: case CHMOD_X:
		return which == PATH_ONLY ? "filename" : NULL;
	case FCHMOD_X: case FCHOWN_X:
		return which == PATH_ONLY ? "fd" : NULL;
	case FCHOWNAT_X:
		return which == PATH_ONLY ? "pathname" : NULL;
	case QUOTACTL_X:
		return which == PATH_ONLY ? "special" : NULL;
	case RENAME_X: case RENAMEAT_X: case RENAMEAT2_X:
		return which == PATH_SOURCE ? "oldpath" : which == PATH_TARGET ? "newpath" : NULL;
	case LINK_2_X: case LINKAT_2_X: /* Falco names the new link the source */
		return which == PATH_SOURCE ? "newpath" : which == PATH_TARGET ? "oldpath" : NULL;
	case SYMLINK_X: case SYMLINKAT_X:
		return which == PATH_SOURCE ? "linkpath" : which == PATH_TARGET ? "target" : NULL;
	case MOUNT_X:
		return which == PATH_SOURCE ? "dev" : which == PATH_TARGET ? "dir" : NULL;
	default:
		return NULL;
	}
}

/* Falco's success test: the open calls returned an fd other than -1, the
 * others returned exactly 0. */
static bool succeeded(const struct hr_event *e)
{
	bool open = e->type == OPEN_X || e->type == OPENAT_2_X || e->type == OPENAT2_X;
	int idx = hr_event_layout_index(e, open ? "fd" : "res");
	int64_t res;
	if (idx < 0 || !hr_param_i64(e, (unsigned)idx, &res))
		return false;
	return open ? res != -1 : res == 0;
}

/* The directory fd parameter of a relative path argument, or NULL when the
 * path is relative to the cwd as Falco resolves it. */
static const char *dirfd_param(uint16_t type, enum which_path which)
{
	switch (type) {
	case FCHOWNAT_X: case FCHMODAT_X: case MKDIRAT_X: case UNLINKAT_2_X:
		return "dirfd";
	case SYMLINKAT_X:
		return which == PATH_SOURCE ? "linkdirfd" : NULL;
	case RENAMEAT2_X:
		return which == PATH_SOURCE ? "olddirfd" : "newdirfd";
	default:
		return NULL;
	}
}

static bool fs_path(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, enum which_path which,
		    bool raw, struct hr_value *out)
{
	const char *name = path_param(e->type, which);
	if (!name || !e->thread || !succeeded(e))
		return false;
	const char *path;
	size_t len;
	int64_t num;
	if (!strcmp(name, "fd")) {
		int idx = hr_event_layout_index(e, "fd");
		const struct hr_fd *fd = idx < 0 || !hr_param_i64(e, (unsigned)idx, &num)
						 ? NULL
						 : hr_state_fd(ctx->state, e->thread, num);
		if (!fd)
			return false;
		path = hr_bytes_str(&fd->name);
		len = fd->name.len;
	} else {
		int idx = hr_event_layout_index(e, name);
		if (idx < 0 || (unsigned)idx >= e->nparams_indexed)
			return false;
		path = (const char *)e->param[idx];
		len = strnlen(path, e->param_len[idx]);
	}
	hr_sb_reset(&f->storage);
	if (raw || (len && path[0] == '/')) {
		if (raw)
			hr_sb_append(&f->storage, path, len);
		else
			hr_append_clean_path(&f->storage, 0, (const uint8_t *)path, len);
		return hr_set_storage(out, f);
	}
	const struct hr_thread *t = e->thread;
	if (e->type == OPENAT_2_X || e->type == OPENAT2_X) {
		/* the opened fd already has the resolved name */
		const struct hr_fd *fd = hr_param_i64(e, 0, &num) && num >= 0 ? hr_state_fd(ctx->state, t, num) : NULL;
		const char *full = fd ? hr_bytes_str(&fd->name) : "<UNKNOWN>";
		hr_append_clean_path(&f->storage, 0, (const uint8_t *)full, fd ? fd->name.len : strlen(full));
		return hr_set_storage(out, f);
	}
	if (e->type == SYMLINKAT_X && which == PATH_TARGET) {
		/* a link's target is relative to the link, which Falco does not resolve */
		hr_sb_puts(&f->storage, "<UNKNOWN>");
		hr_append_clean_path(&f->storage, 0, (const uint8_t *)path, len);
		return hr_set_storage(out, f);
	}
	const char *dirfd_name = dirfd_param(e->type, which);
	int64_t dirfd = -100; /* AT_FDCWD: the cwd */
	int di = dirfd_name ? hr_event_layout_index(e, dirfd_name) : -1;
	if (di >= 0 && !hr_param_i64(e, (unsigned)di, &dirfd))
		return false;
	/* renameat2 and symlinkat resolve their dirfd argument; the other *at
	 * calls go through the event's fd, which must be a directory */
	bool own_dirfd = e->type == RENAMEAT2_X || e->type == SYMLINKAT_X;
	hr_field_append_at_path(ctx, t, dirfd, (const uint8_t *)path, (uint32_t)len,
				own_dirfd || !dirfd_name ? &hr_falco_dirfd_rules : &hr_falco_event_fd_rules, &f->storage);
	return hr_set_storage(out, f);
}

#define FSPATH_FIELD(fn, which, raw)                                                                            \
	static bool fn(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out) \
	{                                                                                                        \
		return fs_path(f, ctx, e, which, raw, out);                                                      \
	}
FSPATH_FIELD(x_name, PATH_ONLY, false)
FSPATH_FIELD(x_nameraw, PATH_ONLY, true)
FSPATH_FIELD(x_source, PATH_SOURCE, false)
FSPATH_FIELD(x_sourceraw, PATH_SOURCE, true)
FSPATH_FIELD(x_target, PATH_TARGET, false)
FSPATH_FIELD(x_targetraw, PATH_TARGET, true)

const struct hr_field_def hr_fields_fspath[] = {
	{"fs.path.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_name, NULL,
	 "the path a successful file-system call acts on, made absolute (cwd or directory fd prepended)."},
	{"fs.path.nameraw", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_nameraw, NULL,
	 "the path a successful file-system call acts on, as the call received it."},
	{"fs.path.source", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_source, NULL,
	 "for calls with a source and a target (rename, link, symlink, mount), the source path made absolute."},
	{"fs.path.sourceraw", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_sourceraw, NULL,
	 "for calls with a source and a target, the source path as the call received it."},
	{"fs.path.target", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_target, NULL,
	 "for calls with a source and a target (rename, link, symlink, mount), the target path made absolute."},
	{"fs.path.targetraw", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_targetraw, NULL,
	 "for calls with a source and a target, the target path as the call received it."},
	{0},
};
