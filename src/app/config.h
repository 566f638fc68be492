/*
 * The detector's configuration: Falco's falco.yaml keys flattened to dotted
 * paths ("stdout_output.enabled", list entries as "rules_files.0"), then
 * -o overrides, later entries winning; type checks of the known keys; and
 * Falco's log lines, which the configuration governs (log_stderr,
 * log_level, time_format_iso_8601).
 */
#ifndef HR_APP_CONFIG_H
#define HR_APP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define HR_CONFIG_MAX_ENTRIES 1024

struct hr_config {
	const char *keys[HR_CONFIG_MAX_ENTRIES];
	const char *values[HR_CONFIG_MAX_ENTRIES];
	unsigned n;
	char *path; /* the configuration file read, if any */
};

/* Reads a YAML configuration file into `c` (its scalars under their dotted
 * paths). False with a message on stderr. */
bool hr_config_load(struct hr_config *c, const char *path);

/* An -o KEY=VALUE override: `key` (of `len` bytes) is dotted, with list
 * indexes written key[N] (replaces an entry) or key[] (appends). */
void hr_config_override(struct hr_config *c, const char *key, size_t len, const char *value);

void hr_config_free(struct hr_config *c);

/* The last value given for `key`, or NULL. */
const char *hr_config_get(const struct hr_config *c, const char *key);
bool hr_config_bool(const struct hr_config *c, const char *key, bool dflt);

/* Whether entry `i` is the first with its key (an overridden key is used
 * once, with its last value, when walking the entries). */
bool hr_config_first_of_key(const struct hr_config *c, unsigned i);

/* Unknown top-level keys are warned about; values of the wrong type are
 * fatal (false, message on stderr). */
bool hr_config_check(const struct hr_config *c);

/* Without -c: the checkout's config/harrier.yaml next to the build
 * directory holding this program, else /etc/harrier/harrier.yaml; NULL if
 * neither exists. Caller frees. */
char *hr_config_default_path(void);

/* A path from the configuration: relative ones are relative to the
 * configuration file's directory. Caller frees. */
char *hr_config_relative(const struct hr_config *c, const char *path);

/* Falco's log line on stderr when log_stderr is on and `level` (one of
 * syslog's LOG_* levels) passes log_level. */
void hr_config_log(const struct hr_config *c, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Falco's container plugin settings as Harrier's container runtime
 * configuration (state/container_runtime.h): the init_config of the
 * `plugins` entry named "container", written as a YAML map:
 *   label_max_len: N                       (0..1048576)
 *   engines.docker.enabled / .podman.enabled: true|false
 *   engines.docker.sockets / .podman.sockets: [unix socket paths]
 *                                            (at most HR_RUNTIME_MAX_SOCKETS)
 *   with_size, hooks, and the engines Harrier does not ask (containerd, cri,
 *   lxc, libvirt_lxc, bpm): accepted, without effect.
 * Unset keys keep Falco's defaults. The socket strings stay the
 * configuration's. False with a message in `err` on an invalid value.
 */
struct hr_container_runtime_config;
bool hr_config_container_runtime(const struct hr_config *c, struct hr_container_runtime_config *rc, char *err,
				 size_t errlen);

/* The whole file as a NUL-terminated string, or NULL. Caller frees. */
char *hr_read_text_file(const char *path);

#endif
