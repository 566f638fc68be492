/*
 * Event fields as sysdig/Falco name them (`proc.name`, `fd.name`,
 * `evt.arg.fd`, `proc.aname[2]`, ...): looking a field up by name, and
 * extracting its value from an event and the state, as a typed value or as
 * the string sysdig prints. Values are computed only when asked for.
 *
 * A compiled field (struct hr_field) owns the storage its string values are
 * built in, so extracting never allocates once that storage has grown.
 */
#ifndef HR_FIELDS_H
#define HR_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "event/event.h"
#include "format/strbuf.h"
#include "state/state.h"

/* Field flags (sysdig's EPF_*). */
enum {
	HR_FF_REQUIRES_ARG = 1 << 0, /* `evt.arg.NAME`, `proc.aname[N]` */
	HR_FF_FILTER_ONLY = 1 << 1,  /* may not be printed with -p */
	HR_FF_PRINT_ONLY = 1 << 2,   /* may not be used in filters */
	HR_FF_ARG_OPTIONAL = 1 << 3, /* `proc.aname` alone is valid (filters) */
	/* A sysdig field Harrier does not compute yet: listed so that names
	 * it prefixes (fd.cip.name after fd.cip) are not misread, and refused. */
	HR_FF_UNSUPPORTED = 1 << 4,
	/* A list field (Falco's EPF_IS_LIST, fd.types): printed "(a,b)". */
	HR_FF_LIST = 1 << 5,
};

/* How a field's argument is written after its name. */
enum hr_field_arg_kind {
	HR_FA_NONE,
	HR_FA_INDEX,      /* [N] */
	HR_FA_PARAM,      /* .NAME (an event parameter name) or [N] */
	HR_FA_WORD,       /* .NAME (letters and '_') */
	HR_FA_PARAM_NAME, /* .NAME only (evt.rawarg) */
	HR_FA_EVENT_TYPE, /* .NAME or .NUMBER of an event type (evt.type.is) */
	HR_FA_KEY,        /* [NAME] (kept in arg_name) or [N] (arg_index), Falco's proc.env[HOME] */
	HR_FA_SRC_DST,    /* nothing (arg_index 0), .src (1) or .dst (2): evt.abspath */
	HR_FA_TIMESTAMP,  /* [N]: a time in nanoseconds since the epoch (arg_ts): evt.around */
};

/* Print formats of field values (sysdig's PF_* subset fields use). */
enum hr_field_format { HR_FMT_NA, HR_FMT_DEC, HR_FMT_HEX, HR_FMT_OCT, HR_FMT_ID, HR_FMT_PADDED_DEC };

/* A value extracted from an event. Strings point into the field's storage
 * or into the state, valid until the next extraction of the same field or
 * the next event. */
struct hr_value {
	uint8_t type;    /* enum hr_param_type: the value's real type */
	union {
		uint64_t u64;
		int64_t i64;
		double d;
		bool b;
		uint8_t ip[16]; /* network order; `len` says 4 or 16 */
	} v;
	const char *str;  /* for CHARBUF/BYTEBUF */
	uint32_t len;     /* bytes of str, or of ip */
};

struct hr_field;
struct hr_field_ctx;

/* Fills `out` and returns true, or returns false when the field has no
 * value for this event (sysdig's NULL: printed as <NA> with a `*` format). */
typedef bool (*hr_field_extract_fn)(struct hr_field *f, struct hr_field_ctx *ctx,
				    const struct hr_event *e, struct hr_value *out);

struct hr_field_def {
	const char *name;
	uint8_t type;        /* enum hr_param_type as sysdig declares it */
	uint8_t format;      /* enum hr_field_format */
	uint8_t flags;       /* HR_FF_* */
	uint8_t arg_kind;    /* enum hr_field_arg_kind */
	hr_field_extract_fn extract;
	/* For JSON: the value sysdig emits instead of the rendered one
	 * (e.g. evt.time becomes the raw timestamp); NULL when none. */
	hr_field_extract_fn extract_json;
	const char *desc;
};

/* A class of fields (sysdig's filter-check classes), searched in order. */
struct hr_field_class {
	const char *name;
	const struct hr_field_def *defs; /* ends with an entry whose name is NULL */
	const char *shortdesc;           /* shown after the name in listings, or NULL */
	const char *desc;                /* what the class's fields describe */
};

/* The per-inspector context every extraction sees. */
struct hr_field_ctx {
	const struct hr_state *state;
	uint64_t first_event_ts; /* for evt.reltime: the first event's timestamp, 0 until seen */
	int32_t utc_offset;      /* seconds east of UTC, taken once at start as sysdig does */
	/* True while output lines are rendered, false while filters run: by
	 * the time sysdig formats an exit event it has freed its copy of the
	 * enter event, so fields that read it have no value there. */
	bool formatting;
};

void hr_field_ctx_init(struct hr_field_ctx *ctx, const struct hr_state *s);

struct hr_field {
	const struct hr_field_def *def;
	char text[128];      /* the field as written, e.g. "proc.aname[2]" */
	int32_t arg_index;   /* [N], an event type id, or -1 when none */
	char arg_name[64];   /* .NAME argument */
	/* evt.rawarg.NAME: the type of the first parameter NAME in sysdig
	 * 0.29.3's event table, which sysdig reads every event's NAME as (when
	 * printing and comparing); HR_PT_NONE for other fields. */
	uint8_t arg_type;
	uint64_t arg_ts;     /* the HR_FA_TIMESTAMP argument */
	uint64_t memory;     /* what a stateful field keeps between events */
	struct hr_strbuf storage;
	char small[48];      /* short renderings (numbers, addresses) */
};

/*
 * Parses the field that starts at `text` (sysdig's rules: the first class
 * with a field name that prefixes `text`, longest name within the class,
 * then the field's argument). Returns the number of characters consumed,
 * or -1 with `err` filled. `for_print` rejects filter-only fields.
 */
int hr_field_parse(struct hr_field *f, const char *text, bool for_print, char *err, size_t errlen);

/*
 * Falco's "any ancestor" filter forms: proc.aexe, proc.aexepath and
 * proc.acmdline without an index, proc.aenv without a variable name. In a
 * condition they hold when the value of any ancestor process of the event's
 * (parents from its main thread, nearest first) passes the test; printed,
 * they keep their list meaning.
 */
typedef bool (*hr_field_value_test)(void *arg, const struct hr_value *v);
bool hr_field_is_any_ancestor(const struct hr_field *f);
/* Calls `test` with each ancestor's value (built in the field's storage)
 * until one passes; returns whether one did. */
bool hr_field_any_ancestor(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			   hr_field_value_test test, void *arg);

/* Releases a field's storage. */
void hr_field_free(struct hr_field *f);

bool hr_field_extract(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
		      struct hr_value *out);

/* The value as sysdig's -p prints it: appended to `out`, or false when the
 * field has no value. */
bool hr_field_to_string(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			struct hr_strbuf *out);

/* Appends the value as sysdig's -j prints it (a JSON number, string, bool
 * or null). Returns false when the value is null. */
bool hr_field_to_json(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
		      struct hr_strbuf *out);

/*
 * Prints every class and field as `sysdig -l` lays them out: a class
 * header, then one line per field, the name padded to 30 columns and the
 * description wrapped at 120; `verbose` (-lv) puts "(Type: X)" before each
 * description. `markdown` prints one "Name | Type | Description" table per
 * class instead. Fields Harrier does not compute are left out.
 */
void hr_fields_print_list(FILE *out, bool verbose, bool markdown);

/* All field classes, in lookup order. */
extern const struct hr_field_class hr_field_classes[];
extern const unsigned hr_field_class_count;

#endif
