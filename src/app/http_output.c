/* Falco's http_output, posted from a worker thread (see http_output.h). */
#include "app/http_output.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "state/lazy_curl.h"

/* Falco 0.44's defaults (configuration.cpp, falco.yaml). */
#define DEFAULT_USER_AGENT "falcosecurity/falco"
#define DEFAULT_CA_PATH "/etc/ssl/certs"
#define DEFAULT_CLIENT_CERT "/etc/ssl/certs/client.crt"
#define DEFAULT_CLIENT_KEY "/etc/ssl/certs/client.key"
#define DEFAULT_OUTPUT_TIMEOUT_MS 2000
#define DEFAULT_MAX_CONSECUTIVE_TIMEOUTS 5

struct queued_alert {
	struct queued_alert *next;
	size_t len;
	char msg[]; /* NUL-terminated */
};

struct hr_http_output {
	const struct hr_config *c;
	const struct hr_curl *api;
	CURL *curl;
	struct curl_slist *headers;
	char *url;
	long timeout_ms;
	unsigned max_timeouts;
	char curl_error[CURL_ERROR_SIZE];

	pthread_t worker;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	/* under `lock` */
	struct queued_alert *head, *tail;
	size_t queued, capacity;
	bool stopping;
	uint64_t dropped;
	/* CLOCK_MONOTONIC ns after which the worker gives up; 0 until closing.
	 * Atomic: libcurl's progress callback reads it mid-transfer. */
	_Atomic int64_t deadline_ns;

	/* the worker's own until it is joined */
	uint64_t delivered, failed, rejected, discarded;
};

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static bool past_deadline(struct hr_http_output *h)
{
	int64_t d = atomic_load(&h->deadline_ns);
	return d && now_ns() >= d;
}

/* One log line, not interleaved with the main thread's (flockfile is
 * recursive, hr_config_log's writes take the same lock). */
static void log_line(const struct hr_config *c, int level, const char *line)
{
	flockfile(stderr);
	hr_config_log(c, level, "%s\n", line);
	funlockfile(stderr);
}

static long config_long(const struct hr_config *c, const char *key, long dflt)
{
	const char *v = hr_config_get(c, key);
	if (!v || !*v)
		return dflt;
	char *end;
	long n = strtol(v, &end, 10);
	return *end ? dflt : n;
}

static const char *config_text(const struct hr_config *c, const char *key, const char *dflt)
{
	const char *v = hr_config_get(c, key);
	return v ? v : dflt;
}

/* Falco accepts the URL with surrounding quotes (as -o passes them). */
static char *unquoted(const char *s)
{
	size_t n = strlen(s);
	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0])
		return strndup(s + 1, n - 2);
	return strdup(s);
}

static size_t discard_answer(void *data, size_t size, size_t nmemb, void *user)
{
	(void)data;
	(void)user;
	return size * nmemb;
}

/* Ends a transfer that is still running when closing's time is up. */
static int abort_when_late(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return past_deadline(user) ? 1 : 0;
}

/* Falco's handle options; false on the first that libcurl refuses (one
 * that is compiled out of this libcurl is let pass, as Falco does). */
static bool set_options(struct hr_http_output *h, bool json, CURLcode *failed)
{
	const struct hr_config *c = h->c;
	const struct hr_curl *api = h->api;
	CURL *k = h->curl;
	CURLcode res = CURLE_OK;
#define SET(opt, val)                                                                                                  \
	do {                                                                                                           \
		if (res == CURLE_OK || res == CURLE_NOT_BUILT_IN)                                                      \
			res = api->easy_setopt(k, opt, val);                                                           \
	} while (0)
	h->headers = api->slist_append(NULL, json ? "Content-Type: application/json" : "Content-Type: text/plain");
	if (!h->headers) {
		*failed = CURLE_OUT_OF_MEMORY;
		return false;
	}
	SET(CURLOPT_HTTPHEADER, h->headers);
	SET(CURLOPT_URL, h->url);
	SET(CURLOPT_USERAGENT, config_text(c, "http_output.user_agent", DEFAULT_USER_AGENT));
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_TIMEOUT_MS, h->timeout_ms);
	SET(CURLOPT_ERRORBUFFER, h->curl_error);
	SET(CURLOPT_NOPROGRESS, 0L);
	SET(CURLOPT_XFERINFOFUNCTION, abort_when_late);
	SET(CURLOPT_XFERINFODATA, h);
	if (hr_config_bool(c, "http_output.insecure", false)) {
		SET(CURLOPT_SSL_VERIFYPEER, 0L);
		SET(CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (hr_config_bool(c, "http_output.mtls", false)) {
		SET(CURLOPT_SSLCERT, config_text(c, "http_output.client_cert", DEFAULT_CLIENT_CERT));
		SET(CURLOPT_SSLKEY, config_text(c, "http_output.client_key", DEFAULT_CLIENT_KEY));
	}
	const char *ca_cert = config_text(c, "http_output.ca_cert", "");
	const char *ca_bundle = config_text(c, "http_output.ca_bundle", "");
	if (*ca_cert)
		SET(CURLOPT_CAINFO, ca_cert);
	else if (*ca_bundle)
		SET(CURLOPT_CAINFO, ca_bundle);
	else
		SET(CURLOPT_CAPATH, config_text(c, "http_output.ca_path", DEFAULT_CA_PATH));
	/* echo: libcurl's default writer prints the sink's answers on stdout */
	if (!hr_config_bool(c, "http_output.echo", false))
		SET(CURLOPT_WRITEFUNCTION, discard_answer);
	if (hr_config_bool(c, "http_output.compress_uploads", false))
		SET(CURLOPT_TRANSFER_ENCODING, 1L);
	if (hr_config_bool(c, "http_output.keep_alive", false))
		SET(CURLOPT_TCP_KEEPALIVE, 1L);
#undef SET
	*failed = res;
	return res == CURLE_OK || res == CURLE_NOT_BUILT_IN;
}

static void send_alert(struct hr_http_output *h, const struct queued_alert *a)
{
	const struct hr_curl *api = h->api;
	api->easy_setopt(h->curl, CURLOPT_POSTFIELDS, a->msg);
	api->easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE, (long)a->len);
	CURLcode res;
	unsigned attempts = 0;
	/* Falco tries again after a timeout, up to max_consecutive_timeouts
	 * more times */
	do {
		h->curl_error[0] = '\0';
		res = api->easy_perform(h->curl);
		attempts++;
	} while (res == CURLE_OPERATION_TIMEDOUT && attempts <= h->max_timeouts && !past_deadline(h));
	char line[1024 + CURL_ERROR_SIZE];
	/* still in flight when closing's time ran out */
	if (res == CURLE_ABORTED_BY_CALLBACK || (res == CURLE_OPERATION_TIMEDOUT && past_deadline(h))) {
		h->discarded++;
		return;
	}
	if (res != CURLE_OK) {
		h->failed++;
		snprintf(line, sizeof line, "http_output: could not post an alert to %s: %s%s%s%s", h->url,
			 api->easy_strerror(res), h->curl_error[0] ? " (" : "", h->curl_error,
			 h->curl_error[0] ? ")" : "");
		log_line(h->c, LOG_ERR, line);
		return;
	}
	long status = 0;
	api->easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299) {
		h->rejected++;
		snprintf(line, sizeof line, "http_output: %s answered HTTP %ld to an alert", h->url, status);
		log_line(h->c, LOG_ERR, line);
		return;
	}
	h->delivered++;
}

static void *post_queued_alerts(void *arg)
{
	struct hr_http_output *h = arg;
	pthread_mutex_lock(&h->lock);
	for (;;) {
		while (!h->head && !h->stopping)
			pthread_cond_wait(&h->wake, &h->lock);
		struct queued_alert *a = h->head;
		if (!a)
			break;
		h->head = a->next;
		if (!h->head)
			h->tail = NULL;
		h->queued--;
		pthread_mutex_unlock(&h->lock);
		if (past_deadline(h))
			h->discarded++;
		else
			send_alert(h, a);
		free(a);
		pthread_mutex_lock(&h->lock);
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

static void free_output(struct hr_http_output *h)
{
	if (h->curl)
		h->api->easy_cleanup(h->curl);
	if (h->headers)
		h->api->slist_free_all(h->headers);
	free(h->url);
	free(h);
}

struct hr_http_output *hr_http_output_open(const struct hr_config *c)
{
	if (!hr_config_bool(c, "http_output.enabled", false))
		return NULL;
	char err[512];
	const char *url = hr_config_get(c, "http_output.url");
	if (!url || !*url) {
		/* hr_config_check refuses this configuration first */
		log_line(c, LOG_ERR, "Failed to init output: http_output enabled without a url");
		return NULL;
	}
	const struct hr_curl *api = hr_curl_load(err, sizeof err);
	if (!api) {
		char line[sizeof err + 64];
		snprintf(line, sizeof line, "Failed to init output: http_output: %s", err);
		log_line(c, LOG_ERR, line);
		return NULL;
	}
	struct hr_http_output *h = calloc(1, sizeof *h);
	if (!h) {
		log_line(c, LOG_ERR, "Failed to init output: http_output: out of memory");
		return NULL;
	}
	h->c = c;
	h->api = api;
	h->url = unquoted(url);
	h->timeout_ms = config_long(c, "output_timeout", DEFAULT_OUTPUT_TIMEOUT_MS);
	if (h->timeout_ms <= 0)
		h->timeout_ms = DEFAULT_OUTPUT_TIMEOUT_MS;
	/* Falco keeps the low byte of the number */
	h->max_timeouts =
		(unsigned)config_long(c, "http_output.max_consecutive_timeouts", DEFAULT_MAX_CONSECUTIVE_TIMEOUTS) & 0xFF;
	long capacity = config_long(c, "outputs_queue.capacity", 0);
	h->capacity = capacity > 0 ? (size_t)capacity : HR_HTTP_DEFAULT_QUEUE_CAPACITY;
	h->curl = api->easy_init();
	CURLcode res = CURLE_FAILED_INIT;
	if (!h->url || !h->curl || !set_options(h, hr_config_bool(c, "json_output", false), &res)) {
		snprintf(err, sizeof err, "Failed to init output: http_output: libcurl error: %s", api->easy_strerror(res));
		log_line(c, LOG_ERR, err);
		free_output(h);
		return NULL;
	}
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->wake, NULL);
	/* Signals stay with the main thread, whose loop watches for them. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&h->worker, NULL, post_queued_alerts, h);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		log_line(c, LOG_ERR, "Failed to init output: http_output: cannot start its thread");
		pthread_cond_destroy(&h->wake);
		pthread_mutex_destroy(&h->lock);
		free_output(h);
		return NULL;
	}
	char line[1024];
	snprintf(line, sizeof line, "Enabled http_output: alerts are posted to %s", h->url);
	log_line(c, LOG_INFO, line);
	return h;
}

void hr_http_output_post(struct hr_http_output *h, const char *msg, size_t len)
{
	struct queued_alert *a = malloc(sizeof *a + len + 1);
	if (a) {
		a->next = NULL;
		a->len = len;
		memcpy(a->msg, msg, len);
		a->msg[len] = '\0';
	}
	pthread_mutex_lock(&h->lock);
	bool first_drop = false;
	if (!a || h->queued >= h->capacity) {
		first_drop = h->dropped++ == 0;
		pthread_mutex_unlock(&h->lock);
		free(a);
		if (first_drop) {
			char line[1024];
			snprintf(line, sizeof line,
				 "http_output: %zu alerts already wait for %s (outputs_queue.capacity): dropping alerts "
				 "until it catches up; going on",
				 h->capacity, h->url);
			log_line(h->c, LOG_ERR, line);
		}
		return;
	}
	if (h->tail)
		h->tail->next = a;
	else
		h->head = a;
	h->tail = a;
	h->queued++;
	pthread_cond_signal(&h->wake);
	pthread_mutex_unlock(&h->lock);
}

void hr_http_output_close(struct hr_http_output *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	h->stopping = true;
	atomic_store(&h->deadline_ns, now_ns() + (int64_t)h->timeout_ms * 1000000);
	pthread_cond_signal(&h->wake);
	pthread_mutex_unlock(&h->lock);
	pthread_join(h->worker, NULL);
	uint64_t lost = h->failed + h->rejected + h->dropped + h->discarded;
	if (lost) {
		char line[1024];
		snprintf(line, sizeof line,
			 "http_output: %llu of %llu alerts did not reach %s (%llu failed, %llu refused by the server, "
			 "%llu dropped as the queue was full, %llu still queued output_timeout=%ld ms after the end)",
			 (unsigned long long)lost, (unsigned long long)(lost + h->delivered), h->url,
			 (unsigned long long)h->failed, (unsigned long long)h->rejected, (unsigned long long)h->dropped,
			 (unsigned long long)h->discarded, h->timeout_ms);
		log_line(h->c, LOG_ERR, line);
	}
	pthread_cond_destroy(&h->wake);
	pthread_mutex_destroy(&h->lock);
	free_output(h);
}
