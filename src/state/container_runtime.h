/*
 * Container metadata from the runtimes' Docker-compatible API (docker and
 * podman) over their unix sockets, looked up by a worker thread with
 * libcurl so that the event loop never waits on a runtime. The state asks
 * (hr_container_runtime_request) and takes the answers between events
 * (hr_container_runtime_take); nothing else is shared with the worker.
 *
 * The configuration mirrors Falco's container plugin (init_config):
 *   engines.docker.enabled / engines.docker.sockets  -> docker_enabled / docker_sockets
 *   engines.podman.enabled / engines.podman.sockets  -> podman_enabled / podman_sockets
 *   label_max_len                                     -> label_max_len
 */
#ifndef HR_CONTAINER_RUNTIME_H
#define HR_CONTAINER_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state/state.h"

#define HR_RUNTIME_MAX_SOCKETS 4

struct hr_container_runtime_config {
	bool docker_enabled;
	const char *docker_sockets[HR_RUNTIME_MAX_SOCKETS]; /* unix socket paths; NULL ends the list */
	bool podman_enabled;
	const char *podman_sockets[HR_RUNTIME_MAX_SOCKETS];
	uint32_t label_max_len;      /* labels with longer values are left out (Falco: 100) */
	uint32_t request_timeout_ms; /* one API request at most this long */
	uint32_t retry_ms;           /* a failed lookup is tried again after this (doubling) */
	uint32_t max_attempts;       /* tries per lookup before it counts as failed */
	uint32_t refresh_ms;         /* known containers are checked this often */
	uint32_t evict_after_ms;     /* an ended container is evicted this long after it was seen ended,
				      * so that its last events, still queued, keep their metadata */
	bool quiet;                  /* no warnings on stderr (unreachable sockets) */
};

/* Falco's defaults: docker at /var/run/docker.sock, podman at
 * /run/podman/podman.sock (root) — both enabled. */
void hr_container_runtime_config_default(struct hr_container_runtime_config *c);

/* Starts the worker (the socket paths are copied). NULL only when the
 * thread cannot be created. Stop it after freeing the state it serves. */
struct hr_container_runtime *hr_container_runtime_start(const struct hr_container_runtime_config *c);
void hr_container_runtime_stop(struct hr_container_runtime *rt);

/* The clock of the runtime's timers (CLOCK_MONOTONIC, ns), which the state
 * also uses for its lookup retries. */
uint64_t hr_container_runtime_now_ns(void);

/* ---- for the state (state_containers.c) and tests ---- */

/* Which API to ask first, from the cgroup layout the id was found in. */
enum hr_runtime_engine { HR_ENGINE_DOCKER, HR_ENGINE_PODMAN };

/* Queues a lookup of `full_id` (64 hex digits, or a short id); never blocks. */
void hr_container_runtime_request(struct hr_container_runtime *rt, const char *full_id, enum hr_runtime_engine first);

/* One answer: `info` is the container (owned by the answer), or NULL when
 * the container `id` ended (evict it) or no runtime knew it (`failed`). */
struct hr_container_answer {
	char id[80];          /* the 12-character id the state keys on */
	struct hr_container *info;
	bool failed;
	struct hr_container_answer *next;
};

/* How many lookups were queued, and how many of them have had their first
 * attempt (a found container's answer already waits by then). While
 * first_tried < requested a new container's metadata may be on its way;
 * its events can be held that long (app/detector.c does, bounded). */
void hr_container_runtime_progress(struct hr_container_runtime *rt, uint64_t *requested, uint64_t *first_tried);

/* True when answers wait (one atomic load: cheap enough for every event). */
bool hr_container_runtime_has_answers(struct hr_container_runtime *rt);
/* Takes every waiting answer, oldest first; free them with
 * hr_container_answers_free after taking what they own. */
struct hr_container_answer *hr_container_runtime_take(struct hr_container_runtime *rt);
void hr_container_answers_free(struct hr_container_answer *a);

/* Frees a container and everything it owns. */
void hr_container_free(struct hr_container *c);

/*
 * A Docker-compatible `GET /containers/{id}/json` answer as container
 * metadata (name, image and its repository/tag/id/digest, privileged,
 * mounts, labels, ip, host namespaces, start time). Returns NULL when the
 * text is not such an answer. `type` names the engine ("docker", "podman").
 */
struct hr_container *hr_container_from_inspect(const char *json, size_t len, const char *type,
					       uint32_t label_max_len);

/* Mounts ([{Source, Destination, Mode, RW, Propagation}]) and labels
 * ({key: value}), as the API and sysdig's container records write them. */
struct hr_json;
void hr_container_set_mounts(struct hr_container *c, const struct hr_json *mounts);
void hr_container_set_labels(struct hr_container *c, const struct hr_json *labels, uint32_t label_max_len);
/* The health probes of sysdig's container record ("Healthcheck",
 * "LivenessProbe", "ReadinessProbe": {"exe", "args"}). */
void hr_container_set_record_probes(struct hr_container *c, const struct hr_json *record);

/* The container's state in the same answer: false once it has ended. */
bool hr_container_inspect_running(const char *json, size_t len);

#endif
