/*
 * Falco's describe_rule JSON for the loaded rule set. The details Falco
 * takes from the condition's AST are found here from the condition's
 * text: fields and macro references from the rules' condition parser,
 * operators and list names from its tokens, condition_compiled by
 * re-reading the compiled (expanded) text into libsinsp's AST print.
 * Falco's sets are unordered; their members are printed sorted so that
 * the output is stable.
 */
#include <stdlib.h>
#include <string.h>

#include "event/event_table.h"
#include "filter/filter.h"
#include "rules/rules_condition.h"
#include "rules/rules_describe.h"
#include "rules/rules_internal.h"

/* A JSON string as nlohmann's dump writes it: UTF-8 kept, control
 * characters escaped. */
static void put_string(struct hr_strbuf *out, const char *s)
{
	hr_sb_putc(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '"': hr_sb_puts(out, "\\\""); break;
		case '\\': hr_sb_puts(out, "\\\\"); break;
		case '\b': hr_sb_puts(out, "\\b"); break;
		case '\f': hr_sb_puts(out, "\\f"); break;
		case '\n': hr_sb_puts(out, "\\n"); break;
		case '\r': hr_sb_puts(out, "\\r"); break;
		case '\t': hr_sb_puts(out, "\\t"); break;
		default:
			if (c < 0x20)
				hr_sb_printf(out, "\\u%04x", c);
			else
				hr_sb_putc(out, (char)c);
		}
	}
	hr_sb_putc(out, '"');
}

/* Syscall codes that are not generic although no event carries their
 * name: the libs map these aliases (32/64-bit variants, renamed calls)
 * and the tracepoint codes to their own events. */
static bool is_aliased_syscall(const char *name)
{
	static const char *const aliases[] = {
		"_llseek", "fcntl64", "getegid32", "geteuid32", "getgid32", "getresgid32", "getresuid32",
		"getuid32", "page_fault_kernel", "page_fault_user", "pread64", "prlimit64", "pwrite64",
		"sched_process_exit", "sched_switch", "sendfile64", "setgid32", "setresgid32", "setresuid32",
		"setuid32", "signal_deliver", "ugetrlimit",
	};
	for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
		if (!strcmp(name, aliases[i]))
			return true;
	return false;
}

/* Whether syscall `name` is reported by the generic events: neither an
 * event of that name nor an alias's. */
bool hr_is_generic_syscall(const char *name)
{
	if (!strcmp(name, "unknown") || is_aliased_syscall(name))
		return false;
	for (unsigned t = 2; t < HR_EVENT_MAX; t++) {
		const struct hr_event_info *e = &hr_event_table[t];
		if ((e->category & HR_EC_SYSCALL) && e->name && !strcmp(e->name, name))
			return false;
	}
	return true;
}

/* A set of strings (duplicates dropped), printed sorted. */
struct name_set {
	char **names;
	uint32_t n, cap;
};

static void set_add(struct name_set *s, const char *name, size_t len)
{
	for (uint32_t i = 0; i < s->n; i++)
		if (strlen(s->names[i]) == len && !memcmp(s->names[i], name, len))
			return;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->names = realloc(s->names, s->cap * sizeof *s->names);
		if (!s->names)
			abort();
	}
	s->names[s->n++] = strndup(name, len);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void set_free(struct name_set *s)
{
	for (uint32_t i = 0; i < s->n; i++)
		free(s->names[i]);
	free(s->names);
	*s = (struct name_set){0};
}

/* `"key":[...]` of the set, sorted, and frees it. */
static void put_set(struct hr_strbuf *out, const char *key, struct name_set *s)
{
	if (s->n) /* qsort wants a base even for no members */
		qsort(s->names, s->n, sizeof *s->names, compare_names);
	hr_sb_printf(out, "\"%s\":[", key);
	for (uint32_t i = 0; i < s->n; i++) {
		if (i)
			hr_sb_putc(out, ',');
		put_string(out, s->names[i]);
	}
	hr_sb_putc(out, ']');
	set_free(s);
}

/* One token of a condition. */
enum token_kind { T_END, T_WORD, T_STRING, T_OPEN, T_CLOSE, T_COMMA, T_SYMBOL };
struct token {
	enum token_kind kind;
	const char *p;
	size_t len;
};

static bool is_word_char(char c)
{
	return c && !strchr(" \t\r\n\"'(),=<>!", c);
}

static struct token next_token(const char **pp)
{
	const char *p = *pp;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	struct token t = {T_END, p, 0};
	if (!*p) {
		*pp = p;
		return t;
	}
	if (*p == '"' || *p == '\'') {
		char q = *p++;
		while (*p && *p != q)
			p += p[0] == '\\' && p[1] ? 2 : 1;
		p += *p == q;
		t.kind = T_STRING;
	} else if (*p == '(' || *p == ')' || *p == ',') {
		t.kind = *p == '(' ? T_OPEN : *p == ')' ? T_CLOSE : T_COMMA;
		p++;
	} else if (strchr("=<>!", *p)) {
		t.kind = T_SYMBOL;
		p++;
		if (*p == '=')
			p++;
	} else {
		t.kind = T_WORD;
		while (is_word_char(*p)) {
			if (*p == '[') { /* a field's argument may hold anything up to ']' */
				while (*p && *p != ']')
					p++;
				p += *p == ']';
				continue;
			}
			p++;
		}
	}
	t.len = (size_t)(p - t.p);
	*pp = p;
	return t;
}

static bool word_is(const struct token *t, const char *w)
{
	return t->kind == T_WORD && t->len == strlen(w) && !memcmp(t->p, w, t->len);
}

static bool is_operator(const struct token *t)
{
	static const char *const words[] = {"contains", "icontains", "bcontains", "startswith", "bstartswith",
					    "endswith", "glob", "iglob", "in", "intersects", "pmatch", "exists",
					    "regex", NULL};
	if (t->kind == T_SYMBOL)
		return true;
	for (const char *const *w = words; *w; w++)
		if (word_is(t, *w))
			return true;
	return false;
}

static void put_key_string(struct hr_strbuf *out, const char *key, const char *value, bool comma)
{
	hr_sb_printf(out, "\"%s\":", key);
	put_string(out, value ? value : "");
	if (comma)
		hr_sb_putc(out, ',');
}

/* libsinsp's ast::as_string of a condition, re-read from its text: and/or
 * nodes of two or more children in parentheses, "not " before its child,
 * checks as "field op value", lists as "(a, b)", values unquoted unless
 * escape_str must quote them. A reader over the token stream. */
struct ast_printer {
	const char *p;
	struct token t;
	struct hr_strbuf *out;
	bool failed;
};

static void advance(struct ast_printer *ap) { ap->t = next_token(&ap->p); }

/* escape_str of a value token (quotes removed and escapes read first). */
static void put_value(struct hr_strbuf *out, const struct token *t)
{
	struct hr_strbuf v = {0};
	bool quoted = t->kind == T_STRING;
	const char *s = t->p + quoted, *end = t->p + t->len - (quoted && t->len > 1);
	for (; s < end; s++) {
		char c = *s;
		if (quoted && c == '\\' && s + 1 < end) {
			c = *++s;
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c == 'b' ? '\b' : c == 'f' ? '\f' : c;
		}
		hr_sb_putc(&v, c);
	}
	bool quote = strpbrk(hr_sb_str(&v), " =\\\"'\b\f\n\r\t") != NULL;
	if (quote)
		hr_sb_putc(out, '"');
	for (const char *c = hr_sb_str(&v); *c; c++) {
		static const char from[] = "\b\f\n\r\t\\\"", *const to[] = {"\\b", "\\f", "\\n", "\\r", "\\t", "\\\\", "\\\""};
		const char *hit = strchr(from, *c);
		if (hit)
			hr_sb_puts(out, to[hit - from]);
		else
			hr_sb_putc(out, *c);
	}
	if (quote)
		hr_sb_putc(out, '"');
	hr_sb_free(&v);
}

static void print_operand(struct ast_printer *ap);
static void print_arg_list(struct ast_printer *ap, bool may_be_empty);

/* A transformer's argument: a value, a transformer list "(a,b)" or an
 * operand; string_visitor separates list elements with a bare ','. */
static void print_arg(struct ast_printer *ap)
{
	if (ap->t.kind == T_STRING) {
		put_value(ap->out, &ap->t);
		advance(ap);
		return;
	}
	if (ap->t.kind != T_OPEN)
		print_operand(ap);
	else
		print_arg_list(ap, true);
}

/* "(a,b,...)" from its "(" to past its ")": a transformer list (which may
 * be empty) or a transformer's arguments. */
static void print_arg_list(struct ast_printer *ap, bool may_be_empty)
{
	hr_sb_putc(ap->out, '(');
	advance(ap);
	if (!may_be_empty || ap->t.kind != T_CLOSE) {
		for (;;) {
			print_arg(ap);
			if (ap->failed || ap->t.kind != T_COMMA)
				break;
			hr_sb_putc(ap->out, ',');
			advance(ap);
		}
	}
	if (ap->failed || ap->t.kind != T_CLOSE) {
		ap->failed = true;
		return;
	}
	hr_sb_putc(ap->out, ')');
	advance(ap);
}

/* A transformer's "[arg]" (getopt's selector), printed as
 * append_optional_field_arg does: escape_str of the argument, "" kept. */
static void print_selector(struct ast_printer *ap)
{
	const struct token *t = &ap->t;
	if (t->kind != T_WORD || t->p[0] != '[' || t->len < 2 || t->p[t->len - 1] != ']')
		return;
	struct token inner = {T_WORD, t->p + 1, t->len - 2};
	if (inner.len && (inner.p[0] == '"' || inner.p[0] == '\''))
		inner.kind = T_STRING;
	hr_sb_putc(ap->out, '[');
	if (inner.len == 0 || (inner.kind == T_STRING && inner.len == 2))
		hr_sb_puts(ap->out, "\"\"");
	else
		put_value(ap->out, &inner);
	hr_sb_putc(ap->out, ']');
	advance(ap);
}

/* A field, or a transformer with its arguments: "tolower(proc.name)",
 * "join(,,(proc.args[0],x))", "getopt((a,b),n:)[n]". */
static void print_operand(struct ast_printer *ap)
{
	if (ap->t.kind != T_WORD || is_operator(&ap->t)) {
		ap->failed = true;
		return;
	}
	struct token name = ap->t;
	advance(ap);
	hr_sb_append(ap->out, name.p, name.len);
	if (ap->t.kind != T_OPEN)
		return;
	print_arg_list(ap, false);
	if (!ap->failed)
		print_selector(ap);
}

static void print_or(struct ast_printer *ap);

static void print_check(struct ast_printer *ap)
{
	print_operand(ap);
	if (ap->failed || !is_operator(&ap->t)) {
		ap->failed = true;
		return;
	}
	struct token op = ap->t;
	hr_sb_putc(ap->out, ' ');
	hr_sb_append(ap->out, op.p, op.len);
	advance(ap);
	if (word_is(&op, "exists"))
		return;
	hr_sb_putc(ap->out, ' ');
	bool is_list = word_is(&op, "in") || word_is(&op, "intersects") || word_is(&op, "pmatch");
	if (!is_list) {
		if (ap->t.kind == T_WORD && strchr(ap->p, '(') == ap->p && !is_operator(&ap->t)) {
			print_operand(ap); /* val(field) */
			return;
		}
		if (ap->t.kind != T_WORD && ap->t.kind != T_STRING && ap->t.kind != T_SYMBOL) {
			ap->failed = true;
			return;
		}
		put_value(ap->out, &ap->t);
		advance(ap);
		return;
	}
	if (ap->t.kind != T_OPEN) {
		ap->failed = true;
		return;
	}
	hr_sb_putc(ap->out, '(');
	advance(ap);
	for (bool first = true; ap->t.kind == T_WORD || ap->t.kind == T_STRING; first = false) {
		if (!first)
			hr_sb_puts(ap->out, ", ");
		put_value(ap->out, &ap->t);
		advance(ap);
		if (ap->t.kind == T_COMMA)
			advance(ap);
	}
	if (ap->t.kind != T_CLOSE) {
		ap->failed = true;
		return;
	}
	hr_sb_putc(ap->out, ')');
	advance(ap);
}

static void print_not(struct ast_printer *ap)
{
	if (word_is(&ap->t, "not")) {
		hr_sb_puts(ap->out, "not ");
		advance(ap);
		print_not(ap);
	} else if (ap->t.kind == T_OPEN) {
		advance(ap);
		print_or(ap);
		if (ap->t.kind != T_CLOSE)
			ap->failed = true;
		advance(ap);
	} else {
		print_check(ap);
	}
}

/* A chain of `kw`: its children joined, in parentheses when more than one. */
static void print_chain(struct ast_printer *ap, const char *kw, void (*child)(struct ast_printer *))
{
	size_t start = ap->out->len;
	child(ap);
	bool several = false;
	while (!ap->failed && word_is(&ap->t, kw)) {
		hr_sb_printf(ap->out, " %s ", kw);
		advance(ap);
		child(ap);
		several = true;
	}
	if (several) {
		hr_sb_putc(ap->out, ')');
		hr_sb_grow(ap->out, 1);
		memmove(ap->out->p + start + 1, ap->out->p + start, ap->out->len - start + 1);
		ap->out->p[start] = '(';
		ap->out->len++;
	}
}

static void print_and(struct ast_printer *ap) { print_chain(ap, "and", print_not); }
static void print_or(struct ast_printer *ap) { print_chain(ap, "or", print_and); }

/* `"condition_compiled":"..."`: the AST's print, or the text itself when
 * it does not read as a plain condition. */
static void put_condition_compiled(struct hr_strbuf *out, const char *cond)
{
	struct hr_strbuf printed = {0};
	struct ast_printer ap = {.p = cond, .out = &printed};
	advance(&ap);
	print_or(&ap);
	bool ok = !ap.failed && ap.t.kind == T_END;
	put_key_string(out, "condition_compiled", ok ? hr_sb_str(&printed) : cond, true);
	hr_sb_free(&printed);
}

/* The operators of condition `cond` (a word or symbol that follows an
 * operand), and the lists it names (bare words naming a list). */
static void scan_operators_and_lists(struct hr_ruleset *rs, const char *cond, struct name_set *operators,
				     struct name_set *lists)
{
	const char *p = cond;
	for (struct token t = next_token(&p), prev = {T_END, p, 0}; t.kind != T_END; prev = t, t = next_token(&p)) {
		bool after_operand = prev.kind == T_WORD || prev.kind == T_STRING || prev.kind == T_CLOSE;
		if (operators && is_operator(&t) && after_operand && !is_operator(&prev))
			set_add(operators, t.p, t.len);
		else if (lists && t.kind == T_WORD && hr_name_index_find(&rs->list_names, t.p, t.len) >= 0)
			set_add(lists, t.p, t.len);
	}
}

/* The macros (identifiers used as checks) or fields of `cond`, as Falco's
 * filter_details_resolver collects them. */
static void add_parsed(const char *cond, bool macros, struct name_set *out)
{
	struct hr_cond_parse parse;
	hr_cond_parse(cond, &parse);
	const struct hr_cond_span *spans = macros ? parse.macros : parse.fields;
	uint32_t n = macros ? parse.nmacros : parse.nfields;
	for (uint32_t i = 0; parse.ok && i < n; i++)
		set_add(out, cond + spans[i].start, spans[i].len);
	hr_cond_parse_free(&parse);
}

/* condition_fields and condition_operators of the compiled condition. */
static void put_compiled_uses(struct hr_strbuf *out, const char *compiled)
{
	struct name_set fields = {0}, operators = {0};
	add_parsed(compiled, false, &fields);
	scan_operators_and_lists(NULL, compiled, &operators, NULL);
	put_set(out, "condition_fields", &fields);
	hr_sb_putc(out, ',');
	put_set(out, "condition_operators", &operators);
}

/* lists and macros named by the condition as written. */
static void put_written_uses(struct hr_strbuf *out, struct hr_ruleset *rs, const char *cond)
{
	struct name_set lists = {0}, macros = {0};
	scan_operators_and_lists(rs, cond, NULL, &lists);
	add_parsed(cond, true, &macros);
	put_set(out, "lists", &lists);
	hr_sb_putc(out, ',');
	put_set(out, "macros", &macros);
}

/* The event names a compiled condition may match, as Falco's
 * get_json_evt_types (with asyncevent, which Falco always adds). */
static void put_events(struct hr_strbuf *out, struct hr_filter *f)
{
	struct name_set events = {0};
	set_add(&events, "asyncevent", strlen("asyncevent"));
	for (uint16_t t = 2; t < HR_EVENT_MAX; t++) {
		const struct hr_event_info *e = &hr_event_table[t];
		if (e->category && e->name && strcmp(e->name, "NA") && hr_filter_may_match_type(f, t))
			set_add(&events, e->name, strlen(e->name));
	}
	if (hr_filter_may_match_type(f, 0) || hr_filter_may_match_type(f, 1))
		for (unsigned sc = 0; sc < HR_SYSCALL_MAX; sc++) {
			const char *name = hr_syscall_names[sc].name;
			if (name && hr_is_generic_syscall(name) && hr_filter_may_match_syscall(f, name))
				set_add(&events, name, strlen(name));
		}
	put_set(out, "events", &events);
}

/* The fields an output format prints, in order: %field, %field[arg] or
 * %(field). */
static void put_output_fields(struct hr_strbuf *out, const char *fmt)
{
	hr_sb_puts(out, "\"output_fields\":[");
	bool first = true;
	for (const char *p = fmt; (p = strchr(p, '%'));) {
		p++;
		bool paren = *p == '(';
		const char *s = p + paren, *e = s;
		while (*e && (paren ? *e != ')' : (is_word_char(*e) && *e != '%'))) {
			if (*e == '[') {
				while (*e && *e != ']')
					e++;
				e += *e == ']';
				continue;
			}
			e++;
		}
		if (e == s || !memchr(s, '.', (size_t)(e - s)))
			continue;
		char *name = strndup(s, (size_t)(e - s));
		if (!first)
			hr_sb_putc(out, ',');
		put_string(out, name);
		free(name);
		first = false;
		p = e;
	}
	hr_sb_putc(out, ']');
}

/* An exception's comps (or fields) entries into `s`, two levels deep. */
static void add_entries(struct name_set *s, const struct hr_ex_entry *e)
{
	if (!e->defined)
		return;
	if (!e->is_list) {
		if (e->item)
			set_add(s, e->item, strlen(e->item));
		return;
	}
	for (uint32_t i = 0; i < e->nitems; i++)
		add_entries(s, &e->items[i]);
}


static void put_rule(struct hr_strbuf *out, struct hr_ruleset *rs, const struct hr_rule *r)
{
	const struct hr_rule_info *info = hr_rules_find_rule(rs, r->name);
	const char *cond = info && info->cond ? info->cond : r->condition;
	hr_sb_puts(out, "{\"details\":{");
	put_condition_compiled(out, r->condition);
	put_compiled_uses(out, r->condition);
	hr_sb_putc(out, ',');
	put_events(out, r->filter);
	struct name_set fields = {0}, names = {0}, operators = {0};
	for (uint32_t i = 0; info && i < info->nexceptions; i++) {
		const struct hr_exception *x = &info->exceptions[i];
		set_add(&names, x->name, strlen(x->name));
		add_entries(&fields, &x->fields);
		if (x->comps.defined)
			add_entries(&operators, &x->comps);
		else if (x->fields.defined) /* Falco's default comps: = per field, in for one field */
			set_add(&operators, x->fields.is_list ? "=" : "in", x->fields.is_list ? 1 : 2);
	}
	hr_sb_putc(out, ',');
	put_set(out, "exception_fields", &fields);
	hr_sb_putc(out, ',');
	put_set(out, "exception_names", &names);
	hr_sb_putc(out, ',');
	put_set(out, "exception_operators", &operators);
	hr_sb_putc(out, ',');
	put_written_uses(out, rs, cond);
	hr_sb_putc(out, ',');
	put_key_string(out, "output_compiled", r->output, true);
	put_output_fields(out, r->output);
	hr_sb_puts(out, ",\"plugins\":[]},\"info\":{\"capture\":false,\"capture_duration\":0,");
	put_key_string(out, "condition", cond, true);
	put_key_string(out, "description", r->desc, true);
	hr_sb_printf(out, "\"enabled\":%s,", r->enabled ? "true" : "false");
	put_key_string(out, "name", r->name, true);
	put_key_string(out, "output", info && info->output ? info->output : r->output, true);
	put_key_string(out, "priority", hr_priority_name(r->priority, false), true);
	put_key_string(out, "source", r->source, true);
	hr_sb_puts(out, "\"tags\":[");
	for (uint32_t i = 0; i < r->ntags; i++) { /* sorted, as Falco's std::set */
		if (i)
			hr_sb_putc(out, ',');
		put_string(out, r->tags[i]);
	}
	hr_sb_puts(out, "]}}");
}

static void put_macro(struct hr_strbuf *out, struct hr_ruleset *rs, const struct hr_macro_info *m)
{
	const char *compiled = m->expanded ? m->expanded : m->cond;
	hr_sb_puts(out, "{\"details\":{");
	put_condition_compiled(out, compiled);
	put_compiled_uses(out, compiled);
	hr_sb_putc(out, ',');
	struct hr_filter_error err;
	struct hr_filter *f = hr_filter_compile(compiled, &err);
	if (f) {
		put_events(out, f);
		hr_filter_free(f);
	} else { /* a fragment valid only inside a rule has no event set of its own */
		hr_sb_puts(out, "\"events\":[]");
	}
	hr_sb_putc(out, ',');
	put_written_uses(out, rs, m->cond);
	hr_sb_printf(out, ",\"plugins\":[],\"used\":%s},\"info\":{", m->used ? "true" : "false");
	put_key_string(out, "condition", m->cond, true);
	put_key_string(out, "name", m->name, false);
	hr_sb_puts(out, "}}");
}

/* A list as written (items naming a list go to details.lists) and
 * compiled. */
static void put_list(struct hr_strbuf *out, struct hr_ruleset *rs, const struct hr_list_info *l)
{
	hr_sb_puts(out, "{\"details\":{\"items_compiled\":[");
	for (uint32_t i = 0; i < l->ncompiled_items; i++) { /* in order: Falco keeps a vector */
		if (i)
			hr_sb_putc(out, ',');
		put_string(out, l->compiled_items[i]);
	}
	hr_sb_puts(out, "],");
	struct name_set lists = {0};
	for (uint32_t k = 0; k < l->nitems; k++)
		if (hr_rules_find_list(rs, l->items[k]))
			set_add(&lists, l->items[k], strlen(l->items[k]));
	put_set(out, "lists", &lists);
	hr_sb_printf(out, ",\"plugins\":[],\"used\":%s},\"info\":{\"items\":[", l->used ? "true" : "false");
	bool first = true;
	for (uint32_t k = 0; k < l->nitems; k++) {
		if (hr_rules_find_list(rs, l->items[k]))
			continue;
		if (!first)
			hr_sb_putc(out, ',');
		put_string(out, l->items[k]);
		first = false;
	}
	hr_sb_puts(out, "],");
	put_key_string(out, "name", l->name, false);
	hr_sb_puts(out, "}}");
}

bool hr_rules_describe_json(struct hr_ruleset *rs, const char *rule_name, struct hr_strbuf *out)
{
	if (rule_name) {
		for (uint32_t i = 0; i < rs->nrules; i++)
			if (!strcmp(rs->rules[i].name, rule_name)) {
				hr_sb_puts(out, "{\"rules\":[");
				put_rule(out, rs, &rs->rules[i]);
				hr_sb_puts(out, "]}");
				return true;
			}
		return false;
	}
	hr_sb_puts(out, "{\"lists\":[");
	for (uint32_t i = 0; i < rs->nlists; i++) {
		if (i)
			hr_sb_putc(out, ',');
		put_list(out, rs, &rs->lists[i]);
	}
	hr_sb_puts(out, "],\"macros\":[");
	for (uint32_t i = 0; i < rs->nmacros; i++) {
		if (i)
			hr_sb_putc(out, ',');
		put_macro(out, rs, &rs->macros[i]);
	}
	hr_sb_printf(out, "],\"required_engine_version\":\"%lu.%lu.%lu\",\"required_plugin_versions\":[],\"rules\":[",
		     rs->engine_version[0], rs->engine_version[1], rs->engine_version[2]);
	for (uint32_t i = 0; i < rs->nrules; i++) {
		if (i)
			hr_sb_putc(out, ',');
		put_rule(out, rs, &rs->rules[i]);
	}
	hr_sb_puts(out, "]}");
	return true;
}
