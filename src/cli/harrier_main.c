/*
 * harrier: the Falco-compatible detector. Validates rules files as
 * `falco -V` does (load results as text or as Falco's JSON), and replays a
 * capture through the rules (-r RULES -e CAPTURE), printing Falco's alerts,
 * with Falco's -c/-o configuration plumbing.
 */
#include <ctype.h>
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

#include "app/drop_monitor.h"
#include "capture/scap_reader.h"
#include "format/json_output.h"
#include "fields/fields.h"
#include "rules/alert_output.h"
#include "rules/load_results.h"
#include "rules/rule_engine.h"
#include "rules/rules_loader.h"
#include "rules/rules_yaml.h"
#include "state/state.h"

#define MAX_ARGS 256
#define HARRIER_VERSION "0.1.0"

/* Configuration as dotted keys ("stdout_output.enabled"): the config
 * file's scalars first, then -o overrides, later entries winning. */
struct config {
	const char *keys[MAX_ARGS * 4];
	const char *values[MAX_ARGS * 4];
	unsigned n;
	char *path; /* the configuration file read, if any */
};

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
	bool names_only;                /* -N: with -L, names only */
	bool list_fields;               /* --list */
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
	"       harrier [-c CONFIG] [-o KEY=VALUE]... -r RULES [-r RULES]... -e CAPTURE\n"
	"\n"
	"Falco-compatible runtime security monitor.\n"
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
	"  -L                    list the loaded rules with their descriptions (-N: names only)\n"
	"  -l RULE               describe one loaded rule\n"
	"  --list                list the supported fields\n"
	"  --list-events         list the event types\n"
	"  -M SECS               stop after SECS seconds\n"
	"  -U                    unbuffered output\n"
	"  --dry-run             load configuration and rules, then exit\n"
	"  --version             print the version\n"
	"  --support             print version, system, configuration and rules files as JSON\n"
	"  -h, --help            print this help\n";

/* Keeps copies of `key` and `value`. */
static void config_set(struct config *c, const char *key, size_t keylen, const char *value)
{
	if (c->n < sizeof c->keys / sizeof c->keys[0]) {
		c->keys[c->n] = strndup(key, keylen);
		c->values[c->n++] = strdup(value);
	}
}

/* Whether entry `i` is the first with its key (an overridden key is
 * used once, with its last value). */
static bool first_of_key(const struct config *c, unsigned i)
{
	for (unsigned j = 0; j < i; j++)
		if (!strcmp(c->keys[j], c->keys[i]))
			return false;
	return true;
}

/* An -o key: dotted, with list indexes written `key[N]` (stored as
 * `key.N`) or `key[]` (appended after the list's last entry). */
static void set_override(struct config *c, const char *key, size_t len, const char *value)
{
	char k[512];
	size_t n = 0;
	for (size_t i = 0; i < len && n + 24 < sizeof k; i++) {
		if (key[i] == '[' && i + 1 < len && key[i + 1] == ']') {
			unsigned next = 0; /* after the highest index present */
			for (unsigned j = 0; j < c->n; j++) {
				size_t kl = strlen(c->keys[j]);
				if (kl > n + 1 && !strncmp(c->keys[j], k, n) && c->keys[j][n] == '.') {
					unsigned idx = (unsigned)strtoul(c->keys[j] + n + 1, NULL, 10);
					next = idx + 1 > next ? idx + 1 : next;
				}
			}
			n += (size_t)snprintf(k + n, sizeof k - n, ".%u", next);
			i++;
		} else if (key[i] == '[') {
			k[n++] = '.';
		} else if (key[i] != ']') {
			k[n++] = key[i];
		}
	}
	k[n] = 0;
	config_set(c, k, n, value);
}

static void config_free(struct config *c)
{
	free(c->path);
	c->path = NULL;
	for (unsigned i = 0; i < c->n; i++) {
		free((char *)c->keys[i]);
		free((char *)c->values[i]);
	}
	c->n = 0;
}

static const char *config_get(const struct config *c, const char *key)
{
	for (unsigned i = c->n; i-- > 0;)
		if (!strcmp(c->keys[i], key))
			return c->values[i];
	return NULL;
}

static bool config_bool(const struct config *c, const char *key, bool dflt)
{
	const char *v = config_get(c, key);
	if (!v)
		return dflt;
	return !strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on") || !strcmp(v, "1");
}

/* The config file's scalars under their dotted paths (strings kept for the
 * whole run). */
static void flatten(struct config *c, yaml_document_t *d, yaml_node_t *n, const char *prefix)
{
	if (n->type == YAML_SCALAR_NODE) {
		config_set(c, prefix, strlen(prefix), (const char *)n->data.scalar.value);
		return;
	}
	if (n->type == YAML_SEQUENCE_NODE) {
		unsigned i = 0;
		for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++, i++) {
			char path[512];
			snprintf(path, sizeof path, "%s.%u", prefix, i);
			flatten(c, d, yaml_document_get_node(d, *it), path);
		}
		return;
	}
	if (n->type != YAML_MAPPING_NODE)
		return;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const char *k = hr_yaml_scalar(yaml_document_get_node(d, p->key));
		if (!k)
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", k);
		flatten(c, d, yaml_document_get_node(d, p->value), path);
	}
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 65536;
			char *b = realloc(buf, cap);
			if (!b) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = b;
		}
		size_t r = fread(buf + len, 1, 4096, f);
		len += r;
		if (r < 4096)
			break;
	}
	bool err = ferror(f);
	fclose(f);
	if (err) {
		free(buf);
		return NULL;
	}
	buf[len] = 0;
	return buf;
}

/* Without -c: the checkout's config/harrier.yaml next to the build
 * directory holding this program, else /etc/harrier/harrier.yaml. */
static char *default_config_path(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = 0;
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = 0;
			char path[4200];
			snprintf(path, sizeof path, "%s/../config/harrier.yaml", exe);
			if (access(path, R_OK) == 0)
				return strdup(path);
		}
	}
	return access("/etc/harrier/harrier.yaml", R_OK) == 0 ? strdup("/etc/harrier/harrier.yaml") : NULL;
}

/* A rules path from the configuration: relative ones are relative to the
 * configuration file's directory. */
static char *config_relative(const struct config *c, const char *path)
{
	const char *slash = c->path ? strrchr(c->path, '/') : NULL;
	if (path[0] == '/' || !slash)
		return strdup(path);
	size_t n = (size_t)(slash - c->path) + 1 + strlen(path) + 1;
	char *out = malloc(n);
	if (out)
		snprintf(out, n, "%.*s/%s", (int)(slash - c->path), c->path, path);
	return out;
}

static bool load_config(struct config *c, const char *path)
{
	free(c->path);
	c->path = strdup(path);
	char *text = read_file(path);
	if (!text) {
		fprintf(stderr, "Error: could not read the configuration file %s\n", path);
		return false;
	}
	struct hr_yaml_file y;
	bool ok = hr_yaml_load(text, strlen(text), &y);
	if (!ok) {
		fprintf(stderr, "Error: %s: %s (line %zu)\n", path, y.err, y.err_line + 1);
	} else {
		for (size_t i = 0; i < y.ndocs; i++)
			flatten(c, &y.docs[i], yaml_document_get_root_node(&y.docs[i]), "");
	}
	hr_yaml_free(&y);
	free(text);
	return ok;
}

/* Falco's log line on stderr (when log_stderr is on and `level`, one of
 * syslog's LOG_* levels, passes log_level): "<date>: <message>", the date as ctime or, with
 * time_format_iso_8601, "2016-08-04T16:17:57+0000". */
static void log_msg(const struct config *c, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void log_msg(const struct config *c, int level, const char *fmt, ...)
{
	if (!config_bool(c, "log_stderr", true))
		return;
	static const char *const levels[] = {"emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"};
	const char *lvl = config_get(c, "log_level");
	unsigned want = LOG_INFO;
	for (unsigned i = 0; lvl && i < 8; i++)
		if (!strcmp(lvl, levels[i]))
			want = i;
	if ((unsigned)level > want)
		return;
	time_t now = time(NULL);
	struct tm tm;
	char stamp[64];
	if (config_bool(c, "time_format_iso_8601", false)) {
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S+0000", &tm);
	} else {
		localtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%a %b %e %H:%M:%S %Y", &tm);
	}
	fprintf(stderr, "%s: ", stamp);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* Falco's top-level configuration keys; others are warned about. */
static const char *const known_keys[] = {
	"rules_files", "rules_file", "rules", "config_files", "watch_config_files", "time_format_iso_8601",
	"buffer_format_base64", "priority", "json_output", "json_include_output_property",
	"json_include_message_property", "json_include_output_fields_property", "json_include_tags_property",
	"buffered_outputs", "rule_matching", "outputs_queue", "append_output", "static_fields", "stdout_output",
	"syslog_output", "file_output", "http_output", "program_output", "grpc_output", "grpc", "webserver",
	"log_stderr", "log_syslog", "log_level", "libs_logger", "output_timeout", "outputs", "syscall_event_timeouts",
	"syscall_event_drops", "metrics", "base_syscalls", "falco_libs", "container_engines", "plugins",
	"load_plugins", "engine", "capture", "modern_bpf", "syscall_buf_size_preset", "syscall_drop_failed_exit",
	"plugins_hostinfo", "container", NULL,
};

static const char *const bool_keys[] = {
	"time_format_iso_8601", "json_output", "json_include_output_property", "json_include_message_property",
	"json_include_output_fields_property", "json_include_tags_property", "buffered_outputs", "log_stderr",
	"log_syslog", "stdout_output.enabled", "file_output.enabled", "file_output.keep_alive",
	"program_output.enabled", "program_output.keep_alive", "syslog_output.enabled",
	"syscall_event_drops.simulate_drops", NULL,
};

static bool is_bool_text(const char *v)
{
	static const char *const words[] = {"true", "false", "yes", "no", "on", "off", "1", "0", NULL};
	for (unsigned i = 0; words[i]; i++)
		if (!strcasecmp(v, words[i]))
			return true;
	return false;
}

/* Unknown keys are warned about; values of the wrong type are fatal. */
static bool check_config(const struct config *c)
{
	const char *name = c->path ? c->path : "command line";
	for (unsigned i = 0; i < c->n; i++) {
		const char *k = c->keys[i], *v = c->values[i];
		size_t top = strcspn(k, ".");
		bool known = false;
		for (unsigned j = 0; known_keys[j] && !known; j++)
			known = strlen(known_keys[j]) == top && !strncmp(known_keys[j], k, top);
		if (!known)
			log_msg(c, LOG_WARNING, "Unknown configuration key '%.*s' (ignored)\n", (int)top, k);
		for (unsigned j = 0; bool_keys[j]; j++) {
			if (!strcmp(bool_keys[j], k) && !is_bool_text(v)) {
				fprintf(stderr, "Error reading config file (%s): %s must be a boolean (true or false), not '%s'\n",
					name, k, v);
				return false;
			}
		}
	}
	enum hr_priority p;
	const char *prio = config_get(c, "priority");
	if (prio && !hr_priority_parse(prio, &p)) {
		fprintf(stderr, "Error reading config file (%s): Unknown priority value: %s\n", name, prio);
		return false;
	}
	static const char *const levels[] = {"emergency", "alert", "critical", "error", "warning", "notice", "info", "debug", NULL};
	const char *lvl = config_get(c, "log_level");
	bool lvl_ok = !lvl;
	for (unsigned i = 0; levels[i] && !lvl_ok; i++)
		lvl_ok = !strcmp(lvl, levels[i]);
	if (!lvl_ok) {
		fprintf(stderr, "Error reading config file (%s): Unknown log level %s\n", name, lvl);
		return false;
	}
	return true;
}

static int validate(const struct options *o, const struct config *c)
{
	bool json = config_bool(c, "json_output", false);
	char *contents[MAX_ARGS];
	for (unsigned i = 0; i < o->nvalidate; i++) {
		contents[i] = read_file(o->validate[i]);
		if (!contents[i]) {
			fprintf(stderr, "Error: Could not open file %s for reading\n", o->validate[i]);
			return 1;
		}
	}
	log_msg(c, LOG_INFO, "Validating rules file(s):\n");
	for (unsigned i = 0; i < o->nvalidate; i++)
		log_msg(c, LOG_INFO, "   %s\n", o->validate[i]);
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
			if (config_bool(c, "log_stderr", true))
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

static bool load_rules_path(struct hr_ruleset *rs, const struct config *c, const char *path);

static bool load_rules_file(struct hr_ruleset *rs, const struct config *c, const char *path)
{
	char *text = read_file(path);
	if (!text) {
		fprintf(stderr, "Error: Could not open file %s for reading\n", path);
		return false;
	}
	log_msg(c, LOG_INFO, "Loading rules from file %s\n", path);
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

static bool load_rules_path(struct hr_ruleset *rs, const struct config *c, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return load_rules_file(rs, c, path);
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "Error: Could not open directory %s\n", path);
		return false;
	}
	char *names[1024];
	unsigned n = 0;
	for (struct dirent *de; (de = readdir(d)) && n < 1024;) {
		char full[4096];
		snprintf(full, sizeof full, "%s/%s", path, de->d_name);
		if (de->d_name[0] != '.' && stat(full, &st) == 0 && S_ISREG(st.st_mode))
			names[n++] = strdup(full);
	}
	closedir(d);
	qsort(names, n, sizeof names[0], cmp_names);
	bool ok = true;
	for (unsigned i = 0; i < n; i++) {
		ok = ok && load_rules_file(rs, c, names[i]);
		free(names[i]);
	}
	return ok;
}

/* The enter half of a syscall pair: Falco folds it into the exit, so
 * rules see (and the statistics count) the exit only; an enter whose exit
 * never comes (exit_group) is dropped as well. */
static bool is_paired_enter(uint16_t type)
{
	if (type + 1 >= HR_EVENT_MAX)
		return false;
	const struct hr_event_info *in = &hr_event_table[type], *out = &hr_event_table[type + 1];
	return in->is_enter && (in->category & HR_EC_SYSCALL) && !out->is_enter && in->name && out->name &&
	       !strcmp(in->name, out->name);
}

/* Container metadata events: Falco's container support consumes them;
 * they are not delivered to the rules (nor counted). */
static bool is_container_event(uint16_t type)
{
	const char *e = type < HR_EVENT_MAX ? hr_event_table[type].enum_name : NULL;
	return e && (!strcmp(e, "PPME_CONTAINER_E") || !strcmp(e, "PPME_CONTAINER_JSON_E") ||
		     !strcmp(e, "PPME_CONTAINER_JSON_2_E"));
}

struct replay {
	const struct config *c;
	struct hr_rule_engine engine;
	struct hr_alert_formats formats;
	struct hr_alert_options alert;
	struct hr_field_ctx fields;
	struct hr_strbuf out;
	bool to_stdout, to_syslog, buffered;
	FILE *file_out;
	const char *program;  /* program_output.program when enabled */
	FILE *program_pipe;   /* with program_output.keep_alive */
	bool match_all; /* rule_matching: all (else the first matching rule only) */
	bool monitor_drops;
	struct hr_drop_monitor drops;
	bool exit_requested;
	uint64_t captured, detected;
	uint64_t by_priority[8];
	uint64_t *by_rule;
};

/* Writes a line to the enabled outputs. */
/* Writes an alert line (with its newline) to the enabled outputs; `prio`
 * is the alert's priority, for syslog. */
static void emit(struct replay *rp, const struct hr_strbuf *line, enum hr_priority prio)
{
	if (rp->to_stdout) {
		fwrite(line->p, 1, line->len, stdout);
		if (!rp->buffered)
			fflush(stdout);
	}
	if (rp->file_out) {
		fwrite(line->p, 1, line->len, rp->file_out);
		if (!rp->buffered)
			fflush(rp->file_out);
	}
	if (rp->to_syslog)
		syslog(LOG_USER | (int)prio, "%.*s", (int)(line->len ? line->len - 1 : 0), line->p);
	if (rp->program) {
		/* keep_alive: one program for the whole run; else one per alert */
		FILE *f = rp->program_pipe ? rp->program_pipe : popen(rp->program, "w");
		if (f) {
			fwrite(line->p, 1, line->len, f);
			if (rp->program_pipe)
				fflush(f);
			else
				pclose(f);
		}
	}
}

static void check_drops(struct replay *rp, const struct hr_event *e)
{
	char msg[256];
	enum hr_drop_outcome what = hr_drop_monitor_event(&rp->drops, e->ts, msg, sizeof msg);
	if (rp->drops.simulate && rp->drops.just_checked)
		log_msg(rp->c, LOG_INFO, "Simulating syscall event drop\n");
	if (what == HR_DROP_NOTHING)
		return;
	if (rp->drops.actions & HR_DROP_LOG)
		log_msg(rp->c, LOG_DEBUG, "%s\n", msg);
	if (rp->drops.actions & HR_DROP_ALERT) {
		/* an alert of Falco's internal rule, priority Debug */
		time_t secs = (time_t)(e->ts / 1000000000ull);
		struct tm tm;
		char stamp[64];
		gmtime_r(&secs, &tm);
		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
		hr_sb_reset(&rp->out);
		hr_sb_printf(&rp->out, "%s.%09llu+0000: Debug %s\n", stamp, (unsigned long long)(e->ts % 1000000000ull), msg);
		emit(rp, &rp->out, HR_PRIO_DEBUG);
	}
	if (what == HR_DROP_ACT_AND_EXIT) {
		log_msg(rp->c, LOG_CRIT, "%s\n", msg);
		log_msg(rp->c, LOG_CRIT, "Exiting.\n");
		rp->exit_requested = true;
	}
}

static void on_event(struct replay *rp, struct hr_state *st, struct hr_event *e)
{
	hr_state_process_event(st, e);
	if (is_paired_enter(e->type) || is_container_event(e->type))
		return;
	rp->captured++;
	if (rp->monitor_drops)
		check_drops(rp, e);
	uint32_t from = 0;
	for (;;) {
		int32_t ri = hr_rule_engine_match(&rp->engine, &rp->fields, e, from, &from);
		if (ri < 0)
			return;
		const struct hr_rule *r = hr_ruleset_rule(rp->engine.rs, (uint32_t)ri);
		if (hr_alert_render(&rp->formats, &rp->alert, (uint32_t)ri, r, &rp->fields, e, &rp->out)) {
			rp->detected++;
			rp->by_priority[r->priority]++;
			rp->by_rule[ri]++;
			hr_sb_putc(&rp->out, '\n');
			emit(rp, &rp->out, r->priority);
		}
		if (!rp->match_all)
			return;
	}
}

static void print_stats(const struct replay *rp)
{
	printf("Events detected: %llu\n", (unsigned long long)rp->detected);
	printf("Rule counts by severity:\n");
	for (unsigned p = 0; p < 8; p++) {
		if (!rp->by_priority[p])
			continue;
		char name[32];
		snprintf(name, sizeof name, "%s", hr_priority_name((enum hr_priority)p, true));
		for (char *q = name; *q; q++)
			*q = (char)toupper((unsigned char)*q);
		printf("   %s: %llu\n", name, (unsigned long long)rp->by_priority[p]);
	}
	printf("Triggered rules by rule name:\n");
	for (uint32_t i = 0; i < hr_ruleset_count(rp->engine.rs); i++)
		if (rp->by_rule[i])
			printf("   %s: %llu\n", hr_ruleset_rule(rp->engine.rs, i)->name, (unsigned long long)rp->by_rule[i]);
}

/* Falco's -L table: name in 50 columns, the description wrapped at 110
 * characters with a 51-column indent. */
static void print_rule_row(const struct hr_rule *r, bool names_only)
{
	if (names_only) {
		printf("%s\n", r->name);
		return;
	}
	struct hr_strbuf d = {0};
	unsigned len = 0;
	for (const char *p = r->desc; *p;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		const char *w = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		unsigned n = (unsigned)(p - w);
		if (!n)
			break;
		if (len + n + 1 <= 110 - 51) {
			len += n + 1;
		} else {
			hr_sb_printf(&d, "\n%-51s", " ");
			len = n + 1;
		}
		hr_sb_append(&d, w, n);
		hr_sb_putc(&d, ' ');
	}
	printf("%-50s %s\n\n", r->name, hr_sb_str(&d));
	hr_sb_free(&d);
}

static int list_rules(const struct options *o, struct hr_ruleset *rs)
{
	if (!o->names_only) {
		printf("%-50s %s\n", "Rule", "Description");
		printf("%-50s %s\n", "----", "-----------");
	}
	bool found = false;
	for (uint32_t i = 0; i < hr_ruleset_count(rs); i++) {
		const struct hr_rule *r = hr_ruleset_rule(rs, i);
		if (o->describe_rule && strcmp(r->name, o->describe_rule))
			continue;
		print_rule_row(r, o->names_only);
		found = true;
	}
	if (o->describe_rule && !found) {
		fprintf(stderr, "Error: Rule not found: %s\n", o->describe_rule);
		return 1;
	}
	return 0;
}

static void list_fields(void)
{
	for (unsigned c = 0; c < hr_field_class_count; c++) {
		printf("Field Class: %s\n\n", hr_field_classes[c].name);
		for (const struct hr_field_def *d = hr_field_classes[c].defs; d->name; d++)
			if (!(d->flags & HR_FF_UNSUPPORTED))
				printf("%-25s %s\n", d->name, d->desc ? d->desc : "");
		printf("\n");
	}
}

static void list_events(void)
{
	for (unsigned t = 0; t < HR_EVENT_MAX; t++) {
		const struct hr_event_info *e = &hr_event_table[t];
		if (!e->name || !strcmp(e->name, "NA"))
			continue;
		printf("%c %s(", e->is_enter ? '>' : '<', e->name);
		for (unsigned k = 0; k < e->nparams; k++)
			printf("%s%s", k ? ", " : "", e->params[k].name);
		printf(")\n");
	}
}

/* --support: what a bug report needs, as one JSON document. */
static int print_support(const struct config *c, const char *const *rules, unsigned nrules)
{
	struct hr_strbuf out = {0};
	struct utsname un;
	uname(&un);
	hr_sb_printf(&out, "{\"version\":\"%s\",\"engine_info\":{\"engine_version\":\"%d.%d.%d\"},\"system_info\":{",
		     HARRIER_VERSION, HR_ENGINE_VERSION_MAJOR, HR_ENGINE_VERSION_MINOR, HR_ENGINE_VERSION_PATCH);
	const char *parts[][2] = {{"sysname", un.sysname}, {"nodename", un.nodename}, {"release", un.release},
				  {"version", un.version}, {"machine", un.machine}};
	for (unsigned i = 0; i < 5; i++) {
		hr_sb_printf(&out, "%s\"%s\":", i ? "," : "", parts[i][0]);
		hr_json_append_string(&out, parts[i][1]);
	}
	hr_sb_puts(&out, "},\"cmdline_config\":{");
	for (unsigned i = 0; i < c->n; i++) {
		hr_sb_puts(&out, i ? "," : "");
		hr_json_append_string(&out, c->keys[i]);
		hr_sb_putc(&out, ':');
		hr_json_append_string(&out, c->values[i]);
	}
	hr_sb_puts(&out, "},\"config\":");
	char *text = c->path ? read_file(c->path) : NULL;
	hr_json_append_string(&out, text ? text : "");
	free(text);
	hr_sb_puts(&out, ",\"rules_files\":[");
	for (unsigned i = 0; i < nrules; i++) {
		text = read_file(rules[i]);
		hr_sb_puts(&out, i ? ",{\"name\":" : "{\"name\":");
		hr_json_append_string(&out, rules[i]);
		hr_sb_puts(&out, ",\"content\":");
		hr_json_append_string(&out, text ? text : "");
		hr_sb_putc(&out, '}');
		free(text);
	}
	hr_sb_puts(&out, "]}");
	printf("%s\n", hr_sb_str(&out));
	hr_sb_free(&out);
	return 0;
}

static int replay(const struct options *o, const struct config *c)
{
	struct hr_ruleset *rs = hr_ruleset_new();
	for (unsigned i = 0; i < o->nrules; i++) {
		if (!load_rules_path(rs, c, o->rules[i])) {
			hr_ruleset_free(rs);
			return 1;
		}
	}
	if (o->list_rules || o->describe_rule || o->dry_run) {
		int lrc = o->dry_run ? 0 : list_rules(o, rs);
		hr_ruleset_free(rs);
		return lrc;
	}
	struct hr_rule_selection sel = {
		.min_priority = HR_PRIO_DEBUG,
		.disable_substr = o->disable_substr,
		.ndisable_substr = o->ndisable_substr,
		.disable_tags = o->disable_tags,
		.ndisable_tags = o->ndisable_tags,
		.enable_tags = o->enable_tags,
		.nenable_tags = o->nenable_tags,
	};
	/* Falco's `rules:` list: rules[N].enable/disable with .rule or .tag */
	struct hr_rule_toggle toggles[64];
	for (unsigned i = 0; i < c->n && sel.ntoggles < 64; i++) {
		char action[16], what[8];
		unsigned idx;
		int used = 0;
		if (sscanf(c->keys[i], "rules.%u.%15[a-z].%7[a-z]%n", &idx, action, what, &used) != 3 ||
		    c->keys[i][used] || !first_of_key(c, i))
			continue;
		if ((strcmp(action, "enable") && strcmp(action, "disable")) || (strcmp(what, "rule") && strcmp(what, "tag"))) {
			fprintf(stderr, "Error: unknown rules selection %s\n", c->keys[i]);
			hr_ruleset_free(rs);
			return 1;
		}
		toggles[sel.ntoggles++] = (struct hr_rule_toggle){
			.enable = action[0] == 'e', .by_tag = what[0] == 't', .pattern = config_get(c, c->keys[i])};
	}
	sel.toggles = toggles;
	const char *prio = config_get(c, "priority");
	if (prio && !hr_priority_parse(prio, &sel.min_priority)) {
		fprintf(stderr, "Error: Unknown priority value: %s\n", prio);
		hr_ruleset_free(rs);
		return 1;
	}
	const char *capture = o->capture ? o->capture : config_get(c, "engine.replay.capture_file");
	char err[512];
	struct hr_reader *rd = hr_reader_open(capture, err, sizeof err);
	if (!rd) {
		fprintf(stderr, "Error: %s: %s\n", capture, err);
		hr_ruleset_free(rs);
		return 1;
	}
	const char *host = getenv("FALCO_HOSTNAME");
	char hostname[256] = "";
	if (!host || !*host) {
		gethostname(hostname, sizeof hostname - 1);
		host = hostname;
	}
	/* append_output[N]: extra_output with an optional match on source,
	 * rule and tags (the first tag listed) */
	struct hr_append_output append[32];
	unsigned nappend = 0;
	for (unsigned i = 0; i < c->n && nappend < 32; i++) {
		unsigned idx;
		int used = 0;
		if (sscanf(c->keys[i], "append_output.%u.extra_output%n", &idx, &used) != 1 || c->keys[i][used] ||
		    !first_of_key(c, i))
			continue;
		char key[96];
		struct hr_append_output *a = &append[nappend++];
		a->extra_output = config_get(c, c->keys[i]);
		snprintf(key, sizeof key, "append_output.%u.match.source", idx);
		a->source = config_get(c, key);
		snprintf(key, sizeof key, "append_output.%u.match.rule", idx);
		a->rule = config_get(c, key);
		snprintf(key, sizeof key, "append_output.%u.match.tags.0", idx);
		a->tag = config_get(c, key);
	}
	static struct replay rp;
	rp.c = c;
	rp.alert = (struct hr_alert_options){
		.json = config_bool(c, "json_output", false),
		.iso8601 = config_bool(c, "time_format_iso_8601", false),
		.include_output = config_bool(c, "json_include_output_property", true),
		.include_tags = config_bool(c, "json_include_tags_property", true),
		.include_fields = config_bool(c, "json_include_output_fields_property", true),
		.hostname = host,
		.append = append,
		.nappend = nappend,
	};
	rp.to_stdout = config_bool(c, "stdout_output.enabled", true);
	rp.to_syslog = config_bool(c, "syslog_output.enabled", false);
	rp.buffered = config_bool(c, "buffered_outputs", false);
	if (config_bool(c, "program_output.enabled", false)) {
		rp.program = config_get(c, "program_output.program");
		if (rp.program && config_bool(c, "program_output.keep_alive", false))
			rp.program_pipe = popen(rp.program, "w");
	}
	const char *matching = config_get(c, "rule_matching");
	if (matching && strcmp(matching, "first") && strcmp(matching, "all")) {
		fprintf(stderr, "Error: Unknown rule matching strategy \"%s\"--must be one of first, all\n", matching);
		hr_reader_close(rd);
		hr_ruleset_free(rs);
		return 1;
	}
	rp.match_all = matching && !strcmp(matching, "all");
	if (config_bool(c, "file_output.enabled", false)) {
		const char *fname = config_get(c, "file_output.filename");
		rp.file_out = fname ? fopen(fname, "a") : NULL;
		if (!rp.file_out) {
			fprintf(stderr, "Error: could not open the file output %s\n", fname ? fname : "(no filename)");
			hr_reader_close(rd);
			hr_ruleset_free(rs);
			return 1;
		}
	}
	for (unsigned i = 0; i < c->n; i++)
		rp.monitor_drops |= !strncmp(c->keys[i], "syscall_event_drops.", 20);
	if (rp.monitor_drops) {
		const char *acts[16];
		unsigned nacts = 0;
		for (unsigned i = 0; i < c->n && nacts < 16; i++)
			if (!strncmp(c->keys[i], "syscall_event_drops.actions.", 28) && first_of_key(c, i))
				acts[nacts++] = config_get(c, c->keys[i]);
		const char *thr = config_get(c, "syscall_event_drops.threshold");
		const char *rate = config_get(c, "syscall_event_drops.rate");
		const char *burst = config_get(c, "syscall_event_drops.max_burst");
		char derr[512];
		if (!hr_drop_monitor_init(&rp.drops, acts, nacts, thr ? atof(thr) : .1, rate ? atof(rate) : .03333,
					  burst ? atof(burst) : 1, config_bool(c, "syscall_event_drops.simulate_drops", false),
					  o->config_path ? o->config_path : "", derr, sizeof derr)) {
			fprintf(stderr, "Error: %s\n", derr);
			if (rp.file_out)
				fclose(rp.file_out);
			hr_reader_close(rd);
			hr_ruleset_free(rs);
			return 1;
		}
	}
	hr_rule_engine_init(&rp.engine, rs, &sel);
	hr_alert_formats_init(&rp.formats, hr_ruleset_count(rs));
	rp.by_rule = calloc(hr_ruleset_count(rs) + 1, sizeof *rp.by_rule);
	struct hr_state *st = hr_state_new();
	hr_field_ctx_init(&rp.fields, st);
	/* Falco folds enter parameters into exits: fields read the enter
	 * both while matching and while formatting */
	rp.fields.formatting = false;
	clock_t start = clock();
	static struct hr_record rec;
	int rc = 0;
	for (bool done = false; !done && !rp.exit_requested;) {
		switch (hr_reader_next(rd, &rec)) {
		case HR_REC_END:
			done = true;
			break;
		case HR_REC_ERROR:
			fflush(stdout);
			fprintf(stderr, "Error: %s: %s\n", capture, hr_reader_error(rd));
			rc = 1;
			done = true;
			break;
		case HR_REC_EVENT:
			on_event(&rp, st, &rec.event);
			if (o->max_seconds > 0 && (rp.captured & 1023) == 0 &&
			    (double)(clock() - start) / CLOCKS_PER_SEC >= o->max_seconds)
				done = true;
			break;
		default:
			hr_state_apply_record(st, &rec);
			break;
		}
	}
	double elapsed = (double)(clock() - start) / CLOCKS_PER_SEC;
	if (o->verbose)
		fprintf(stderr, "Elapsed time: %.3f, Captured Events: %llu, %.2f eps\n", elapsed,
			(unsigned long long)rp.captured, elapsed > 0 ? (double)rp.captured / elapsed : 0.0);
	print_stats(&rp);
	if (rp.monitor_drops) {
		fprintf(stderr, "Syscall event drop monitoring:\n");
		fprintf(stderr, "   - event drop detected: %llu occurrences\n", (unsigned long long)rp.drops.detections);
		fprintf(stderr, "   - num times actions taken: %llu\n", (unsigned long long)rp.drops.actions_taken);
	}
	if (rp.exit_requested)
		rc = 1;
	if (rp.file_out)
		fclose(rp.file_out);
	if (rp.program_pipe)
		pclose(rp.program_pipe);
	free(rp.by_rule);
	hr_state_free(st);
	hr_reader_close(rd);
	hr_alert_formats_free(&rp.formats);
	hr_sb_free(&rp.out);
	hr_rule_engine_free(&rp.engine);
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
				i++; /* the source: only syscall fields exist */
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
		} else {
			return usage_error("unknown option ", a);
		}
	}
	struct config c = {0};
	char *dflt = o.config_path ? NULL : default_config_path();
	const char *config_path = o.config_path ? o.config_path : dflt;
	bool config_ok = !config_path || load_config(&c, config_path);
	free(dflt);
	if (!config_ok) {
		config_free(&c);
		return 1;
	}
	for (unsigned i = 0; i < o.noverrides; i++) {
		const char *eq = strchr(o.overrides[i], '=');
		if (!eq) {
			config_free(&c);
			return usage_error("-o needs KEY=VALUE, got ", o.overrides[i]);
		}
		set_override(&c, o.overrides[i], (size_t)(eq - o.overrides[i]), eq + 1);
	}
	if (!check_config(&c)) {
		config_free(&c);
		return 1;
	}
	int rc;
	char *config_rules[MAX_ARGS];
	unsigned nconfig_rules = 0;
	if (o.unbuffered)
		setvbuf(stdout, NULL, _IONBF, 0);
	if (o.list_fields || o.list_events) {
		if (o.list_fields)
			list_fields();
		if (o.list_events)
			list_events();
		rc = 0;
	} else if (o.nvalidate) {
		rc = validate(&o, &c);
	} else if (o.capture || config_get(&c, "engine.replay.capture_file") || o.list_rules || o.describe_rule ||
		   o.dry_run || o.support) {
		/* without -r, the configuration's rules files (or Falco's legacy key) */
		for (unsigned i = 0; !o.nrules && i < c.n && nconfig_rules < MAX_ARGS; i++)
			if ((!strcmp(c.keys[i], "rules_file") || !strncmp(c.keys[i], "rules_file.", 11) ||
			     !strncmp(c.keys[i], "rules_files.", 12)) &&
			    first_of_key(&c, i))
				config_rules[nconfig_rules++] = config_relative(&c, config_get(&c, c.keys[i]));
		for (unsigned i = 0; i < nconfig_rules; i++)
			if (config_rules[i])
				o.rules[o.nrules++] = config_rules[i];
		rc = o.support ? print_support(&c, o.rules, o.nrules) : replay(&o, &c);
		for (unsigned i = 0; i < nconfig_rules; i++)
			free(config_rules[i]);
	} else {
		rc = usage_error("nothing to do: give -V RULES, or -r RULES -e CAPTURE", NULL);
	}
	config_free(&c);
	return rc;
}
