/*
 * Internal to src/filter: the compiled form of a condition shared by the
 * parser (which builds it), the compiler helpers (which type its values)
 * and the evaluator. Users of filters include filter.h only.
 */
#ifndef HR_FILTER_INTERNAL_H
#define HR_FILTER_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stdint.h>

#include "filter/filter.h"

enum hr_filter_op {
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_CONTAINS, OP_ICONTAINS, OP_BCONTAINS,
	OP_STARTSWITH, OP_BSTARTSWITH, OP_ENDSWITH, OP_GLOB, OP_IGLOB, OP_REGEX, OP_PMATCH,
	OP_IN, OP_INTERSECTS, OP_EXISTS,
};

/* How values of a field compare (from the field's declared type). */
enum hr_value_class {
	VCLS_SIGNED, VCLS_UNSIGNED, VCLS_DOUBLE, VCLS_BOOL, VCLS_STRING, VCLS_BYTES,
	VCLS_IP,   /* an address: values may be addresses or CIDR networks */
	VCLS_NET,  /* a filter-only network field (fd.net): values are networks */
	VCLS_DYN,  /* evt.rawarg: the class of the extracted value */
};

enum hr_transformer { XF_TOLOWER, XF_TOUPPER, XF_B64, XF_BASENAME, XF_LEN };

/* A value written in the condition, typed at compile time for the class of
 * the field it is compared with (every form it parses as, for VCLS_DYN). */
struct hr_filter_value {
	char *str;          /* as written, unescaped (NUL-terminated) */
	uint32_t len;
	bool has_signed, has_unsigned, has_double, has_bool, has_ip;
	int64_t i64;
	uint64_t u64;
	double d;
	bool b;
	uint8_t ip[16];
	uint8_t ip_len;     /* 4 or 16 */
	int16_t prefix;     /* CIDR prefix length, -1 for a plain address */
};

/* A field used by the condition: extracted at most once per event. */
struct hr_filter_slot {
	struct hr_field field;
	uint64_t generation; /* the evaluation the cached value belongs to */
	bool present;
	struct hr_value value;
};

/* A field operand: a slot seen through transformers (innermost first). */
struct hr_filter_operand {
	uint32_t slot;
	uint8_t nxf;
	uint8_t xf[8];
	uint8_t cls;             /* class after the transformers */
	struct hr_strbuf buf[2]; /* transformer output, alternating */
};

/* How a special filter-only field combines its companions. */
enum hr_filter_special {
	SP_NONE,
	SP_EITHER,       /* fd.ip/fd.port/fd.net/fd.proto: client or server */
	SP_ANY_ANCESTOR, /* proc.aname / proc.apid without an index */
	SP_LIST,         /* a list field (fd.types): `in` all items, `intersects` any */
	SP_AROUND,       /* evt.around[T] = D: the event is within D ms of T */
};

/* A string set (open addressing): `in`/`intersects` on strings, and the
 * path prefixes of `pmatch`. */
struct hr_filter_strset {
	uint32_t cap;      /* power of two; 0 when empty */
	uint32_t *index;   /* value index + 1, 0 for an empty bucket */
	uint32_t min_len, max_len;
};

struct hr_filter_check {
	uint8_t op;
	uint8_t cls;       /* comparison class */
	uint8_t special;
	uint8_t value_type;       /* the type written values are parsed for */
	struct hr_filter_operand lhs;
	uint32_t lhs2_slot;       /* SP_EITHER: the second companion */
	uint32_t lhs3_slot;       /* SP_EITHER: fd.type (sockets without addresses) */
	bool rhs_is_field;
	struct hr_filter_operand rhs;
	struct hr_filter_value *values;
	uint32_t nvalues;
	struct hr_filter_strset set;
	pcre2_code *re;
	pcre2_match_data *match;
	/* With a shared field cache: the constant group this `=`/`in` check
	 * is answered by (index + 1; 0 when it is evaluated alone: every
	 * check but the guards' once guards are chosen) and its id among all
	 * grouped checks. */
	uint32_t group;
	uint32_t gid;
};

enum hr_filter_node_kind { NODE_AND, NODE_OR, NODE_NOT, NODE_CHECK };

struct hr_filter_node {
	uint8_t kind;
	uint32_t first; /* first child (AND/OR/NOT), or the check index */
	uint32_t next;  /* next sibling, NO_NODE at the end */
};
#define NO_NODE UINT32_MAX

struct hr_filter {
	struct hr_filter_node *nodes;
	uint32_t nnodes, cap_nodes;
	struct hr_filter_check *checks;
	uint32_t nchecks, cap_checks;
	struct hr_filter_slot *slots;
	uint32_t nslots, cap_slots;
	uint32_t root;
	uint64_t generation;
	uint8_t types[(HR_EVENT_MAX + 7) / 8]; /* event types that may match */
	/* With a shared cache: grouped checks one of which must hold for the
	 * filter to match (none: no such set was found). */
	uint32_t *guard;
	uint32_t nguard;
	/* Set by hr_filter_share_fields: slots are read from the cache
	 * (slot_map[i] is slot i's index there). */
	struct hr_field_cache *cache;
	uint32_t *slot_map;
};

/* A field of the shared cache, extracted at most once per event. */
struct hr_cache_slot {
	struct hr_field field;
	uint64_t generation;
	bool present;
	struct hr_value value;
};

/* Checks comparing one field with constants (`=`, `in`, prefixes...),
 * answered by one lookup per event: the constant's entry lists every check
 * it satisfies (to weigh guards) and the guard checks among them (marked
 * when the event's value is that constant). */
struct hr_const_entry {
	const char *str;  /* a value as written (owned by a check) */
	uint32_t len;
	uint32_t first;   /* first satisfied check in hr_const_group.refs (+1), 0 none */
	uint32_t nrefs;   /* how many checks it satisfies */
	uint32_t first_guard; /* the same for the guards' checks (the ones that stay grouped) */
};

struct hr_const_ref {
	uint32_t gid;
	uint32_t next;    /* +1, 0 at the end */
};

/* How a group keys its constants. */
enum hr_group_kind {
	GK_TEXT,   /* `=`/`in` on strings: the bytes */
	GK_PREFIX, /* `startswith`: prefixes of the value, one probe per length */
	GK_SUFFIX, /* `endswith`: suffixes, one probe per length */
	GK_SUBSTR, /* `contains`: every substring of each constant's length */
	GK_BOOL,   /* `=` on booleans: one byte */
	GK_INT,    /* `=`/`in` on signed numbers: the int64 */
	GK_UINT,   /* `=`/`in` on unsigned numbers: the uint64 */
};

struct hr_const_group {
	uint32_t slot;              /* the cache slot compared */
	uint8_t kind;               /* enum hr_group_kind */
	uint32_t *lengths;          /* GK_PREFIX/SUFFIX/SUBSTR: the distinct lengths */
	uint32_t nlengths, cap_lengths;
	/* GK_PREFIX/SUFFIX/SUBSTR: a bit per pair of bytes some constant
	 * starts with (ends with, for GK_SUFFIX), so that most values and
	 * positions are turned away before any probe; unused when a constant
	 * is shorter than two bytes (`any_short`). */
	uint64_t *pairs;
	bool any_short;
	uint64_t generation;        /* the event the marks below belong to */
	uint32_t held_first, nheld; /* its checks that hold, in hr_field_cache.held */
	struct hr_const_entry *entries; /* open addressing by value */
	uint32_t cap, nentries;
	struct hr_const_ref *refs;
	uint32_t nrefs, cap_refs;
};

struct hr_field_cache {
	struct hr_cache_slot *slots;
	uint32_t nslots, cap_slots;
	struct hr_const_group *groups;
	uint32_t ngroups, cap_groups;
	uint64_t *satisfied;        /* per grouped check: the event it last held on */
	uint32_t *gid_group;        /* per grouped check: its group */
	uint32_t ngids, cap_gids, cap_gid_groups;
	uint64_t generation;
	/* The grouped checks found to hold on the current event, in the
	 * order their groups were evaluated (each at most once). */
	uint32_t *held;
	uint32_t nheld, cap_held;
};

/* ---- filter_compile.c: typing and building the compiled form ---- */

/* Adds (or finds) the slot of the field written at `text`; returns the
 * characters consumed, or -1 with `err` set. */
int hr_filter_add_slot(struct hr_filter *f, const char *text, size_t len, uint32_t *slot, char *err,
		       size_t errlen);
uint8_t hr_filter_class_of_type(uint8_t type);
/* Gives the left operand its comparison class, and binds the special
 * filter-only fields (fd.ip, fd.net, proc.aname without index...). */
bool hr_filter_bind_lhs(struct hr_filter *f, struct hr_filter_check *c, char *err, size_t errlen);
/* Checks a field on the right side against the left one. */
bool hr_filter_bind_rhs(struct hr_filter *f, struct hr_filter_check *c, char *err, size_t errlen);
/* Is the operator valid for the left operand's class? */
bool hr_filter_check_operator(struct hr_filter_check *c, char *err, size_t errlen);
/* Parses `v->str` for comparison class `cls` (and operator `op`); false
 * with `err` set when it is not a valid value of that class. */
bool hr_filter_type_value(struct hr_filter_value *v, uint8_t cls, uint8_t op, uint8_t field_type, char *err,
			  size_t errlen);
/* Checks the operator against the class and prepares sets and regexes. */
bool hr_filter_finish_check(struct hr_filter_check *c, char *err, size_t errlen);
void hr_filter_check_free(struct hr_filter_check *c);
/* Computes f->types from the tree. */
void hr_filter_analyze_types(struct hr_filter *f);
uint64_t hr_filter_hash(const char *s, uint32_t len);
const char *hr_filter_op_name(uint8_t op);

/* ---- filter_shared.c ---- */
/* Is grouped check `c` true for the cache's current event? */
bool hr_filter_grouped_check(struct hr_field_cache *cache, const struct hr_filter_check *c,
			     struct hr_field_ctx *ctx, const struct hr_event *e);
/* False when none of the filter's guard checks holds (it cannot match). */
bool hr_filter_guard_holds(struct hr_filter *f, struct hr_field_ctx *ctx, const struct hr_event *e);
/* The value of cache slot `i` for the current event. */
bool hr_field_cache_value(struct hr_field_cache *cache, uint32_t i, struct hr_field_ctx *ctx,
			  const struct hr_event *e, struct hr_value *out);

/* ---- filter_eval.c ---- */
/* A numeric or boolean value as a signed / unsigned integer, as the
 * comparisons convert it. */
int64_t hr_filter_value_i64(const struct hr_value *v);
uint64_t hr_filter_value_u64(const struct hr_value *v);
/* A string check (class VCLS_STRING) against the string `s`. */
bool hr_filter_compare_string(struct hr_filter_check *c, const char *s, uint32_t len);

#endif
