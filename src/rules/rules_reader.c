/*
 * Reading rules files (Falco's reader and collector): every item of every
 * YAML document checked for shape, in Falco's words, and turned into list,
 * macro and rule definitions — defined, appended to, overridden per key or
 * enabled — in the rule set. The first error stops the file.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields/fields.h"
#include "filter/filter.h"
#include "rules/rules_internal.h"

#define ERROR_OVERRIDE_APPEND                                                                                  \
	"Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: "  \
	"append') under 'override' instead."
#define WARNING_APPEND                                                                                         \
	"'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead."
#define WARNING_ENABLED                                                                                        \
	"The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry " \
	"under the 'override' key (i.e. 'enabled: replace')."

struct reader {
	struct hr_ruleset *rs;
	yaml_document_t *doc;
	struct hr_load_result *res;
	struct hr_load_fail *fail;
};

static bool failf(struct reader *rd, enum hr_load_error code, const struct hr_load_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static bool failf(struct reader *rd, enum hr_load_error code, const struct hr_load_ctx *ctx, const char *fmt, ...)
{
	rd->fail->code = code;
	rd->fail->ctx = *ctx;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rd->fail->msg, sizeof rd->fail->msg, fmt, ap);
	va_end(ap);
	return false;
}

#define YFAIL(ctx, ...) failf(rd, LOAD_ERR_YAML_VALIDATE, ctx, __VA_ARGS__)
#define VFAIL(ctx, ...) failf(rd, LOAD_ERR_VALIDATE, ctx, __VA_ARGS__)

static struct hr_load_ctx at(const struct hr_load_ctx *parent, const char *type, const char *name, const yaml_node_t *n)
{
	return hr_load_ctx_child(parent, type, name, (uint32_t)n->start_mark.line, (uint32_t)n->start_mark.column,
				 (uint32_t)n->start_mark.index);
}

static yaml_node_t *node(struct reader *rd, yaml_node_item_t id) { return yaml_document_get_node(rd->doc, id); }
static yaml_node_t *get(struct reader *rd, const yaml_node_t *map, const char *key)
{
	return hr_yaml_get(rd->doc, map, key);
}

enum { D_FAIL = -1, D_ABSENT = 0, D_VALUE = 1 };

/* A scalar under `key` (Falco's decode_val). */
static int decode_str(struct reader *rd, const yaml_node_t *item, const char *key, const struct hr_load_ctx *ctx,
		      bool optional, bool can_be_empty, const char **out)
{
	yaml_node_t *v = get(rd, item, key);
	if (!v) {
		if (optional)
			return D_ABSENT;
		YFAIL(ctx, "Item has no mapping for key '%s'", key);
		return D_FAIL;
	}
	if (hr_yaml_is_null(v)) {
		if (can_be_empty)
			return D_ABSENT;
		YFAIL(ctx, "Mapping for key '%s' is empty", key);
		return D_FAIL;
	}
	struct hr_load_ctx vctx = at(ctx, HR_IT_VALUE_FOR, key, v);
	const char *s = hr_yaml_scalar(v);
	if (!s) {
		YFAIL(&vctx, "Value is not a scalar value");
		return D_FAIL;
	}
	if (!*s) {
		if (can_be_empty)
			return D_ABSENT;
		YFAIL(&vctx, "Value must be non-empty");
		return D_FAIL;
	}
	*out = hr_arena_strdup(&rd->rs->arena, s);
	return D_VALUE;
}

static int decode_bool(struct reader *rd, const yaml_node_t *item, const char *key, const struct hr_load_ctx *ctx,
		       bool optional, bool *out)
{
	const char *s;
	int r = decode_str(rd, item, key, ctx, optional, false, &s);
	if (r != D_VALUE)
		return r;
	if (!hr_yaml_bool(get(rd, item, key), out)) {
		struct hr_load_ctx vctx = at(ctx, HR_IT_VALUE_FOR, key, get(rd, item, key));
		YFAIL(&vctx, "Can't decode YAML scalar value");
		return D_FAIL;
	}
	return D_VALUE;
}

/* A sequence of scalars under `key` (items, tags). */
static int decode_seq(struct reader *rd, const yaml_node_t *item, const char *key, const struct hr_load_ctx *ctx,
		      bool optional, const char ***out, uint32_t *n)
{
	yaml_node_t *v = get(rd, item, key);
	if (!v) {
		if (optional)
			return D_ABSENT;
		YFAIL(ctx, "Item has no mapping for key '%s'", key);
		return D_FAIL;
	}
	struct hr_load_ctx vctx = at(ctx, HR_IT_VALUE_FOR, key, v);
	if (v->type != YAML_SEQUENCE_NODE) {
		YFAIL(&vctx, "Value is not a sequence");
		return D_FAIL;
	}
	uint32_t count = (uint32_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	const char **items = hr_arena_alloc(&rd->rs->arena, (count + 1) * sizeof *items);
	uint32_t k = 0;
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *e = node(rd, *it);
		const char *s = hr_yaml_scalar(e);
		if (!s) {
			struct hr_load_ctx ictx = at(&vctx, HR_IT_LIST_ITEM, "", e);
			YFAIL(&ictx, "sequence value is not scalar");
			return D_FAIL;
		}
		items[k++] = hr_arena_strdup(&rd->rs->arena, s);
	}
	*out = items;
	*n = k;
	return D_VALUE;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* Tags are a set, as Falco keeps them. */
static void sort_unique(const char **v, uint32_t *n)
{
	if (*n < 2)
		return;
	qsort(v, *n, sizeof *v, cmp_str);
	uint32_t k = 1;
	for (uint32_t i = 1; i < *n; i++)
		if (strcmp(v[i], v[k - 1]))
			v[k++] = v[i];
	*n = k;
}

static void warn_unknown_keys(struct reader *rd, const yaml_node_t *item, const char *const *known,
			      const struct hr_load_ctx *ctx)
{
	for (yaml_node_pair_t *p = item->data.mapping.pairs.start; p < item->data.mapping.pairs.top; p++) {
		const char *k = hr_yaml_scalar(node(rd, p->key));
		if (!k)
			continue;
		bool found = false;
		for (unsigned i = 0; known[i]; i++)
			found |= !strcmp(known[i], k);
		if (!found) {
			char msg[300];
			snprintf(msg, sizeof msg, "Unknown key '%s'. The key will be ignored.", k);
			hr_load_warning(rd->res, LOAD_UNKNOWN_KEY, msg, ctx);
		}
	}
}

/* ---- exceptions ---- */

static bool decode_ex_entry(struct reader *rd, yaml_node_t *v, const char *key, struct hr_ex_entry *out,
			    const struct hr_load_ctx *ctx)
{
	struct hr_load_ctx vctx = at(ctx, HR_IT_VALUE_FOR, key ? key : "", v);
	out->defined = true;
	const char *s = hr_yaml_scalar(v);
	if (s) {
		if (!*s)
			return YFAIL(&vctx, "Value must be non-empty");
		out->is_list = false;
		out->item = hr_arena_strdup(&rd->rs->arena, s);
	} else if (v->type == YAML_SEQUENCE_NODE) {
		out->is_list = true;
		uint32_t count = (uint32_t)(v->data.sequence.items.top - v->data.sequence.items.start);
		out->items = hr_arena_alloc(&rd->rs->arena, (count + 1) * sizeof *out->items);
		for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
			yaml_node_t *e = node(rd, *it);
			struct hr_load_ctx lctx = at(&vctx, HR_IT_EXCEPTION, "", e);
			if (!decode_ex_entry(rd, e, NULL, &out->items[out->nitems++], &lctx))
				return false;
		}
	}
	return true;
}

static bool read_exceptions(struct reader *rd, const yaml_node_t *item, const struct hr_load_ctx *parent, bool append,
			    struct hr_exception **out, uint32_t *nout, bool *present)
{
	yaml_node_t *exs = get(rd, item, "exceptions");
	*out = NULL;
	*nout = 0;
	if (present)
		*present = exs != NULL;
	if (!exs || hr_yaml_is_null(exs))
		return true;
	struct hr_load_ctx exes_ctx = at(parent, HR_IT_EXCEPTIONS, "", exs);
	if (exs->type != YAML_SEQUENCE_NODE)
		return YFAIL(&exes_ctx, "Rule exceptions must be a sequence");
	uint32_t count = (uint32_t)(exs->data.sequence.items.top - exs->data.sequence.items.start);
	struct hr_exception *v = hr_arena_alloc(&rd->rs->arena, (count + 1) * sizeof *v);
	uint32_t n = 0;
	for (yaml_node_item_t *it = exs->data.sequence.items.start; it < exs->data.sequence.items.top; it++) {
		yaml_node_t *ex = node(rd, *it);
		struct hr_load_ctx tmp = at(&exes_ctx, HR_IT_EXCEPTION, "", ex);
		if (ex->type != YAML_MAPPING_NODE)
			return YFAIL(&tmp, "Rule exception must be a mapping");
		const char *name;
		if (decode_str(rd, ex, "name", &tmp, false, false, &name) != D_VALUE)
			return false;
		struct hr_exception *e = &v[n];
		e->name = name;
		e->ctx = at(parent, HR_IT_EXCEPTION, name, ex);
		for (uint32_t i = 0; i < n; i++) {
			if (!strcmp(v[i].name, name)) {
				char msg[600];
				snprintf(msg, sizeof msg, "Multiple definitions of exception '%s' in the same rule", name);
				hr_load_warning(rd->res, LOAD_EXCEPTION_NAME_NOT_UNIQUE, msg, &e->ctx);
			}
		}
		yaml_node_t *f = get(rd, ex, "fields");
		if (!f && !append)
			return YFAIL(&e->ctx, "Item has no mapping for key 'fields'");
		if (f && !decode_ex_entry(rd, f, "fields", &e->fields, &e->ctx))
			return false;
		yaml_node_t *c = get(rd, ex, "comps");
		if (c && !decode_ex_entry(rd, c, "comps", &e->comps, &e->ctx))
			return false;
		yaml_node_t *vals = get(rd, ex, "values");
		if (vals) {
			struct hr_load_ctx vals_ctx = at(&e->ctx, HR_IT_EXCEPTION_VALUES, "", vals);
			if (vals->type != YAML_SEQUENCE_NODE)
				return YFAIL(&vals_ctx, "Rule exception values must be a sequence");
			uint32_t nv = (uint32_t)(vals->data.sequence.items.top - vals->data.sequence.items.start);
			e->values = hr_arena_alloc(&rd->rs->arena, (nv + 1) * sizeof *e->values);
			for (yaml_node_item_t *vi = vals->data.sequence.items.start; vi < vals->data.sequence.items.top;
			     vi++) {
				yaml_node_t *val = node(rd, *vi);
				struct hr_load_ctx vctx = at(&vals_ctx, HR_IT_EXCEPTION_VALUE, "", val);
				if (!decode_ex_entry(rd, val, NULL, &e->values[e->nvalues++], &vctx))
					return false;
			}
		} else if (append) {
			hr_load_warning(rd->res, LOAD_APPEND_NO_VALUES, "Overriding/appending exception with no values",
					&e->ctx);
		}
		n++;
	}
	*out = v;
	*nout = n;
	return true;
}

static const char *const filter_ops[] = {"exists",   "<=",       "<",         ">=",         ">",
					 "==",       "=",        "!=",        "glob",       "iglob",
					 "contains", "icontains", "bcontains", "startswith", "bstartswith",
					 "endswith", "regex",    "intersects", "in",        "pmatch",
					 NULL};

static bool is_operator(const char *op)
{
	for (unsigned i = 0; filter_ops[i]; i++)
		if (!strcmp(op, filter_ops[i]))
			return true;
	return false;
}

/* `startswith oneof` and the like: a string operator with a modifier. */
static bool is_str_operator_with_modifier(const char *op)
{
	static const char *const str_ops[] = {"==", "=", "!=", "glob", "iglob", "contains", "icontains",
					      "bcontains", "startswith", "bstartswith", "endswith", "regex", NULL};
	const char *sp = strchr(op, ' ');
	if (!sp)
		return false;
	const char *mod = sp + 1;
	while (*mod == ' ')
		mod++;
	if (strcmp(mod, "oneof") && strcmp(mod, "anyof") && strcmp(mod, "allof"))
		return false;
	for (unsigned i = 0; str_ops[i]; i++)
		if (strlen(str_ops[i]) == (size_t)(sp - op) && !strncmp(op, str_ops[i], (size_t)(sp - op)))
			return true;
	return false;
}

/* A field a condition may test (the whole text must be the field). */
/* A field, or (with a parenthesis) a transformer expression, which Falco
 * checks by compiling "NAME exists". */
static bool is_filter_field(const char *name)
{
	if (strchr(name, '(')) {
		size_t n = strlen(name);
		char *check = malloc(n + sizeof " exists");
		if (!check)
			return false;
		memcpy(check, name, n);
		memcpy(check + n, " exists", sizeof " exists");
		struct hr_filter *flt = hr_filter_compile(check, NULL);
		free(check);
		hr_filter_free(flt);
		return flt != NULL;
	}
	struct hr_field f;
	char err[200];
	int n = hr_field_parse(&f, name, false, err, sizeof err);
	if (n > 0)
		hr_field_free(&f);
	return n > 0 && name[n] == 0;
}

static const char *trim(struct reader *rd, const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return hr_arena_strndup(&rd->rs->arena, s, n);
}

static bool validate_exception(struct reader *rd, bool source_known, struct hr_exception *ex)
{
	struct hr_arena *a = &rd->rs->arena;
	if (ex->fields.is_list) {
		if (!ex->comps.defined) {
			ex->comps = (struct hr_ex_entry){.defined = true, .is_list = true};
			ex->comps.items = hr_arena_alloc(a, (ex->fields.nitems + 1) * sizeof *ex->comps.items);
			for (uint32_t i = 0; i < ex->fields.nitems; i++)
				ex->comps.items[i] = (struct hr_ex_entry){.defined = true, .item = "="};
			ex->comps.nitems = ex->fields.nitems;
		}
		if (ex->fields.nitems != ex->comps.nitems)
			return VFAIL(&ex->ctx, "Fields and comps lists must have equal length");
		for (uint32_t i = 0; i < ex->comps.nitems; i++) {
			struct hr_ex_entry *c = &ex->comps.items[i];
			c->item = trim(rd, c->item ? c->item : "");
			if (!is_operator(c->item) && !is_str_operator_with_modifier(c->item))
				return VFAIL(&ex->ctx, "'%s' is not a supported comparison operator", c->item);
		}
		for (uint32_t i = 0; source_known && i < ex->fields.nitems; i++) {
			const char *f = ex->fields.items[i].item ? ex->fields.items[i].item : "";
			if (!is_filter_field(f))
				return VFAIL(&ex->ctx, "'%s' is not a supported filter field", f);
		}
		return true;
	}
	if (!ex->comps.defined)
		ex->comps = (struct hr_ex_entry){.defined = true, .item = "in"};
	if (ex->comps.is_list)
		return VFAIL(&ex->ctx, "Fields and comps must both be strings");
	ex->comps.item = trim(rd, ex->comps.item);
	const char *c = ex->comps.item;
	if (strcmp(c, "in") && strcmp(c, "pmatch") && strcmp(c, "intersects") && !is_str_operator_with_modifier(c))
		return VFAIL(&ex->ctx, "When fields is a single value, comps must be one of (in, pmatch, intersects) or "
				       "a modifier operator (e.g. startswith oneof)");
	if (source_known && !is_filter_field(ex->fields.item))
		return VFAIL(&ex->ctx, "'%s' is not a supported filter field", ex->fields.item);
	return true;
}

/* ---- the collector: definitions by name ---- */

#define GROW(arr, n, cap)                                                             \
	do {                                                                          \
		if ((n) == (cap)) {                                                   \
			uint32_t c_ = (cap) ? (cap) * 2 : 16;                         \
			void *p_ = realloc((arr), c_ * sizeof *(arr));                \
			if (!p_)                                                      \
				abort();                                              \
			(arr) = p_;                                                   \
			(cap) = c_;                                                   \
		}                                                                     \
	} while (0)

static bool source_known(const char *source) { return !strcmp(source, "syscall"); }

static const char *concat(struct reader *rd, const char *a, const char *b)
{
	return hr_arena_printf(&rd->rs->arena, "%s %s", a, b);
}

static void add_tags(struct reader *rd, struct hr_rule_info *r, const char **tags, uint32_t ntags)
{
	const char **all = hr_arena_alloc(&rd->rs->arena, (r->ntags + ntags + 1) * sizeof *all);
	if (r->ntags)
		memcpy(all, r->tags, r->ntags * sizeof *all);
	if (ntags)
		memcpy(all + r->ntags, tags, ntags * sizeof *all);
	r->tags = all;
	r->ntags += ntags;
	sort_unique(r->tags, &r->ntags);
}

/* ---- items ---- */

static bool read_engine_version(struct reader *rd, const yaml_node_t *item, const struct hr_load_ctx *parent)
{
	struct hr_load_ctx ctx = at(parent, HR_IT_ENGINE_VERSION, "", item);
	const char *ver;
	if (decode_str(rd, item, "required_engine_version", &ctx, false, false, &ver) != D_VALUE)
		return false;
	unsigned long maj = 0, min = 0, patch = 0;
	char *end;
	bool digits = true;
	for (const char *p = ver; *p; p++)
		digits &= isdigit((unsigned char)*p) != 0;
	if (digits) { /* a bare number is the minor version of 0.N.0 */
		min = strtoul(ver, NULL, 10);
	} else {
		maj = strtoul(ver, &end, 10);
		bool ok = end != ver && *end == '.';
		if (ok) {
			const char *p = end + 1;
			min = strtoul(p, &end, 10);
			ok = end != p && *end == '.';
			if (ok) {
				p = end + 1;
				patch = strtoul(p, &end, 10);
				ok = end != p && (*end == 0 || *end == '-' || *end == '+');
			}
		}
		if (!ok)
			return YFAIL(&ctx, "Unable to parse engine version '%s' as a semver string. Expected \"x.y.z\" "
					   "semver format.", ver);
	}
	/* compatible: same major, and not newer than this engine */
	bool compatible = maj == HR_ENGINE_VERSION_MAJOR &&
			  (min < HR_ENGINE_VERSION_MINOR || (min == HR_ENGINE_VERSION_MINOR && patch <= HR_ENGINE_VERSION_PATCH));
	if (!compatible)
		return VFAIL(&ctx, "Rules require engine version %lu.%lu.%lu, but engine version is %d.%d.%d", maj, min,
			     patch, HR_ENGINE_VERSION_MAJOR, HR_ENGINE_VERSION_MINOR, HR_ENGINE_VERSION_PATCH);
	unsigned long *have = rd->rs->engine_version;
	if (maj > have[0] || (maj == have[0] && (min > have[1] || (min == have[1] && patch > have[2])))) {
		have[0] = maj;
		have[1] = min;
		have[2] = patch;
	}
	return true;
}

static bool read_plugin_versions(struct reader *rd, const yaml_node_t *item, const struct hr_load_ctx *parent)
{
	yaml_node_t *v = get(rd, item, "required_plugin_versions");
	struct hr_load_ctx ctx = at(parent, HR_IT_PLUGIN_VERSIONS, "", item);
	if (v->type != YAML_SEQUENCE_NODE)
		return YFAIL(&ctx, "Value of required_plugin_versions must be a sequence");
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *p = node(rd, *it);
		struct hr_load_ctx pctx = at(&ctx, "required plugin versions entry", "", p);
		if (p->type != YAML_MAPPING_NODE)
			return YFAIL(&pctx, "Plugin version must be a mapping");
		const char *s;
		if (decode_str(rd, p, "name", &pctx, false, false, &s) != D_VALUE ||
		    decode_str(rd, p, "version", &pctx, false, false, &s) != D_VALUE)
			return false;
	}
	static const char *const known[] = {"required_plugin_versions", NULL};
	warn_unknown_keys(rd, item, known, &ctx);
	return true;
}

/* `override:` entries; `append_ok`/`replace_ok` list the keys allowed. */
static bool read_overrides(struct reader *rd, const yaml_node_t *item, const char *const *append_ok,
			   const char *const *replace_ok, const struct hr_load_ctx *ctx, const char **append,
			   uint32_t *nappend, const char **replace, uint32_t *nreplace)
{
	*nappend = *nreplace = 0;
	yaml_node_t *ov = get(rd, item, "override");
	if (!ov)
		return true;
	struct hr_load_ctx octx = at(ctx, HR_IT_OVERRIDES, "", item);
	if (ov->type != YAML_MAPPING_NODE)
		return YFAIL(&octx, "Value is not a mapping");
	for (yaml_node_pair_t *p = ov->data.mapping.pairs.start; p < ov->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = node(rd, p->key);
		const char *key = hr_yaml_scalar(kn), *op = hr_yaml_scalar(node(rd, p->value));
		if (!key || !op)
			return YFAIL(&octx, "Value is not a scalar value");
		struct hr_load_ctx kctx = at(&octx, HR_IT_OVERRIDES, key, kn);
		bool can_append = false, can_replace = false;
		for (unsigned i = 0; append_ok[i]; i++)
			can_append |= !strcmp(append_ok[i], key);
		for (unsigned i = 0; replace_ok[i]; i++)
			can_replace |= !strcmp(replace_ok[i], key);
		if (!strcmp(op, "append")) {
			if (!can_append)
				return YFAIL(&kctx, "Key '%s' cannot be appended to, use 'replace' instead", key);
			append[(*nappend)++] = key;
		} else if (!strcmp(op, "replace")) {
			if (!can_replace)
				return YFAIL(&kctx, "Key '%s' cannot be replaced", key);
			replace[(*nreplace)++] = key;
		} else {
			return YFAIL(&kctx, "Invalid override operation for key '%s': '%s'. Allowed values are: %s%s", key,
				     op, can_append ? "append " : "", can_replace ? "replace " : "");
		}
		if (*nappend + *nreplace >= 32)
			return YFAIL(&octx, "Too many override entries");
	}
	return true;
}

static bool in_set(const char *const *set, uint32_t n, const char *key)
{
	for (uint32_t i = 0; i < n; i++)
		if (!strcmp(set[i], key))
			return true;
	return false;
}

static bool read_list(struct reader *rd, const yaml_node_t *item, const struct hr_load_ctx *parent)
{
	struct hr_ruleset *rs = rd->rs;
	struct hr_load_ctx tmp = at(parent, HR_IT_LIST, "", item);
	const char *name;
	if (decode_str(rd, item, "list", &tmp, false, false, &name) != D_VALUE)
		return false;
	struct hr_load_ctx ctx = at(parent, HR_IT_LIST, name, item);
	bool valid_name = true;
	for (const char *p = name; *p; p++)
		valid_name &= !strchr("()\"'=,", *p) && !isspace((unsigned char)*p);
	if (!valid_name)
		hr_load_warning(rd->res, LOAD_INVALID_LIST_NAME,
				"List has an invalid name. List names should match a regular expression: "
				"([^()\"'[:space:]=,]+)",
				&ctx);
	const char **items;
	uint32_t nitems;
	if (decode_seq(rd, item, "items", &ctx, false, &items, &nitems) != D_VALUE)
		return false;
	bool append = false;
	if (decode_bool(rd, item, "append", &ctx, true, &append) == D_FAIL)
		return false;
	if (append)
		hr_load_warning(rd->res, LOAD_DEPRECATED_ITEM, WARNING_APPEND, &ctx);
	static const char *const overridable[] = {"items", NULL};
	const char *oa[32], *orp[32];
	uint32_t noa, norp;
	if (!read_overrides(rd, item, overridable, overridable, &ctx, oa, &noa, orp, &norp))
		return false;
	if (append && (noa || norp))
		return YFAIL(&ctx, ERROR_OVERRIDE_APPEND);
	append |= noa > 0;
	struct hr_list_info *prev = hr_rules_find_list(rs, name);
	if (append) {
		if (!prev)
			return VFAIL(&ctx, "List uses 'append' or 'override.items: append' but no list by that name "
					   "already exists");
		const char **all = hr_arena_alloc(&rs->arena, (prev->nitems + nitems + 1) * sizeof *all);
		if (prev->nitems)
			memcpy(all, prev->items, prev->nitems * sizeof *all);
		if (nitems)
			memcpy(all + prev->nitems, items, nitems * sizeof *all);
		prev->items = all;
		prev->nitems += nitems;
		prev->visibility = rs->next_index++;
	} else {
		struct hr_list_info v = {.name = name, .items = items, .nitems = nitems, .ctx = ctx};
		if (prev) {
			v.index = prev->index;
			v.visibility = rs->next_index++;
			*prev = v;
		} else {
			v.index = v.visibility = rs->next_index++;
			GROW(rs->lists, rs->nlists, rs->cap_lists);
			hr_name_index_add(&rs->list_names, name, rs->nlists);
			rs->lists[rs->nlists++] = v;
		}
	}
	static const char *const known[] = {"list", "items", "append", "override", NULL};
	warn_unknown_keys(rd, item, known, &ctx);
	return true;
}

static bool read_macro(struct reader *rd, const yaml_node_t *item, const struct hr_load_ctx *parent)
{
	struct hr_ruleset *rs = rd->rs;
	struct hr_load_ctx tmp = at(parent, HR_IT_MACRO, "", item);
	const char *name, *cond;
	if (decode_str(rd, item, "macro", &tmp, false, false, &name) != D_VALUE)
		return false;
	struct hr_load_ctx ctx = at(parent, HR_IT_MACRO, name, item);
	bool valid_name = isalpha((unsigned char)name[0]);
	for (const char *p = name; *p; p++)
		valid_name &= isalnum((unsigned char)*p) || *p == '_';
	if (!valid_name)
		hr_load_warning(rd->res, LOAD_INVALID_MACRO_NAME,
				"Macro has an invalid name. Macro names should match a regular expression: "
				"([a-zA-Z]+[a-zA-Z0-9_]*)",
				&ctx);
	if (decode_str(rd, item, "condition", &ctx, false, false, &cond) != D_VALUE)
		return false;
	struct hr_load_ctx cond_ctx = at(&ctx, HR_IT_MACRO_CONDITION, "", get(rd, item, "condition"));
	bool append = false;
	if (decode_bool(rd, item, "append", &ctx, true, &append) == D_FAIL)
		return false;
	if (append)
		hr_load_warning(rd->res, LOAD_DEPRECATED_ITEM, WARNING_APPEND, &ctx);
	static const char *const overridable[] = {"condition", NULL};
	const char *oa[32], *orp[32];
	uint32_t noa, norp;
	if (!read_overrides(rd, item, overridable, overridable, &ctx, oa, &noa, orp, &norp))
		return false;
	if (append && (noa || norp))
		return YFAIL(&ctx, ERROR_OVERRIDE_APPEND);
	append |= noa > 0;
	struct hr_macro_info *prev = hr_rules_find_macro(rs, name);
	if (append) {
		if (!prev)
			return VFAIL(&ctx, "Macro uses 'append' or 'override.condition: append' but no macro by that "
					   "name already exists");
		prev->cond = concat(rd, prev->cond, cond);
		prev->visibility = rs->next_index++;
	} else {
		struct hr_macro_info v = {.name = name, .cond = cond, .ctx = ctx, .cond_ctx = cond_ctx};
		if (prev) {
			v.index = prev->index;
			v.visibility = rs->next_index++;
			*prev = v;
		} else {
			v.index = v.visibility = rs->next_index++;
			GROW(rs->macros, rs->nmacros, rs->cap_macros);
			hr_name_index_add(&rs->macro_names, name, rs->nmacros);
			rs->macros[rs->nmacros++] = v;
		}
	}
	static const char *const known[] = {"macro", "condition", "append", "override", NULL};
	warn_unknown_keys(rd, item, known, &ctx);
	return true;
}

/* A rule found by name; redefining with another source is an error. */
static bool find_prev_rule(struct reader *rd, const char *name, const char *source, const struct hr_load_ctx *ctx,
			   struct hr_rule_info **out)
{
	*out = hr_rules_find_rule(rd->rs, name);
	if (*out && source && *source && *(*out)->source && strcmp((*out)->source, source))
		return VFAIL(ctx, "Rule has been re-defined with a different source");
	return true;
}

/* New or appended exceptions of an update, as Falco's collector merges them. */
static bool append_exceptions(struct reader *rd, struct hr_rule_info *prev, struct hr_exception *exs, uint32_t n)
{
	struct hr_arena *a = &rd->rs->arena;
	for (uint32_t i = 0; i < n; i++) {
		struct hr_exception *ex = &exs[i], *old = NULL;
		for (uint32_t k = 0; k < prev->nexceptions; k++)
			if (!strcmp(prev->exceptions[k].name, ex->name))
				old = &prev->exceptions[k];
		if (!old) {
			if (!ex->fields.defined)
				return VFAIL(&ex->ctx, "Rule exception must have fields property with a list of fields");
			if (!ex->nvalues)
				return VFAIL(&ex->ctx, "Rule exception must have values property with a list of values");
			if (!validate_exception(rd, !prev->unknown_source, ex))
				return false;
			struct hr_exception *all = hr_arena_alloc(a, (prev->nexceptions + 1) * sizeof *all);
			if (prev->nexceptions)
				memcpy(all, prev->exceptions, prev->nexceptions * sizeof *all);
			all[prev->nexceptions++] = *ex;
			prev->exceptions = all;
		} else {
			if (ex->fields.defined)
				return VFAIL(&ex->ctx, "Can not append exception fields to existing exception, only values");
			if (ex->comps.defined)
				return VFAIL(&ex->ctx, "Can not append exception comps to existing exception, only values");
			struct hr_ex_entry *vals = hr_arena_alloc(a, (old->nvalues + ex->nvalues + 1) * sizeof *vals);
			if (old->nvalues)
				memcpy(vals, old->values, old->nvalues * sizeof *vals);
			if (ex->nvalues)
				memcpy(vals + old->nvalues, ex->values, ex->nvalues * sizeof *vals);
			old->values = vals;
			old->nvalues += ex->nvalues;
		}
	}
	return true;
}

static bool read_priority(struct reader *rd, const yaml_node_t *item, const struct hr_load_ctx *ctx,
			  enum hr_priority *out)
{
	const char *s;
	if (decode_str(rd, item, "priority", ctx, false, false, &s) != D_VALUE)
		return false;
	if (!hr_priority_parse(s, out)) {
		struct hr_load_ctx pctx = at(ctx, HR_IT_RULE_PRIORITY, "", get(rd, item, "priority"));
		return YFAIL(&pctx, "Invalid priority");
	}
	return true;
}

/* The keys of a rule with `override:` (append and replace per key). */
static bool read_rule_overrides(struct reader *rd, const yaml_node_t *item, const char *name, const char *source,
				const struct hr_load_ctx *ctx, const char *const *oa, uint32_t noa,
				const char *const *orp, uint32_t norp)
{
	static const char *const all_keys[] = {"condition", "output", "desc", "tags", "exceptions", "priority",
					       "capture", "capture_duration", "enabled", "warn_evttypes",
					       "skip-if-unknown-filter", NULL};
	bool expected[16] = {0};
	for (unsigned i = 0; all_keys[i]; i++)
		expected[i] = get(rd, item, all_keys[i]) != NULL;
	for (int pass = 0; pass < 2; pass++) {
		const char *const *ops = pass ? orp : oa;
		uint32_t nops = pass ? norp : noa;
		if (!nops)
			continue;
		struct hr_rule_info *prev;
		if (!find_prev_rule(rd, name, source, ctx, &prev))
			return false;
		if (!prev)
			return VFAIL(ctx, pass ? "An 'override.<key>: replace' to a rule was requested but no rule by "
						 "that name already exists"
					       : "Rule uses 'append' or 'override.<key>: append' but no rule by that name "
						 "already exists");
		bool any = false;
		for (unsigned i = 0; all_keys[i]; i++) {
			const char *key = all_keys[i];
			if (!in_set(ops, nops, key))
				continue;
			if (!expected[i])
				return YFAIL(ctx, "An %s override for '%s' was specified but '%s' is not defined",
					     pass ? "replace" : "append", key, key);
			expected[i] = false;
			any = true;
			const char *s;
			if (!strcmp(key, "condition") || !strcmp(key, "output") || !strcmp(key, "desc")) {
				if (decode_str(rd, item, key, ctx, false, false, &s) != D_VALUE)
					return false;
				const char **field = !strcmp(key, "condition") ? &prev->cond
						     : !strcmp(key, "output")  ? &prev->output
									       : &prev->desc;
				*field = pass ? s : concat(rd, *field, s);
			} else if (!strcmp(key, "tags")) {
				const char **tags;
				uint32_t ntags;
				if (decode_seq(rd, item, "tags", ctx, false, &tags, &ntags) != D_VALUE)
					return false;
				if (pass)
					prev->ntags = 0;
				add_tags(rd, prev, tags, ntags);
			} else if (!strcmp(key, "exceptions")) {
				struct hr_exception *exs;
				uint32_t nexs;
				if (!read_exceptions(rd, item, ctx, !pass, &exs, &nexs, NULL))
					return false;
				if (pass) {
					for (uint32_t k = 0; k < nexs; k++)
						if (!validate_exception(rd, !prev->unknown_source, &exs[k]))
							return false;
					prev->exceptions = exs;
					prev->nexceptions = nexs;
				} else if (!append_exceptions(rd, prev, exs, nexs)) {
					return false;
				}
			} else if (!strcmp(key, "priority")) {
				if (!read_priority(rd, item, ctx, &prev->priority))
					return false;
			} else if (!strcmp(key, "capture") || !strcmp(key, "capture_duration")) {
				if (decode_str(rd, item, key, ctx, false, false, &s) != D_VALUE)
					return false;
			} else {
				bool *b = !strcmp(key, "enabled")	? &prev->enabled
					  : !strcmp(key, "warn_evttypes") ? &prev->warn_evttypes
									  : &prev->skip_if_unknown_filter;
				if (decode_bool(rd, item, key, ctx, false, b) != D_VALUE)
					return false;
			}
		}
		if (!any)
			return VFAIL(ctx, pass ? "The rule must have at least one field that can be replaced"
					       : "Appended rule must have exceptions or condition property");
		prev->visibility = rd->rs->next_index++;
	}
	for (unsigned i = 0; all_keys[i]; i++) {
		if (expected[i]) {
			yaml_node_t *k = get(rd, item, all_keys[i]);
			struct hr_load_ctx kctx = at(ctx, HR_IT_OVERRIDES, all_keys[i], k);
			return YFAIL(&kctx, "Unexpected key '%s': no corresponding entry under 'override' is defined.",
				     all_keys[i]);
		}
	}
	return true;
}

static bool read_rule(struct reader *rd, const yaml_node_t *item, const struct hr_load_ctx *parent)
{
	struct hr_ruleset *rs = rd->rs;
	struct hr_load_ctx tmp = at(parent, HR_IT_RULE, "", item);
	const char *name, *source = "";
	if (decode_str(rd, item, "rule", &tmp, false, false, &name) != D_VALUE)
		return false;
	struct hr_load_ctx ctx = at(parent, HR_IT_RULE, name, item);
	if (decode_str(rd, item, "source", &ctx, true, true, &source) == D_FAIL)
		return false;
	bool append = false;
	if (decode_bool(rd, item, "append", &ctx, true, &append) == D_FAIL)
		return false;
	if (append)
		hr_load_warning(rd->res, LOAD_DEPRECATED_ITEM, WARNING_APPEND, &ctx);
	static const char *const append_ok[] = {"condition", "output", "desc", "tags", "exceptions", NULL};
	static const char *const replace_ok[] = {"condition", "output", "desc", "priority", "capture",
						 "capture_duration", "tags", "exceptions", "enabled", "warn_evttypes",
						 "skip-if-unknown-filter", NULL};
	const char *oa[32], *orp[32];
	uint32_t noa, norp;
	if (!read_overrides(rd, item, append_ok, replace_ok, &ctx, oa, &noa, orp, &norp))
		return false;
	if (append && (noa || norp))
		return YFAIL(&ctx, ERROR_OVERRIDE_APPEND);
	if (noa || norp) {
		if (!read_rule_overrides(rd, item, name, source, &ctx, oa, noa, orp, norp))
			return false;
	} else if (append) {
		struct hr_rule_info *prev;
		if (!find_prev_rule(rd, name, source, &ctx, &prev))
			return false;
		const char *cond = NULL;
		if (decode_str(rd, item, "condition", &ctx, true, false, &cond) == D_FAIL)
			return false;
		struct hr_exception *exs = NULL;
		uint32_t nexs = 0;
		bool has_exs = false;
		if (!read_exceptions(rd, item, &ctx, true, &exs, &nexs, &has_exs))
			return false;
		if (!prev)
			return VFAIL(&ctx, "Rule uses 'append' or 'override.<key>: append' but no rule by that name "
					   "already exists");
		if (!cond && !has_exs)
			return VFAIL(&ctx, "Appended rule must have exceptions or condition property");
		if (cond)
			prev->cond = concat(rd, prev->cond, cond);
		if (!append_exceptions(rd, prev, exs, nexs))
			return false;
		prev->visibility = rs->next_index++;
	} else if (!get(rd, item, "condition") && !get(rd, item, "output") && !get(rd, item, "desc") &&
		   !get(rd, item, "priority")) {
		bool enabled = true;
		if (decode_bool(rd, item, "enabled", &ctx, false, &enabled) != D_VALUE)
			return false;
		hr_load_warning(rd->res, LOAD_DEPRECATED_ITEM, WARNING_ENABLED, &ctx);
		struct hr_rule_info *prev = hr_rules_find_rule(rs, name);
		if (!prev)
			return VFAIL(&ctx, "Rule has 'enabled' key but no rule by that name already exists");
		prev->enabled = enabled;
	} else {
		struct hr_rule_info v = {.name = name, .enabled = true, .warn_evttypes = true, .ctx = ctx};
		if (decode_str(rd, item, "condition", &ctx, false, false, &v.cond) != D_VALUE)
			return false;
		v.cond_ctx = at(&ctx, HR_IT_RULE_CONDITION, "", get(rd, item, "condition"));
		if (decode_str(rd, item, "output", &ctx, false, false, &v.output) != D_VALUE)
			return false;
		v.output_ctx = at(&ctx, HR_IT_RULE_OUTPUT, "", get(rd, item, "output"));
		if (decode_str(rd, item, "desc", &ctx, false, false, &v.desc) != D_VALUE)
			return false;
		if (!read_priority(rd, item, &ctx, &v.priority))
			return false;
		v.output = trim(rd, v.output);
		v.source = "syscall";
		if (decode_str(rd, item, "source", &ctx, true, false, &v.source) == D_FAIL)
			return false;
		const char *ignored;
		if (decode_bool(rd, item, "enabled", &ctx, true, &v.enabled) == D_FAIL ||
		    decode_str(rd, item, "capture", &ctx, true, false, &ignored) == D_FAIL ||
		    decode_str(rd, item, "capture_duration", &ctx, true, false, &ignored) == D_FAIL ||
		    decode_bool(rd, item, "warn_evttypes", &ctx, true, &v.warn_evttypes) == D_FAIL ||
		    decode_bool(rd, item, "skip-if-unknown-filter", &ctx, true, &v.skip_if_unknown_filter) == D_FAIL)
			return false;
		const char **tags = NULL;
		uint32_t ntags = 0;
		if (decode_seq(rd, item, "tags", &ctx, true, &tags, &ntags) == D_FAIL)
			return false;
		add_tags(rd, &v, tags, ntags);
		if (!read_exceptions(rd, item, &ctx, false, &v.exceptions, &v.nexceptions, NULL))
			return false;
		struct hr_rule_info *prev;
		if (!find_prev_rule(rd, name, v.source, &ctx, &prev))
			return false;
		if (!source_known(v.source)) {
			v.unknown_source = true;
			char msg[600];
			snprintf(msg, sizeof msg, "Unknown source %s, skipping", v.source);
			hr_load_warning(rd->res, LOAD_UNKNOWN_SOURCE, msg, &ctx);
		}
		for (uint32_t i = 0; i < v.nexceptions; i++) {
			if (!v.exceptions[i].fields.defined)
				return VFAIL(&v.exceptions[i].ctx,
					     "Rule exception item must have fields property with a list of fields");
			if (!validate_exception(rd, !v.unknown_source, &v.exceptions[i]))
				return false;
		}
		if (prev) {
			v.index = prev->index;
			v.visibility = rs->next_index++;
			*prev = v;
		} else {
			v.index = v.visibility = rs->next_index++;
			GROW(rs->rule_infos, rs->nrule_infos, rs->cap_rule_infos);
			hr_name_index_add(&rs->rule_names, name, rs->nrule_infos);
			rs->rule_infos[rs->nrule_infos++] = v;
		}
	}
	static const char *const known[] = {"rule", "condition", "output", "desc", "priority", "source", "enabled",
					    "capture", "capture_duration", "warn_evttypes", "skip-if-unknown-filter",
					    "tags", "exceptions", "override", "append", NULL};
	warn_unknown_keys(rd, item, known, &ctx);
	return true;
}

static bool read_item(struct reader *rd, const yaml_node_t *item, const struct hr_load_ctx *parent)
{
	if (item->type != YAML_MAPPING_NODE) {
		struct hr_load_ctx tmp = at(parent, HR_IT_RULES_CONTENT_ITEM, "", item);
		return YFAIL(&tmp, "Unexpected element type. Each element should be a yaml associative array.");
	}
	if (get(rd, item, "required_engine_version"))
		return read_engine_version(rd, item, parent);
	if (get(rd, item, "required_plugin_versions"))
		return read_plugin_versions(rd, item, parent);
	if (get(rd, item, "list"))
		return read_list(rd, item, parent);
	if (get(rd, item, "macro"))
		return read_macro(rd, item, parent);
	if (get(rd, item, "rule"))
		return read_rule(rd, item, parent);
	struct hr_load_ctx ctx = at(parent, HR_IT_RULES_CONTENT_ITEM, "", item);
	hr_load_warning(rd->res, LOAD_UNKNOWN_ITEM, "Unknown top level item", &ctx);
	return true;
}

bool hr_rules_read(struct hr_ruleset *rs, const char *name, const char *content, struct hr_load_result *res,
		   struct hr_load_fail *fail)
{
	struct hr_load_ctx file = {.n = 1};
	file.loc[0] = (struct hr_load_loc){.name = hr_arena_strdup(&rs->arena, name),
					   .item_type = HR_IT_RULES_CONTENT,
					   .item_name = ""};
	struct hr_yaml_file y;
	if (!hr_yaml_load(content, strlen(content), &y)) {
		fail->code = LOAD_ERR_YAML_PARSE;
		fail->ctx = hr_load_ctx_child(&file, HR_IT_VALUE_FOR, "", (uint32_t)y.err_line, (uint32_t)y.err_column,
					      (uint32_t)y.err_offset);
		snprintf(fail->msg, sizeof fail->msg, "YAML error at line %zu, column %zu: %s", y.err_line + 1,
			 y.err_column + 1, y.err);
		hr_yaml_free(&y);
		return false;
	}
	bool ok = true;
	struct reader r = {.rs = rs, .res = res, .fail = fail}, *rd = &r;
	for (size_t d = 0; ok && d < y.ndocs; d++) {
		rd->doc = &y.docs[d];
		yaml_node_t *root = yaml_document_get_root_node(rd->doc);
		if (!root || hr_yaml_is_null(root))
			continue;
		if (root->type == YAML_SCALAR_NODE) {
			ok = YFAIL(&file, "Rules content is not yaml");
			break;
		}
		if (root->type != YAML_SEQUENCE_NODE) {
			ok = YFAIL(&file, "Rules content is not yaml array of objects");
			break;
		}
		for (yaml_node_item_t *it = root->data.sequence.items.start; ok && it < root->data.sequence.items.top;
		     it++) {
			yaml_node_t *item = node(rd, *it);
			if (!hr_yaml_is_null(item))
				ok = read_item(rd, item, &file);
		}
	}
	hr_yaml_free(&y);
	return ok;
}
