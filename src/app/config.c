/* The detector's configuration (see config.h). */
#include "app/config.h"

#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "rules/rules_loader.h"
#include "rules/rules_yaml.h"
#include "state/container_runtime.h"

/* Keeps copies of `key` and `value`. */
static void hr_config_set(struct hr_config *c, const char *key, size_t keylen, const char *value)
{
	if (c->n < HR_CONFIG_MAX_ENTRIES) {
		c->keys[c->n] = strndup(key, keylen);
		c->values[c->n++] = strdup(value);
	}
}

/* Whether entry `i` is the first with its key (an overridden key is
 * used once, with its last value). */
bool hr_config_first_of_key(const struct hr_config *c, unsigned i)
{
	for (unsigned j = 0; j < i; j++)
		if (!strcmp(c->keys[j], c->keys[i]))
			return false;
	return true;
}

/* Whether `key` has entries at or under it; `*next_item` is one past the
 * highest list index under it (0 when it is not a list). */
static bool key_present(const struct hr_config *c, const char *key, unsigned *next_item)
{
	size_t kl = strlen(key);
	bool present = false;
	*next_item = 0;
	for (unsigned i = 0; i < c->n; i++) {
		const char *k = c->keys[i];
		if (strncmp(k, key, kl) || (k[kl] != 0 && k[kl] != '.'))
			continue;
		present = true;
		if (k[kl] == '.' && k[kl + 1] >= '0' && k[kl + 1] <= '9') {
			unsigned idx = (unsigned)strtoul(k + kl + 1, NULL, 10);
			*next_item = idx + 1 > *next_item ? idx + 1 : *next_item;
		}
	}
	return present;
}

/* An -o key: dotted, with list indexes written `key[N]` (stored as
 * `key.N`) or `key[]` (appended after the list's last entry). */
void hr_config_override(struct hr_config *c, const char *key, size_t len, const char *value)
{
	char k[512];
	size_t n = 0;
	for (size_t i = 0; i < len && n + 24 < sizeof k; i++) {
		if (key[i] == '[' && i + 1 < len && key[i + 1] == ']') {
			unsigned next; /* after the highest index present */
			k[n] = 0;
			key_present(c, k, &next);
			n += (size_t)snprintf(k + n, sizeof k - n, ".%u", next);
			i++;
		} else if (key[i] == '[') {
			k[n++] = '.';
		} else if (key[i] != ']') {
			k[n++] = key[i];
		}
	}
	k[n] = 0;
	hr_config_set(c, k, n, value);
}

void hr_config_free(struct hr_config *c)
{
	free(c->path);
	c->path = NULL;
	for (unsigned i = 0; i < c->n; i++) {
		free((char *)c->keys[i]);
		free((char *)c->values[i]);
	}
	c->n = 0;
}

const char *hr_config_get(const struct hr_config *c, const char *key)
{
	for (unsigned i = c->n; i-- > 0;)
		if (!strcmp(c->keys[i], key))
			return c->values[i];
	return NULL;
}

bool hr_config_bool(const struct hr_config *c, const char *key, bool dflt)
{
	const char *v = hr_config_get(c, key);
	if (!v)
		return dflt;
	return !strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on") || !strcmp(v, "1");
}

/* The config file's scalars under their dotted paths (strings kept for the
 * whole run). */
static void flatten(struct hr_config *c, yaml_document_t *d, yaml_node_t *n, const char *prefix)
{
	if (n->type == YAML_SCALAR_NODE) {
		hr_config_set(c, prefix, strlen(prefix), (const char *)n->data.scalar.value);
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

char *hr_read_text_file(const char *path)
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
char *hr_config_default_path(void)
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
char *hr_config_relative(const struct hr_config *c, const char *path)
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

/* Removes every entry at or under the top-level key `key`. */
static void remove_key(struct hr_config *c, const char *key)
{
	size_t kl = strlen(key);
	unsigned out = 0;
	for (unsigned i = 0; i < c->n; i++) {
		const char *k = c->keys[i];
		if (!strncmp(k, key, kl) && (k[kl] == 0 || k[kl] == '.')) {
			free((char *)c->keys[i]);
			free((char *)c->values[i]);
			continue;
		}
		c->keys[out] = c->keys[i];
		c->values[out++] = c->values[i];
	}
	c->n = out;
}

enum merge_strategy { MERGE_APPEND, MERGE_OVERRIDE, MERGE_ADD_ONLY };

/* Falco's include of a config file, top-level key by top-level key: with
 * append a list extends the current one and any other value replaces it,
 * override replaces, add-only sets only keys not set yet. */
static bool merge_document(struct hr_config *c, yaml_document_t *d, enum merge_strategy how, const char *path)
{
	yaml_node_t *root = yaml_document_get_root_node(d);
	if (!root || root->type != YAML_MAPPING_NODE)
		return true;
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		const char *k = hr_yaml_scalar(yaml_document_get_node(d, p->key));
		yaml_node_t *v = yaml_document_get_node(d, p->value);
		if (!k || !v)
			continue;
		if (!strcmp(k, "config_files")) {
			fprintf(stderr, "Error: Config error: 'config_files' directive in included config file %s.\n", path);
			return false;
		}
		unsigned next = 0;
		bool present = key_present(c, k, &next);
		if (how == MERGE_ADD_ONLY && present)
			continue;
		if (how == MERGE_APPEND && v->type == YAML_SEQUENCE_NODE && (!present || next > 0)) {
			unsigned i = next;
			for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++, i++) {
				char item[512];
				snprintf(item, sizeof item, "%s.%u", k, i);
				flatten(c, d, yaml_document_get_node(d, *it), item);
			}
			continue;
		}
		remove_key(c, k);
		flatten(c, d, v, k);
	}
	return true;
}

static bool merge_file(struct hr_config *c, const char *path, enum merge_strategy how)
{
	char *text = hr_read_text_file(path);
	if (!text) {
		fprintf(stderr, "Error: could not read the included configuration file %s\n", path);
		return false;
	}
	struct hr_yaml_file y;
	bool ok = hr_yaml_load(text, strlen(text), &y);
	if (!ok)
		fprintf(stderr, "Error: %s: %s (line %zu)\n", path, y.err, y.err_line + 1);
	for (size_t i = 0; ok && i < y.ndocs; i++)
		ok = merge_document(c, &y.docs[i], how, path);
	hr_yaml_free(&y);
	free(text);
	return ok;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's regular files (links followed), sorted by path, merged
 * in that order. */
static bool merge_directory(struct hr_config *c, const char *dir, enum merge_strategy how)
{
	DIR *dh = opendir(dir);
	if (!dh) {
		fprintf(stderr, "Error: could not read the configuration directory %s\n", dir);
		return false;
	}
	char **files = NULL;
	size_t n = 0, cap = 0;
	bool ok = true;
	for (struct dirent *de; ok && (de = readdir(dh));) {
		char full[4096];
		struct stat st;
		if (snprintf(full, sizeof full, "%s/%s", dir, de->d_name) >= (int)sizeof full || stat(full, &st) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **grown = realloc(files, cap * sizeof *files);
			if (!grown) {
				ok = false;
				break;
			}
			files = grown;
		}
		files[n] = strdup(full);
		ok = files[n++] != NULL;
	}
	closedir(dh);
	if (ok)
		qsort(files, n, sizeof *files, by_name);
	for (size_t i = 0; i < n; i++) {
		ok = ok && merge_file(c, files[i], how);
		free(files[i]);
	}
	free(files);
	return ok;
}

/* The main file's config_files entries, merged in order after it, as Falco
 * does: each a path (strategy append) or {path, strategy}; a missing path
 * is skipped; a directory gives its regular files in path order. */
static bool merge_config_files(struct hr_config *c, const char *main_path)
{
	struct entry {
		char *path;
		enum merge_strategy how;
	} list[64];
	unsigned n = 0;
	bool ok = true;
	for (unsigned i = 0; ok && n < 64; i++) {
		char key[64];
		snprintf(key, sizeof key, "config_files.%u", i);
		const char *path = hr_config_get(c, key);
		const char *strategy = NULL;
		if (!path) {
			snprintf(key, sizeof key, "config_files.%u.path", i);
			path = hr_config_get(c, key);
			snprintf(key, sizeof key, "config_files.%u.strategy", i);
			strategy = hr_config_get(c, key);
			if (!path) {
				unsigned next;
				snprintf(key, sizeof key, "config_files.%u", i);
				if (key_present(c, key, &next)) {
					fprintf(stderr, "Error: config_files[%u] has no path\n", i);
					ok = false;
				}
				break;
			}
		}
		enum merge_strategy how = MERGE_APPEND;
		if (strategy && !strcmp(strategy, "override"))
			how = MERGE_OVERRIDE;
		else if (strategy && !strcmp(strategy, "add-only"))
			how = MERGE_ADD_ONLY;
		else if (strategy && strcmp(strategy, "append"))
			fprintf(stderr, "Warning: config_files[%u]: unknown strategy '%s', merged with append as Falco does\n",
				i, strategy);
		list[n].path = strdup(path);
		list[n++].how = how;
	}
	char *main_real = realpath(main_path, NULL);
	for (unsigned i = 0; i < n; i++) {
		struct stat st;
		if (ok && stat(list[i].path, &st) == 0) {
			char *real = realpath(list[i].path, NULL);
			if (!strcmp(list[i].path, main_path) || (real && main_real && !strcmp(real, main_real))) {
				fprintf(stderr,
					"Error: Config error: 'config_files' directive tried to recursively include main config file: %s.\n",
					main_path);
				ok = false;
			} else if (S_ISDIR(st.st_mode)) {
				ok = merge_directory(c, list[i].path, list[i].how);
			} else if (S_ISREG(st.st_mode)) {
				ok = merge_file(c, list[i].path, list[i].how);
			}
			free(real);
		}
		free(list[i].path);
	}
	free(main_real);
	return ok;
}

bool hr_config_load(struct hr_config *c, const char *path)
{
	free(c->path);
	c->path = strdup(path);
	char *text = hr_read_text_file(path);
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
	return ok && merge_config_files(c, path);
}

/* Falco's log line on stderr (when log_stderr is on and `level`, one of
 * syslog's LOG_* levels, passes log_level): "<date>: <message>", the date as ctime or, with
 * time_format_iso_8601, "2016-08-04T16:17:57+0000". */
void hr_config_log(const struct hr_config *c, int level, const char *fmt, ...)
{
	if (!hr_config_bool(c, "log_stderr", true))
		return;
	static const char *const levels[] = {"emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"};
	const char *lvl = hr_config_get(c, "log_level");
	unsigned want = LOG_INFO;
	for (unsigned i = 0; lvl && i < 8; i++)
		if (!strcmp(lvl, levels[i]))
			want = i;
	if ((unsigned)level > want)
		return;
	time_t now = time(NULL);
	struct tm tm;
	char stamp[64];
	if (hr_config_bool(c, "time_format_iso_8601", false)) {
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
	"syslog_output", "file_output", "http_output", "program_output", "webserver",
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
	"syscall_event_drops.simulate_drops", "http_output.enabled", "http_output.insecure", "http_output.echo",
	"http_output.mtls", "http_output.compress_uploads", "http_output.keep_alive", NULL,
};

/* Whole numbers Falco reads as such (unsigned). */
static const char *const count_keys[] = {
	"output_timeout", "outputs_queue.capacity", "http_output.max_consecutive_timeouts", NULL,
};

/* Keys of outputs Falco 0.44 no longer has and Harrier never had: gRPC
 * output and server were dropped in Falco 0.44 (its CHANGELOG). */
static const char *const removed_outputs[] = {"grpc_output", "grpc", NULL};

/* Falco's schema allows these under http_output and no others. */
static const char *const http_output_keys[] = {
	"enabled", "url", "user_agent", "insecure", "ca_cert", "ca_bundle", "ca_path", "mtls",
	"client_cert", "client_key", "echo", "compress_uploads", "keep_alive", "max_consecutive_timeouts", NULL,
};

static bool is_http_output_key(const char *k)
{
	static const char prefix[] = "http_output.";
	if (strncmp(k, prefix, sizeof prefix - 1))
		return true;
	for (unsigned i = 0; http_output_keys[i]; i++)
		if (!strcmp(k + sizeof prefix - 1, http_output_keys[i]))
			return true;
	return false;
}

static bool is_bool_text(const char *v)
{
	static const char *const words[] = {"true", "false", "yes", "no", "on", "off", "1", "0", NULL};
	for (unsigned i = 0; words[i]; i++)
		if (!strcasecmp(v, words[i]))
			return true;
	return false;
}

/* Unknown keys are warned about; values of the wrong type are fatal. */
bool hr_config_check(const struct hr_config *c)
{
	const char *name = c->path ? c->path : "command line";
	for (unsigned i = 0; i < c->n; i++) {
		const char *k = c->keys[i], *v = c->values[i];
		size_t top = strcspn(k, ".");
		bool known = false;
		for (unsigned j = 0; known_keys[j] && !known; j++)
			known = strlen(known_keys[j]) == top && !strncmp(known_keys[j], k, top);
		bool removed = false;
		for (unsigned j = 0; removed_outputs[j] && !removed; j++)
			removed = strlen(removed_outputs[j]) == top && !strncmp(removed_outputs[j], k, top);
		if (removed && hr_config_first_of_key(c, i))
			hr_config_log(c, LOG_WARNING,
				      "Configuration key '%s': the gRPC output and server were removed in Falco 0.44 and "
				      "Harrier does not implement them (ignored; use http_output)\n",
				      k);
		else if (!known && !removed)
			hr_config_log(c, LOG_WARNING, "Unknown configuration key '%.*s' (ignored)\n", (int)top, k);
		else if (!is_http_output_key(k) && hr_config_first_of_key(c, i))
			hr_config_log(c, LOG_WARNING, "Unknown configuration key '%s' (ignored)\n", k);
		for (unsigned j = 0; count_keys[j]; j++) {
			if (!strcmp(count_keys[j], k) && (!*v || v[strspn(v, "0123456789")])) {
				fprintf(stderr, "Error reading config file (%s): %s must be a whole number, not '%s'\n", name,
					k, v);
				return false;
			}
		}
		for (unsigned j = 0; bool_keys[j]; j++) {
			if (!strcmp(bool_keys[j], k) && !is_bool_text(v)) {
				fprintf(stderr, "Error reading config file (%s): %s must be a boolean (true or false), not '%s'\n",
					name, k, v);
				return false;
			}
		}
	}
	const char *url = hr_config_get(c, "http_output.url");
	if (hr_config_bool(c, "http_output.enabled", false) && (!url || !*url)) {
		fprintf(stderr, "Error reading config file (%s): http_output is enabled but http_output.url is not set\n",
			name);
		return false;
	}
	enum hr_priority p;
	const char *prio = hr_config_get(c, "priority");
	if (prio && !hr_priority_parse(prio, &p)) {
		fprintf(stderr, "Error reading config file (%s): Unknown priority value: %s\n", name, prio);
		return false;
	}
	static const char *const levels[] = {"emergency", "alert", "critical", "error", "warning", "notice", "info", "debug", NULL};
	const char *lvl = hr_config_get(c, "log_level");
	bool lvl_ok = !lvl;
	for (unsigned i = 0; levels[i] && !lvl_ok; i++)
		lvl_ok = !strcmp(lvl, levels[i]);
	if (!lvl_ok) {
		fprintf(stderr, "Error reading config file (%s): Unknown log level %s\n", name, lvl);
		return false;
	}
	return true;
}

/* ---- the container plugin's init_config ---- */

static bool strict_bool(const char *v, bool *out)
{
	if (!strcmp(v, "true") || !strcmp(v, "false")) {
		*out = v[0] == 't';
		return true;
	}
	return false;
}

/* engines.NAME.KEY (KEY: enabled, sockets.N): one of docker/podman's, or
 * of an engine Harrier does not ask. */
static bool read_engine_key(const char *name, const char *key, const char *value,
			    struct hr_container_runtime_config *rc, char *err, size_t errlen)
{
	static const char *const unasked[] = {"containerd", "cri", "lxc", "libvirt_lxc", "bpm", NULL};
	bool docker = !strcmp(name, "docker"), podman = !strcmp(name, "podman");
	if (!docker && !podman) {
		for (unsigned i = 0; unasked[i]; i++)
			if (!strcmp(name, unasked[i]))
				return true;
		snprintf(err, errlen, "container plugin: unknown engine '%s' in engines (docker, podman, containerd, cri, lxc, "
			 "libvirt_lxc, bpm)", name);
		return false;
	}
	if (!strcmp(key, "enabled")) {
		if (!strict_bool(value, docker ? &rc->docker_enabled : &rc->podman_enabled)) {
			snprintf(err, errlen, "container plugin: engines.%s.enabled must be true or false, not '%s'", name,
				 value);
			return false;
		}
		return true;
	}
	unsigned idx;
	int used = 0;
	if (sscanf(key, "sockets.%u%n", &idx, &used) == 1 && !key[used]) {
		if (idx >= HR_RUNTIME_MAX_SOCKETS) {
			snprintf(err, errlen, "container plugin: engines.%s.sockets lists more than %d sockets", name,
				 HR_RUNTIME_MAX_SOCKETS);
			return false;
		}
		if (!*value) {
			snprintf(err, errlen, "container plugin: engines.%s.sockets.%u is empty", name, idx);
			return false;
		}
		(docker ? rc->docker_sockets : rc->podman_sockets)[idx] = value;
		return true;
	}
	snprintf(err, errlen, "container plugin: unknown key engines.%s.%s (enabled, sockets)", name, key);
	return false;
}

bool hr_config_container_runtime(const struct hr_config *c, struct hr_container_runtime_config *rc, char *err,
				 size_t errlen)
{
	hr_container_runtime_config_default(rc);
	char prefix[64] = "";
	for (unsigned i = 0; i < c->n && !prefix[0]; i++) {
		unsigned idx;
		int used = 0;
		if (sscanf(c->keys[i], "plugins.%u.name%n", &idx, &used) == 1 && !c->keys[i][used] &&
		    !strcmp(hr_config_get(c, c->keys[i]), "container"))
			snprintf(prefix, sizeof prefix, "plugins.%u.init_config", idx);
	}
	if (!prefix[0])
		return true;
	size_t plen = strlen(prefix);
	/* sockets given replace the default list, in their order */
	const char *docker_default = rc->docker_sockets[0], *podman_default = rc->podman_sockets[0];
	rc->docker_sockets[0] = rc->podman_sockets[0] = NULL;
	for (unsigned i = 0; i < c->n; i++) {
		const char *k = c->keys[i];
		if (strncmp(k, prefix, plen) || !hr_config_first_of_key(c, i))
			continue;
		const char *v = hr_config_get(c, k);
		if (!k[plen]) {
			snprintf(err, errlen, "container plugin: init_config must be a map (label_max_len, engines, ...), not '%s'",
				 v);
			return false;
		}
		if (k[plen] != '.')
			continue;
		k += plen + 1;
		if (!strcmp(k, "label_max_len")) {
			char *end;
			long n = strtol(v, &end, 10);
			if (end == v || *end || n < 0 || n > (1l << 20)) {
				snprintf(err, errlen, "container plugin: label_max_len must be a number of bytes (0 to 1048576), not '%s'",
					 v);
				return false;
			}
			rc->label_max_len = (uint32_t)n;
		} else if (!strcmp(k, "with_size")) {
			bool b;
			if (!strict_bool(v, &b)) {
				snprintf(err, errlen, "container plugin: with_size must be true or false, not '%s'", v);
				return false;
			}
		} else if (!strncmp(k, "engines.", 8)) {
			char name[32];
			const char *dot = strchr(k + 8, '.');
			if (!dot || (size_t)(dot - (k + 8)) >= sizeof name) {
				snprintf(err, errlen, "container plugin: engines.%s must be a map (enabled, sockets)", k + 8);
				return false;
			}
			snprintf(name, sizeof name, "%.*s", (int)(dot - (k + 8)), k + 8);
			if (!read_engine_key(name, dot + 1, v, rc, err, errlen))
				return false;
		} else if (strncmp(k, "hooks.", 6)) {
			snprintf(err, errlen, "container plugin: unknown init_config key '%s'", k);
			return false;
		}
	}
	for (int e = 0; e < 2; e++) {
		const char **list = e ? rc->podman_sockets : rc->docker_sockets;
		for (int j = 1; j < HR_RUNTIME_MAX_SOCKETS; j++)
			if (list[j] && !list[j - 1]) {
				snprintf(err, errlen, "container plugin: engines.%s.sockets has a gap before entry %d",
					 e ? "podman" : "docker", j);
				return false;
			}
		if (!list[0])
			list[0] = e ? podman_default : docker_default;
	}
	return true;
}
