/*
 * harrier: the Falco-compatible detector's command line. Validates rules
 * files as `falco -V` does (load results as text or as Falco's JSON),
 * lists rules, fields and events, and runs the rules live (the default,
 * Falco's modern_ebpf engine) or on a capture (-e, engine.kind=replay)
 * through src/app's detector, with Falco's -c/-o configuration.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "app/config.h"
#include "app/detector.h"
#include "app/live_detector.h"
#include "capture/scap_reader.h"
#include "format/json_output.h"
#include "fields/fields.h"
#include "rules/alert_output.h"
#include "rules/load_results.h"
#include "rules/rule_engine.h"
#include "rules/rules_describe.h"
#include "rules/rules_loader.h"
#include "rules/rules_yaml.h"
#include "state/state.h"

#define MAX_ARGS 256
#define HARRIER_VERSION "0.1.0"

struct options {
	const char *validate[MAX_ARGS];
	unsigned nvalidate;
	const char *rules[MAX_ARGS];    /* -r: files or directories */
	unsigned nrules;
	const char *capture;            /* -e */
	const char *disable_substr[MAX_ARGS]; /* -D */
	unsigned ndisable_substr;
	const char *disable_tags[MAX_ARGS];   /* -T */
	unsigned ndisable_tags;
	const char *enable_tags[MAX_ARGS];    /* -t */
	unsigned nenable_tags;
	bool verbose;                   /* -v */
	bool list_rules;                /* -L */
	const char *describe_rule;      /* -l RULE */
	bool names_only;                /* -N: with --list, field names only */
	bool list_fields;               /* --list */
	const char *list_source;        /* --list SOURCE or --list=SOURCE, NULL for all */
	bool list_events;               /* --list-events */
	bool dry_run;                   /* --dry-run */
	bool support;                   /* --support */
	bool unbuffered;                /* -U */
	double max_seconds;             /* -M: stop after this many seconds (0: no limit) */
	const char *config_path;
	const char *overrides[MAX_ARGS];
	unsigned noverrides;
};

static const char usage_text[] =
	"Usage: harrier [-c CONFIG] [-o KEY=VALUE]... -V RULES [-V RULES]...\n"
	"       harrier [-c CONFIG] [-o KEY=VALUE]... [-r RULES]... [-M SECS]           (live, as root)\n"
	"       harrier [-c CONFIG] [-o KEY=VALUE]... [-r RULES]... -e CAPTURE\n"
	"\n"
	"Falco-compatible runtime security monitor. Without -e (or engine.kind=replay)\n"
	"it watches this machine live with its eBPF probe until SIGINT/SIGTERM or -M.\n"
	"Exit codes: 0 done, 1 error or drop exit action, 3 not root, 4 no BTF,\n"
	"5 BPF refused by the kernel or verifier, 6 rings not mapped, 7 other start failure.\n"
	"\n"
	"  -c CONFIG             read the configuration (Falco's falco.yaml keys)\n"
	"  -o, --option K=V      set a configuration key (dotted, as in falco.yaml)\n"
	"  -V, --validate RULES  load and check a rules file, print the load results\n"
	"                        (as Falco's JSON with -o json_output=true); exit 1 on errors\n"
	"  -r RULES              load rules from a file or directory (repeatable)\n"
	"  -e CAPTURE            replay a capture file through the rules\n"
	"  -A                    all events (no effect when replaying a file)\n"
	"  -D SUBSTR             disable rules whose name contains SUBSTR\n"
	"  -T TAG                disable rules with tag TAG\n"
	"  -t TAG                enable only rules with tag TAG\n"
	"  -v                    verbose: end-of-run statistics on stderr\n"
	"  -L                    list the loaded rules with their descriptions\n"
	"  -l RULE               describe one loaded rule\n"
	"  --list [SOURCE]       list the supported fields (--list=syscall: its fields)\n"
	"  -N                    with --list, print the field names only\n"
	"  --list-events         list the event types\n"
	"  -M SECS               stop after SECS seconds (live: wall time)\n"
	"  -U                    unbuffered output\n"
	"  --dry-run             load configuration and rules, then exit\n"
	"  --version             print the version\n"
	"  --support             print version, system, configuration and rules files as JSON\n"
	"  -h, --help            print this help\n";

static int validate(const struct options *o, const struct hr_config *c)
{
	bool json = hr_config_bool(c, "json_output", false);
	char *contents[MAX_ARGS];
	for (unsigned i = 0; i < o->nvalidate; i++) {
		contents[i] = hr_read_text_file(o->validate[i]);
		if (!contents[i]) {
			fprintf(stderr, "Error: Could not open file %s for reading\n", o->validate[i]);
			return 1;
		}
	}
	hr_config_log(c, LOG_INFO, "Validating rules file(s):\n");
	for (unsigned i = 0; i < o->nvalidate; i++)
		hr_config_log(c, LOG_INFO, "   %s\n", o->validate[i]);
	struct hr_ruleset *rs = hr_ruleset_new();
	struct hr_strbuf out = {0}, summary = {0};
	bool ok = true;
	hr_sb_puts(&out, "{\"falco_load_results\":[");
	for (unsigned i = 0; i < o->nvalidate; i++) {
		struct hr_load_result res;
		ok &= hr_ruleset_load(rs, o->validate[i], contents[i], &res);
		if (i)
			hr_sb_putc(&out, ',');
		hr_load_result_json(&res, &out);
		if (summary.len)
			hr_sb_putc(&summary, '\n');
		if (!res.successful || !res.nwarnings) {
			hr_load_result_text(&res, true, &summary);
		} else {
			hr_sb_printf(&summary, "%s: Ok, with warnings", o->validate[i]);
			struct hr_strbuf w = {0};
			hr_load_result_text(&res, true, &w);
			if (hr_config_bool(c, "log_stderr", true))
				fprintf(stderr, "%s\n", hr_sb_str(&w));
			hr_sb_free(&w);
		}
		hr_load_result_free(&res);
	}
	hr_sb_puts(&out, "]}");
	printf("%s\n", json ? hr_sb_str(&out) : hr_sb_str(&summary));
	if (!ok)
		fprintf(stderr, "Error: %s\n", hr_sb_str(&summary));
	hr_sb_free(&out);
	hr_sb_free(&summary);
	hr_ruleset_free(rs);
	for (unsigned i = 0; i < o->nvalidate; i++)
		free(contents[i]);
	return ok ? 0 : 1;
}

/* The rules files of a -r argument: the file, or a directory's files in
 * name order. */
static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static char *copy_name(const char *name)
{
	char *copy = strdup(name);
	if (!copy)
		abort();
	return copy;
}

/* Falco reads only files named *.yaml or *.yml, whether given or found in
 * a rules directory; it skips the others without a word. */
static bool is_yaml_name(const char *path)
{
	size_t n = strlen(path);
	return (n >= 5 && !strcmp(path + n - 5, ".yaml")) || (n >= 4 && !strcmp(path + n - 4, ".yml"));
}

/* The rules files a -r path stands for, as Falco lists them: a
 * directory's regular files (hidden ones too) sorted by name, or the path
 * itself; YAML names only. Appends malloc'd names to `out`; false with a
 * message when a directory cannot be read. */
static bool expand_rules_path(const char *path, char **out, unsigned max, unsigned *n)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		if (is_yaml_name(path) && *n < max)
			out[(*n)++] = copy_name(path);
		return true;
	}
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "Error: Could not open directory %s\n", path);
		return false;
	}
	unsigned first = *n;
	for (struct dirent *de; (de = readdir(d)) && *n < max;) {
		char full[4096];
		snprintf(full, sizeof full, "%s/%s", path, de->d_name);
		if (is_yaml_name(full) && stat(full, &st) == 0 && S_ISREG(st.st_mode))
			out[(*n)++] = copy_name(full);
	}
	closedir(d);
	qsort(out + first, *n - first, sizeof out[0], cmp_names);
	return true;
}

static void free_names(char **names, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		free(names[i]);
}

static bool load_rules_file(struct hr_ruleset *rs, const struct hr_config *c, const char *path)
{
	char *text = hr_read_text_file(path);
	if (!text) {
		fprintf(stderr, "Error: Could not open file %s for reading\n", path);
		return false;
	}
	hr_config_log(c, LOG_INFO, "Loading rules from file %s\n", path);
	struct hr_load_result res;
	bool ok = hr_ruleset_load(rs, path, text, &res);
	if (!ok || res.nwarnings) {
		struct hr_strbuf msg = {0};
		hr_load_result_text(&res, true, &msg);
		fprintf(stderr, "%s%s\n", ok ? "" : "Error: ", hr_sb_str(&msg));
		hr_sb_free(&msg);
	}
	hr_load_result_free(&res);
	free(text);
	return ok;
}

static bool load_rules_path(struct hr_ruleset *rs, const struct hr_config *c, const char *path)
{
	char *names[1024];
	unsigned n = 0;
	bool ok = expand_rules_path(path, names, 1024, &n);
	for (unsigned i = 0; i < n; i++)
		ok = ok && load_rules_file(rs, c, names[i]);
	free_names(names, n);
	return ok;
}

/* Falco's -L table: name in 50 columns, the description wrapped at 110
 * characters with a 51-column indent. */
static void print_rule_row(const struct hr_rule *r)
{
	struct hr_strbuf d = {0};
	hr_sb_wrap_words(&d, r->desc, 0, 110 - 51, 51);
	printf("%-50s %s\n\n", r->name, hr_sb_str(&d));
	hr_sb_free(&d);
}

static int list_rules(const struct options *o, const struct hr_config *c, struct hr_ruleset *rs)
{
	bool found = false;
	for (uint32_t i = 0; !found && o->describe_rule && i < hr_ruleset_count(rs); i++)
		found = !strcmp(hr_ruleset_rule(rs, i)->name, o->describe_rule);
	if (o->describe_rule && !found) {
		/* Falco's fatal runtime error: on stderr even with log_stderr off */
		if (hr_config_bool(c, "log_stderr", true))
			hr_config_log(c, LOG_ERR, "Runtime error: Rule \"%s\" is not loaded. Exiting.\n", o->describe_rule);
		else
			fprintf(stderr, "Runtime error: Rule \"%s\" is not loaded. Exiting.\n", o->describe_rule);
		return 1;
	}
	if (hr_config_bool(c, "json_output", false)) {
		struct hr_strbuf out = {0};
		hr_rules_describe_json(rs, o->describe_rule, &out);
		printf("%s\n", hr_sb_str(&out));
		hr_sb_free(&out);
		return 0;
	}
	printf("%-50s %s\n", "Rule", "Description");
	printf("%-50s %s\n", "----", "-----------");
	for (uint32_t i = 0; i < hr_ruleset_count(rs); i++) {
		const struct hr_rule *r = hr_ruleset_rule(rs, i);
		if (!o->describe_rule || !strcmp(r->name, o->describe_rule))
			print_rule_row(r);
	}
	return 0;
}

/* Falco's field listing words: `text` wrapped so that a line holds at
 * most 90 columns of it (each word followed by a space), continuation
 * lines indented by 30 columns. */
static void print_wrapped(const char *text)
{
	struct hr_strbuf out = {0};
	hr_sb_wrap_words(&out, text, 0, 120 - 30, 30);
	fputs(hr_sb_str(&out), stdout);
	hr_sb_free(&out);
}

/* --list as Falco prints it (libsinsp's filter_fieldclass_info::as_string
 * layout: a rule, the class, its description and event source, then each
 * field in a 30-column name block); with -N the field names alone. */
static void list_fields(bool names_only)
{
	for (unsigned c = 0; c < hr_field_class_count; c++) {
		const struct hr_field_class *fc = &hr_field_classes[c];
		if (!names_only) {
			printf("-------------------------------\n%-30s%s", "Field Class:", fc->name);
			if (fc->shortdesc)
				printf(" (%s)", fc->shortdesc);
			printf("\n");
			if (fc->desc && *fc->desc) {
				printf("%-30s", "Description:");
				print_wrapped(fc->desc);
				printf("\n");
			}
			printf("%-30s%s \n\n", "Event Sources:", "syscall");
		}
		for (const struct hr_field_def *d = fc->defs; d->name; d++) {
			if (d->flags & HR_FF_UNSUPPORTED)
				continue;
			if (names_only) {
				printf("%s\n", d->name);
				continue;
			}
			if (strlen(d->name) > 30)
				printf("%s\n%-30s", d->name, " ");
			else
				printf("%-30s", d->name);
			print_wrapped(d->desc ? d->desc : "");
			printf("\n");
		}
		if (!names_only)
			printf("\n");
	}
}

/* The parameter type names of libsinsp's param_type_to_string; the types
 * it does not name print "<NA>". */
static const char *param_type_name(uint8_t t)
{
	static const char *const names[HR_PT_MAX] = {
		[HR_PT_NONE] = "NONE", [HR_PT_INT8] = "INT8", [HR_PT_INT16] = "INT16", [HR_PT_INT32] = "INT32",
		[HR_PT_INT64] = "INT64", [HR_PT_UINT8] = "UINT8", [HR_PT_UINT16] = "UINT16", [HR_PT_UINT32] = "UINT32",
		[HR_PT_UINT64] = "UINT64", [HR_PT_CHARBUF] = "CHARBUF", [HR_PT_BYTEBUF] = "BYTEBUF",
		[HR_PT_ERRNO] = "ERRNO", [HR_PT_SOCKADDR] = "SOCKADDR", [HR_PT_SOCKTUPLE] = "SOCKTUPLE",
		[HR_PT_FD] = "FD", [HR_PT_PID] = "PID", [HR_PT_FDLIST] = "FDLIST", [HR_PT_FSPATH] = "FSPATH",
		[HR_PT_SYSCALLID] = "SYSCALLID", [HR_PT_SIGTYPE] = "SIGTYPE", [HR_PT_RELTIME] = "RELTIME",
		[HR_PT_ABSTIME] = "ABSTIME", [HR_PT_PORT] = "PORT", [HR_PT_L4PROTO] = "L4PROTO",
		[HR_PT_SOCKFAMILY] = "SOCKFAMILY", [HR_PT_BOOL] = "BOOL", [HR_PT_IPV4ADDR] = "IPV4ADDR",
		[HR_PT_IPADDR] = "IPADDR", [HR_PT_IPNET] = "IPNET", [HR_PT_DYN] = "DYNAMIC",
		[HR_PT_FLAGS8] = "FLAGS8", [HR_PT_FLAGS16] = "FLAGS16", [HR_PT_FLAGS32] = "FLAGS32",
		[HR_PT_ENUMFLAGS8] = "ENUMFLAGS8", [HR_PT_ENUMFLAGS16] = "ENUMFLAGS16",
		[HR_PT_ENUMFLAGS32] = "ENUMFLAGS32", [HR_PT_MODE] = "MODE", [HR_PT_UID] = "UID", [HR_PT_GID] = "GID",
		[HR_PT_SIGSET] = "SIGSET", [HR_PT_IPV4NET] = "IPV4NET", [HR_PT_DOUBLE] = "DOUBLE",
		[HR_PT_CHARBUFARRAY] = "CHARBUFARRAY", [HR_PT_CHARBUF_PAIR_ARRAY] = "CHARBUF_PAIR_ARRAY",
		[HR_PT_FSRELPATH] = "FSRELPATH",
	};
	return t < HR_PT_MAX && names[t] ? names[t] : "<NA>";
}

/* One --list-events line: direction, name, and each parameter as
 * `TYPE **name**`, a flags parameter followed by its flag names. */
static void print_event_line(const struct hr_event_info *e, const char *name)
{
	printf("%c %s(", e->is_enter ? '>' : '<', name);
	for (unsigned k = 0; k < e->nparams; k++) {
		const struct hr_param_info *p = &e->params[k];
		printf("%s%s **%s**", k ? ", " : "", param_type_name(p->type), p->name);
		bool is_flags = (p->type >= HR_PT_FLAGS8 && p->type <= HR_PT_FLAGS32) ||
				(p->type >= HR_PT_ENUMFLAGS8 && p->type <= HR_PT_ENUMFLAGS32);
		if (!is_flags || p->info_kind != HR_INFO_FLAGS)
			continue;
		const struct hr_flag_table *ft = &hr_flag_tables[p->info];
		printf(": ");
		for (unsigned i = 0; i < ft->count; i++)
			printf("%s%s", i ? ", " : "", ft->entries[i].name);
	}
	printf(")\n");
}

/* The events of one category (Falco's events_by_category): all but the
 * generic, old-version, unused and unknown ones, in id order; the
 * syscall category then lists each generic syscall's enter and exit. */
static void list_event_category(const char *title, uint32_t category)
{
	printf("## %s\n\n", title);
	for (unsigned t = 2; t < HR_EVENT_MAX; t++) {
		const struct hr_event_info *e = &hr_event_table[t];
		if (!e->category || (e->flags & (HR_EF_OLD_VERSION | HR_EF_UNUSED)))
			continue;
		uint32_t c = e->category;
		/* the first matching category wins, in Falco's order */
		uint32_t first = (c & HR_EC_SYSCALL)	  ? HR_EC_SYSCALL
				 : (c & HR_EC_TRACEPOINT) ? HR_EC_TRACEPOINT
				 : (c & HR_EC_PLUGIN)	  ? HR_EC_PLUGIN
							  : (c & HR_EC_METAEVENT);
		if (first == category)
			print_event_line(e, e->name);
	}
	for (unsigned sc = 0; category == HR_EC_SYSCALL && sc < HR_SYSCALL_MAX; sc++) {
		const char *name = hr_syscall_names[sc].name;
		if (name && hr_is_generic_syscall(name)) {
			print_event_line(&hr_event_table[0], name);
			print_event_line(&hr_event_table[1], name);
		}
	}
	printf("\n");
}

/* --list-events as Falco's text formatter prints it; the schema version
 * is the minimum driver schema an offline inspector reports. */
static void list_events(void)
{
	printf("The events below are valid for Falco *Schema Version*: %s\n", "4.3.0");
	list_event_category("Syscall events", HR_EC_SYSCALL);
	list_event_category("Tracepoint events", HR_EC_TRACEPOINT);
	list_event_category("Plugin events", HR_EC_PLUGIN);
	list_event_category("Metaevents", HR_EC_METAEVENT);
}

/* --support: what a bug report needs, as one JSON document with Falco's
 * keys: version, engine_info (engine_version is the minor number, as
 * Falco gives it to falcoctl, engine_version_semver the whole),
 * system_info, cmdline (the arguments joined by spaces), config, and the
 * rules files loaded (directories expanded) with their content. */
static int print_support(const struct hr_config *c, int argc, char **argv, const char *const *rules, unsigned nrules)
{
	struct hr_strbuf out = {0};
	struct utsname un;
	uname(&un);
	hr_sb_printf(&out,
		     "{\"version\":\"%s\",\"engine_info\":{\"engine_version\":\"%d\","
		     "\"engine_version_semver\":\"%d.%d.%d\"},\"system_info\":{",
		     HARRIER_VERSION, HR_ENGINE_VERSION_MINOR, HR_ENGINE_VERSION_MAJOR,
		     HR_ENGINE_VERSION_MINOR, HR_ENGINE_VERSION_PATCH);
	const char *parts[][2] = {{"sysname", un.sysname}, {"nodename", un.nodename}, {"release", un.release},
				  {"version", un.version}, {"machine", un.machine}};
	for (unsigned i = 0; i < 5; i++) {
		hr_sb_printf(&out, "%s\"%s\":", i ? "," : "", parts[i][0]);
		hr_json_append_string(&out, parts[i][1]);
	}
	struct hr_strbuf cmdline = {0};
	for (int i = 0; i < argc; i++)
		hr_sb_printf(&cmdline, "%s%s", i ? " " : "", argv[i]);
	hr_sb_puts(&out, "},\"cmdline\":");
	hr_json_append_string(&out, hr_sb_str(&cmdline));
	hr_sb_free(&cmdline);
	hr_sb_puts(&out, ",\"cmdline_config\":{");
	for (unsigned i = 0; i < c->n; i++) {
		hr_sb_puts(&out, i ? "," : "");
		hr_json_append_string(&out, c->keys[i]);
		hr_sb_putc(&out, ':');
		hr_json_append_string(&out, c->values[i]);
	}
	hr_sb_puts(&out, "},\"config\":");
	char *text = c->path ? hr_read_text_file(c->path) : NULL;
	hr_json_append_string(&out, text ? text : "");
	free(text);
	hr_sb_puts(&out, ",\"rules_files\":[");
	char *names[1024];
	unsigned n = 0;
	for (unsigned i = 0; i < nrules; i++)
		expand_rules_path(rules[i], names, 1024, &n);
	for (unsigned i = 0; i < n; i++) {
		text = hr_read_text_file(names[i]);
		hr_sb_puts(&out, i ? ",{\"name\":" : "{\"name\":");
		hr_json_append_string(&out, names[i]);
		hr_sb_puts(&out, ",\"variants\":[{\"content\":");
		hr_json_append_string(&out, text ? text : "");
		hr_sb_puts(&out, "}]}");
		free(text);
	}
	free_names(names, n);
	hr_sb_puts(&out, "]}");
	printf("%s\n", hr_sb_str(&out));
	hr_sb_free(&out);
	return 0;
}

/* Falco's `rules:` list: rules[N].enable/disable with .rule or .tag. */
static bool read_rule_toggles(const struct hr_config *c, struct hr_rule_toggle *toggles, unsigned max, unsigned *n)
{
	*n = 0;
	for (unsigned i = 0; i < c->n && *n < max; i++) {
		char action[16], what[8];
		unsigned idx;
		int used = 0;
		if (sscanf(c->keys[i], "rules.%u.%15[a-z].%7[a-z]%n", &idx, action, what, &used) != 3 ||
		    c->keys[i][used] || !hr_config_first_of_key(c, i))
			continue;
		if ((strcmp(action, "enable") && strcmp(action, "disable")) || (strcmp(what, "rule") && strcmp(what, "tag"))) {
			fprintf(stderr, "Error: unknown rules selection %s\n", c->keys[i]);
			return false;
		}
		toggles[(*n)++] = (struct hr_rule_toggle){
			.enable = action[0] == 'e', .by_tag = what[0] == 't', .pattern = hr_config_get(c, c->keys[i])};
	}
	return true;
}

/* Which engine runs: a capture (-e, engine.kind=replay, or a capture file
 * configured without a kind) or the live probe (Falco's modern_ebpf, the
 * default). NULL with a message for a kind Harrier does not have. */
static const char *engine_kind(const struct options *o, const struct hr_config *c)
{
	const char *kind = hr_config_get(c, "engine.kind");
	if (o->capture || (!kind && hr_config_get(c, "engine.replay.capture_file")))
		return "replay";
	if (!kind || !strcmp(kind, "modern_ebpf") || !strcmp(kind, "replay"))
		return kind ? kind : "modern_ebpf";
	fprintf(stderr, "Error reading config file (%s): engine.kind '%s' is not a valid kind for Harrier (modern_ebpf or replay)\n",
		c->path ? c->path : "command line", kind);
	return NULL;
}

/* Loads the rules, then replays the capture or runs live. */
static int run(const struct options *o, const struct hr_config *c)
{
	const char *kind = engine_kind(o, c);
	if (!kind)
		return 1;
	if (!o->nrules && !o->list_rules && !o->describe_rule) {
		fprintf(stderr, "Error: You must specify at least one rules file/directory via -r or a rules_file entry "
				"in the configuration%s\n", c->path ? "" : " (no configuration file was found: give -c CONFIG)");
		return 1;
	}
	struct hr_ruleset *rs = hr_ruleset_new();
	for (unsigned i = 0; i < o->nrules; i++) {
		if (!load_rules_path(rs, c, o->rules[i])) {
			hr_ruleset_free(rs);
			return 1;
		}
	}
	if (o->list_rules || o->describe_rule || o->dry_run) {
		int lrc = o->dry_run ? 0 : list_rules(o, c, rs);
		hr_ruleset_free(rs);
		return lrc;
	}
	struct hr_rule_toggle toggles[64];
	struct hr_rule_selection sel = {
		.min_priority = HR_PRIO_DEBUG,
		.disable_substr = o->disable_substr,
		.ndisable_substr = o->ndisable_substr,
		.disable_tags = o->disable_tags,
		.ndisable_tags = o->ndisable_tags,
		.enable_tags = o->enable_tags,
		.nenable_tags = o->nenable_tags,
		.toggles = toggles,
	};
	const char *prio = hr_config_get(c, "priority");
	if (!read_rule_toggles(c, toggles, 64, &sel.ntoggles) || (prio && !hr_priority_parse(prio, &sel.min_priority))) {
		if (prio && !hr_priority_parse(prio, &sel.min_priority))
			fprintf(stderr, "Error: Unknown priority value: %s\n", prio);
		hr_ruleset_free(rs);
		return 1;
	}
	static struct hr_detector d;
	char err[512];
	if (!hr_detector_init(&d, c, rs, &sel, err, sizeof err)) {
		fprintf(stderr, "Error: %s\n", err);
		hr_ruleset_free(rs);
		return 1;
	}
	int rc = 1;
	struct hr_source *src = NULL;
	const char *name = "live capture";
	if (!strcmp(kind, "replay")) {
		name = o->capture ? o->capture : hr_config_get(c, "engine.replay.capture_file");
		struct hr_reader *rd = name ? hr_reader_open(name, err, sizeof err) : NULL;
		if (rd)
			src = hr_source_from_reader(rd);
		else
			fprintf(stderr, "Error: %s: %s\n", name ? name : "engine.replay.capture_file",
				name ? err : "no capture file configured");
	} else {
		src = hr_live_detector_open(&d, c, o->max_seconds, &rc);
	}
	if (src)
		rc = hr_detector_run(&d, src, name, o->max_seconds, o->verbose);
	hr_source_close(src);
	hr_detector_free(&d);
	hr_ruleset_free(rs);
	return rc;
}

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "harrier: %s%s\n%s", msg, arg ? arg : "", usage_text);
	return 1;
}

int main(int argc, char **argv)
{
	struct options o = {0};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has_value = i + 1 < argc;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_text, stdout);
			return 0;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--validate")) {
			if (!has_value || o.nvalidate == MAX_ARGS)
				return usage_error("-V needs a rules file", NULL);
			o.validate[o.nvalidate++] = argv[++i];
		} else if (!strncmp(a, "--validate=", 11)) {
			if (o.nvalidate == MAX_ARGS)
				return usage_error("too many ", "--validate");
			o.validate[o.nvalidate++] = a + 11;
		} else if (!strcmp(a, "-r")) {
			if (!has_value || o.nrules == MAX_ARGS)
				return usage_error("-r needs a rules file or directory", NULL);
			o.rules[o.nrules++] = argv[++i];
		} else if (!strcmp(a, "-e")) {
			if (!has_value)
				return usage_error("-e needs a capture file", NULL);
			o.capture = argv[++i];
		} else if (!strcmp(a, "-D") || !strcmp(a, "-T") || !strcmp(a, "-t")) {
			if (!has_value)
				return usage_error("a value is needed after ", a);
			const char **list = a[1] == 'D' ? o.disable_substr : a[1] == 'T' ? o.disable_tags : o.enable_tags;
			unsigned *n = a[1] == 'D' ? &o.ndisable_substr : a[1] == 'T' ? &o.ndisable_tags : &o.nenable_tags;
			if (*n == MAX_ARGS)
				return usage_error("too many ", a);
			list[(*n)++] = argv[++i];
		} else if (!strcmp(a, "-L")) {
			o.list_rules = true;
		} else if (!strcmp(a, "-l")) {
			if (!has_value)
				return usage_error("-l needs a rule name", NULL);
			o.describe_rule = argv[++i];
		} else if (!strcmp(a, "-N")) {
			o.names_only = true;
		} else if (!strcmp(a, "--list")) {
			o.list_fields = true;
			if (has_value && argv[i + 1][0] != '-')
				o.list_source = argv[++i];
		} else if (!strncmp(a, "--list=", 7)) {
			o.list_fields = true;
			o.list_source = a + 7;
		} else if (!strcmp(a, "--list-events")) {
			o.list_events = true;
		} else if (!strcmp(a, "--dry-run")) {
			o.dry_run = true;
		} else if (!strcmp(a, "-U") || !strcmp(a, "--unbuffered")) {
			o.unbuffered = true;
		} else if (!strcmp(a, "-M")) {
			if (!has_value || atof(argv[i + 1]) < 0)
				return usage_error("-M needs a number of seconds", NULL);
			o.max_seconds = atof(argv[++i]);
		} else if (!strcmp(a, "--support")) {
			o.support = true;
		} else if (!strcmp(a, "--version")) {
			printf("Harrier version: %s\nEngine version: %d.%d.%d\n", HARRIER_VERSION, HR_ENGINE_VERSION_MAJOR,
			       HR_ENGINE_VERSION_MINOR, HR_ENGINE_VERSION_PATCH);
			return 0;
		} else if (!strcmp(a, "-A")) {
			/* every event already reaches the rules when replaying a file */
		} else if (!strcmp(a, "-v")) {
			o.verbose = true;
		} else if (!strcmp(a, "-c")) {
			if (!has_value)
				return usage_error("-c needs a configuration file", NULL);
			o.config_path = argv[++i];
		} else if (!strcmp(a, "-o") || !strcmp(a, "--option")) {
			if (!has_value || o.noverrides == MAX_ARGS)
				return usage_error("-o needs KEY=VALUE", NULL);
			o.overrides[o.noverrides++] = argv[++i];
		} else if (!strncmp(a, "--option=", 9)) {
			if (o.noverrides == MAX_ARGS)
				return usage_error("too many ", "--option");
			o.overrides[o.noverrides++] = a + 9;
		} else {
			return usage_error("unknown option ", a);
		}
	}
	struct hr_config c = {0};
	char *dflt = o.config_path ? NULL : hr_config_default_path();
	const char *config_path = o.config_path ? o.config_path : dflt;
	bool config_ok = !config_path || hr_config_load(&c, config_path);
	free(dflt);
	if (!config_ok) {
		hr_config_free(&c);
		return 1;
	}
	for (unsigned i = 0; i < o.noverrides; i++) {
		const char *eq = strchr(o.overrides[i], '=');
		if (!eq) {
			hr_config_free(&c);
			return usage_error("-o needs KEY=VALUE, got ", o.overrides[i]);
		}
		hr_config_override(&c, o.overrides[i], (size_t)(eq - o.overrides[i]), eq + 1);
	}
	if (!hr_config_check(&c)) {
		hr_config_free(&c);
		return 1;
	}
	int rc;
	char *config_rules[MAX_ARGS];
	unsigned nconfig_rules = 0;
	if (o.unbuffered)
		setvbuf(stdout, NULL, _IONBF, 0);
	if (o.list_fields && o.list_source && *o.list_source && strcmp(o.list_source, "syscall")) {
		/* Harrier has one event source */
		fprintf(stderr, "Error: Value for --list must be a valid source type\n");
		rc = 1;
	} else if (o.list_fields || o.list_events) {
		if (o.list_fields)
			list_fields(o.names_only);
		if (o.list_events)
			list_events();
		rc = 0;
	} else if (o.nvalidate) {
		rc = validate(&o, &c);
	} else {
		/* without -r, the configuration's rules files (or Falco's legacy key) */
		for (unsigned i = 0; !o.nrules && i < c.n && nconfig_rules < MAX_ARGS; i++)
			if ((!strcmp(c.keys[i], "rules_file") || !strncmp(c.keys[i], "rules_file.", 11) ||
			     !strncmp(c.keys[i], "rules_files.", 12)) &&
			    hr_config_first_of_key(&c, i))
				config_rules[nconfig_rules++] = hr_config_relative(&c, hr_config_get(&c, c.keys[i]));
		for (unsigned i = 0; i < nconfig_rules; i++)
			if (config_rules[i])
				o.rules[o.nrules++] = config_rules[i];
		rc = o.support ? print_support(&c, argc, argv, o.rules, o.nrules) : run(&o, &c);
		for (unsigned i = 0; i < nconfig_rules; i++)
			free(config_rules[i]);
	}
	hr_config_free(&c);
	return rc;
}
