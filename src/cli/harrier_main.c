/*
 * harrier: the Falco-compatible detector. This first part validates rules
 * files as `falco -V` does (load results as text or as Falco's JSON),
 * with Falco's -c/-o configuration plumbing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "rules/load_results.h"
#include "rules/rules_loader.h"
#include "rules/rules_yaml.h"

#define MAX_ARGS 256

/* Configuration as dotted keys ("stdout_output.enabled"): the config
 * file's scalars first, then -o overrides, later entries winning. */
struct config {
	const char *keys[MAX_ARGS * 4];
	const char *values[MAX_ARGS * 4];
	unsigned n;
};

struct options {
	const char *validate[MAX_ARGS];
	unsigned nvalidate;
	const char *config_path;
	const char *overrides[MAX_ARGS];
	unsigned noverrides;
};

static const char usage_text[] =
	"Usage: harrier [-c CONFIG] [-o KEY=VALUE]... -V RULES [-V RULES]...\n"
	"\n"
	"Falco-compatible runtime security monitor.\n"
	"\n"
	"  -c CONFIG             read the configuration (Falco's falco.yaml keys)\n"
	"  -o, --option K=V      set a configuration key (dotted, as in falco.yaml)\n"
	"  -V, --validate RULES  load and check a rules file, print the load results\n"
	"                        (as Falco's JSON with -o json_output=true); exit 1 on errors\n"
	"  -h, --help            print this help\n";

static void config_set(struct config *c, const char *key, const char *value)
{
	if (c->n < sizeof c->keys / sizeof c->keys[0]) {
		c->keys[c->n] = key;
		c->values[c->n++] = value;
	}
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
		config_set(c, strdup(prefix), strdup((const char *)n->data.scalar.value));
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

static bool load_config(struct config *c, const char *path)
{
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

/* Falco's log line: "<date>: <message>" on stderr when log_stderr is on. */
static void log_info(const struct config *c, const char *fmt, const char *arg)
{
	if (!config_bool(c, "log_stderr", true))
		return;
	static const char *const levels[] = {"emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"};
	const char *lvl = config_get(c, "log_level");
	unsigned want = 6, i;
	for (i = 0; lvl && i < 8; i++)
		if (!strcmp(lvl, levels[i]))
			want = i;
	if (want < 6)
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
	fprintf(stderr, fmt, arg);
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
	log_info(c, "%s", "Validating rules file(s):\n");
	for (unsigned i = 0; i < o->nvalidate; i++)
		log_info(c, "   %s\n", o->validate[i]);
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
	if (o.config_path && !load_config(&c, o.config_path))
		return 1;
	for (unsigned i = 0; i < o.noverrides; i++) {
		const char *eq = strchr(o.overrides[i], '=');
		if (!eq)
			return usage_error("-o needs KEY=VALUE, got ", o.overrides[i]);
		config_set(&c, strndup(o.overrides[i], (size_t)(eq - o.overrides[i])), eq + 1);
	}
	if (!o.nvalidate)
		return usage_error("nothing to do: give -V RULES", NULL);
	return validate(&o, &c);
}
