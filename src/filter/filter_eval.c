/*
 * Evaluating a compiled condition on one event: fields are extracted
 * lazily, at most once per event (slot cache keyed by an evaluation
 * counter), transformers write into the check's own buffers, and values
 * were typed at compile time, so no text is parsed here.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <string.h>

#include "filter/filter_internal.h"

bool hr_filter_slot_value(struct hr_filter *f, uint32_t i, struct hr_field_ctx *ctx, const struct hr_event *e,
			  struct hr_value *out)
{
	if (f->cache)
		return hr_field_cache_value(f->cache, f->slot_map[i], ctx, e, out);
	struct hr_filter_slot *s = &f->slots[i];
	if (s->generation != f->generation) {
		s->generation = f->generation;
		s->present = hr_field_extract(&s->field, ctx, e, &s->value);
	}
	*out = s->value;
	return s->present;
}

static bool is_text(uint8_t type)
{
	uint8_t cls = hr_filter_class_of_type(type);
	return cls == VCLS_STRING || cls == VCLS_BYTES;
}

/* Strings are C strings for sysdig: they end at the first NUL. */
uint32_t hr_filter_text_len(const struct hr_value *v)
{
	if (hr_filter_class_of_type(v->type) == VCLS_STRING)
		return (uint32_t)strnlen(v->str, v->len);
	return v->len;
}

static int b64_digit(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

static bool b64_decode(const char *s, uint32_t len, struct hr_strbuf *out)
{
	while (len > 0 && s[len - 1] == '=')
		len--;
	uint32_t acc = 0, bits = 0;
	for (uint32_t i = 0; i < len; i++) {
		int d = b64_digit(s[i]);
		if (d < 0)
			return false;
		acc = (acc << 6) | (uint32_t)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			hr_sb_putc(out, (char)((acc >> bits) & 0xff));
		}
	}
	return true;
}

bool hr_filter_transform_text(uint8_t xf, const char *s, uint32_t len, struct hr_strbuf *out)
{
	switch (xf) {
	case XF_TOLOWER:
	case XF_TOUPPER: {
		size_t at = out->len;
		hr_sb_append(out, s, len);
		for (uint32_t i = 0; i < len; i++)
			out->p[at + i] = (char)(xf == XF_TOLOWER ? tolower((unsigned char)out->p[at + i])
								 : toupper((unsigned char)out->p[at + i]));
		return true;
	}
	case XF_BASENAME: {
		uint32_t start = len;
		while (start > 0 && s[start - 1] != '/')
			start--;
		hr_sb_append(out, s + start, len - start);
		return true;
	}
	case XF_B64:
		hr_sb_append(out, "", 0);
		return b64_decode(s, len, out);
	default:
		return false;
	}
}

static bool apply_transformer(struct hr_filter_operand *o, unsigned k, struct hr_value *v)
{
	uint32_t len = hr_filter_text_len(v);
	struct hr_strbuf *buf = &o->buf[k & 1];
	switch (o->xf[k]) {
	case XF_BASENAME: { /* a slice of the value itself: no copy */
		uint32_t start = len;
		while (start > 0 && v->str[start - 1] != '/')
			start--;
		v->str += start;
		v->len = len - start;
		return true;
	}
	case XF_LEN:
		v->type = HR_PT_UINT64;
		v->v.u64 = len;
		return true;
	default:
		hr_sb_reset(buf);
		if (!hr_filter_transform_text(o->xf[k], v->str, len, buf))
			return false;
		v->str = buf->p;
		v->len = (uint32_t)buf->len;
		if (o->xf[k] == XF_B64)
			v->type = HR_PT_BYTEBUF; /* decoded bytes may hold NULs */
		return true;
	}
}

/* The operand's single value (a list-valued expression has none). */
static bool operand_value(struct hr_filter *f, struct hr_filter_operand *o, struct hr_field_ctx *ctx,
			  const struct hr_event *e, struct hr_value *out)
{
	if (o->expr) {
		if (o->list || !hr_expr_eval(f, o->expr, ctx, e))
			return false;
		*out = o->expr->nodes[o->expr->root].value;
		return true;
	}
	if (!hr_filter_slot_value(f, o->slot, ctx, e, out))
		return false;
	for (unsigned k = 0; k < o->nxf; k++) {
		if (!is_text(out->type) || !apply_transformer(o, k, out))
			return false;
	}
	return true;
}

int64_t hr_filter_value_i64(const struct hr_value *v)
{
	switch (hr_filter_class_of_type(v->type)) {
	case VCLS_SIGNED: return v->v.i64;
	case VCLS_DOUBLE: return (int64_t)v->v.d;
	case VCLS_BOOL: return v->v.b;
	default: return (int64_t)v->v.u64;
	}
}

uint64_t hr_filter_value_u64(const struct hr_value *v)
{
	switch (hr_filter_class_of_type(v->type)) {
	case VCLS_SIGNED: return (uint64_t)v->v.i64;
	case VCLS_DOUBLE: return (uint64_t)v->v.d;
	case VCLS_BOOL: return v->v.b;
	default: return v->v.u64;
	}
}

static double as_double(const struct hr_value *v)
{
	switch (hr_filter_class_of_type(v->type)) {
	case VCLS_SIGNED: return (double)v->v.i64;
	case VCLS_DOUBLE: return v->v.d;
	case VCLS_BOOL: return v->v.b;
	default: return (double)v->v.u64;
	}
}

static bool order(uint8_t op, int c3)
{
	switch (op) {
	case OP_EQ: case OP_IN: case OP_INTERSECTS: return c3 == 0;
	case OP_NE: return c3 != 0;
	case OP_LT: return c3 < 0;
	case OP_LE: return c3 <= 0;
	case OP_GT: return c3 > 0;
	case OP_GE: return c3 >= 0;
	default: return false;
	}
}

#define CMP3(a, b) (((a) > (b)) - ((a) < (b)))

static bool icontains(const char *s, uint32_t len, const char *v, uint32_t vlen)
{
	if (vlen == 0)
		return true;
	for (uint32_t i = 0; i + vlen <= len; i++) {
		uint32_t j = 0;
		while (j < vlen && tolower((unsigned char)s[i + j]) == tolower((unsigned char)v[j]))
			j++;
		if (j == vlen)
			return true;
	}
	return false;
}

static bool compare_text(struct hr_filter_check *c, uint8_t op, const char *s, uint32_t len, const char *v,
			 uint32_t vlen)
{
	switch (op) {
	case OP_EQ: case OP_IN: case OP_INTERSECTS:
		return len == vlen && memcmp(s, v, len) == 0;
	case OP_NE:
		return len != vlen || memcmp(s, v, len) != 0;
	case OP_LT: case OP_LE: case OP_GT: case OP_GE: {
		int c3 = memcmp(s, v, len < vlen ? len : vlen);
		return order(op, c3 ? c3 : CMP3(len, vlen));
	}
	case OP_CONTAINS: case OP_BCONTAINS:
		return vlen == 0 || memmem(s, len, v, vlen) != NULL;
	case OP_ICONTAINS:
		return icontains(s, len, v, vlen);
	case OP_STARTSWITH: case OP_BSTARTSWITH:
		return len >= vlen && memcmp(s, v, vlen) == 0;
	case OP_ENDSWITH:
		return len >= vlen && memcmp(s + len - vlen, v, vlen) == 0;
	case OP_GLOB: case OP_IGLOB: {
		struct hr_strbuf *scratch = &c->lhs.buf[0];
		if (c->lhs.nxf) /* the transformers' output may live there */
			scratch = &c->rhs.buf[0];
		hr_sb_reset(scratch);
		hr_sb_append(scratch, s, len);
		return fnmatch(v, scratch->p, op == OP_IGLOB ? FNM_CASEFOLD : 0) == 0;
	}
	case OP_REGEX:
		return pcre2_match(c->re, (PCRE2_SPTR)s, len, 0, 0, c->match, NULL) >= 0;
	default:
		return false;
	}
}

static bool set_has(const struct hr_filter_check *c, const char *s, uint32_t len)
{
	const struct hr_filter_strset *set = &c->set;
	if (len < set->min_len || len > set->max_len)
		return false;
	uint32_t mask = set->cap - 1;
	for (uint32_t b = (uint32_t)hr_filter_hash(s, len) & mask;; b = (b + 1) & mask) {
		uint32_t at = set->index[b];
		if (!at)
			return false;
		const struct hr_filter_value *v = &c->values[at - 1];
		if (v->len == len && memcmp(v->str, s, len) == 0)
			return true;
	}
}

/* Is `s` one of the prefixes or below one, by whole path components? */
static bool path_match(const struct hr_filter_check *c, const char *s, uint32_t len)
{
	/* "/" (kept as "") matches every name, as in sysdig */
	for (uint32_t i = 0; i <= len; i++)
		if ((i == 0 || i == len || s[i] == '/') && set_has(c, s, i))
			return true;
	return false;
}

static bool test_text(struct hr_filter_check *c, const char *s, uint32_t len)
{
	if (c->op == OP_IN || c->op == OP_INTERSECTS || c->op == OP_PMATCH) {
		if (!c->set.cap) { /* a dynamic field: its list was not hashed */
			for (uint32_t i = 0; i < c->nvalues; i++)
				if (compare_text(c, OP_EQ, s, len, c->values[i].str, c->values[i].len))
					return true;
			return false;
		}
		return c->op == OP_PMATCH ? path_match(c, s, len) : set_has(c, s, len);
	}
	return compare_text(c, c->op, s, len, c->values[0].str, c->values[0].len);
}

bool hr_filter_compare_string(struct hr_filter_check *c, const char *s, uint32_t len)
{
	return test_text(c, s, len);
}

static bool ip_match(const struct hr_value *x, const struct hr_filter_value *v)
{
	if (!v->has_ip || x->len != v->ip_len)
		return false;
	if (v->prefix < 0)
		return memcmp(x->v.ip, v->ip, v->ip_len) == 0;
	unsigned full = (unsigned)v->prefix / 8, rest = (unsigned)v->prefix % 8;
	if (memcmp(x->v.ip, v->ip, full) != 0)
		return false;
	if (!rest)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (x->v.ip[full] & mask) == (v->ip[full] & mask);
}

static bool test_scalar(uint8_t cls, uint8_t op, const struct hr_value *x, const struct hr_filter_value *v)
{
	switch (cls) {
	case VCLS_SIGNED:
		return v->has_signed && order(op, CMP3(hr_filter_value_i64(x), v->i64));
	case VCLS_UNSIGNED:
		return v->has_unsigned && order(op, CMP3(hr_filter_value_u64(x), v->u64));
	case VCLS_DOUBLE:
		return v->has_double && order(op, CMP3(as_double(x), v->d));
	case VCLS_BOOL: {
		bool b = hr_filter_class_of_type(x->type) == VCLS_BOOL ? x->v.b : hr_filter_value_u64(x) != 0;
		return v->has_bool && (op == OP_NE ? b != v->b : b == v->b);
	}
	case VCLS_IP: case VCLS_NET:
		if (hr_filter_class_of_type(x->type) != VCLS_IP)
			return false;
		return op == OP_NE ? v->has_ip && !ip_match(x, v) : ip_match(x, v);
	default:
		return false;
	}
}

static bool test_value(struct hr_filter *f, struct hr_filter_check *c, const struct hr_value *x,
		       struct hr_field_ctx *ctx, const struct hr_event *e)
{
	uint8_t cls = c->cls == VCLS_DYN ? hr_filter_class_of_type(x->type) : c->cls;
	if (c->rhs_is_field) {
		struct hr_value y;
		if (!operand_value(f, &c->rhs, ctx, e, &y))
			return false;
		if (cls == VCLS_STRING || cls == VCLS_BYTES)
			return is_text(y.type) &&
			       compare_text(c, c->op, x->str, hr_filter_text_len(x), y.str, hr_filter_text_len(&y));
		uint8_t ycls = hr_filter_class_of_type(y.type);
		if (cls == VCLS_DOUBLE || ycls == VCLS_DOUBLE)
			return order(c->op, CMP3(as_double(x), as_double(&y)));
		if (cls == VCLS_UNSIGNED && ycls == VCLS_UNSIGNED)
			return order(c->op, CMP3(hr_filter_value_u64(x), hr_filter_value_u64(&y)));
		if (cls == VCLS_IP)
			return (x->len == y.len && memcmp(x->v.ip, y.v.ip, x->len) == 0) == (c->op != OP_NE);
		return order(c->op, CMP3(hr_filter_value_i64(x), hr_filter_value_i64(&y)));
	}
	if (cls == VCLS_STRING || cls == VCLS_BYTES) {
		if (!is_text(x->type))
			return false;
		return test_text(c, x->str, hr_filter_text_len(x));
	}
	if (c->op == OP_IN || c->op == OP_INTERSECTS) {
		for (uint32_t i = 0; i < c->nvalues; i++)
			if (test_scalar(cls, OP_EQ, x, &c->values[i]))
				return true;
		return false;
	}
	return test_scalar(cls, c->op, x, &c->values[0]);
}

/* evt.around[T] = D: T within D milliseconds of the event's time (with
 * sysdig's unsigned arithmetic: near the epoch the window's start wraps). */
static bool around(const struct hr_filter *f, const struct hr_filter_check *c, const struct hr_event *e)
{
	const struct hr_field *fld = f->cache ? &f->cache->slots[f->slot_map[c->lhs.slot]].field
					      : &f->slots[c->lhs.slot].field;
	uint64_t delta = c->op == OP_EXISTS ? 0 : c->values[0].u64 * 1000000u;
	uint64_t t = fld->arg_ts;
	return t >= e->ts - delta && t <= e->ts + delta;
}

/* A list's check: `in` holds when every item is one of the values (an
 * empty list too), `intersects` when one is. A list field's value is its
 * items as "(a,b,c)"; an expression's list (getopt...) has its items. */
static bool list_check(struct hr_filter *f, struct hr_filter_check *c, struct hr_field_ctx *ctx,
		       const struct hr_event *e)
{
	if (c->lhs.expr) {
		if (!hr_expr_eval(f, c->lhs.expr, ctx, e))
			return false;
		if (c->op == OP_EXISTS)
			return true;
		const struct hr_expr_node *root = &c->lhs.expr->nodes[c->lhs.expr->root];
		bool every = c->op == OP_IN;
		struct hr_value item = {.type = HR_PT_CHARBUF};
		for (uint32_t i = 0; i < root->nitems; i++) {
			item.str = hr_expr_item_str(root, i);
			item.len = root->items[i].len;
			bool in = test_value(f, c, &item, ctx, e);
			if (in != every)
				return in;
		}
		return every;
	}
	struct hr_value x;
	if (!operand_value(f, &c->lhs, ctx, e, &x))
		return false;
	if (c->op == OP_EXISTS)
		return true;
	if (!is_text(x.type))
		return false;
	const char *s = x.str;
	uint32_t len = hr_filter_text_len(&x);
	if (len >= 2 && s[0] == '(' && s[len - 1] == ')')
		s++, len -= 2;
	bool every = c->op == OP_IN;
	for (uint32_t start = 0; start < len;) {
		uint32_t end = start;
		while (end < len && s[end] != ',')
			end++;
		struct hr_value item = x;
		item.str = s + start;
		item.len = end - start;
		bool in = test_value(f, c, &item, ctx, e);
		if (in != every)
			return in;
		start = end + 1;
	}
	return every;
}

struct ancestor_check {
	struct hr_filter *f;
	struct hr_filter_check *c;
	struct hr_field_ctx *ctx;
	const struct hr_event *e;
};

static bool ancestor_passes(void *arg, const struct hr_value *v)
{
	struct ancestor_check *a = arg;
	return a->c->op == OP_EXISTS || test_value(a->f, a->c, v, a->ctx, a->e);
}

/* proc.aname / proc.apid without an index, and Falco's other any-ancestor
 * forms (hr_field_is_any_ancestor): true when any ancestor passes. */
static bool any_ancestor(struct hr_filter *f, struct hr_filter_check *c, struct hr_field_ctx *ctx,
			 const struct hr_event *e)
{
	struct hr_field *field;
	uint64_t *generation;
	if (f->cache) {
		struct hr_cache_slot *s = &f->cache->slots[f->slot_map[c->lhs.slot]];
		field = &s->field;
		generation = &s->generation;
	} else {
		struct hr_filter_slot *s = &f->slots[c->lhs.slot];
		field = &s->field;
		generation = &s->generation;
	}
	bool found = false;
	if (hr_field_is_any_ancestor(field)) {
		struct ancestor_check a = {f, c, ctx, e};
		found = hr_field_any_ancestor(field, ctx, e, ancestor_passes, &a);
		*generation = 0; /* the cached value (if any) was overwritten */
		return found;
	}
	for (int32_t i = 1; i <= 256 && !found; i++) {
		struct hr_value x;
		field->arg_index = i;
		if (!hr_field_extract(field, ctx, e, &x))
			break;
		found = c->op == OP_EXISTS || test_value(f, c, &x, ctx, e);
	}
	field->arg_index = -1;
	*generation = 0; /* the cached value (if any) was overwritten */
	return found;
}

/* An IP socket whose addresses are not known yet holds zeros in sysdig,
 * and zeros differ from any other address, network or port. */
static bool unset_socket_differs(struct hr_filter_check *c, bool v4, struct hr_field_ctx *ctx,
				 const struct hr_event *e, struct hr_filter *f)
{
	struct hr_value zero;
	memset(&zero, 0, sizeof zero);
	if (c->cls == VCLS_UNSIGNED) {
		zero.type = HR_PT_PORT;
	} else {
		zero.type = HR_PT_IPADDR;
		zero.len = v4 ? 4 : 16;
	}
	return test_value(f, c, &zero, ctx, e);
}

/* fd.ip, fd.port, fd.net...: the client or the server side. */
static bool either_side(struct hr_filter *f, struct hr_filter_check *c, struct hr_field_ctx *ctx,
			const struct hr_event *e)
{
	/* sysdig looks at IP sockets only (fd.cport is 0 on unix sockets) */
	struct hr_value t;
	if (!hr_filter_slot_value(f, c->lhs3_slot, ctx, e, &t) || !is_text(t.type) || hr_filter_text_len(&t) != 4)
		return false;
	bool v4 = !memcmp(t.str, "ipv4", 4);
	if (!v4 && memcmp(t.str, "ipv6", 4) != 0)
		return false;
	struct hr_value a, b;
	bool has_a = hr_filter_slot_value(f, c->lhs.slot, ctx, e, &a);
	bool has_b = hr_filter_slot_value(f, c->lhs2_slot, ctx, e, &b);
	if (c->op == OP_EXISTS)
		return has_a || has_b;
	if (c->op == OP_NE) {
		if (has_a && has_b)
			return test_value(f, c, &a, ctx, e) && test_value(f, c, &b, ctx, e);
		if (!has_a && !has_b)
			return unset_socket_differs(c, v4, ctx, e, f);
		return (has_a && test_value(f, c, &a, ctx, e)) || (has_b && test_value(f, c, &b, ctx, e));
	}
	return (has_a && test_value(f, c, &a, ctx, e)) || (has_b && test_value(f, c, &b, ctx, e));
}

static bool eval_check(struct hr_filter *f, struct hr_filter_check *c, struct hr_field_ctx *ctx,
		       const struct hr_event *e)
{
	if (c->group)
		return hr_filter_grouped_check(f->cache, c, ctx, e);
	if (c->special == SP_ANY_ANCESTOR)
		return any_ancestor(f, c, ctx, e);
	if (c->special == SP_EITHER)
		return either_side(f, c, ctx, e);
	if (c->special == SP_LIST)
		return list_check(f, c, ctx, e);
	if (c->special == SP_AROUND)
		return around(f, c, e);
	struct hr_value x;
	if (!operand_value(f, &c->lhs, ctx, e, &x))
		return false;
	return c->op == OP_EXISTS || test_value(f, c, &x, ctx, e);
}

static bool eval_node(struct hr_filter *f, uint32_t n, struct hr_field_ctx *ctx, const struct hr_event *e)
{
	const struct hr_filter_node *node = &f->nodes[n];
	switch (node->kind) {
	case NODE_CHECK:
		return eval_check(f, &f->checks[node->first], ctx, e);
	case NODE_NOT:
		return !eval_node(f, node->first, ctx, e);
	case NODE_AND:
		for (uint32_t ch = node->first; ch != NO_NODE; ch = f->nodes[ch].next)
			if (!eval_node(f, ch, ctx, e))
				return false;
		return true;
	default:
		for (uint32_t ch = node->first; ch != NO_NODE; ch = f->nodes[ch].next)
			if (eval_node(f, ch, ctx, e))
				return true;
		return false;
	}
}

bool hr_filter_match(struct hr_filter *f, struct hr_field_ctx *ctx, const struct hr_event *e)
{
	if (!hr_filter_may_match_type(f, e->type))
		return false;
	if (!f->cache) /* a shared cache moves on with hr_field_cache_next_event */
		f->generation++;
	else if (f->nguard && !hr_filter_guard_holds(f, ctx, e))
		return false;
	return eval_node(f, f->root, ctx, e);
}
