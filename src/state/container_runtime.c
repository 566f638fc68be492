/*
 * The container runtime worker (container_runtime.h): one thread that asks
 * the docker and podman APIs about the containers the state met, retries
 * lookups that found nothing, rechecks the containers it knows to notice
 * the ones that ended, and leaves its answers in a locked list the state
 * drains between events. Only the request and answer lists are shared;
 * the curl handle and the list of known containers are the worker's own.
 * The worker loads libcurl at its first request (lazy_curl.h), so that
 * neither the start nor a capture without containers pays for it.
 */
#include "state/container_runtime.h"
#include "state/lazy_curl.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "state/state_internal.h"

/* Answers larger than this are not container inspect answers. */
#define MAX_ANSWER_BYTES (4u << 20)

enum { ENGINES = 2 };
static const char *const engine_names[ENGINES] = {"docker", "podman"};

struct request {
	char full_id[80];
	enum hr_runtime_engine first;
	uint32_t attempts;
	uint64_t due_ns;
	struct request *next;
};

/* A container the worker found, rechecked every refresh_ms. */
struct known {
	char full_id[80];
	char id[80];
	enum hr_runtime_engine engine;
	const char *socket;
	uint64_t ended_ns; /* when it was first seen ended, 0 while it runs */
	struct known *next;
};

struct hr_container_runtime {
	struct hr_container_runtime_config cfg;
	char *sockets[ENGINES][HR_RUNTIME_MAX_SOCKETS]; /* copies; NULL ends */
	bool enabled[ENGINES];

	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	/* Under `lock`: */
	bool stopping;
	struct request *requests;
	struct hr_container_answer *answers, **answers_tail;
	atomic_bool has_answers;
	atomic_bool stop_now; /* set by stop: a request in flight gives up */
	/* Lookups queued, and those whose first attempt is over (its answer,
	 * when found, posted before the count grows): a live consumer may
	 * hold a new container's first events until then (hr_container_runtime_progress). */
	atomic_uint_fast64_t requested, first_tried;

	bool worker_started;

	/* The worker's own: */
	const struct hr_curl *curl_api; /* loaded at the first request */
	CURL *curl;
	struct known *known;
	uint64_t next_refresh_ns;
	bool warned_unreachable;
};

uint64_t hr_container_runtime_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void hr_container_runtime_config_default(struct hr_container_runtime_config *c)
{
	memset(c, 0, sizeof(*c));
	c->docker_enabled = true;
	c->docker_sockets[0] = "/var/run/docker.sock";
	c->podman_enabled = true;
	c->podman_sockets[0] = "/run/podman/podman.sock";
	c->label_max_len = 100;
	/* podman answers an inspect only once the container's start is over
	 * (it holds the container's lock): ~0.5 s on a quiet machine */
	c->request_timeout_ms = 2500;
	c->retry_ms = 250;
	c->max_attempts = 5;
	c->refresh_ms = 1000;
	c->evict_after_ms = 5000;
}

/* ---- HTTP over a unix socket ---- */

struct body {
	char *p;
	size_t len, cap;
	bool too_big;
};

static size_t on_data(char *data, size_t size, size_t n, void *ctx)
{
	struct body *b = ctx;
	size_t len = size * n;
	if (b->len + len > MAX_ANSWER_BYTES) {
		b->too_big = true;
		return 0;
	}
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + len + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			abort();
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
	b->p[b->len] = 0;
	return len;
}

/* Lets hr_container_runtime_stop end a request that waits on a slow runtime. */
static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	struct hr_container_runtime *rt = ctx;
	return atomic_load_explicit(&rt->stop_now, memory_order_relaxed) ? 1 : 0;
}

enum http_outcome { HTTP_ANSWERED, HTTP_UNREACHABLE };

/* GET `path` from the API at `socket`: the status and body, or unreachable
 * (with the reason in `why`). */
static enum http_outcome http_get(struct hr_container_runtime *rt, const char *socket, const char *path,
				  uint32_t timeout_ms, long *status, struct body *b, char *why, size_t whylen)
{
	struct stat st;
	if (stat(socket, &st) != 0) {
		snprintf(why, whylen, "%s: %s", socket, strerror(errno));
		return HTTP_UNREACHABLE;
	}
	if (!rt->curl) {
		char err[256] = "curl_easy_init failed";
		if (!rt->curl_api)
			rt->curl_api = hr_curl_load(err, sizeof(err));
		if (rt->curl_api)
			rt->curl = rt->curl_api->easy_init();
		if (!rt->curl) {
			snprintf(why, whylen, "%s: %s", socket, err);
			return HTTP_UNREACHABLE;
		}
	}
	const struct hr_curl *api = rt->curl_api;
	char url[256];
	snprintf(url, sizeof(url), "http://localhost%s", path);
	CURL *c = rt->curl;
	api->easy_reset(c);
	api->easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, socket);
	api->easy_setopt(c, CURLOPT_URL, url);
	api->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	api->easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	api->easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)timeout_ms);
	api->easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	api->easy_setopt(c, CURLOPT_WRITEDATA, b);
	api->easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	api->easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	api->easy_setopt(c, CURLOPT_XFERINFODATA, rt);
	b->len = 0;
	b->too_big = false;
	CURLcode rc = api->easy_perform(c);
	if (rc != CURLE_OK && !b->too_big) {
		snprintf(why, whylen, "%s: %s", socket, api->easy_strerror(rc));
		return HTTP_UNREACHABLE;
	}
	api->easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	if (b->too_big)
		*status = 0;
	return HTTP_ANSWERED;
}

/* ---- answers ---- */

static void post(struct hr_container_runtime *rt, const char *id, struct hr_container *info, bool failed)
{
	struct hr_container_answer *a = calloc(1, sizeof(*a));
	if (!a)
		abort();
	snprintf(a->id, sizeof(a->id), "%.12s", id);
	a->info = info;
	a->failed = failed;
	pthread_mutex_lock(&rt->lock);
	*rt->answers_tail = a;
	rt->answers_tail = &a->next;
	atomic_store_explicit(&rt->has_answers, true, memory_order_release);
	pthread_mutex_unlock(&rt->lock);
}

bool hr_container_runtime_has_answers(struct hr_container_runtime *rt)
{
	return atomic_load_explicit(&rt->has_answers, memory_order_acquire);
}

struct hr_container_answer *hr_container_runtime_take(struct hr_container_runtime *rt)
{
	if (!hr_container_runtime_has_answers(rt))
		return NULL;
	pthread_mutex_lock(&rt->lock);
	struct hr_container_answer *a = rt->answers;
	rt->answers = NULL;
	rt->answers_tail = &rt->answers;
	atomic_store_explicit(&rt->has_answers, false, memory_order_relaxed);
	pthread_mutex_unlock(&rt->lock);
	return a;
}

void hr_container_answers_free(struct hr_container_answer *a)
{
	while (a) {
		struct hr_container_answer *next = a->next;
		if (a->info)
			hr_container_free(a->info);
		free(a);
		a = next;
	}
}

/* ---- lookups ---- */

static void remember(struct hr_container_runtime *rt, const char *full_id, const char *id, enum hr_runtime_engine e,
		     const char *socket)
{
	for (struct known *k = rt->known; k; k = k->next)
		if (strcmp(k->id, id) == 0)
			return;
	struct known *k = calloc(1, sizeof(*k));
	if (!k)
		abort();
	snprintf(k->full_id, sizeof(k->full_id), "%s", full_id);
	snprintf(k->id, sizeof(k->id), "%s", id);
	k->engine = e;
	k->socket = socket;
	k->next = rt->known;
	rt->known = k;
}

/* Asks each enabled socket, the hinted engine's first. True when one knew
 * the container; *all_unreachable when none could be asked at all. */
static bool look_up(struct hr_container_runtime *rt, const struct request *rq, bool *all_unreachable, char *why,
		    size_t whylen)
{
	char path[160];
	snprintf(path, sizeof(path), "/v1.40/containers/%s/json", rq->full_id);
	struct body b = {0};
	bool found = false;
	*all_unreachable = true;
	why[0] = 0;
	for (int round = 0; round < ENGINES && !found; round++) {
		enum hr_runtime_engine e = round == 0 ? rq->first : (enum hr_runtime_engine)(1 - rq->first);
		if (!rt->enabled[e])
			continue;
		for (int i = 0; i < HR_RUNTIME_MAX_SOCKETS && rt->sockets[e][i] && !found; i++) {
			long status = 0;
			char reason[256];
			if (http_get(rt, rt->sockets[e][i], path, rt->cfg.request_timeout_ms, &status, &b, reason,
				     sizeof(reason)) != HTTP_ANSWERED) {
				size_t used = strlen(why);
				snprintf(why + used, whylen - used, "%s%s %s", used ? "; " : "", engine_names[e], reason);
				continue;
			}
			*all_unreachable = false;
			if (status != 200)
				continue;
			struct hr_container *info =
				hr_container_from_inspect(b.p, b.len, engine_names[e], rt->cfg.label_max_len);
			if (!info)
				continue;
			remember(rt, info->full_id.p, info->id, e, rt->sockets[e][i]);
			post(rt, info->id, info, false);
			found = true;
		}
	}
	free(b.p);
	return found;
}

static void serve(struct hr_container_runtime *rt, struct request *rq)
{
	bool unreachable;
	char why[1024];
	bool found = look_up(rt, rq, &unreachable, why, sizeof(why));
	if (rq->attempts == 0)
		atomic_fetch_add_explicit(&rt->first_tried, 1, memory_order_release);
	if (found) {
		rt->warned_unreachable = false;
		free(rq);
		return;
	}
	if (unreachable && !rt->warned_unreachable && !rt->cfg.quiet) {
		fprintf(stderr,
			"harrier: no container runtime could be asked about container %.12s (%s); "
			"its events carry container.id only until one answers\n",
			rq->full_id, why[0] ? why : "no runtime enabled");
		rt->warned_unreachable = true;
	}
	if (!unreachable)
		rt->warned_unreachable = false;
	if (++rq->attempts < rt->cfg.max_attempts) {
		rq->due_ns = hr_container_runtime_now_ns() + (uint64_t)rt->cfg.retry_ms * 1000000ull * (1ull << (rq->attempts - 1));
		pthread_mutex_lock(&rt->lock);
		rq->next = rt->requests;
		rt->requests = rq;
		pthread_mutex_unlock(&rt->lock);
		return;
	}
	post(rt, rq->full_id, NULL, true);
	free(rq);
}

/* Whether a first attempt is due: a refresh gives way to it. */
static bool first_attempt_due(struct hr_container_runtime *rt)
{
	uint64_t now = hr_container_runtime_now_ns();
	bool due = false;
	pthread_mutex_lock(&rt->lock);
	for (struct request *r = rt->requests; r && !due; r = r->next)
		due = r->attempts == 0 && r->due_ns <= now;
	pthread_mutex_unlock(&rt->lock);
	return due;
}

/* Rechecks the known containers: those the runtime no longer has, or has
 * as ended, are evicted evict_after_ms later. An unreachable runtime
 * evicts nothing. A refresh waits on the runtime at most
 * REFRESH_TIMEOUT_MS per container (podman answers only once a
 * container's start or removal is over: it holds the container's lock)
 * and stops early when a new container is to be looked up, so that the
 * events held for that lookup do not wait behind it. */
#define REFRESH_TIMEOUT_MS 300
static void refresh(struct hr_container_runtime *rt)
{
	struct body b = {0};
	struct known **link = &rt->known;
	while (*link && !first_attempt_due(rt)) {
		struct known *k = *link;
		char path[160], why[256];
		snprintf(path, sizeof(path), "/v1.40/containers/%s/json", k->full_id);
		long status = 0;
		bool ended = false;
		uint32_t timeout = rt->cfg.request_timeout_ms < REFRESH_TIMEOUT_MS ? rt->cfg.request_timeout_ms
										   : REFRESH_TIMEOUT_MS;
		if (http_get(rt, k->socket, path, timeout, &status, &b, why, sizeof(why)) == HTTP_ANSWERED)
			ended = status == 404 || (status == 200 && !hr_container_inspect_running(b.p, b.len));
		uint64_t now = hr_container_runtime_now_ns();
		if (ended && !k->ended_ns)
			k->ended_ns = now;
		if (ended && now - k->ended_ns >= (uint64_t)rt->cfg.evict_after_ms * 1000000ull) {
			post(rt, k->id, NULL, false);
			*link = k->next;
			free(k);
		} else {
			link = &k->next;
		}
	}
	free(b.p);
}

/* The next due request: first attempts before retries, so that a new
 * container's lookup (which a live consumer may be holding events for)
 * does not wait behind retries for containers that are likely gone. */
static struct request *take_due(struct hr_container_runtime *rt, uint64_t now, uint64_t *next_due)
{
	struct request **pick = NULL;
	for (struct request **link = &rt->requests; *link; link = &(*link)->next) {
		struct request *rq = *link;
		if (rq->due_ns > now) {
			if (rq->due_ns < *next_due)
				*next_due = rq->due_ns;
			continue;
		}
		if (!pick || (rq->attempts == 0 && (*pick)->attempts > 0))
			pick = link;
	}
	if (!pick)
		return NULL;
	struct request *rq = *pick;
	*pick = rq->next;
	return rq;
}

static void *worker(void *arg)
{
	struct hr_container_runtime *rt = arg;
	pthread_mutex_lock(&rt->lock);
	while (!rt->stopping) {
		uint64_t now = hr_container_runtime_now_ns(), next_due = UINT64_MAX;
		struct request *rq = take_due(rt, now, &next_due);
		if (rq) {
			pthread_mutex_unlock(&rt->lock);
			serve(rt, rq);
			pthread_mutex_lock(&rt->lock);
			continue;
		}
		if (rt->known && now >= rt->next_refresh_ns) {
			pthread_mutex_unlock(&rt->lock);
			refresh(rt);
			rt->next_refresh_ns = hr_container_runtime_now_ns() + (uint64_t)rt->cfg.refresh_ms * 1000000ull;
			pthread_mutex_lock(&rt->lock);
			continue;
		}
		if (rt->known && rt->next_refresh_ns < next_due)
			next_due = rt->next_refresh_ns;
		if (next_due == UINT64_MAX) {
			pthread_cond_wait(&rt->wake, &rt->lock);
		} else {
			struct timespec ts = {(time_t)(next_due / 1000000000ull), (long)(next_due % 1000000000ull)};
			pthread_cond_timedwait(&rt->wake, &rt->lock, &ts);
		}
	}
	pthread_mutex_unlock(&rt->lock);
	return NULL;
}

/* ---- life cycle ---- */

struct hr_container_runtime *hr_container_runtime_start(const struct hr_container_runtime_config *c)
{
	struct hr_container_runtime *rt = calloc(1, sizeof(*rt));
	if (!rt)
		abort();
	rt->cfg = *c;
	rt->enabled[HR_ENGINE_DOCKER] = c->docker_enabled;
	rt->enabled[HR_ENGINE_PODMAN] = c->podman_enabled;
	for (int i = 0; i < HR_RUNTIME_MAX_SOCKETS; i++) {
		if (c->docker_sockets[i] && (i == 0 || rt->sockets[HR_ENGINE_DOCKER][i - 1]))
			rt->sockets[HR_ENGINE_DOCKER][i] = strdup(c->docker_sockets[i]);
		if (c->podman_sockets[i] && (i == 0 || rt->sockets[HR_ENGINE_PODMAN][i - 1]))
			rt->sockets[HR_ENGINE_PODMAN][i] = strdup(c->podman_sockets[i]);
	}
	/* The caller's strings are not kept: only the copies above are used. */
	for (int i = 0; i < HR_RUNTIME_MAX_SOCKETS; i++)
		rt->cfg.docker_sockets[i] = rt->cfg.podman_sockets[i] = NULL;
	rt->answers_tail = &rt->answers;
	atomic_init(&rt->has_answers, false);
	atomic_init(&rt->stop_now, false);
	atomic_init(&rt->requested, 0);
	atomic_init(&rt->first_tried, 0);
	pthread_mutex_init(&rt->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&rt->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&rt->thread, NULL, worker, rt) != 0) {
		hr_container_runtime_stop(rt);
		return NULL;
	}
	rt->worker_started = true;
	return rt;
}

void hr_container_runtime_stop(struct hr_container_runtime *rt)
{
	if (!rt)
		return;
	if (rt->worker_started) {
		atomic_store(&rt->stop_now, true);
		pthread_mutex_lock(&rt->lock);
		rt->stopping = true;
		pthread_cond_signal(&rt->wake);
		pthread_mutex_unlock(&rt->lock);
		pthread_join(rt->thread, NULL);
		if (rt->curl)
			rt->curl_api->easy_cleanup(rt->curl);
	}
	while (rt->requests) {
		struct request *rq = rt->requests;
		rt->requests = rq->next;
		free(rq);
	}
	while (rt->known) {
		struct known *k = rt->known;
		rt->known = k->next;
		free(k);
	}
	hr_container_answers_free(rt->answers);
	for (int e = 0; e < ENGINES; e++)
		for (int i = 0; i < HR_RUNTIME_MAX_SOCKETS; i++)
			free(rt->sockets[e][i]);
	pthread_mutex_destroy(&rt->lock);
	pthread_cond_destroy(&rt->wake);
	free(rt);
}

void hr_container_runtime_request(struct hr_container_runtime *rt, const char *full_id, enum hr_runtime_engine first)
{
	struct request *rq = calloc(1, sizeof(*rq));
	if (!rq)
		abort();
	snprintf(rq->full_id, sizeof(rq->full_id), "%s", full_id);
	rq->first = first;
	pthread_mutex_lock(&rt->lock);
	for (struct request *r = rt->requests; r; r = r->next) {
		if (strcmp(r->full_id, full_id) == 0) {
			pthread_mutex_unlock(&rt->lock);
			free(rq);
			return;
		}
	}
	rq->next = rt->requests;
	rt->requests = rq;
	atomic_fetch_add_explicit(&rt->requested, 1, memory_order_relaxed);
	pthread_cond_signal(&rt->wake);
	pthread_mutex_unlock(&rt->lock);
}

void hr_container_runtime_progress(struct hr_container_runtime *rt, uint64_t *requested, uint64_t *first_tried)
{
	/* first_tried first: a lookup counted there is counted in requested too */
	*first_tried = atomic_load_explicit(&rt->first_tried, memory_order_acquire);
	*requested = atomic_load_explicit(&rt->requested, memory_order_relaxed);
}
