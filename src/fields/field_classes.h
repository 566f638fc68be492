/*
 * Internal to src/fields: the field tables of each class (each ends with an
 * entry whose name is NULL) and the helpers their extractors share. Users
 * of fields include fields.h only.
 */
#ifndef HR_FIELD_CLASSES_H
#define HR_FIELD_CLASSES_H

#include "fields/fields.h"

extern const struct hr_field_def hr_fields_evt_gen[];
extern const struct hr_field_def hr_fields_evt[];
extern const struct hr_field_def hr_fields_thread[];
extern const struct hr_field_def hr_fields_user[];
extern const struct hr_field_def hr_fields_group[];
extern const struct hr_field_def hr_fields_container[];
extern const struct hr_field_def hr_fields_fd[];
extern const struct hr_field_def hr_fields_fspath[];
extern const struct hr_field_def hr_fields_fdlist[];

/* How a path argument is made absolute: sysdig 0.29.3's fd.name and
 * evt.abspath and Falco's fs.path differ in the details. */
struct hr_path_rules {
	const char *unknown;   /* stands for a directory fd the thread does not have */
	bool directories_only; /* an fd that is not a directory is unknown too */
	const char *too_long;  /* the result when directory and name pass the path limit */
	bool counts_param;     /* that limit counts the whole parameter (sysdig), not the text (Falco) */
};
extern const struct hr_path_rules hr_sysdig_fdname_rules, hr_sysdig_abspath_rules;
extern const struct hr_path_rules hr_falco_dirfd_rules, hr_falco_event_fd_rules;

/* Appends path parameter `name` (`name_len` bytes, up to its first NUL)
 * resolved against directory fd `dirfd` of thread `t`: absolute names stand
 * alone, AT_FDCWD means the cwd, a known fd its name and '/'. The result is
 * cleaned as sysdig cleans paths. */
void hr_field_append_at_path(struct hr_field_ctx *ctx, const struct hr_thread *t, int64_t dirfd,
			     const uint8_t *name, uint32_t name_len, const struct hr_path_rules *rules,
			     struct hr_strbuf *out);

/* Value setters used by every extractor; they return true so that an
 * extractor can `return set_...(out, ...)`. */
static inline bool hr_set_u64(struct hr_value *out, uint8_t type, uint64_t v)
{
	out->type = type;
	out->v.u64 = v;
	return true;
}
static inline bool hr_set_i64(struct hr_value *out, uint8_t type, int64_t v)
{
	out->type = type;
	out->v.i64 = v;
	return true;
}
static inline bool hr_set_bool(struct hr_value *out, bool v)
{
	out->type = HR_PT_BOOL;
	out->v.b = v;
	return true;
}
static inline bool hr_set_str(struct hr_value *out, const char *s, uint32_t len)
{
	out->type = HR_PT_CHARBUF;
	out->str = s;
	out->len = len;
	return true;
}
static inline bool hr_set_cstr(struct hr_value *out, const char *s)
{
	return hr_set_str(out, s, (uint32_t)strlen(s));
}
/* A string built in the field's own storage. */
static inline bool hr_set_storage(struct hr_value *out, struct hr_field *f)
{
	return hr_set_str(out, hr_sb_str(&f->storage), (uint32_t)f->storage.len);
}
/* Starts an extractor that reads the event's thread: no value without one. */
#define THREAD_OR_MISSING()                   \
	const struct hr_thread *t = e->thread; \
	if (!t)                                \
		return false

/* A sysdig field Harrier does not compute yet (see HR_FF_UNSUPPORTED). */
#define UNSUPPORTED(name, type) {name, type, HR_FMT_NA, HR_FF_UNSUPPORTED, HR_FA_NONE, NULL, NULL, "not supported yet"}

static inline const char *hr_bytes_str(const struct hr_bytes *b) { return b->p ? b->p : ""; }

/* The EF_* flags sysdig 0.29.3 gives the event (they differ from the
 * newest table's on a few ids); the newest table's for events rebuilt in
 * the newest layout (Falco's view). */
static inline uint32_t hr_field_event_flags(const struct hr_event *e)
{
	return e->newest_layout ? hr_event_table[e->type].flags : hr_state_event_flags(e->type);
}

#endif
