/*
 * Unit tests of the rules loader (src/rules): every load error and warning
 * code it emits (with Falco's message and item), exceptions turned into
 * condition text, list substitution and macro expansion, overrides and
 * appends, multi-file late binding, and the events rules see (enter
 * halves folded into their exits as Falco 0.44 reads captures), and the
 * rule engine's dispatch (generic events by their syscall, candidates from
 * the guards, load order).
 */
#include <stdio.h>
#include <string.h>

#include "event/event_merge.h"
#include "rules/rule_engine.h"
#include "rules/rules_condition.h"
#include "rules/rules_loader.h"

#define UNIT_SUITE "rules"
#include "unit_check.h"

/* The location of item type `type`, or NULL (as the conformance runner
 * matches: any location of the message). */
static const struct hr_load_loc *loc_of_type(const struct hr_load_ctx *c, const char *type)
{
	for (unsigned i = c->n; i-- > 0;)
		if (!strcmp(c->loc[i].item_type, type))
			return &c->loc[i];
	return NULL;
}

struct expect_msg {
	const char *yaml;
	bool error;      /* an error (else a warning) */
	const char *code;
	const char *item_type; /* of one of its locations */
	const char *message;
};

static const struct expect_msg messages[] = {
	{"- rule: [", true, "LOAD_ERR_YAML_PARSE", "value for", NULL},
	{"just text", true, "LOAD_ERR_YAML_VALIDATE", "rules content", "Rules content is not yaml"},
	{"a: b", true, "LOAD_ERR_YAML_VALIDATE", "rules content", "Rules content is not yaml array of objects"},
	{"- 3", true, "LOAD_ERR_YAML_VALIDATE", "rules content item",
	 "Unexpected element type. Each element should be a yaml associative array."},
	{"- list:\n  items: [a]", true, "LOAD_ERR_YAML_VALIDATE", "list", "Mapping for key 'list' is empty"},
	{"- list: l", true, "LOAD_ERR_YAML_VALIDATE", "list", "Item has no mapping for key 'items'"},
	{"- list: l\n  items: a", true, "LOAD_ERR_YAML_VALIDATE", "value for", "Value is not a sequence"},
	{"- list: l\n  items: [a]\n  append: true", true, "LOAD_ERR_VALIDATE", "list",
	 "List uses 'append' or 'override.items: append' but no list by that name already exists"},
	{"- macro: m", true, "LOAD_ERR_YAML_VALIDATE", "macro", "Item has no mapping for key 'condition'"},
	{"- macro: m\n  condition: [a]", true, "LOAD_ERR_YAML_VALIDATE", "value for", "Value is not a scalar value"},
	{"- macro: m\n  condition: evt.type=open\n  append: true", true, "LOAD_ERR_VALIDATE", "macro",
	 "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists"},
	{"- macro: m\n  condition: evt.type=open and (", true, "LOAD_ERR_COMPILE_CONDITION", "macro",
	 "expected a '(' token, a field check, or an identifier"},
	{"- macro: m\n  condition: evt.type=open x", true, "LOAD_ERR_COMPILE_CONDITION", "macro",
	 "unexpected token after 'open', expecting 'or', 'and'"},
	{"- macro: m\n  condition: nosuch", true, "LOAD_ERR_VALIDATE", "macro", "Undefined macro 'nosuch' used in filter."},
	{"- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o", true, "LOAD_ERR_YAML_VALIDATE", "rule",
	 "Item has no mapping for key 'priority'"},
	{"- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: loud", true,
	 "LOAD_ERR_YAML_VALIDATE", "rule priority", "Invalid priority"},
	{"- rule: r\n  desc: d\n  condition: evt.type=open and proc.nobody=1\n  output: o\n  priority: info", true,
	 "LOAD_ERR_COMPILE_CONDITION", "rule", "filter_check called with nonexistent field proc.nobody"},
	{"- rule: r\n  desc: d\n  condition: evt.type=nosuchevent\n  output: o\n  priority: info", true,
	 "LOAD_ERR_COMPILE_CONDITION", "rule", "unknown event type nosuchevent"},
	{"- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o %nosuch.field\n  priority: info", true,
	 "LOAD_ERR_COMPILE_OUTPUT", "rule output", "invalid formatting token nosuch.field"},
	{"- rule: r\n  condition: evt.type=open\n  append: true\n  override:\n    condition: append", true,
	 "LOAD_ERR_YAML_VALIDATE", "rule", "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead."},
	{"- rule: r\n  condition: evt.type=open\n  append: true", true, "LOAD_ERR_VALIDATE", "rule",
	 "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists"},
	{"- rule: r\n  enabled: false", true, "LOAD_ERR_VALIDATE", "rule",
	 "Rule has 'enabled' key but no rule by that name already exists"},
	{"- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: info\n  exceptions:\n"
	 "    - name: e\n      fields: [proc.name, fd.name]\n      comps: [=]",
	 true, "LOAD_ERR_VALIDATE", "exception", "Fields and comps lists must have equal length"},
	{"- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: info\n  exceptions:\n"
	 "    - name: e\n      fields: [proc.name]\n      comps: [~~]",
	 true, "LOAD_ERR_VALIDATE", "exception", "'~~' is not a supported comparison operator"},
	{"- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: info\n  exceptions:\n"
	 "    - name: e\n      fields: proc.name\n      comps: =",
	 true, "LOAD_ERR_VALIDATE", "exception",
	 "When fields is a single value, comps must be one of (in, pmatch, intersects) or a modifier operator (e.g. "
	 "startswith oneof)"},
	{"- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: info\n  exceptions:\n"
	 "    - name: e\n      fields: [proc.name, fd.name]\n      values: [[cat]]",
	 true, "LOAD_ERR_VALIDATE", "exception", "Fields and values lists must have equal length"},
	{"- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: info\n  exceptions: 3", true,
	 "LOAD_ERR_YAML_VALIDATE", "exceptions", "Rule exceptions must be a sequence"},
	{"- required_engine_version: 1000.0.0", true, "LOAD_ERR_VALIDATE", "required_engine_version",
	 "Rules require engine version 1000.0.0, but engine version is 0.63.0"},
	{"- required_engine_version: x.y", true, "LOAD_ERR_YAML_VALIDATE", "required_engine_version",
	 "Unable to parse engine version 'x.y' as a semver string. Expected \"x.y.z\" semver format."},
	{"- list: l\n  items: [a]\n  override:\n    items: merge", true, "LOAD_ERR_YAML_VALIDATE", "overrides",
	 "Invalid override operation for key 'items': 'merge'. Allowed values are: append replace "},
	{"- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: info\n- rule: r\n  priority: info\n"
	 "  override:\n    priority: append",
	 true, "LOAD_ERR_YAML_VALIDATE", "overrides", "Key 'priority' cannot be appended to, use 'replace' instead"},
	{"- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: info\n- rule: r\n  desc: x\n"
	 "  condition: proc.name=cat\n  override:\n    condition: append",
	 true, "LOAD_ERR_YAML_VALIDATE", "overrides",
	 "Unexpected key 'desc': no corresponding entry under 'override' is defined."},
	/* warnings */
	{"- foo: bar", false, "LOAD_UNKNOWN_ITEM", "rules content item", "Unknown top level item"},
	{"- list: l\n  items: [a]", false, "LOAD_UNUSED_LIST", "list", "List not referred to by any other rule/macro"},
	{"- macro: m\n  condition: evt.type=open", false, "LOAD_UNUSED_MACRO", "macro",
	 "Macro not referred to by any other rule/macro"},
	{"- list: 'a b'\n  items: [x]\n", false, "LOAD_INVALID_LIST_NAME", "list",
	 "List has an invalid name. List names should match a regular expression: ([^()\"'[:space:]=,]+)"},
	{"- macro: m.x\n  condition: evt.type=open", false, "LOAD_INVALID_MACRO_NAME", "macro",
	 "Macro has an invalid name. Macro names should match a regular expression: ([a-zA-Z]+[a-zA-Z0-9_]*)"},
	{"- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: info\n  source: k8s_audit", false,
	 "LOAD_UNKNOWN_SOURCE", "rule", "Unknown source k8s_audit, skipping"},
	{"- rule: r\n  desc: d\n  condition: proc.name=cat\n  output: o\n  priority: info", false, "LOAD_NO_EVTTYPE",
	 "rule", "Rule matches too many evt.type values. This has a significant performance penalty."},
	{"- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: info\n  colour: red", false,
	 "LOAD_UNKNOWN_KEY", "rule", "Unknown key 'colour'. The key will be ignored."},
	{"- rule: r\n  desc: d\n  condition: evt.type=open and proc.nobody=1\n  output: o\n  priority: info\n"
	 "  skip-if-unknown-filter: true",
	 false, "LOAD_UNKNOWN_FILTER", "rule", "filter_check called with nonexistent field proc.nobody"},
	{"- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o %container.info\n  priority: info", false,
	 "LOAD_DEPRECATED_ITEM", "rule",
	 "%container.info is deprecated and no more useful, and will be dropped by Falco 1.0.0. The container plugin "
	 "will automatically add required fields to the output message."},
	{"- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: info\n- rule: r\n  enabled: false",
	 false, "LOAD_DEPRECATED_ITEM", "rule",
	 "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under "
	 "the 'override' key (i.e. 'enabled: replace')."},
	{"- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: info\n  exceptions:\n"
	 "    - name: e\n      fields: [proc.name]\n    - name: e\n      fields: [fd.name]",
	 false, "LOAD_EXCEPTION_NAME_NOT_UNIQUE", "exception", "Multiple definitions of exception 'e' in the same rule"},
	{"- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: info\n  exceptions:\n"
	 "    - name: e\n      fields: [proc.name]\n- rule: r\n  exceptions:\n    - name: e\n  append: true",
	 false, "LOAD_APPEND_NO_VALUES", "exception", "Overriding/appending exception with no values"},
};

static void test_messages(void)
{
	for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++) {
		const struct expect_msg *m = &messages[i];
		struct hr_ruleset *rs = hr_ruleset_new();
		struct hr_load_result res;
		hr_ruleset_load(rs, "t.yaml", m->yaml, &res);
		const struct hr_load_msg *list = m->error ? res.errors : res.warnings;
		uint32_t n = m->error ? res.nerrors : res.nwarnings;
		bool found = false;
		char got[600] = "nothing";
		for (uint32_t k = 0; k < n && !found; k++) {
			const char *code = m->error ? hr_load_error_code(list[k].code) : hr_load_warning_code(list[k].code);
			const struct hr_load_ctx *ctx = &list[k].ctx;
			snprintf(got, sizeof got, "%s [%s] %s", code, ctx->n ? ctx->loc[ctx->n - 1].item_type : "-",
				 list[k].msg);
			found = !strcmp(code, m->code) && loc_of_type(ctx, m->item_type) &&
				(!m->message || !strcmp(list[k].msg, m->message));
		}
		if (!found && n == 0 && (m->error ? res.nwarnings : res.nerrors))
			snprintf(got, sizeof got, "only %s", m->error ? "warnings" : "errors");
		char what[200];
		snprintf(what, sizeof what, "%s from case %zu", m->code, i);
		check(found && res.successful == !m->error, what, got);
		hr_load_result_free(&res);
		hr_ruleset_free(rs);
	}
}

/* Loads `yaml` and checks the text compiled for rule `name`. */
static void expect_condition(const char *yaml, const char *name, const char *want)
{
	struct hr_ruleset *rs = hr_ruleset_new();
	struct hr_load_result res;
	bool ok = hr_ruleset_load(rs, "t.yaml", yaml, &res);
	const char *got = NULL;
	for (uint32_t i = 0; ok && i < hr_ruleset_count(rs); i++)
		if (!strcmp(hr_ruleset_rule(rs, i)->name, name))
			got = hr_ruleset_rule(rs, i)->condition;
	char detail[1200];
	snprintf(detail, sizeof detail, "want [%s] got [%s]%s%s", want, got ? got : "(none)",
		 res.nerrors ? " error: " : "", res.nerrors ? res.errors[0].msg : "");
	check(got && !strcmp(got, want), name, detail);
	hr_load_result_free(&res);
	hr_ruleset_free(rs);
}

#define RULE(cond) "- rule: r\n  desc: d\n  condition: " cond "\n  output: o\n  priority: info\n"

static void test_conditions(void)
{
	/* lists substituted as text (items with blanks quoted), lists inside lists */
	expect_condition("- list: a\n  items: [cat, \"my cmd\"]\n- list: b\n  items: [a, sh]\n" RULE(
				 "evt.type=open and proc.name in (b)"),
			 "r", "evt.type=open and proc.name in ( cat, \"my cmd\", sh )");
	/* empty list: its comma goes too (the blanks around it stay, as in Falco) */
	expect_condition("- list: e\n  items: []\n" RULE("evt.type=open and proc.name in (cat, e)"), "r",
			 "evt.type=open and proc.name in (cat  )");
	/* macros expanded in parentheses, bound to their final definition */
	expect_condition("- macro: m\n  condition: proc.name=cat\n" RULE("evt.type=open and m")
			 "- macro: m\n  condition: proc.name=sh\n",
			 "r", "evt.type=open and (proc.name=sh)");
	/* macro append joins with a space */
	expect_condition("- macro: m\n  condition: proc.name=cat\n- macro: m\n  condition: or proc.name=sh\n"
			 "  override:\n    condition: append\n" RULE("evt.type=open and m"),
			 "r", "evt.type=open and (proc.name=cat or proc.name=sh)");
	/* exceptions: tuples with comps, rows or-ed; scalar field with `in` */
	expect_condition(RULE("evt.type=open") "  exceptions:\n    - name: e1\n      fields: [proc.name, fd.name]\n"
					      "      comps: [=, startswith]\n      values:\n        - [cat, /dev]\n"
					      "        - [sh, \"/my dir\"]\n    - name: e2\n      fields: proc.pname\n"
					      "      values: [bash, zsh]\n",
			 "r",
			 "(evt.type=open) and not (( proc.name = cat and  fd.name startswith /dev) or ( proc.name = sh and "
			 " fd.name startswith \"/my dir\")) and not (proc.pname in (bash, zsh))");
	/* a list operator takes a value as a parenthesized list, or a list of values */
	expect_condition(RULE("evt.type=open") "  exceptions:\n    - name: e\n      fields: [proc.name]\n"
					      "      comps: [in]\n      values:\n        - [[cat, sh]]\n        - [bins]\n",
			 "r", "(evt.type=open) and not (( proc.name in (cat, sh)) or ( proc.name in (bins)))");
	/* appended exception values and rule condition, replaced output */
	expect_condition(RULE("evt.type=open") "  exceptions:\n    - name: e\n      fields: [proc.name]\n"
					      "      values: [[cat]]\n"
					      "- rule: r\n  condition: and fd.num>0\n  exceptions:\n    - name: e\n"
					      "      values: [[sh]]\n  override:\n    condition: append\n    exceptions: append\n",
			 "r", "(evt.type=open and fd.num>0) and not (( proc.name = cat) or ( proc.name = sh))");
}

/* Files loaded one after another: late binding and per-file results. */
static void test_multiple_files(void)
{
	struct hr_ruleset *rs = hr_ruleset_new();
	struct hr_load_result r1, r2;
	bool ok1 = hr_ruleset_load(rs, "a.yaml", RULE("evt.type=open and is_cat"), &r1);
	bool ok2 = hr_ruleset_load(rs, "b.yaml", "- macro: is_cat\n  condition: proc.name=cat\n", &r2);
	check(!ok1 && r1.nerrors == 1 && !strcmp(r1.errors[0].msg, "Undefined macro 'is_cat' used in filter."),
	      "a rule using a macro of a later file fails alone", r1.nerrors ? r1.errors[0].msg : NULL);
	check(ok2 && hr_ruleset_count(rs) == 1 &&
		      !strcmp(hr_ruleset_rule(rs, 0)->condition, "evt.type=open and (proc.name=cat)"),
	      "the later file binds the macro", hr_ruleset_count(rs) ? hr_ruleset_rule(rs, 0)->condition : NULL);
	hr_load_result_free(&r1);
	hr_load_result_free(&r2);
	hr_ruleset_free(rs);
}

static void test_priorities(void)
{
	static const struct {
		const char *text;
		enum hr_priority want;
	} cases[] = {{"EMERGENCY", HR_PRIO_EMERGENCY}, {"alert", HR_PRIO_ALERT},	 {"Critical", HR_PRIO_CRITICAL},
		     {"error", HR_PRIO_ERROR},	       {"WARNING", HR_PRIO_WARNING}, {"notice", HR_PRIO_NOTICE},
		     {"INFO", HR_PRIO_INFORMATIONAL}, {"informational", HR_PRIO_INFORMATIONAL}, {"debug", HR_PRIO_DEBUG}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum hr_priority p;
		check(hr_priority_parse(cases[i].text, &p) && p == cases[i].want, cases[i].text, NULL);
	}
	enum hr_priority p;
	check(!hr_priority_parse("warn", &p), "'warn' is not a priority", NULL);
	check(!strcmp(hr_priority_name(HR_PRIO_INFORMATIONAL, false), "Informational") &&
		      !strcmp(hr_priority_name(HR_PRIO_INFORMATIONAL, true), "Info"),
	      "Informational, short Info", NULL);
}

/* An event of `type` with `n` parameters (bytes and lengths as given). */
static void make_event(struct hr_event *e, uint16_t type, int64_t tid, unsigned n, const void *const *p,
		       const uint32_t *len)
{
	memset(e, 0, sizeof *e);
	e->type = type;
	e->tid = tid;
	e->nparams = e->nparams_indexed = n;
	for (unsigned i = 0; i < n; i++) {
		e->param[i] = p[i];
		e->param_len[i] = len[i];
	}
}

static bool param_is(const struct hr_event *e, unsigned i, const void *want, uint32_t len)
{
	return i < e->nparams_indexed && e->param_len[i] == len && (!len || !memcmp(e->param[i], want, len));
}

enum { READ_E = 6, READ_X = 7, OPENAT_E = 102, OPENAT_X = 103, OPENAT_2_X = 307, OPEN_E = 2, CLOSE_X = 5 };

static void test_event_merge(void)
{
	struct hr_event_merge *m = hr_event_merge_new();
	struct hr_state *st = hr_state_new();
	struct hr_event e;
	int64_t fd = 3, res = 5, dirfd = -100;
	uint32_t size = 100, flags = 1, mode = 0;
	/* read: the enter is kept, its fd and size appended to the exit */
	const void *pe[] = {&fd, &size};
	const uint32_t le[] = {8, 4};
	make_event(&e, READ_E, 7, 2, pe, le);
	check(!hr_event_merge(m, st, &e), "a read enter is not delivered", NULL);
	const void *px[] = {&res, "hello"};
	const uint32_t lx[] = {8, 5};
	make_event(&e, READ_X, 7, 2, px, lx);
	const struct hr_event *x = hr_event_merge(m, st, &e);
	check(x && x->type == READ_X && x->nparams == 4 && param_is(x, 0, &res, 8) && param_is(x, 1, "hello", 5) &&
		      param_is(x, 2, &fd, 8) && param_is(x, 3, &size, 4) && x->newest_layout && x->num == 1,
	      "the read exit carries the enter's fd and size", NULL);
	/* an old openat exit (1 parameter) becomes the newest id with the
	 * enter's dirfd, name, flags and mode, dev and ino empty */
	const void *po[] = {&dirfd, "/etc/passwd", &flags, &mode};
	const uint32_t lo[] = {8, 12, 4, 4};
	make_event(&e, OPENAT_E, 7, 4, po, lo);
	check(!hr_event_merge(m, st, &e), "an openat enter is not delivered", NULL);
	const void *pox[] = {&fd};
	const uint32_t lox[] = {8};
	make_event(&e, OPENAT_X, 7, 1, pox, lox);
	x = hr_event_merge(m, st, &e);
	check(x && x->type == OPENAT_2_X && x->nparams == 7 && param_is(x, 0, &fd, 8) && param_is(x, 1, &dirfd, 8) &&
		      param_is(x, 2, "/etc/passwd", 12) && param_is(x, 5, NULL, 0) && param_is(x, 6, NULL, 0),
	      "an old openat pair becomes one openat exit of the newest layout", x ? hr_event_table[x->type].enum_name : NULL);
	/* an exit whose enter was never seen: the enter's parameters are
	 * the type's defaults (an fd of 0 for close), as the converter does */
	make_event(&e, CLOSE_X, 8, 1, pox, lox);
	x = hr_event_merge(m, st, &e);
	int64_t zero = 0;
	check(x && x->nparams == 2 && param_is(x, 1, &zero, 8), "a close exit without enter gets a default fd", NULL);
	/* an open enter goes through the converter and is filtered after it,
	 * so it counts in evt.num without being delivered */
	const void *pn[] = {"/tmp/x", &flags, &mode};
	const uint32_t ln[] = {7, 4, 4};
	make_event(&e, OPEN_E, 9, 3, pn, ln);
	check(!hr_event_merge(m, st, &e) && hr_event_merge_count(m) == 4, "an open enter is counted, not delivered",
	      NULL);
	hr_state_free(st);
	hr_event_merge_free(m);
}

enum { GENERIC_X = 1 };

static uint16_t syscall_code(const char *name)
{
	for (uint16_t i = 0; i < HR_SYSCALL_MAX; i++)
		if (hr_syscall_names[i].name && !strcmp(hr_syscall_names[i].name, name))
			return i;
	return 0;
}

/* Every rule matching `e`, in the order the engine reports them
 * (rule_matching: all), as a string of rule indexes ("0 2 4"). */
static const char *all_matches(struct hr_rule_engine *en, struct hr_field_ctx *ctx, const struct hr_event *e)
{
	static char out[64];
	out[0] = 0;
	uint32_t from = 0;
	for (int32_t r; (r = hr_rule_engine_match(en, ctx, e, from, &from)) >= 0;)
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%d", out[0] ? " " : "", r);
	return out;
}

#define NAMED_RULE(name, cond) "- rule: " name "\n  desc: d\n  condition: " cond "\n  output: o\n  priority: info\n"

/* A ruleset loaded from `yaml` and an engine over it, with a state. */
struct engine_fixture {
	struct hr_ruleset *rs;
	struct hr_load_result res;
	struct hr_state *st;
	struct hr_field_ctx ctx;
	struct hr_rule_engine en;
};

static void engine_open(struct engine_fixture *fx, const char *file, const char *yaml, uint32_t nrules,
			const char *what)
{
	fx->rs = hr_ruleset_new();
	bool ok = hr_ruleset_load(fx->rs, file, yaml, &fx->res);
	check(ok && hr_ruleset_count(fx->rs) == nrules, what, fx->res.nerrors ? fx->res.errors[0].msg : NULL);
	fx->st = hr_state_new();
	hr_field_ctx_init(&fx->ctx, fx->st);
	struct hr_rule_selection sel = {.min_priority = HR_PRIO_DEBUG};
	hr_rule_engine_init(&fx->en, fx->rs, &sel);
}

static void engine_close(struct engine_fixture *fx)
{
	hr_rule_engine_free(&fx->en);
	hr_load_result_free(&fx->res);
	hr_state_free(fx->st);
	hr_ruleset_free(fx->rs);
}

static void test_engine_dispatch(void)
{
	struct engine_fixture fx;
	engine_open(&fx, "d.yaml",
		    NAMED_RULE("r0", "evt.type = mprotect and evt.num = 5")
		    NAMED_RULE("r1", "evt.type = brk and evt.num = 5")
		    NAMED_RULE("r2", "not evt.type = arch_prctl and evt.num in (5, 6)")
		    NAMED_RULE("r3", "evt.type = mprotect and evt.num = 7")
		    NAMED_RULE("r4", "evt.type = mprotect"),
		    5, "the dispatch rules load");
	struct hr_rule_engine *en = &fx.en;
	struct hr_field_ctx *ctx = &fx.ctx;
	uint16_t mprotect = syscall_code("mprotect"), arch_prctl = syscall_code("arch_prctl");
	check(mprotect && arch_prctl, "mprotect and arch_prctl have syscall codes", NULL);
	struct hr_event e;
	const void *p[] = {&mprotect, &mprotect};
	const uint32_t len[] = {2, 2};
	make_event(&e, GENERIC_X, 7, 2, p, len);
	e.num = 5;
	check_str("a generic mprotect, evt.num 5", all_matches(en, ctx, &e), "0 2 4");
	/* the candidates were the rules the syscall and the guards leave:
	 * rule 1 (brk) and rule 3 (evt.num 7) were never visited */
	check(en->ncandidates == 3 && en->candidates[0] == 0 && en->candidates[1] == 2 && en->candidates[2] == 4,
	      "the candidates of the generic mprotect are rules 0, 2 and 4", NULL);
	e.num = 7;
	check_str("a generic mprotect, evt.num 7", all_matches(en, ctx, &e), "3 4");
	uint32_t first = 99;
	check_int("the first match only", hr_rule_engine_match(en, ctx, &e, 0, &first), 3);
	p[0] = &arch_prctl;
	make_event(&e, GENERIC_X, 7, 2, p, len);
	e.num = 5;
	check_str("a generic arch_prctl matches none", all_matches(en, ctx, &e), "");
	/* a generic event without its code is named <unknown> */
	make_event(&e, GENERIC_X, 7, 0, NULL, NULL);
	e.num = 6;
	check_str("a generic event without a code", all_matches(en, ctx, &e), "2");
	make_event(&e, READ_X, 7, 0, NULL, NULL);
	e.num = 6;
	check_str("a read, evt.num 6", all_matches(en, ctx, &e), "2");
	engine_close(&fx);
}

/* Guards avoid constants many rules share: rules alike but for one
 * constant (copies of a rule) are guarded by the one that differs, so an
 * event with the shared value makes none of them a candidate. */
static void test_engine_guards(void)
{
	struct engine_fixture fx;
	engine_open(&fx, "g.yaml",
		    NAMED_RULE("g0", "evt.type = mprotect and evt.cpu = 1 and evt.num = 10")
		    NAMED_RULE("g1", "evt.type = mprotect and evt.cpu = 1 and evt.num = 11")
		    NAMED_RULE("g2", "evt.type = mprotect and evt.cpu = 1 and evt.num = 12")
		    /* evt.cpu now has more constants than evt.num */
		    NAMED_RULE("g3", "evt.type = brk and evt.cpu in (2, 3, 4, 5, 6, 7)"),
		    4, "the guard rules load");
	struct hr_rule_engine *en = &fx.en;
	struct hr_field_ctx *ctx = &fx.ctx;
	uint16_t mprotect = syscall_code("mprotect");
	const void *p[] = {&mprotect, &mprotect};
	const uint32_t len[] = {2, 2};
	struct hr_event e;
	make_event(&e, GENERIC_X, 7, 2, p, len);
	e.cpu = 1;
	e.num = 5;
	check_str("the shared constant alone matches no rule", all_matches(en, ctx, &e), "");
	check_int("and makes no rule a candidate", en->ncandidates, 0);
	e.num = 11;
	check_str("the distinct constant picks its rule", all_matches(en, ctx, &e), "1");
	check_int("as the only candidate", en->ncandidates, 1);
	e.cpu = 2;
	check_str("whose other checks still count", all_matches(en, ctx, &e), "");
	engine_close(&fx);
}

void unit_rules(unsigned *passed, unsigned *failed)
{
	test_messages();
	test_conditions();
	test_multiple_files();
	test_priorities();
	test_event_merge();
	test_engine_dispatch();
	test_engine_guards();
	*passed += n_passed;
	*failed += n_failed;
}
