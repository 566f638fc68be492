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
extern const char *const hr_transformer_names[]; /* by enum hr_transformer */

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

/*
 * Operands that are more than a field seen through one-argument
 * transformers: a tree of fields, literals, transformer lists `(a, b)`,
 * one-argument transformers and Falco's multi-value ones (`join`,
 * `concat`, `getopt(...)[c]`). Every node is typed at compile time (a
 * single value or a list of strings); each keeps its result in its own
 * buffers, reused from event to event.
 */
enum hr_expr_kind {
	EX_FIELD,  /* a slot */
	EX_TEXT,   /* a quoted string or a number, as text */
	EX_LIST,   /* `(a, b, ...)`: the items of its elements, as strings */
	EX_XF,     /* tolower, toupper, b64, basename, len */
	EX_JOIN, EX_CONCAT, EX_GETOPT,
};

struct hr_expr_item {
	uint32_t off, len; /* a slice of the node's buffer */
};

struct hr_expr_node {
	uint8_t kind;
	uint8_t xf;           /* EX_XF: enum hr_transformer */
	uint8_t type;         /* HR_PT_* of the value (of every item for a list) */
	bool list;            /* several values */
	bool has_selector;    /* getopt(...)[c] */
	char selector;
	uint32_t slot;        /* EX_FIELD */
	uint32_t *args;       /* argument nodes */
	uint32_t nargs;
	char *text;           /* EX_TEXT, unescaped */
	uint32_t text_len;
	size_t pos;           /* where it is written (errors) */
	/* getopt with a written optstring: its option characters, and those
	 * that take an argument, decoded once */
	bool const_opts;
	uint8_t opt_valid[32], opt_arg[32];
	/* the result of the current evaluation */
	struct hr_value value;       /* single-valued nodes */
	struct hr_expr_item *items;  /* lists */
	uint32_t nitems, cap_items;
	struct hr_strbuf buf;        /* bytes the node produced */
};

struct hr_filter_expr {
	struct hr_expr_node *nodes;
	uint32_t nnodes, cap_nodes;
	uint32_t root;
	char text[96];        /* the operand as written (messages) */
};

/* A field operand: a slot seen through transformers (innermost first), or
 * an expression tree (`expr` set; `slot` and `xf` unused). */
struct hr_filter_operand {
	uint32_t slot;
	uint8_t nxf;
	uint8_t xf[8];
	uint8_t cls;             /* class after the transformers */
	bool list;               /* an expression yielding a list */
	struct hr_filter_expr *expr;
	struct hr_strbuf buf[2]; /* transformer output, alternating */
};

/* Is the operand a plain field, without transformers? */
static inline bool hr_operand_is_field(const struct hr_filter_operand *o)
{
	return o->nxf == 0 && o->expr == NULL;
}

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

/* An output format's expression: a tree over the slots of a filter of its
 * own (which holds no checks). */
struct hr_field_expr {
	struct hr_filter f;
	struct hr_filter_expr *x;
};

/* ---- filter_compile.c: typing and building the compiled form ---- */

/* Adds (or finds) the slot of the field written at `text`; returns the
 * characters consumed, or -1 with `err` set. */
int hr_filter_add_slot(struct hr_filter *f, const char *text, size_t len, uint32_t *slot, char *err,
		       size_t errlen);
uint8_t hr_filter_class_of_type(uint8_t type);
/* Filter-only fields bound to companions (fd.ip, fd.net...) and
 * evt.around: usable as a check's operand only, not inside expressions. */
bool hr_filter_field_needs_binding(const char *name);
const char *hr_filter_class_name(uint8_t cls); /* "signed number", "string"... */
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

/* ---- filter_expr.c: expression operands ---- */

/* Adds a node to `x`; returns its index, or UINT32_MAX without memory. */
uint32_t hr_expr_add(struct hr_filter_expr *x, uint8_t kind, size_t pos);
/* Types node `n` from its arguments (built and typed before it); false
 * with `err` set when the arguments do not fit the transformer. */
bool hr_expr_type_node(struct hr_filter *f, struct hr_filter_expr *x, uint32_t n, char *err, size_t errlen);
/* Turns a finished tree into `o`: a plain field seen through one-argument
 * transformers becomes the fast slot-and-chain form (the tree is freed),
 * anything else stays a tree. */
void hr_expr_attach(struct hr_filter_operand *o, struct hr_filter_expr *x);
void hr_expr_free(struct hr_filter_expr *x);
/* Evaluates the tree for the event: false when a field it needs has no
 * value (or getopt's selected option is absent). The root's `value` or
 * `items` hold the result. */
bool hr_expr_eval(struct hr_filter *f, struct hr_filter_expr *x, struct hr_field_ctx *ctx, const struct hr_event *e);
static inline const char *hr_expr_item_str(const struct hr_expr_node *n, uint32_t i)
{
	return n->buf.p + n->items[i].off;
}
/* getopt(3) as Falco's transformer reads an argv (`argc` slices of
 * `base`), with the option tables hr_getopt_decode made of an optstring:
 * in list mode `out`'s items become the options and their arguments ("?"
 * for an unknown option, "" for a missing argument); with a selector,
 * `out->value` becomes the selected option's last argument (the option
 * itself when it takes none), and false means it is absent. Exposed for
 * the unit tests. */
void hr_getopt_decode(const char *optstring, uint32_t len, uint8_t valid[32], uint8_t with_arg[32]);
bool hr_getopt_run(const char *base, const struct hr_expr_item *argv, uint32_t argc, const uint8_t valid[32],
		   const uint8_t with_arg[32], bool has_selector, char selector, struct hr_expr_node *out);

/* ---- filter_eval.c helpers shared with filter_expr.c ---- */
bool hr_filter_slot_value(struct hr_filter *f, uint32_t i, struct hr_field_ctx *ctx, const struct hr_event *e,
			  struct hr_value *out);
/* Appends transformer `xf`'s output for `s` to `out`; false when it has
 * none (b64 of text that is not base64). XF_LEN is not a text output. */
bool hr_filter_transform_text(uint8_t xf, const char *s, uint32_t len, struct hr_strbuf *out);
/* Text of a string value up to its first NUL (as sysdig's C strings). */
uint32_t hr_filter_text_len(const struct hr_value *v);

/* ---- filter_shared.c ---- */
/* Room for `need` elements of `elem` bytes in *arr, the capacity *cap
 * doubling; the new room is zeroed. False when memory runs out (*arr kept). */
bool hr_filter_grow(void **arr, uint32_t *cap, uint32_t need, size_t elem);
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
