/*
 * Turning the parts of a check into their compiled form: fields into
 * shared slots, operands into comparison classes, written values into
 * typed values (numbers, booleans, addresses, networks, ports, hex bytes),
 * lists into hash sets, regexes into PCRE2 code; and the event types a
 * finished filter can match. Every check is validated here, so evaluation
 * never meets a type error.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter/filter_internal.h"

uint64_t hr_filter_hash(const char *s, uint32_t len)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (uint32_t i = 0; i < len; i++) {
		h ^= (uint8_t)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

uint8_t hr_filter_class_of_type(uint8_t type)
{
	switch (type) {
	case HR_PT_INT8: case HR_PT_INT16: case HR_PT_INT32: case HR_PT_INT64: case HR_PT_ERRNO:
	case HR_PT_FD: case HR_PT_PID: case HR_PT_FD32: case HR_PT_PID32:
		return VCLS_SIGNED;
	case HR_PT_DOUBLE:
		return VCLS_DOUBLE;
	case HR_PT_BOOL:
		return VCLS_BOOL;
	case HR_PT_CHARBUF: case HR_PT_FSPATH: case HR_PT_FSRELPATH: case HR_PT_SOCKADDR: case HR_PT_SOCKFAMILY:
		return VCLS_STRING;
	case HR_PT_BYTEBUF:
		return VCLS_BYTES;
	case HR_PT_IPV4ADDR: case HR_PT_IPV6ADDR: case HR_PT_IPADDR:
		return VCLS_IP;
	case HR_PT_IPV4NET: case HR_PT_IPV6NET: case HR_PT_IPNET:
		return VCLS_NET;
	case HR_PT_DYN:
		return VCLS_DYN;
	default:
		return VCLS_UNSIGNED;
	}
}

/* Bytes of the unsigned types sysdig stores a filter value in. */
static unsigned type_width(uint8_t type)
{
	switch (type) {
	case HR_PT_UINT8: case HR_PT_FLAGS8: case HR_PT_SIGTYPE: case HR_PT_L4PROTO: case HR_PT_ENUMFLAGS8:
	case HR_PT_INT8:
		return 1;
	case HR_PT_UINT16: case HR_PT_FLAGS16: case HR_PT_PORT: case HR_PT_SYSCALLID: case HR_PT_ENUMFLAGS16:
	case HR_PT_INT16:
		return 2;
	case HR_PT_UINT32: case HR_PT_FLAGS32: case HR_PT_MODE: case HR_PT_UID: case HR_PT_GID:
	case HR_PT_ENUMFLAGS32: case HR_PT_INT32:
		return 4;
	default:
		return 8;
	}
}

int hr_filter_add_slot(struct hr_filter *f, const char *text, size_t len, uint32_t *slot, char *err, size_t errlen)
{
	char name[256];
	if (len >= sizeof name) {
		snprintf(err, errlen, "field name too long");
		return -1;
	}
	memcpy(name, text, len);
	name[len] = 0;
	for (uint32_t i = 0; i < f->nslots; i++) {
		if (strcmp(f->slots[i].field.text, name) == 0) {
			*slot = i;
			return (int)len;
		}
	}
	if (f->nslots == f->cap_slots) {
		uint32_t n = f->cap_slots ? f->cap_slots * 2 : 8;
		struct hr_filter_slot *s = realloc(f->slots, n * sizeof *s);
		if (!s) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		f->slots = s;
		f->cap_slots = n;
	}
	struct hr_filter_slot *s = &f->slots[f->nslots];
	memset(s, 0, sizeof *s);
	char ferr[200];
	int used = hr_field_parse(&s->field, name, false, ferr, sizeof ferr);
	if (used < 0) {
		if (strncmp(ferr, "invalid formatting token", 24) == 0)
			snprintf(err, errlen, "unknown field '%s'", name);
		else
			snprintf(err, errlen, "%s", ferr);
		hr_field_free(&s->field);
		return -1;
	}
	if ((size_t)used != len) {
		snprintf(err, errlen, "unknown field '%s'", name);
		hr_field_free(&s->field);
		return -1;
	}
	if (s->field.def->flags & HR_FF_PRINT_ONLY) {
		snprintf(err, errlen, "field '%s' cannot be used in filters", name);
		hr_field_free(&s->field);
		return -1;
	}
	if (s->field.def->extract == NULL) {
		snprintf(err, errlen, "field '%s' is not supported by harrier yet", name);
		hr_field_free(&s->field);
		return -1;
	}
	*slot = f->nslots++;
	return used;
}

const char *hr_filter_class_name(uint8_t cls)
{
	static const char *names[] = {"signed number", "unsigned number", "floating point", "boolean", "string",
				      "byte buffer", "ip address", "ip network", "dynamic"};
	return cls < sizeof names / sizeof names[0] ? names[cls] : "?";
}

/* The class of an operand after its transformers (their arguments were
 * checked when the parser typed them). */
static void operand_class(struct hr_filter *f, struct hr_filter_operand *o)
{
	if (o->expr) {
		o->cls = o->list ? VCLS_STRING : hr_filter_class_of_type(o->expr->nodes[o->expr->root].type);
		return;
	}
	uint8_t cls = hr_filter_class_of_type(f->slots[o->slot].field.def->type);
	for (unsigned i = 0; i < o->nxf; i++)
		if (o->xf[i] == XF_LEN)
			cls = VCLS_UNSIGNED;
	o->cls = cls;
}

static const char *operand_text(const struct hr_filter *f, const struct hr_filter_operand *o)
{
	return o->expr ? o->expr->text : f->slots[o->slot].field.text;
}

/* The client/server companions of the filter-only network fields. */
static const struct {
	const char *name, *first, *second;
	uint8_t cls;
} companions[] = {
	{"fd.ip", "fd.cip", "fd.sip", VCLS_IP},
	{"fd.port", "fd.cport", "fd.sport", VCLS_UNSIGNED},
	{"fd.proto", "fd.cport", "fd.sport", VCLS_UNSIGNED},
	{"fd.net", "fd.cip", "fd.sip", VCLS_NET},
	{"fd.cnet", "fd.cip", NULL, VCLS_NET},
	{"fd.snet", "fd.sip", NULL, VCLS_NET},
	{"fd.lnet", "fd.lip", NULL, VCLS_NET},
	{"fd.rnet", "fd.rip", NULL, VCLS_NET},
};

bool hr_filter_field_needs_binding(const char *name)
{
	for (size_t i = 0; i < sizeof companions / sizeof companions[0]; i++)
		if (!strcmp(name, companions[i].name))
			return true;
	return !strcmp(name, "evt.around");
}

bool hr_filter_bind_lhs(struct hr_filter *f, struct hr_filter_check *c, char *err, size_t errlen)
{
	operand_class(f, &c->lhs);
	c->cls = c->lhs.cls;
	if (c->lhs.expr) { /* typed by the parser; a list compares as a list field */
		c->value_type = c->lhs.list ? HR_PT_CHARBUF : c->lhs.expr->nodes[c->lhs.expr->root].type;
		if (c->lhs.list)
			c->special = SP_LIST;
		return true;
	}
	const struct hr_field *fld = &f->slots[c->lhs.slot].field;
	const char *name = fld->def->name;
	c->value_type = fld->def->type;
	if (fld->def->type == HR_PT_DYN && c->lhs.nxf == 0 && fld->arg_name[0]) {
		/* evt.rawarg.NAME compares as the type of the first event that has
		 * a parameter NAME, as sysdig resolves it once */
		uint8_t t = fld->arg_type;
		if (t != HR_PT_NONE) {
			c->value_type = t;
			c->cls = c->lhs.cls = hr_filter_class_of_type(t);
		}
	}
	if (c->lhs.nxf == 0 && (((!strcmp(name, "proc.aname") || !strcmp(name, "proc.apid")) && fld->arg_index < 0) ||
				hr_field_is_any_ancestor(fld)))
		c->special = SP_ANY_ANCESTOR;
	if (c->lhs.nxf == 0 && (fld->def->flags & HR_FF_LIST))
		c->special = SP_LIST;
	if (!strcmp(name, "evt.around")) {
		if (c->lhs.nxf) {
			snprintf(err, errlen, "transformers cannot be applied to evt.around");
			return false;
		}
		c->special = SP_AROUND;
	}
	for (size_t i = 0; i < sizeof companions / sizeof companions[0]; i++) {
		if (strcmp(name, companions[i].name) != 0)
			continue;
		if (c->lhs.nxf) {
			snprintf(err, errlen, "transformers cannot be applied to %s", name);
			return false;
		}
		uint32_t s1, s2;
		if (hr_filter_add_slot(f, companions[i].first, strlen(companions[i].first), &s1, err, errlen) < 0)
			return false;
		c->lhs.slot = s1;
		c->cls = c->lhs.cls = companions[i].cls;
		if (companions[i].second) {
			if (hr_filter_add_slot(f, companions[i].second, strlen(companions[i].second), &s2, err, errlen) < 0)
				return false;
			c->lhs2_slot = s2;
			if (hr_filter_add_slot(f, "fd.type", 7, &c->lhs3_slot, err, errlen) < 0)
				return false;
			c->special = SP_EITHER;
		}
		return true;
	}
	return true;
}

static bool is_numeric(uint8_t cls)
{
	return cls == VCLS_SIGNED || cls == VCLS_UNSIGNED || cls == VCLS_DOUBLE;
}

bool hr_filter_bind_rhs(struct hr_filter *f, struct hr_filter_check *c, char *err, size_t errlen)
{
	operand_class(f, &c->rhs);
	if (c->rhs.list) {
		snprintf(err, errlen, "cannot compare with %s: it is a list", operand_text(f, &c->rhs));
		return false;
	}
	uint8_t l = c->cls, r = c->rhs.cls;
	bool same_kind = l == r || (is_numeric(l) && is_numeric(r)) ||
			 ((l == VCLS_STRING || l == VCLS_BYTES) && (r == VCLS_STRING || r == VCLS_BYTES));
	if (!same_kind || l == VCLS_DYN || r == VCLS_DYN || l == VCLS_NET || r == VCLS_NET || c->special != SP_NONE) {
		snprintf(err, errlen, "cannot compare %s (%s) with %s (%s)", operand_text(f, &c->lhs),
			 hr_filter_class_name(l), operand_text(f, &c->rhs), hr_filter_class_name(r));
		return false;
	}
	switch (c->op) {
	case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
	case OP_CONTAINS: case OP_ICONTAINS: case OP_STARTSWITH: case OP_ENDSWITH:
		return true;
	default:
		snprintf(err, errlen, "operator '%s' cannot compare two fields", hr_filter_op_name(c->op));
		return false;
	}
}

bool hr_filter_check_operator(struct hr_filter_check *c, char *err, size_t errlen)
{
	uint8_t op = c->op;
	bool ok;
	switch (c->cls) {
	case VCLS_SIGNED: case VCLS_UNSIGNED: case VCLS_DOUBLE:
		ok = op <= OP_GE || op == OP_IN || op == OP_INTERSECTS || op == OP_EXISTS;
		break;
	case VCLS_BOOL: case VCLS_IP: case VCLS_NET:
		ok = op == OP_EQ || op == OP_NE || op == OP_IN || op == OP_INTERSECTS || op == OP_EXISTS;
		break;
	case VCLS_STRING:
		ok = op != OP_BCONTAINS && op != OP_BSTARTSWITH;
		break;
	case VCLS_BYTES:
		ok = op == OP_EQ || op == OP_NE || op == OP_CONTAINS || op == OP_STARTSWITH || op == OP_ENDSWITH ||
		     op == OP_BCONTAINS || op == OP_BSTARTSWITH || op == OP_IN || op == OP_INTERSECTS || op == OP_EXISTS;
		break;
	default: /* dynamic: checked against the value's real type per event */
		ok = op <= OP_GE || op == OP_IN || op == OP_INTERSECTS || op == OP_EXISTS || op == OP_CONTAINS ||
		     op == OP_STARTSWITH || op == OP_ENDSWITH;
		break;
	}
	if (c->special == SP_ANY_ANCESTOR && (op == OP_PMATCH || op == OP_REGEX))
		ok = false;
	/* `exists` is accepted too (no value: a window of 0 ms, as in sysdig) */
	if (c->special == SP_AROUND && op != OP_EQ && op != OP_EXISTS) {
		snprintf(err, errlen, "evt.around supports only the '=' operator");
		return false;
	}
	if (c->special == SP_LIST && op != OP_IN && op != OP_INTERSECTS && op != OP_EXISTS) {
		snprintf(err, errlen, "operator '%s' is not valid for a list field (only 'exists', 'in' and 'intersects')",
			 hr_filter_op_name(op));
		return false;
	}
	if (!ok)
		snprintf(err, errlen, "operator '%s' is not valid for a %s field", hr_filter_op_name(op),
			 hr_filter_class_name(c->cls));
	return ok;
}

static bool parse_i64(const char *s, int64_t *out)
{
	if (!*s || isspace((unsigned char)*s))
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 0);
	if (*end || errno)
		return false;
	*out = v;
	return true;
}

static bool parse_u64(const char *s, uint64_t *out)
{
	if (!*s || isspace((unsigned char)*s))
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (*end || errno)
		return false;
	*out = v;
	return true;
}

static bool parse_double(const char *s, double *out)
{
	if (!*s || isspace((unsigned char)*s))
		return false;
	char *end;
	double d = strtod(s, &end);
	if (*end)
		return false;
	*out = d;
	return true;
}

/* "10.0.0.1", "::1", "10.0.0.0/8", "fe80::/10". */
static bool parse_ip(struct hr_filter_value *v)
{
	char addr[64];
	const char *slash = strchr(v->str, '/');
	size_t n = slash ? (size_t)(slash - v->str) : v->len;
	if (n == 0 || n >= sizeof addr)
		return false;
	memcpy(addr, v->str, n);
	addr[n] = 0;
	if (inet_pton(AF_INET, addr, v->ip) == 1)
		v->ip_len = 4;
	else if (inet_pton(AF_INET6, addr, v->ip) == 1)
		v->ip_len = 16;
	else
		return false;
	v->prefix = -1;
	if (slash) {
		uint64_t bits;
		if (!isdigit((unsigned char)slash[1]) || !parse_u64(slash + 1, &bits) || bits > (uint64_t)v->ip_len * 8)
			return false;
		v->prefix = (int16_t)bits;
	}
	return true;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool hr_filter_type_value(struct hr_filter_value *v, uint8_t cls, uint8_t op, uint8_t field_type, char *err,
			  size_t errlen)
{
	if (op == OP_BCONTAINS || op == OP_BSTARTSWITH) {
		if (v->len % 2) {
			snprintf(err, errlen, "'%s' needs an even number of hex digits: %s", hr_filter_op_name(op), v->str);
			return false;
		}
		for (uint32_t i = 0; i < v->len; i += 2) {
			int h = hex_value(v->str[i]), l = hex_value(v->str[i + 1]);
			if (h < 0 || l < 0) {
				snprintf(err, errlen, "'%s' needs hex digits: %s", hr_filter_op_name(op), v->str);
				return false;
			}
			v->str[i / 2] = (char)(h * 16 + l);
		}
		v->len /= 2;
		v->str[v->len] = 0;
		return true;
	}
	v->has_signed = parse_i64(v->str, &v->i64);
	v->has_unsigned = parse_u64(v->str, &v->u64);
	v->has_double = parse_double(v->str, &v->d);
	v->has_bool = !strcmp(v->str, "true") || !strcmp(v->str, "false");
	v->b = !strcmp(v->str, "true");
	v->has_ip = parse_ip(v);
	switch (cls) {
	case VCLS_SIGNED:
		if (!v->has_signed) {
			snprintf(err, errlen, "'%s' is not a valid number", v->str);
			return false;
		}
		return true;
	case VCLS_UNSIGNED:
		if (field_type == HR_PT_PORT && !v->has_unsigned && v->len) {
			/* ports may be written as service names (fd.sport = http) */
			struct servent *se = getservbyname(v->str, NULL);
			if (!se) {
				snprintf(err, errlen, "unknown port or service name '%s'", v->str);
				return false;
			}
			v->u64 = ntohs((uint16_t)se->s_port);
			v->has_unsigned = true;
		}
		if (!v->has_unsigned) {
			snprintf(err, errlen, "'%s' is not a valid number", v->str);
			return false;
		}
		/* sysdig stores the value in the field's width: -1 on a 32-bit
		 * field is 4294967295 */
		if (type_width(field_type) < 8)
			v->u64 &= (1ull << (8 * type_width(field_type))) - 1;
		return true;
	case VCLS_DOUBLE:
		if (!v->has_double) {
			snprintf(err, errlen, "'%s' is not a valid number", v->str);
			return false;
		}
		return true;
	case VCLS_BOOL:
		if (!v->has_bool) {
			snprintf(err, errlen, "'%s' is not a valid boolean (true or false)", v->str);
			return false;
		}
		return true;
	case VCLS_IP:
		if (!v->has_ip) {
			snprintf(err, errlen, "bad address '%s': expected an IPv4/IPv6 address or network", v->str);
			return false;
		}
		return true;
	case VCLS_NET:
		if (!v->has_ip || v->prefix < 0) {
			snprintf(err, errlen, "bad network '%s': expected ADDRESS/PREFIX", v->str);
			return false;
		}
		return true;
	default:
		return true;
	}
}

static bool set_insert(struct hr_filter_check *c, uint32_t idx)
{
	struct hr_filter_strset *s = &c->set;
	const struct hr_filter_value *v = &c->values[idx];
	uint32_t mask = s->cap - 1;
	for (uint32_t b = (uint32_t)hr_filter_hash(v->str, v->len) & mask;; b = (b + 1) & mask) {
		uint32_t at = s->index[b];
		if (!at) {
			s->index[b] = idx + 1;
			break;
		}
		const struct hr_filter_value *o = &c->values[at - 1];
		if (o->len == v->len && memcmp(o->str, v->str, v->len) == 0)
			break;
	}
	if (v->len < s->min_len)
		s->min_len = v->len;
	if (v->len > s->max_len)
		s->max_len = v->len;
	return true;
}

static bool build_set(struct hr_filter_check *c, char *err, size_t errlen)
{
	uint32_t cap = 8;
	while (cap < c->nvalues * 2)
		cap *= 2;
	c->set.index = calloc(cap, sizeof *c->set.index);
	if (!c->set.index) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	c->set.cap = cap;
	c->set.min_len = UINT32_MAX;
	c->set.max_len = 0;
	for (uint32_t i = 0; i < c->nvalues; i++) {
		if (c->op == OP_PMATCH) {
			/* a prefix matches whole path components: "/usr/" is "/usr" */
			struct hr_filter_value *v = &c->values[i];
			while (v->len > 0 && v->str[v->len - 1] == '/')
				v->str[--v->len] = 0;
		}
		set_insert(c, i);
	}
	return true;
}

bool hr_filter_finish_check(struct hr_filter_check *c, char *err, size_t errlen)
{
	bool stringy = c->cls == VCLS_STRING || c->cls == VCLS_BYTES;
	if (c->special == SP_AROUND && c->op == OP_EQ &&
	    (c->rhs_is_field || c->nvalues != 1 || !c->values[0].has_unsigned)) {
		snprintf(err, errlen, "evt.around needs a number of milliseconds");
		return false;
	}
	if ((c->op == OP_IN || c->op == OP_INTERSECTS || c->op == OP_PMATCH) && stringy && c->special == SP_NONE)
		return build_set(c, err, errlen);
	if (c->op == OP_REGEX) {
		int code;
		PCRE2_SIZE off;
		c->re = pcre2_compile((PCRE2_SPTR)c->values[0].str, c->values[0].len, PCRE2_ANCHORED | PCRE2_ENDANCHORED,
				      &code, &off, NULL);
		if (!c->re) {
			PCRE2_UCHAR msg[120];
			pcre2_get_error_message(code, msg, sizeof msg);
			snprintf(err, errlen, "invalid regex at offset %zu: %s", (size_t)off, (const char *)msg);
			return false;
		}
		c->match = pcre2_match_data_create_from_pattern(c->re, NULL);
		if (!c->match) {
			snprintf(err, errlen, "out of memory");
			return false;
		}
	}
	return true;
}

void hr_filter_check_free(struct hr_filter_check *c)
{
	for (uint32_t i = 0; i < c->nvalues; i++)
		free(c->values[i].str);
	free(c->values);
	free(c->set.index);
	for (int i = 0; i < 2; i++) {
		hr_sb_free(&c->lhs.buf[i]);
		hr_sb_free(&c->rhs.buf[i]);
	}
	hr_expr_free(c->lhs.expr);
	hr_expr_free(c->rhs.expr);
	pcre2_match_data_free(c->match);
	pcre2_code_free(c->re);
}

void hr_filter_free(struct hr_filter *f)
{
	if (!f)
		return;
	for (uint32_t i = 0; i < f->nchecks; i++)
		hr_filter_check_free(&f->checks[i]);
	for (uint32_t i = 0; i < f->nslots; i++)
		hr_field_free(&f->slots[i].field);
	free(f->checks);
	free(f->slots);
	free(f->slot_map);
	free(f->guard);
	free(f->nodes);
	free(f);
}

/* ---- event types ----------------------------------------------------------
 * For each node two sets: the types for which it may be true (maybe_true)
 * and those for which it may be false (maybe_false). Only evt.type checks
 * narrow them; `not` swaps them, `and`/`or` combine them. */

#define TYPE_BYTES ((HR_EVENT_MAX + 7) / 8)
enum { EVT_GENERIC_E_ID = 0, EVT_GENERIC_X_ID = 1 };

static void analyze(struct hr_filter *f, uint32_t n, uint8_t *maybe_true, uint8_t *maybe_false)
{
	const struct hr_filter_node *node = &f->nodes[n];
	switch (node->kind) {
	case NODE_CHECK: {
		struct hr_filter_check *c = &f->checks[node->first];
		memset(maybe_true, 0xff, TYPE_BYTES);
		memset(maybe_false, 0xff, TYPE_BYTES);
		bool is_type = hr_operand_is_field(&c->lhs) &&
			       !strcmp(f->slots[c->lhs.slot].field.def->name, "evt.type") && !c->rhs_is_field &&
			       c->op != OP_EXISTS && c->op != OP_REGEX;
		if (!is_type)
			return;
		for (unsigned id = 0; id < HR_EVENT_MAX; id++) {
			/* generic events are named after their syscall */
			if (id == EVT_GENERIC_E_ID || id == EVT_GENERIC_X_ID)
				continue;
			const struct hr_event_info *info = &hr_event_table[id];
			const char *name = info->name_2022 ? info->name_2022 : info->name;
			uint8_t bit = (uint8_t)(1u << (id & 7));
			if (hr_filter_compare_string(c, name, (uint32_t)strlen(name)))
				maybe_false[id >> 3] &= (uint8_t)~bit;
			else
				maybe_true[id >> 3] &= (uint8_t)~bit;
		}
		return;
	}
	case NODE_NOT:
		analyze(f, node->first, maybe_false, maybe_true);
		return;
	default: {
		bool is_and = node->kind == NODE_AND;
		uint8_t t[TYPE_BYTES], fl[TYPE_BYTES];
		/* and: true needs all children true, false needs any false */
		memset(maybe_true, is_and ? 0xff : 0, TYPE_BYTES);
		memset(maybe_false, is_and ? 0 : 0xff, TYPE_BYTES);
		for (uint32_t ch = node->first; ch != NO_NODE; ch = f->nodes[ch].next) {
			analyze(f, ch, t, fl);
			for (unsigned i = 0; i < TYPE_BYTES; i++) {
				if (is_and) {
					maybe_true[i] &= t[i];
					maybe_false[i] |= fl[i];
				} else {
					maybe_true[i] |= t[i];
					maybe_false[i] &= fl[i];
				}
			}
		}
		return;
	}
	}
}

void hr_filter_analyze_types(struct hr_filter *f)
{
	uint8_t maybe_false[TYPE_BYTES];
	analyze(f, f->root, f->types, maybe_false);
}

bool hr_filter_may_match_type(const struct hr_filter *f, uint16_t type)
{
	if (type >= HR_EVENT_MAX)
		return true;
	return f->types[type >> 3] & (1u << (type & 7));
}
