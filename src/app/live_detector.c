/* The detector on the live probe (see live_detector.h). */
#include "app/live_detector.h"
#include "state/container_runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "app/live_privileges.h"
#include "capture/live/live_source.h"

/* Falco's buf_size_preset sizes; index 0 is reserved. */
static const uint32_t preset_bytes[] = {0, 1u << 20, 1u << 21, 1u << 22, 1u << 23, 1u << 24,
					1u << 25, 1u << 26, 1u << 27, 1u << 28, 1u << 29};
enum { DEFAULT_PRESET = 4, DEFAULT_CPUS_FOR_EACH_BUFFER = 2 };

/* The first of `keys` that is set (newest Falco spelling first). */
static const char *first_set(const struct hr_config *c, const char *const *keys)
{
	for (unsigned i = 0; keys[i]; i++) {
		const char *v = hr_config_get(c, keys[i]);
		if (v)
			return v;
	}
	return NULL;
}

static bool parse_number(const char *s, long min, long max, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (end == s || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

uint32_t hr_live_ring_bytes(const struct hr_config *c, unsigned online_cpus, char *err, size_t errlen)
{
	/* Harrier's own key: the per-CPU ring size in bytes, exactly */
	const char *exact = hr_config_get(c, "engine.modern_ebpf.ring_bytes");
	long v;
	if (exact) {
		if (!parse_number(exact, 1, 1l << 30, &v) || (v & (v - 1)) || v < getpagesize()) {
			snprintf(err, errlen, "engine.modern_ebpf.ring_bytes must be a power of two of at least %d bytes, not '%s'",
				 getpagesize(), exact);
			return 0;
		}
		return (uint32_t)v;
	}
	static const char *const preset_keys[] = {"engine.modern_ebpf.buf_size_preset", "syscall_buf_size_preset", NULL};
	static const char *const cpus_keys[] = {"engine.modern_ebpf.cpus_for_each_buffer",
						"modern_bpf.cpus_for_each_syscall_buffer", NULL};
	long preset = DEFAULT_PRESET, cpus = DEFAULT_CPUS_FOR_EACH_BUFFER;
	const char *p = first_set(c, preset_keys), *n = first_set(c, cpus_keys);
	if (p && !parse_number(p, 1, 10, &preset)) {
		snprintf(err, errlen, "The 'buf_size_preset' value must be between '1' and '10'");
		return 0;
	}
	if (n && !parse_number(n, 0, 65535, &cpus)) {
		snprintf(err, errlen, "engine.modern_ebpf.cpus_for_each_buffer must be a number of CPUs, not '%s'", n);
		return 0;
	}
	if (cpus > (long)online_cpus) {
		hr_config_log(c, LOG_WARNING,
			      "you required a buffer every '%ld' CPUs but there are only '%u' online CPUs. Harrier changed "
			      "the config to: one buffer every '%u' CPUs\n",
			      cpus, online_cpus, online_cpus);
		cpus = online_cpus;
	}
	if (cpus == 0) /* one buffer for all CPUs */
		cpus = online_cpus ? online_cpus : 1;
	uint32_t bytes = preset_bytes[preset];
	hr_config_log(c, LOG_INFO, "The chosen syscall buffer dimension is: %u bytes (%u MBs)\n", bytes, bytes >> 20);
	/* Harrier's probe has one ring per CPU: a buffer shared by N CPUs
	 * becomes N rings of 1/N of its size (a power of two, at least a page) */
	uint32_t per_cpu = 1;
	while (per_cpu * 2 <= bytes / (uint32_t)cpus)
		per_cpu *= 2;
	if (per_cpu < (uint32_t)getpagesize())
		per_cpu = (uint32_t)getpagesize();
	return per_cpu;
}

static bool wants_type(void *detector, uint16_t type)
{
	return hr_detector_wants_type(detector, type);
}

static bool wants_syscall(void *detector, const char *name)
{
	return hr_detector_wants_syscall(detector, name);
}

/* The probe's per-CPU counters as drop monitoring counts them. */
static bool read_probe_counts(void *src, struct hr_drop_counts *out)
{
	struct hr_live_stats st;
	hr_live_stats(src, &st);
	out->drops_buffer = st.drops_full;
	out->drops_fault = st.drops_read;
	out->drops = st.drops_full + st.drops_read;
	out->events = st.events + out->drops;
	return true;
}

struct hr_source *hr_live_detector_open(struct hr_detector *d, const struct hr_config *c, double max_seconds,
					int *exit_code)
{
	char err[4096];
	if (geteuid() == 0 && !hr_live_privileges_ok(err, sizeof err)) {
		fprintf(stderr, "Error: live capture needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN; this process lacks %s\n",
			err);
		*exit_code = HR_LIVE_NOT_ROOT;
		return NULL;
	}
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	uint32_t ring = hr_live_ring_bytes(c, online > 0 ? (unsigned)online : 1, err, sizeof err);
	if (!ring) {
		fprintf(stderr, "Error: %s\n", err);
		*exit_code = 1;
		return NULL;
	}
	struct hr_container_runtime_config rc;
	if (!hr_config_container_runtime(c, &rc, err, sizeof err)) {
		fprintf(stderr, "Error: %s\n", err);
		*exit_code = 1;
		return NULL;
	}
	long snaplen = 0;
	const char *sl = hr_config_get(c, "falco_libs.snaplen");
	if (sl && !parse_number(sl, 0, 1 << 16, &snaplen)) {
		fprintf(stderr, "Error: falco_libs.snaplen must be a number of bytes, not '%s'\n", sl);
		*exit_code = 1;
		return NULL;
	}
	hr_config_log(c, LOG_INFO, "Opening 'syscall' source with modern BPF probe (one %u-byte ring per CPU).\n", ring);
	struct hr_live_options opt = {
		.snaplen = (uint32_t)snaplen,
		.ring_bytes = ring,
		.duration_s = max_seconds,
		.on_idle = hr_detector_idle,
		.idle_ctx = d,
		.want_event = wants_type,
		.want_syscall = wants_syscall,
		.want_ctx = d,
	};
	enum hr_live_status status;
	struct hr_source *src = hr_live_open(&opt, &status, err, sizeof err);
	if (!src) {
		fprintf(stderr, "Error: %s\n", err);
		*exit_code = (int)status;
		return NULL;
	}
	d->live = true;
	/* container metadata from docker/podman, looked up off the event loop */
	d->runtime = hr_container_runtime_start(&rc);
	if (d->runtime)
		hr_state_attach_container_runtime(d->state, d->runtime);
	d->drops.read_counts = read_probe_counts;
	d->drops.counts_ctx = src;
	return src;
}
