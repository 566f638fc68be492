/*
 * Expression operands (see filter_internal.h): typing the nodes the
 * parser builds, Falco's rules for the arguments of `join`, `concat` and
 * `getopt`, and evaluating a tree on one event. Each node writes its
 * result into its own buffer and item array, which keep their capacity
 * from event to event, so evaluation allocates nothing once they have
 * grown. Fields come from the filter's slots (extracted at most once per
 * event).
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter/filter_internal.h"

const char *const hr_transformer_names[] = {"tolower", "toupper", "b64", "basename", "len"};

uint32_t hr_expr_add(struct hr_filter_expr *x, uint8_t kind, size_t pos)
{
	if (!hr_filter_grow((void **)&x->nodes, &x->cap_nodes, x->nnodes + 1, sizeof *x->nodes))
		return UINT32_MAX;
	struct hr_expr_node *node = &x->nodes[x->nnodes];
	memset(node, 0, sizeof *node);
	node->kind = kind;
	node->pos = pos;
	return x->nnodes++;
}

void hr_expr_free(struct hr_filter_expr *x)
{
	if (!x)
		return;
	for (uint32_t i = 0; i < x->nnodes; i++) {
		free(x->nodes[i].args);
		free(x->nodes[i].text);
		free(x->nodes[i].items);
		hr_sb_free(&x->nodes[i].buf);
	}
	free(x->nodes);
	free(x);
}

static bool is_string_type(uint8_t type)
{
	return hr_filter_class_of_type(type) == VCLS_STRING;
}

static const char *node_name(const struct hr_expr_node *n)
{
	switch (n->kind) {
	case EX_JOIN: return "join";
	case EX_CONCAT: return "concat";
	case EX_GETOPT: return "getopt";
	default: return hr_transformer_names[n->xf];
	}
}

/* The arguments' shapes, as Falco checks them when it builds the
 * transformer; a list is a list whether written `(a, b)`, a list field
 * (fd.types) or getopt without a selector. */
bool hr_expr_type_node(struct hr_filter *f, struct hr_filter_expr *x, uint32_t n, char *err, size_t errlen)
{
	struct hr_expr_node *node = &x->nodes[n];
	const struct hr_expr_node *a0 = node->nargs > 0 ? &x->nodes[node->args[0]] : NULL;
	const struct hr_expr_node *a1 = node->nargs > 1 ? &x->nodes[node->args[1]] : NULL;
	if (node->has_selector && node->kind != EX_GETOPT) {
		snprintf(err, errlen, "transformer '%s' does not support field arguments", node_name(node));
		return false;
	}
	switch (node->kind) {
	case EX_FIELD: {
		const struct hr_field_def *def = f->slots[node->slot].field.def;
		node->type = def->type;
		node->list = (def->flags & HR_FF_LIST) != 0;
		if (node->list)
			node->type = HR_PT_CHARBUF;
		return true;
	}
	case EX_TEXT:
		node->type = HR_PT_CHARBUF;
		return true;
	case EX_LIST:
		node->type = HR_PT_CHARBUF;
		node->list = true;
		return true;
	case EX_XF:
		if (node->nargs != 1) {
			snprintf(err, errlen, "transformer '%s' takes exactly one argument", node_name(node));
			return false;
		}
		if (node->xf == XF_LEN && a0->list) {
			node->type = HR_PT_UINT64; /* the number of items */
			return true;
		}
		if (!a0->list && a0->type != HR_PT_DYN && !is_string_type(a0->type) &&
		    hr_filter_class_of_type(a0->type) != VCLS_BYTES) {
			snprintf(err, errlen, "transformer %s needs a string field, %s is a %s", node_name(node),
				 a0->kind == EX_FIELD ? f->slots[a0->slot].field.text : "its argument",
				 hr_filter_class_name(hr_filter_class_of_type(a0->type)));
			return false;
		}
		node->list = a0->list;
		node->type = node->xf == XF_LEN ? HR_PT_UINT64 : node->xf == XF_B64 ? HR_PT_BYTEBUF : a0->type;
		return true;
	case EX_JOIN:
		if (node->nargs != 2) {
			snprintf(err, errlen, "join() requires exactly 2 arguments: separator and list");
			return false;
		}
		if (a0->list) {
			snprintf(err, errlen, "join() first argument (separator) must be a single value, not a list");
			return false;
		}
		if (!is_string_type(a0->type)) {
			snprintf(err, errlen, "join() first argument (separator) must be a string");
			return false;
		}
		if (!a1->list) {
			snprintf(err, errlen, "join() second argument must be a list");
			return false;
		}
		node->type = HR_PT_CHARBUF;
		return true;
	case EX_CONCAT:
		if (node->nargs < 2) {
			snprintf(err, errlen, "concat() requires at least 2 arguments");
			return false;
		}
		for (uint32_t i = 0; i < node->nargs; i++) {
			const struct hr_expr_node *a = &x->nodes[node->args[i]];
			if (a->list || !is_string_type(a->type)) {
				snprintf(err, errlen, "concat() arguments must be strings (argument %u is %s)", i + 1,
					 a->list ? "a list" : "not a string");
				return false;
			}
		}
		node->type = HR_PT_CHARBUF;
		return true;
	default: /* EX_GETOPT */
		if (node->nargs != 2) {
			snprintf(err, errlen, "getopt() requires exactly 2 arguments: args list and optstring");
			return false;
		}
		if (!a0->list) {
			snprintf(err, errlen, "getopt() first argument must be a list");
			return false;
		}
		if (a1->list) {
			snprintf(err, errlen, "getopt() second argument (optstring) must be a single value");
			return false;
		}
		if (!is_string_type(a1->type)) {
			snprintf(err, errlen, "getopt() arguments must be strings");
			return false;
		}
		if (a1->kind == EX_TEXT) {
			hr_getopt_decode(a1->text, a1->text_len, node->opt_valid, node->opt_arg);
			node->const_opts = true;
		}
		node->type = HR_PT_CHARBUF;
		node->list = !node->has_selector;
		return true;
	}
}

void hr_expr_attach(struct hr_filter_operand *o, struct hr_filter_expr *x)
{
	/* a field, or transformers over one non-list field (innermost last in
	 * the tree); a list field under transformers stays a tree, whose nodes
	 * read it item by item */
	uint32_t chain[8], depth = 0, n = x->root;
	while (x->nodes[n].kind == EX_XF && depth < 8) {
		chain[depth++] = n;
		n = x->nodes[n].args[0];
	}
	const struct hr_expr_node *leaf = &x->nodes[n];
	if (leaf->kind == EX_FIELD && (!leaf->list || depth == 0)) {
		o->slot = leaf->slot;
		o->nxf = (uint8_t)depth;
		for (uint32_t i = 0; i < depth; i++)
			o->xf[i] = x->nodes[chain[depth - 1 - i]].xf;
		hr_expr_free(x);
		return;
	}
	o->expr = x;
	o->list = x->nodes[x->root].list;
}

/* ---- getopt(3), as Falco's transformer reads an argv ---- */

static bool bit(const uint8_t set[32], unsigned char c)
{
	return set[c >> 3] & (1u << (c & 7));
}

void hr_getopt_decode(const char *optstring, uint32_t len, uint8_t valid[32], uint8_t with_arg[32])
{
	memset(valid, 0, 32);
	memset(with_arg, 0, 32);
	/* a leading ':' only changes getopt's error reporting */
	for (uint32_t i = len > 0 && optstring[0] == ':'; i < len; i++) {
		unsigned char c = (unsigned char)optstring[i];
		if (c == ':')
			continue;
		valid[c >> 3] |= (uint8_t)(1u << (c & 7));
		if (i + 1 < len && optstring[i + 1] == ':') {
			with_arg[c >> 3] |= (uint8_t)(1u << (c & 7));
			i++;
		}
	}
}

/* Makes the bytes the node's buffer got since `off` its next item. */
static bool end_item(struct hr_expr_node *out, size_t off)
{
	if (!hr_filter_grow((void **)&out->items, &out->cap_items, out->nitems + 1, sizeof *out->items))
		return false;
	out->items[out->nitems++] = (struct hr_expr_item){(uint32_t)off, (uint32_t)(out->buf.len - off)};
	hr_sb_putc(&out->buf, 0); /* items read as C strings too */
	return true;
}

static bool push_item(struct hr_expr_node *out, const char *s, uint32_t len)
{
	size_t off = out->buf.len;
	hr_sb_append(&out->buf, s, len);
	return end_item(out, off);
}

bool hr_getopt_run(const char *base, const struct hr_expr_item *argv, uint32_t argc, const uint8_t valid[32],
		   const uint8_t with_arg[32], bool has_selector, char selector, struct hr_expr_node *out)
{
	hr_sb_reset(&out->buf);
	out->nitems = 0;
	/* selector mode: the last match wins; `found` is its place in buf */
	bool found = false;
	size_t found_off = 0;
	uint32_t found_len = 0;
	for (uint32_t i = 0; i < argc; i++) {
		const char *arg = base + argv[i].off;
		uint32_t len = argv[i].len;
		if (len == 2 && arg[0] == '-' && arg[1] == '-')
			break; /* the end of the options */
		if (len > 2 && arg[0] == '-' && arg[1] == '-')
			continue; /* long options are not read, nor taken for clusters */
		if (len < 2 || arg[0] != '-')
			break; /* the first operand ends the options */
		for (uint32_t j = 1; j < len; j++) {
			unsigned char opt = (unsigned char)arg[j];
			if (opt == ':' || !bit(valid, opt)) {
				if (!has_selector && !push_item(out, "?", 1))
					return false;
				continue;
			}
			bool match = !has_selector || opt == (unsigned char)selector;
			bool takes = bit(with_arg, opt);
			const char *value = NULL;
			uint32_t vlen = 0;
			if (takes) {
				if (j + 1 < len) {
					value = arg + j + 1;
					vlen = len - j - 1;
				} else if (i + 1 < argc) {
					i++;
					value = base + argv[i].off;
					vlen = argv[i].len;
				}
			}
			if (match) {
				/* a missing argument reads as an empty value */
				const char *shown = takes ? (value ? value : "") : arg + j;
				uint32_t shown_len = takes ? vlen : 1;
				if (has_selector) {
					found = true;
					found_off = out->buf.len;
					found_len = shown_len;
					hr_sb_append(&out->buf, shown, shown_len);
					hr_sb_putc(&out->buf, 0);
				} else if (takes && !value) {
					if (!push_item(out, "", 0))
						return false;
				} else if (!push_item(out, arg + j, 1) || (takes && !push_item(out, value, vlen))) {
					return false;
				}
			}
			if (takes)
				break; /* the rest of the token was the argument */
		}
	}
	if (!has_selector)
		return true;
	if (!found)
		return false;
	out->value = (struct hr_value){.type = HR_PT_CHARBUF, .str = out->buf.p + found_off, .len = found_len};
	return true;
}

/* ---- evaluation ---- */

static bool eval_node(struct hr_filter *f, struct hr_filter_expr *x, uint32_t n, struct hr_field_ctx *ctx,
		      const struct hr_event *e);

/* A single value as a list item's text: strings as they are, numbers,
 * booleans and addresses as Falco renders a list's numeric elements. */
static bool append_rendered(struct hr_expr_node *out, const struct hr_value *v)
{
	char tmp[64];
	uint8_t cls = hr_filter_class_of_type(v->type);
	switch (cls) {
	case VCLS_STRING: case VCLS_BYTES:
		return push_item(out, v->str, hr_filter_text_len(v));
	case VCLS_SIGNED: snprintf(tmp, sizeof tmp, "%" PRId64, v->v.i64); break;
	case VCLS_DOUBLE: snprintf(tmp, sizeof tmp, "%.6f", v->v.d); break;
	case VCLS_BOOL: snprintf(tmp, sizeof tmp, "%s", v->v.b ? "true" : "false"); break;
	case VCLS_IP: case VCLS_NET:
		if (!inet_ntop(v->len == 16 ? AF_INET6 : AF_INET, v->v.ip, tmp, sizeof tmp))
			tmp[0] = 0;
		break;
	default: snprintf(tmp, sizeof tmp, "%" PRIu64, v->v.u64); break;
	}
	return push_item(out, tmp, (uint32_t)strlen(tmp));
}

/* Appends the items of node `a` (one for a single value) to `out`. */
static bool append_items(const struct hr_expr_node *a, struct hr_expr_node *out)
{
	if (!a->list)
		return append_rendered(out, &a->value);
	for (uint32_t i = 0; i < a->nitems; i++)
		if (!push_item(out, hr_expr_item_str(a, i), a->items[i].len))
			return false;
	return true;
}

/* A list field's value "(a,b,c)" as items. */
static bool split_list_field(const struct hr_value *v, struct hr_expr_node *out)
{
	const char *s = v->str;
	uint32_t len = hr_filter_text_len(v);
	if (len >= 2 && s[0] == '(' && s[len - 1] == ')')
		s++, len -= 2;
	for (uint32_t start = 0; start < len;) {
		uint32_t end = start;
		while (end < len && s[end] != ',')
			end++;
		if (!push_item(out, s + start, end - start))
			return false;
		start = end + 1;
	}
	return true;
}

static bool eval_xf(struct hr_expr_node *node, const struct hr_expr_node *a)
{
	if (node->xf == XF_LEN) {
		node->value = (struct hr_value){.type = HR_PT_UINT64};
		node->value.v.u64 = a->list ? a->nitems : hr_filter_text_len(&a->value);
		return a->list || hr_filter_class_of_type(a->value.type) == VCLS_STRING ||
		       hr_filter_class_of_type(a->value.type) == VCLS_BYTES;
	}
	if (a->list) { /* item by item */
		for (uint32_t i = 0; i < a->nitems; i++) {
			size_t off = node->buf.len;
			if (!hr_filter_transform_text(node->xf, hr_expr_item_str(a, i), a->items[i].len, &node->buf) ||
			    !end_item(node, off))
				return false;
		}
		return true;
	}
	uint8_t cls = hr_filter_class_of_type(a->value.type);
	if (cls != VCLS_STRING && cls != VCLS_BYTES)
		return false;
	if (!hr_filter_transform_text(node->xf, a->value.str, hr_filter_text_len(&a->value), &node->buf))
		return false;
	node->value = (struct hr_value){.type = node->xf == XF_B64 ? HR_PT_BYTEBUF : a->value.type,
					.str = node->buf.p, .len = (uint32_t)node->buf.len};
	return true;
}

static bool eval_node(struct hr_filter *f, struct hr_filter_expr *x, uint32_t n, struct hr_field_ctx *ctx,
		      const struct hr_event *e)
{
	struct hr_expr_node *node = &x->nodes[n];
	for (uint32_t i = 0; i < node->nargs; i++)
		if (!eval_node(f, x, node->args[i], ctx, e))
			return false;
	hr_sb_reset(&node->buf);
	node->nitems = 0;
	const struct hr_expr_node *a0 = node->nargs > 0 ? &x->nodes[node->args[0]] : NULL;
	const struct hr_expr_node *a1 = node->nargs > 1 ? &x->nodes[node->args[1]] : NULL;
	switch (node->kind) {
	case EX_FIELD:
		if (!hr_filter_slot_value(f, node->slot, ctx, e, &node->value))
			return false;
		return !node->list || split_list_field(&node->value, node);
	case EX_TEXT:
		node->value = (struct hr_value){.type = HR_PT_CHARBUF, .str = node->text, .len = node->text_len};
		return true;
	case EX_LIST:
		for (uint32_t i = 0; i < node->nargs; i++)
			if (!append_items(&x->nodes[node->args[i]], node))
				return false;
		return true;
	case EX_XF:
		return eval_xf(node, a0);
	case EX_JOIN: {
		uint32_t seplen = hr_filter_text_len(&a0->value);
		hr_sb_append(&node->buf, "", 0);
		for (uint32_t i = 0; i < a1->nitems; i++) {
			if (i)
				hr_sb_append(&node->buf, a0->value.str, seplen);
			const char *item = hr_expr_item_str(a1, i);
			hr_sb_append(&node->buf, item, strnlen(item, a1->items[i].len));
		}
		node->value = (struct hr_value){.type = HR_PT_CHARBUF, .str = node->buf.p,
						.len = (uint32_t)node->buf.len};
		return true;
	}
	case EX_CONCAT:
		hr_sb_append(&node->buf, "", 0);
		for (uint32_t i = 0; i < node->nargs; i++) {
			const struct hr_value *v = &x->nodes[node->args[i]].value;
			hr_sb_append(&node->buf, v->str, hr_filter_text_len(v));
		}
		node->value = (struct hr_value){.type = HR_PT_CHARBUF, .str = node->buf.p,
						.len = (uint32_t)node->buf.len};
		return true;
	default: { /* EX_GETOPT */
		uint8_t valid[32], with_arg[32];
		const uint8_t *v = node->opt_valid, *w = node->opt_arg;
		if (!node->const_opts) {
			hr_getopt_decode(a1->value.str, hr_filter_text_len(&a1->value), valid, with_arg);
			v = valid;
			w = with_arg;
		}
		return hr_getopt_run(a0->buf.p, a0->items, a0->nitems, v, w, node->has_selector, node->selector, node);
	}
	}
}

bool hr_expr_eval(struct hr_filter *f, struct hr_filter_expr *x, struct hr_field_ctx *ctx, const struct hr_event *e)
{
	return eval_node(f, x, x->root, ctx, e);
}

/* ---- output formats' expressions ---- */

void hr_field_expr_free(struct hr_field_expr *fx)
{
	if (!fx)
		return;
	hr_expr_free(fx->x);
	for (uint32_t i = 0; i < fx->f.nslots; i++)
		hr_field_free(&fx->f.slots[i].field);
	free(fx->f.slots);
	free(fx);
}

static void append_value(struct hr_strbuf *out, const struct hr_value *v)
{
	struct hr_expr_node one;
	memset(&one, 0, sizeof one);
	if (append_rendered(&one, v) && one.nitems)
		hr_sb_append(out, one.buf.p, one.items[0].len);
	hr_sb_free(&one.buf);
	free(one.items);
}

bool hr_field_expr_to_string(struct hr_field_expr *fx, struct hr_field_ctx *ctx, const struct hr_event *e,
			     struct hr_strbuf *out)
{
	fx->f.generation++;
	if (!hr_expr_eval(&fx->f, fx->x, ctx, e))
		return false;
	const struct hr_expr_node *root = &fx->x->nodes[fx->x->root];
	if (!root->list) {
		append_value(out, &root->value);
		return true;
	}
	hr_sb_putc(out, '(');
	for (uint32_t i = 0; i < root->nitems; i++) {
		if (i)
			hr_sb_putc(out, ',');
		hr_sb_append(out, hr_expr_item_str(root, i), root->items[i].len);
	}
	hr_sb_putc(out, ')');
	return true;
}

uint32_t hr_field_expr_nfields(const struct hr_field_expr *fx)
{
	return fx->f.nslots;
}

const char *hr_field_expr_field(const struct hr_field_expr *fx, uint32_t i)
{
	return fx->f.slots[i].field.text;
}
