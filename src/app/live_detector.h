/*
 * The detector on the live probe: Falco's engine keys (engine.kind
 * modern_ebpf, buf_size_preset, cpus_for_each_buffer, falco_libs.snaplen)
 * turned into the probe's options, the rules' event types as the probe's
 * interest, the probe's drop counters behind drop monitoring, and a start
 * failure reported with its own exit code.
 */
#ifndef HR_LIVE_DETECTOR_H
#define HR_LIVE_DETECTOR_H

#include <stdint.h>

#include "app/config.h"
#include "app/detector.h"
#include "capture/source.h"

/* The per-CPU ring size the configuration asks for (the size of one of
 * Falco's buffers divided among the CPUs that share it, so that memory use
 * matches Falco's), or 0 with a message in `err` when the keys are
 * invalid. */
uint32_t hr_live_ring_bytes(const struct hr_config *c, unsigned online_cpus, char *err, size_t errlen);

/* Starts the probe for `d`. On failure prints the reason and returns NULL
 * with the exit code (enum hr_live_status, or 1 for configuration errors)
 * in *exit_code. */
struct hr_source *hr_live_detector_open(struct hr_detector *d, const struct hr_config *c, double max_seconds,
					int *exit_code);

#endif
