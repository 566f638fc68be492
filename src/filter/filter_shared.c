/*
 * The field cache many filters share (see filter.h): one slot per distinct
 * field across all of them, valid for one event (a generation counter),
 * the constant groups that answer the `=`/`in`/`startswith`/`endswith`/
 * `contains` checks of the filters' guards on one field with one lookup
 * per event (one per distinct length for the last three), and the choice
 * of each filter's guard.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter/filter_internal.h"

bool hr_filter_grow(void **arr, uint32_t *cap, uint32_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	uint32_t n = *cap ? *cap * 2 : 8;
	while (n < need)
		n *= 2;
	void *a = realloc(*arr, (size_t)n * elem);
	if (!a)
		return false;
	memset((char *)a + (size_t)*cap * elem, 0, (size_t)(n - *cap) * elem);
	*arr = a;
	*cap = n;
	return true;
}

/* hr_filter_grow for the matching caches, which abort when memory runs out. */
static void *grow_array(void *p, uint32_t *cap, uint32_t need, size_t elem)
{
	if (!hr_filter_grow(&p, cap, need, elem))
		abort();
	return p;
}

struct hr_field_cache *hr_field_cache_new(void)
{
	struct hr_field_cache *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	c->generation = 1;
	return c;
}

void hr_field_cache_free(struct hr_field_cache *c)
{
	if (!c)
		return;
	for (uint32_t i = 0; i < c->nslots; i++)
		hr_field_free(&c->slots[i].field);
	for (uint32_t i = 0; i < c->ngroups; i++) {
		free(c->groups[i].entries);
		free(c->groups[i].refs);
		free(c->groups[i].lengths);
		free(c->groups[i].pairs);
	}
	free(c->groups);
	free(c->slots);
	free(c->satisfied);
	free(c->gid_group);
	free(c->held);
	free(c);
}

void hr_field_cache_next_event(struct hr_field_cache *c)
{
	c->generation++;
	c->nheld = 0;
}

bool hr_field_cache_value(struct hr_field_cache *c, uint32_t i, struct hr_field_ctx *ctx, const struct hr_event *e,
			  struct hr_value *out)
{
	struct hr_cache_slot *s = &c->slots[i];
	if (s->generation != c->generation) {
		s->generation = c->generation;
		s->present = hr_field_extract(&s->field, ctx, e, &s->value);
	}
	*out = s->value;
	return s->present;
}

/* The cache slot of `field` (the same text is the same field). */
static uint32_t cache_slot(struct hr_field_cache *c, const struct hr_field *field)
{
	for (uint32_t i = 0; i < c->nslots; i++)
		if (!strcmp(c->slots[i].field.text, field->text))
			return i;
	c->slots = grow_array(c->slots, &c->cap_slots, c->nslots + 1, sizeof *c->slots);
	struct hr_cache_slot *s = &c->slots[c->nslots];
	s->field = *field;
	memset(&s->field.storage, 0, sizeof s->field.storage); /* its own buffer */
	return c->nslots++;
}

/* ---- constant groups ---- */

/* The kind of group that can answer check `k`, or -1. */
static int group_kind(const struct hr_filter_check *k)
{
	if (k->special != SP_NONE || k->rhs_is_field || !hr_operand_is_field(&k->lhs))
		return -1;
	bool eq = k->op == OP_EQ || (k->op == OP_IN && (k->cls != VCLS_STRING || k->set.cap));
	switch (k->cls) {
	case VCLS_STRING:
		if (k->op == OP_STARTSWITH || k->op == OP_BSTARTSWITH)
			return GK_PREFIX;
		if (k->op == OP_ENDSWITH)
			return GK_SUFFIX;
		if (k->op == OP_CONTAINS || k->op == OP_BCONTAINS)
			return GK_SUBSTR;
		return eq ? GK_TEXT : -1;
	case VCLS_BOOL:
		return k->op == OP_EQ ? GK_BOOL : -1;
	case VCLS_SIGNED:
		return eq ? GK_INT : -1;
	case VCLS_UNSIGNED:
		return eq ? GK_UINT : -1;
	default:
		return -1;
	}
}

static struct hr_const_group *group_of(struct hr_field_cache *c, uint32_t slot, uint8_t kind, uint32_t *index)
{
	for (uint32_t i = 0; i < c->ngroups; i++)
		if (c->groups[i].slot == slot && c->groups[i].kind == kind) {
			*index = i;
			return &c->groups[i];
		}
	c->groups = grow_array(c->groups, &c->cap_groups, c->ngroups + 1, sizeof *c->groups);
	struct hr_const_group *g = &c->groups[c->ngroups];
	g->slot = slot;
	g->kind = kind;
	*index = c->ngroups++;
	return g;
}

static struct hr_const_entry *find_entry(const struct hr_const_group *g, const char *s, uint32_t len)
{
	if (!g->cap)
		return NULL;
	uint32_t mask = g->cap - 1;
	for (uint32_t b = (uint32_t)hr_filter_hash(s, len) & mask;; b = (b + 1) & mask) {
		struct hr_const_entry *en = &g->entries[b];
		if (!en->str)
			return NULL;
		if (en->len == len && !memcmp(en->str, s, len))
			return en;
	}
}

static struct hr_const_entry *insert_entry(struct hr_const_group *g, const char *s, uint32_t len)
{
	if ((g->nentries + 1) * 2 > g->cap) {
		struct hr_const_entry *old = g->entries;
		uint32_t oldcap = g->cap;
		g->cap = oldcap ? oldcap * 2 : 16;
		g->entries = calloc(g->cap, sizeof *g->entries);
		if (!g->entries)
			abort();
		for (uint32_t i = 0; i < oldcap; i++) {
			if (!old[i].str)
				continue;
			uint32_t mask = g->cap - 1, b = (uint32_t)hr_filter_hash(old[i].str, old[i].len) & mask;
			while (g->entries[b].str)
				b = (b + 1) & mask;
			g->entries[b] = old[i];
		}
		free(old);
	}
	uint32_t mask = g->cap - 1;
	for (uint32_t b = (uint32_t)hr_filter_hash(s, len) & mask;; b = (b + 1) & mask) {
		struct hr_const_entry *en = &g->entries[b];
		if (!en->str) {
			en->str = s;
			en->len = len;
			g->nentries++;
			return en;
		}
		if (en->len == len && !memcmp(en->str, s, len))
			return en;
	}
}

static void add_ref(struct hr_const_group *g, const char *s, uint32_t len, uint32_t gid)
{
	struct hr_const_entry *en = insert_entry(g, s, len);
	/* one value written twice in a list satisfies the check once; a
	 * check's values are added together, so its ref would be the latest */
	if (en->first && g->refs[en->first - 1].gid == gid)
		return;
	g->refs = grow_array(g->refs, &g->cap_refs, g->nrefs + 1, sizeof *g->refs);
	g->refs[g->nrefs].gid = gid;
	g->refs[g->nrefs].next = en->first;
	en->first = ++g->nrefs;
	en->nrefs++;
}

static const uint8_t bool_keys[2] = {0, 1};

/* The key of constant `v` in a group of `kind`; false when the constant
 * cannot equal any value of the field (it did not parse as that type). */
static bool constant_key(const struct hr_filter_value *v, uint8_t kind, const char **key, uint32_t *len)
{
	switch (kind) {
	case GK_BOOL:
		*key = (const char *)&bool_keys[v->b ? 1 : 0];
		*len = 1;
		return v->has_bool;
	case GK_INT:
		*key = (const char *)&v->i64;
		*len = sizeof v->i64;
		return v->has_signed;
	case GK_UINT:
		*key = (const char *)&v->u64;
		*len = sizeof v->u64;
		return v->has_unsigned;
	default:
		*key = v->str;
		*len = v->len;
		return true;
	}
}

static void add_length(struct hr_const_group *g, uint32_t len)
{
	for (uint32_t i = 0; i < g->nlengths; i++)
		if (g->lengths[i] == len)
			return;
	g->lengths = grow_array(g->lengths, &g->cap_lengths, g->nlengths + 1, sizeof *g->lengths);
	g->lengths[g->nlengths++] = len;
}

static uint32_t pair_of(const char *s)
{
	return (uint32_t)(uint8_t)s[0] << 8 | (uint8_t)s[1];
}

static bool pair_possible(const struct hr_const_group *g, const char *s)
{
	uint32_t p = pair_of(s);
	return g->pairs[p >> 6] >> (p & 63) & 1;
}

/* Records the byte pair a constant of a prefix, suffix or substring group
 * starts (ends) with. */
static void add_pair(struct hr_const_group *g, const char *key, uint32_t len)
{
	if (len < 2) {
		g->any_short = true;
		return;
	}
	if (!g->pairs) {
		g->pairs = calloc(65536 / 64, sizeof *g->pairs);
		if (!g->pairs)
			abort();
	}
	uint32_t p = pair_of(g->kind == GK_SUFFIX ? key + len - 2 : key);
	g->pairs[p >> 6] |= 1ull << (p & 63);
}

static void group_check(struct hr_field_cache *c, struct hr_filter *f, struct hr_filter_check *k, uint8_t kind)
{
	uint32_t gi;
	struct hr_const_group *g = group_of(c, f->slot_map[k->lhs.slot], kind, &gi);
	uint32_t gid = c->ngids++;
	c->satisfied = grow_array(c->satisfied, &c->cap_gids, c->ngids, sizeof *c->satisfied);
	c->gid_group = grow_array(c->gid_group, &c->cap_gid_groups, c->ngids, sizeof *c->gid_group);
	c->gid_group[gid] = gi;
	c->satisfied[gid] = 0;
	c->held = grow_array(c->held, &c->cap_held, c->ngids, sizeof *c->held);
	uint32_t n = k->op == OP_IN ? k->nvalues : 1;
	for (uint32_t i = 0; i < n; i++) {
		const char *key;
		uint32_t len;
		if (!constant_key(&k->values[i], kind, &key, &len))
			continue;
		add_ref(g, key, len, gid);
		if (kind == GK_PREFIX || kind == GK_SUFFIX || kind == GK_SUBSTR) {
			add_length(g, len);
			add_pair(g, key, len);
		}
	}
	k->group = gi + 1;
	k->gid = gid;
}

/* ---- guards ----
 * A set of grouped checks one of which must hold for a (sub)condition to
 * hold: a grouped check itself; for `or`, the union of every child's set
 * (each child needs one); for `and`, the most selective set of a child.
 * A set is as selective as its weakest member, and a check as selective
 * as its field is varied: a field compared with many constants across all
 * the shared filters (proc.name, fd.name) rarely equals a given one, a
 * field with few (fd.typechar, booleans) often does. And a constant many
 * checks share (fd.typechar = f in every file-opening rule) is a poor
 * guard however varied its field: when it holds, every rule guarded by it
 * becomes a candidate, so the variety counts divided by that sharing. Event-type and
 * direction checks are left out: the type index already did them and
 * every rule of a type would share them. */

struct gid_set {
	uint32_t *v;
	uint32_t n, cap;
	uint32_t weakest; /* the lowest selectivity of a member (selectivity()) */
};

static void set_add(struct gid_set *s, uint32_t gid, uint32_t constants)
{
	if (!s->n || constants < s->weakest)
		s->weakest = constants;
	for (uint32_t i = 0; i < s->n; i++)
		if (s->v[i] == gid)
			return;
	s->v = grow_array(s->v, &s->cap, s->n + 1, sizeof *s->v);
	s->v[s->n++] = gid;
}

/* A grouped check's selectivity: its group's constants (a boolean has two
 * values whatever they are) per check sharing its most shared constant. */
static uint32_t selectivity(const struct hr_field_cache *c, const struct hr_filter_check *k)
{
	const struct hr_const_group *g = &c->groups[k->group - 1];
	uint32_t variety = g->kind == GK_BOOL ? 2 : g->nentries, shared = 1;
	for (uint32_t i = 0; i < (k->op == OP_IN ? k->nvalues : 1); i++) {
		const char *key;
		uint32_t len;
		const struct hr_const_entry *en =
			constant_key(&k->values[i], g->kind, &key, &len) ? find_entry(g, key, len) : NULL;
		if (en && en->nrefs > shared)
			shared = en->nrefs;
	}
	return (uint32_t)(((uint64_t)variety << 10) / shared);
}

static bool better(const struct gid_set *a, const struct gid_set *b)
{
	return a->weakest != b->weakest ? a->weakest > b->weakest : a->n < b->n;
}

static bool guard_of(const struct hr_field_cache *c, const struct hr_filter *f, uint32_t n, struct gid_set *out)
{
	const struct hr_filter_node *node = &f->nodes[n];
	switch (node->kind) {
	case NODE_CHECK: {
		const struct hr_filter_check *k = &f->checks[node->first];
		const char *name = f->slots[k->lhs.slot].field.def->name;
		if (!k->group || !strcmp(name, "evt.type") || !strcmp(name, "evt.dir"))
			return false;
		set_add(out, k->gid, selectivity(c, k));
		return true;
	}
	case NODE_NOT:
		return false;
	case NODE_AND: {
		struct gid_set best = {0}, cur = {0};
		bool found = false;
		for (uint32_t ch = node->first; ch != NO_NODE; ch = f->nodes[ch].next) {
			cur.n = 0;
			if (guard_of(c, f, ch, &cur) && (!found || better(&cur, &best))) {
				struct gid_set t = best;
				best = cur;
				cur = t;
				found = true;
			}
		}
		for (uint32_t i = 0; found && i < best.n; i++)
			set_add(out, best.v[i], best.weakest);
		free(best.v);
		free(cur.v);
		return found;
	}
	default: /* or */
		for (uint32_t ch = node->first; ch != NO_NODE; ch = f->nodes[ch].next)
			if (!guard_of(c, f, ch, out))
				return false;
		return true;
	}
}

/* Puts guard check `k` on the guard chains of its constants' entries. */
static void add_guard_refs(struct hr_field_cache *c, const struct hr_filter_check *k)
{
	struct hr_const_group *g = &c->groups[k->group - 1];
	for (uint32_t i = 0; i < (k->op == OP_IN ? k->nvalues : 1); i++) {
		const char *key;
		uint32_t len;
		struct hr_const_entry *en =
			constant_key(&k->values[i], g->kind, &key, &len) ? find_entry(g, key, len) : NULL;
		if (!en)
			continue;
		g->refs = grow_array(g->refs, &g->cap_refs, g->nrefs + 1, sizeof *g->refs);
		g->refs[g->nrefs].gid = k->gid;
		g->refs[g->nrefs].next = en->first_guard;
		en->first_guard = ++g->nrefs;
	}
}

void hr_filter_choose_guard(struct hr_filter *f)
{
	free(f->guard);
	f->guard = NULL;
	f->nguard = 0;
	if (!f->cache)
		return;
	struct gid_set s = {0};
	if (guard_of(f->cache, f, f->root, &s) && s.n) {
		f->guard = s.v;
		f->nguard = s.n;
	} else {
		free(s.v);
	}
	/* The guards' checks stay grouped, marked by one lookup per event
	 * when the group is read; the others are evaluated alone, only when a
	 * filter gets that far: marking every check sharing a popular
	 * constant (all the rules testing proc.pname in (shell_binaries))
	 * costs more than the few evaluations the guards let through. */
	for (uint32_t i = 0; i < f->nchecks; i++) {
		struct hr_filter_check *k = &f->checks[i];
		bool in_guard = false;
		for (uint32_t j = 0; k->group && j < f->nguard && !in_guard; j++)
			in_guard = f->guard[j] == k->gid;
		if (in_guard)
			add_guard_refs(f->cache, k);
		else
			k->group = 0;
	}
}

bool hr_filter_guard_holds(struct hr_filter *f, struct hr_field_ctx *ctx, const struct hr_event *e)
{
	struct hr_field_cache *c = f->cache;
	for (uint32_t i = 0; i < f->nguard; i++) {
		struct hr_filter_check probe = {0};
		probe.gid = f->guard[i];
		probe.group = c->gid_group[probe.gid] + 1;
		if (hr_filter_grouped_check(c, &probe, ctx, e))
			return true;
	}
	return false;
}

void hr_filter_share_fields(struct hr_filter *f, struct hr_field_cache *c)
{
	free(f->slot_map);
	f->slot_map = NULL;
	free(f->guard);
	f->guard = NULL;
	f->nguard = 0;
	f->cache = c;
	for (uint32_t i = 0; i < f->nchecks; i++)
		f->checks[i].group = 0;
	if (!c)
		return;
	f->slot_map = malloc((f->nslots + 1) * sizeof *f->slot_map);
	if (!f->slot_map)
		abort();
	for (uint32_t i = 0; i < f->nslots; i++)
		f->slot_map[i] = cache_slot(c, &f->slots[i].field);
	for (uint32_t i = 0; i < f->nchecks; i++) {
		int kind = group_kind(&f->checks[i]);
		if (kind >= 0)
			group_check(c, f, &f->checks[i], (uint8_t)kind);
	}
}

static void mark(struct hr_field_cache *c, const struct hr_const_group *g, const char *key, uint32_t len)
{
	const struct hr_const_entry *en = find_entry(g, key, len);
	for (uint32_t r = en ? en->first_guard : 0; r; r = g->refs[r - 1].next) {
		uint32_t gid = g->refs[r - 1].gid;
		if (c->satisfied[gid] != c->generation) { /* `contains` may find it twice */
			c->satisfied[gid] = c->generation;
			c->held[c->nheld++] = gid;
		}
	}
}

/* One lookup (one per prefix length for `startswith`) marks every check
 * of the group that the event's value satisfies. */
static void evaluate_group(struct hr_field_cache *c, struct hr_const_group *g, struct hr_field_ctx *ctx,
			   const struct hr_event *e)
{
	struct hr_value x;
	if (!hr_field_cache_value(c, g->slot, ctx, e, &x))
		return;
	uint8_t cls = hr_filter_class_of_type(x.type);
	switch (g->kind) {
	case GK_TEXT:
	case GK_PREFIX:
	case GK_SUFFIX:
	case GK_SUBSTR: {
		if (cls != VCLS_STRING && cls != VCLS_BYTES)
			return;
		/* strings end at their first NUL, as in sysdig */
		uint32_t len = cls == VCLS_STRING ? (uint32_t)strnlen(x.str, x.len) : x.len;
		if (g->kind == GK_TEXT) {
			mark(c, g, x.str, len);
			return;
		}
		/* every constant has two bytes or more: the value's pair at each
		 * place tells whether any length is worth a probe there */
		bool filtered = !g->any_short && g->pairs;
		if (g->kind == GK_SUBSTR) {
			for (uint32_t at = 0; at < len; at++) {
				if (filtered && (at + 2 > len || !pair_possible(g, x.str + at)))
					continue;
				for (uint32_t i = 0; i < g->nlengths; i++)
					if (at + g->lengths[i] <= len)
						mark(c, g, x.str + at, g->lengths[i]);
			}
			return;
		}
		if (filtered && (len < 2 || !pair_possible(g, g->kind == GK_PREFIX ? x.str : x.str + len - 2)))
			return;
		for (uint32_t i = 0; i < g->nlengths; i++) {
			uint32_t l = g->lengths[i];
			if (l <= len)
				mark(c, g, g->kind == GK_PREFIX ? x.str : x.str + len - l, l);
		}
		return;
	}
	case GK_BOOL: {
		bool b = cls == VCLS_BOOL ? x.v.b : hr_filter_value_u64(&x) != 0;
		mark(c, g, (const char *)&bool_keys[b ? 1 : 0], 1);
		return;
	}
	case GK_INT: { /* converted exactly as a lone comparison converts it */
		int64_t v = hr_filter_value_i64(&x);
		mark(c, g, (const char *)&v, sizeof v);
		return;
	}
	default: {
		uint64_t v = hr_filter_value_u64(&x);
		mark(c, g, (const char *)&v, sizeof v);
		return;
	}
	}
}

bool hr_filter_grouped_check(struct hr_field_cache *c, const struct hr_filter_check *k, struct hr_field_ctx *ctx,
			     const struct hr_event *e)
{
	struct hr_const_group *g = &c->groups[k->group - 1];
	if (g->generation != c->generation) {
		g->generation = c->generation;
		g->held_first = c->nheld;
		evaluate_group(c, g, ctx, e);
		g->nheld = c->nheld - g->held_first;
	}
	return c->satisfied[k->gid] == c->generation;
}

/* ---- candidates for a rules engine ---- */

uint32_t hr_filter_guard_checks(const struct hr_filter *f, const uint32_t **checks)
{
	*checks = f->guard;
	return f->nguard;
}

uint32_t hr_field_cache_checks(const struct hr_field_cache *c)
{
	return c->ngids;
}

uint32_t hr_field_cache_check_group(const struct hr_field_cache *c, uint32_t check)
{
	return c->gid_group[check];
}

uint32_t hr_field_cache_group_holding(struct hr_field_cache *c, uint32_t group, struct hr_field_ctx *ctx,
				      const struct hr_event *e, const uint32_t **checks)
{
	struct hr_filter_check probe = {0};
	probe.group = group + 1;
	hr_filter_grouped_check(c, &probe, ctx, e);
	const struct hr_const_group *g = &c->groups[group];
	*checks = c->held + g->held_first;
	return g->nheld;
}
