/*
 * Unit tests of container awareness (src/state/container_*.c, json_doc.c):
 * the JSON reader, the runtime's container inspect answers (recorded from
 * podman 4.3 on these machines, and a docker-shaped one) turned into
 * metadata, and the runtime worker end to end against a fake API served on
 * a unix socket by this test: lookup, hand-over between events, eviction,
 * and a socket that is down (the state never waits); Falco's container
 * plugin settings read into the runtime's configuration (app/config.c);
 * the hold of live events for a new container's lookup (container_hold.c).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "app/config.h"
#include "capture/scap_reader.h"
#include "state/container_hold.h"
#include "state/container_runtime.h"
#include "state/json_doc.h"
#include "state/state.h"

#define UNIT_SUITE "containers"
#include "unit_check.h"

static const char *str(const struct hr_bytes *b)
{
	return b->p ? b->p : "";
}

#define FULL_ID "04f085ca216172defd6e1eb5cf7a34a943d2151e91b129a3b68fa97b46ed012c"

/* podman 4.3.1's answer to GET /v1.40/containers/<id>/json for
 * `podman run --privileged --label team=blue -v /tmp:/data:ro ...`
 * (members Harrier does not read left out). */
static const char podman_answer[] =
	"{\"Id\":\"" FULL_ID "\",\"Created\":\"2026-11-28T04:51:52.084330936Z\",\"Path\":\"sleep\","
	"\"Args\":[\"30\"],\"State\":{\"Status\":\"running\",\"Running\":true,\"Paused\":false,\"Pid\":7430,"
	"\"StartedAt\":\"2026-11-28T04:51:52.528793273Z\",\"FinishedAt\":\"0001-01-01T00:00:00Z\","
	"\"Health\":{\"Status\":\"\",\"FailingStreak\":0,\"Log\":null}},"
	"\"Image\":\"sha256:6fbb949e4dcf0cc49d861cdc0e8814ad7238f11d120f3c1cc9941379e2292b53\","
	"\"Name\":\"/harrier-ct-probe-7048\",\"HostConfig\":{\"Binds\":[\"/tmp:/data:ro,rprivate,rbind\"],"
	"\"NetworkMode\":\"none\",\"IpcMode\":\"shareable\",\"PidMode\":\"private\",\"Privileged\":true,"
	"\"CapDrop\":[\"SYS_RESOURCE\"],\"ShmSize\":65536000},"
	"\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/tmp\",\"Destination\":\"/data\",\"Mode\":\"\",\"RW\":false,"
	"\"Propagation\":\"rprivate\"}],"
	"\"Config\":{\"Hostname\":\"04f085ca2161\",\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sleep\",\"30\"],"
	"\"Image\":\"localhost/harrier-containers:1\",\"Labels\":{\"team\":\"blue\"}},"
	"\"NetworkSettings\":{\"Bridge\":\"\",\"IPAddress\":\"\",\"Ports\":{}}}";

/* A docker-shaped answer for a Kubernetes pod's container (dockershim
 * labels), on the host's namespaces, with a digest-pinned image. */
static const char docker_answer[] =
	"{\"Id\":\"3f2504e04f8941d39a0c0305e82c33013f2504e04f8941d39a0c0305e82c3301\",\"Name\":\"/k8s_web_pod\","
	"\"State\":{\"Status\":\"exited\",\"StartedAt\":\"2024-01-02T03:04:05.5+01:00\"},"
	"\"Image\":\"sha256:aaaabbbbccccdddd\",\"HostConfig\":{\"Privileged\":false,\"PidMode\":\"host\","
	"\"NetworkMode\":\"host\",\"IpcMode\":\"host\"},\"Mounts\":[],"
	"\"Config\":{\"Image\":\"registry.example:5000/team/web@sha256:0123abcd\","
	"\"Healthcheck\":{\"Test\":[\"CMD\",\"\\\"/bin/check\\\"\",\"--fast\"]},\"Labels\":{"
	"\"io.kubernetes.pod.name\":\"web-1\",\"io.kubernetes.pod.namespace\":\"prod\","
	"\"io.kubernetes.pod.uid\":\"3e41dc6b\",\"io.kubernetes.sandbox.id\":\"63060edc2d3aa803ab559f23\","
	"\"long\":\"0123456789\"}},\"NetworkSettings\":{\"IPAddress\":\"172.17.0.2\"}}";

static void test_json_reader(void)
{
	const char text[] = " {\"a\": [1, -2.5e3, true, false, null], \"s\": \"x\\\"y\\u00e9\\ud83d\\ude00\\n\","
			    " \"o\": {\"k\": \"v\"}} ";
	struct hr_json *doc = hr_json_parse(text, sizeof(text) - 1);
	check(doc != NULL, "json: a valid document parses", NULL);
	const struct hr_json *a = hr_json_member(doc, "a");
	check(a && a->kind == HR_JSON_ARRAY, "json: array member", NULL);
	check(a && hr_json_int(a->child, 0) == 1 && a->child->next->kind == HR_JSON_NUMBER &&
		      hr_json_bool(a->child->next->next, false) && !hr_json_bool(a->child->next->next->next, true) &&
		      a->child->next->next->next->next->kind == HR_JSON_NULL,
	      "json: array elements", NULL);
	check_str("json: escapes, \\u and a surrogate pair as UTF-8", hr_json_string(hr_json_member(doc, "s")),
		  "x\"y\xc3\xa9\xf0\x9f\x98\x80\n");
	check_str("json: path", hr_json_string(hr_json_path(doc, "o", "k", NULL)), "v");
	check(hr_json_path(doc, "o", "missing", "deeper", NULL) == NULL, "json: missing path", NULL);
	hr_json_free(doc);

	const char *bad[] = {"", "{", "{\"a\":}", "[1,]", "{\"a\":1} x", "\"\\x\"", "tru", "{\"a\" 1}", "\"\x01\""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct hr_json *d = hr_json_parse(bad[i], strlen(bad[i]));
		check(d == NULL, "json: malformed text refused", bad[i]);
		hr_json_free(d);
	}
	char deep[200];
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	struct hr_json *d = hr_json_parse(deep, sizeof(deep));
	check(d == NULL, "json: nesting deeper than 64 refused", NULL);
	hr_json_free(d);
}

static void test_podman_answer(void)
{
	struct hr_container *c = hr_container_from_inspect(podman_answer, sizeof(podman_answer) - 1, "podman", 100);
	check(c != NULL, "podman answer: read", NULL);
	if (!c)
		return;
	check_str("podman answer: id", c->id, "04f085ca2161");
	check_str("podman answer: full id", str(&c->full_id), FULL_ID);
	check_str("podman answer: name without its /", str(&c->name), "harrier-ct-probe-7048");
	check_str("podman answer: image", str(&c->image), "localhost/harrier-containers:1");
	check_str("podman answer: repository", str(&c->image_repository), "localhost/harrier-containers");
	check_str("podman answer: tag", str(&c->image_tag), "1");
	check_str("podman answer: image id without sha256:", str(&c->image_id),
		  "6fbb949e4dcf0cc49d861cdc0e8814ad7238f11d120f3c1cc9941379e2292b53");
	check_str("podman answer: no digest", str(&c->image_digest), "");
	check_str("podman answer: no health check", str(&c->healthcheck), "");
	check_str("podman answer: type", str(&c->type), "podman");
	check(c->privileged, "podman answer: privileged", NULL);
	check(!c->host_pid && !c->host_network && !c->host_ipc, "podman answer: own namespaces", NULL);
	check(c->nmounts == 1, "podman answer: one mount", NULL);
	if (c->nmounts == 1) {
		check_str("podman answer: mount source", str(&c->mounts[0].source), "/tmp");
		check_str("podman answer: mount dest", str(&c->mounts[0].dest), "/data");
		check_str("podman answer: mount propagation", str(&c->mounts[0].propagation), "rprivate");
		check(!c->mounts[0].rdwr, "podman answer: mount read-only", NULL);
	}
	check(c->nlabels == 1 && strcmp(str(&c->labels[0].key), "team") == 0 &&
		      strcmp(str(&c->labels[0].value), "blue") == 0,
	      "podman answer: label", NULL);
	/* 2026-11-28T04:51:52Z = 1795841512 s. */
	check(c->start_ts == 1795841512528793273ull, "podman answer: start time in ns", NULL);
	check(c->has_metadata && c->lookup == HR_CONTAINER_LOOKUP_DONE, "podman answer: complete", NULL);
	check(hr_container_inspect_running(podman_answer, sizeof(podman_answer) - 1), "podman answer: running", NULL);

	/* Written back as sysdig's container record, for recordings. */
	size_t len;
	char *record = hr_container_record_json(c, &len);
	struct hr_json *doc = hr_json_parse(record, len);
	const struct hr_json *r = hr_json_member(doc, "container");
	check(r != NULL, "record: valid JSON with a container member", record);
	check_str("record: id", hr_json_string(hr_json_member(r, "id")), "04f085ca2161");
	check_str("record: name", hr_json_string(hr_json_member(r, "name")), "harrier-ct-probe-7048");
	check_str("record: imagerepo", hr_json_string(hr_json_member(r, "imagerepo")), "localhost/harrier-containers");
	check(hr_json_int(hr_json_member(r, "type"), -1) == 11, "record: podman's type number", NULL);
	check(hr_json_bool(hr_json_member(r, "privileged"), false), "record: privileged", NULL);
	check(hr_json_int(hr_json_member(r, "created_time"), 0) == 1795841512, "record: created_time in s", NULL);
	check_str("record: mount destination",
		  hr_json_string(hr_json_member(hr_json_member(r, "Mounts") ? hr_json_member(r, "Mounts")->child : NULL,
						"Destination")),
		  "/data");
	check_str("record: label", hr_json_string(hr_json_path(r, "labels", "team", NULL)), "blue");
	hr_json_free(doc);
	free(record);
	hr_container_free(c);
}

static void test_docker_answer(void)
{
	struct hr_container *c = hr_container_from_inspect(docker_answer, sizeof(docker_answer) - 1, "docker", 8);
	check(c != NULL, "docker answer: read", NULL);
	if (!c)
		return;
	check_str("docker answer: id", c->id, "3f2504e04f89");
	check_str("docker answer: name", str(&c->name), "k8s_web_pod");
	check_str("docker answer: repository keeps host and port", str(&c->image_repository),
		  "registry.example:5000/team/web");
	check_str("docker answer: digest from the reference", str(&c->image_digest), "sha256:0123abcd");
	check_str("docker answer: no tag with a digest", str(&c->image_tag), "");
	check_str("docker answer: ip", str(&c->ip), "172.17.0.2");
	check(c->host_pid && c->host_network && c->host_ipc, "docker answer: host namespaces", NULL);
	check(!c->privileged, "docker answer: not privileged", NULL);
	/* 03:04:05.5+01:00 is 02:04:05.5 UTC = 1704161045.5 s. */
	check(c->start_ts == 1704161045500000000ull, "docker answer: start time with a zone offset", NULL);
	bool long_label = false, pod_name = false;
	for (uint32_t i = 0; i < c->nlabels; i++) {
		long_label |= strcmp(str(&c->labels[i].key), "long") == 0;
		pod_name |= strcmp(str(&c->labels[i].key), "io.kubernetes.pod.name") == 0;
	}
	check(!long_label, "docker answer: a label value longer than label_max_len is left out", NULL);
	check(pod_name && c->nlabels == 3, "docker answer: shorter label values are kept", NULL);
	check(!hr_container_inspect_running(docker_answer, sizeof(docker_answer) - 1), "docker answer: exited", NULL);
	check_str("docker answer: health check command, its quotes removed", str(&c->healthcheck),
		  "/bin/check --fast");
	hr_container_free(c);

	struct {
		const char *json, *want;
	} probes[] = {
		{"{\"Id\":\"ab\",\"Config\":{\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"curl -f x\"]}}}",
		 "/bin/sh -c curl -f x"},
		{"{\"Id\":\"ab\",\"Config\":{\"Healthcheck\":{\"Test\":[\"NONE\"]}}}", ""},
		{"{\"Id\":\"ab\",\"Config\":{\"Healthcheck\":{\"Test\":\"CMD\"}}}", ""},
	};
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		struct hr_container *x = hr_container_from_inspect(probes[i].json, strlen(probes[i].json), "docker", 100);
		check_str(probes[i].json, x ? str(&x->healthcheck) : NULL, probes[i].want);
		if (x)
			hr_container_free(x);
	}

	const char *not_answers[] = {"{}", "{\"message\":\"no such container\"}", "[]", "not json", "{\"Id\":\"\"}"};
	for (size_t i = 0; i < sizeof(not_answers) / sizeof(not_answers[0]); i++) {
		struct hr_container *x = hr_container_from_inspect(not_answers[i], strlen(not_answers[i]), "docker", 100);
		check(x == NULL, "not an inspect answer", not_answers[i]);
		if (x)
			hr_container_free(x);
	}
}

/* ---- a fake API on a unix socket ---- */

struct fake_api {
	char path[108];
	int fd;
	pthread_t thread;
	atomic_bool removed;    /* the container is gone: 404 from now on */
	atomic_int not_yet;     /* this many lookups answer 404 first (a container still being created) */
	atomic_int lookups;     /* inspect requests for the container */
	atomic_int found_at;    /* which of them first answered 200 */
};

static void *serve_api(void *arg)
{
	struct fake_api *api = arg;
	for (;;) {
		int c = accept(api->fd, NULL, NULL);
		if (c < 0)
			return NULL;
		char req[2048];
		ssize_t n = read(c, req, sizeof(req) - 1);
		req[n > 0 ? n : 0] = 0;
		char resp[8192];
		bool asked = strstr(req, "GET /v1.40/containers/" FULL_ID "/json ") != NULL;
		int nth = asked ? atomic_fetch_add(&api->lookups, 1) + 1 : 0;
		bool known = asked && !atomic_load(&api->removed) && atomic_fetch_sub(&api->not_yet, 1) <= 0;
		if (known && atomic_load(&api->found_at) == 0)
			atomic_store(&api->found_at, nth);
		if (known)
			snprintf(resp, sizeof(resp),
				 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
				 sizeof(podman_answer) - 1, podman_answer);
		else
			snprintf(resp, sizeof(resp),
				 "HTTP/1.1 404 Not Found\r\nContent-Length: 22\r\n\r\n{\"message\":\"no such\"}\n");
		ssize_t w = write(c, resp, strlen(resp));
		(void)w;
		close(c);
	}
}

static bool fake_api_start(struct fake_api *api)
{
	memset(api, 0, sizeof(*api));
	snprintf(api->path, sizeof(api->path), "/tmp/harrier-unit-api-%d.sock", (int)getpid());
	unlink(api->path);
	api->fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", api->path);
	if (api->fd < 0 || bind(api->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(api->fd, 8) != 0)
		return false;
	return pthread_create(&api->thread, NULL, serve_api, api) == 0;
}

static void fake_api_stop(struct fake_api *api)
{
	shutdown(api->fd, SHUT_RDWR);
	close(api->fd);
	pthread_join(api->thread, NULL);
	unlink(api->path);
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A thread record with these cgroups, as the process scan gives it. */
static void add_thread_of(struct hr_state *s, int64_t tid, int64_t pid, uint32_t flags, const char *cgroups,
			  uint32_t cgroups_len)
{
	struct hr_record rec;
	memset(&rec, 0, sizeof(rec));
	rec.kind = HR_REC_THREAD;
	hr_proc_entry_init(&rec.u.thread);
	rec.u.thread.tid = tid;
	rec.u.thread.pid = pid;
	rec.u.thread.flags = flags;
	rec.u.thread.ptid = 1;
	rec.u.thread.comm = (struct hr_str){"bash", 4};
	rec.u.thread.exe = (struct hr_str){"/bin/bash", 9};
	rec.u.thread.cgroups = (struct hr_str){cgroups, cgroups_len};
	hr_state_apply_record(s, &rec);
}

static void add_thread(struct hr_state *s, int64_t tid, const char *cgroups, uint32_t cgroups_len)
{
	add_thread_of(s, tid, tid, 0, cgroups, cgroups_len);
}

static const char libpod_cgroups[] = "cpu=/libpod_parent/libpod-" FULL_ID "\0memory=/libpod_parent/libpod-" FULL_ID;

static struct hr_container_runtime *start_runtime(const char *podman_socket)
{
	struct hr_container_runtime_config cfg;
	hr_container_runtime_config_default(&cfg);
	cfg.docker_enabled = false;
	cfg.podman_sockets[0] = podman_socket;
	cfg.retry_ms = 20;
	cfg.max_attempts = 3;
	cfg.refresh_ms = 50;
	cfg.evict_after_ms = 200;
	cfg.quiet = true;
	return hr_container_runtime_start(&cfg);
}

static void test_runtime_lookup_and_eviction(void)
{
	struct fake_api api;
	if (!fake_api_start(&api)) {
		check(false, "runtime: fake API could start", api.path);
		return;
	}
	atomic_store(&api.not_yet, 2);
	struct hr_container_runtime *rt = start_runtime(api.path);
	struct hr_state *s = hr_state_new();
	hr_state_attach_container_runtime(s, rt);
	add_thread(s, 4242, libpod_cgroups, sizeof(libpod_cgroups));
	const struct hr_thread *t = hr_state_thread(s, 4242);
	check_str("runtime: id from the libpod cgroup at once", t ? t->container_id : NULL, "04f085ca2161");
	const struct hr_container *c = hr_state_container(s, "04f085ca2161");
	check(c && c->lookup == HR_CONTAINER_LOOKUP_PENDING && !c->name.len,
	      "runtime: before the answer the container has its id only", NULL);
	check_str("runtime: full id from the cgroup", c ? str(&c->full_id) : NULL, FULL_ID);

	double start = seconds();
	while ((c = hr_state_container(s, "04f085ca2161")) && c->lookup != HR_CONTAINER_LOOKUP_DONE &&
	       seconds() - start < 5) {
		hr_state_poll_containers(s);
		usleep(1000);
	}
	check(c && c->lookup == HR_CONTAINER_LOOKUP_DONE, "runtime: the answer arrives", NULL);
	check(atomic_load(&api.found_at) == 3, "runtime: a lookup that found nothing is retried (3rd try answers)",
	      NULL);
	check_str("runtime: name from the answer", c ? str(&c->name) : NULL, "harrier-ct-probe-7048");
	check_str("runtime: type of the engine that answered", c ? str(&c->type) : NULL, "podman");

	atomic_store(&api.removed, true);
	start = seconds();
	while (hr_state_container(s, "04f085ca2161") && seconds() - start < 5) {
		hr_state_poll_containers(s);
		usleep(1000);
	}
	double evicted_after = seconds() - start;
	check(hr_state_container(s, "04f085ca2161") == NULL, "runtime: a container that ended is evicted", NULL);
	check(evicted_after >= 0.2, "runtime: not before evict_after_ms", NULL);
	check_str("runtime: its threads keep the id", t ? t->container_id : NULL, "04f085ca2161");

	hr_state_free(s);
	hr_container_runtime_stop(rt);
	fake_api_stop(&api);
}

static void test_runtime_down(void)
{
	char path[108];
	snprintf(path, sizeof(path), "/tmp/harrier-unit-nothing-%d.sock", (int)getpid());
	struct hr_container_runtime *rt = start_runtime(path);
	struct hr_state *s = hr_state_new();
	hr_state_attach_container_runtime(s, rt);
	double start = seconds(), slowest = 0;
	add_thread(s, 4242, libpod_cgroups, sizeof(libpod_cgroups));
	double took = seconds() - start;
	const struct hr_container *c = hr_state_container(s, "04f085ca2161");
	while (c && c->lookup != HR_CONTAINER_LOOKUP_FAILED && seconds() - start < 5) {
		double t0 = seconds();
		hr_state_poll_containers(s);
		if (seconds() - t0 > slowest)
			slowest = seconds() - t0;
		usleep(1000);
		c = hr_state_container(s, "04f085ca2161");
	}
	check(took < 0.05, "runtime down: meeting a container does not wait", NULL);
	check(slowest < 0.05, "runtime down: taking answers does not wait", NULL);
	check(c && c->lookup == HR_CONTAINER_LOOKUP_FAILED, "runtime down: the lookup fails after its retries", NULL);
	check_str("runtime down: the id stays", hr_state_thread(s, 4242)->container_id, "04f085ca2161");
	/* A thread (PPM_CL_CLONE_THREAD) without cgroups: its process's container, no /proc read. */
	add_thread_of(s, 4243, 4242, 1u << 13, "", 0);
	check_str("runtime: a new thread is in its process's container", hr_state_thread(s, 4243)->container_id,
		  "04f085ca2161");

	/* A thread whose record has no cgroups: read from /proc (this process). */
	add_thread(s, (int64_t)getpid(), "", 0);
	const struct hr_thread *self = hr_state_thread(s, (int64_t)getpid());
	check(self && self->cgroups.len > 0 && memchr(self->cgroups.p, '=', self->cgroups.len),
	      "runtime: empty cgroups are read from /proc", NULL);
	hr_state_free(s);
	hr_container_runtime_stop(rt);
}

/* A configuration from -o style overrides (NULL-ended key, value pairs);
 * whether it was accepted, with `rc` and the error. */
static bool plugin_config(const char *const *kv, struct hr_container_runtime_config *rc, char *err, size_t errlen)
{
	struct hr_config c;
	memset(&c, 0, sizeof c);
	for (unsigned i = 0; kv[i]; i += 2)
		hr_config_override(&c, kv[i], strlen(kv[i]), kv[i + 1]);
	err[0] = 0;
	bool ok = hr_config_container_runtime(&c, rc, err, errlen);
	/* the socket strings are the configuration's: compare before freeing */
	static char sockets[2][HR_RUNTIME_MAX_SOCKETS][64];
	for (int j = 0; j < HR_RUNTIME_MAX_SOCKETS; j++) {
		snprintf(sockets[0][j], sizeof sockets[0][j], "%s", rc->docker_sockets[j] ? rc->docker_sockets[j] : "-");
		snprintf(sockets[1][j], sizeof sockets[1][j], "%s", rc->podman_sockets[j] ? rc->podman_sockets[j] : "-");
		rc->docker_sockets[j] = sockets[0][j];
		rc->podman_sockets[j] = sockets[1][j];
	}
	hr_config_free(&c);
	return ok;
}

static void test_plugin_config(void)
{
	struct hr_container_runtime_config rc;
	char err[256];
	const char *none[] = {NULL};
	check(plugin_config(none, &rc, err, sizeof err), "plugin config: none is fine", err);
	check(rc.docker_enabled && rc.podman_enabled && rc.label_max_len == 100, "plugin config: Falco's defaults", NULL);
	check_str("plugin config: default docker socket", rc.docker_sockets[0], "/var/run/docker.sock");
	check_str("plugin config: default podman socket", rc.podman_sockets[0], "/run/podman/podman.sock");

	const char *set[] = {"plugins[0].name", "json",
			     "plugins[1].name", "container",
			     "plugins[1].init_config.label_max_len", "20",
			     "plugins[1].init_config.with_size", "false",
			     "plugins[1].init_config.hooks[0]", "create",
			     "plugins[1].init_config.engines.docker.enabled", "false",
			     "plugins[1].init_config.engines.podman.sockets[0]", "/run/a.sock",
			     "plugins[1].init_config.engines.podman.sockets[1]", "/run/b.sock",
			     "plugins[1].init_config.engines.containerd.enabled", "true",
			     NULL};
	check(plugin_config(set, &rc, err, sizeof err), "plugin config: Falco 0.44's keys accepted", err);
	check(!rc.docker_enabled && rc.podman_enabled && rc.label_max_len == 20, "plugin config: enabled, label_max_len",
	      NULL);
	check_str("plugin config: docker keeps its default socket", rc.docker_sockets[0], "/var/run/docker.sock");
	check_str("plugin config: podman sockets replace the default (1)", rc.podman_sockets[0], "/run/a.sock");
	check_str("plugin config: podman sockets replace the default (2)", rc.podman_sockets[1], "/run/b.sock");
	check_str("plugin config: podman sockets end", rc.podman_sockets[2], "-");

	static const struct {
		const char *key, *value, *error;
	} bad[] = {
		{"plugins[0].init_config.label_max_len", "ten", "label_max_len must be a number"},
		{"plugins[0].init_config.label_max_len", "-1", "label_max_len must be a number"},
		{"plugins[0].init_config.engines.podman.enabled", "maybe", "engines.podman.enabled must be true or false"},
		{"plugins[0].init_config.engines.rkt.enabled", "true", "unknown engine 'rkt'"},
		{"plugins[0].init_config.engines.docker.socket[0]", "/x", "unknown key engines.docker.socket.0"},
		{"plugins[0].init_config.engines.docker.sockets[4]", "/x", "lists more than 4 sockets"},
		{"plugins[0].init_config.engines.docker.sockets[1]", "/x", "gap before entry 1"},
		{"plugins[0].init_config.engines.docker", "on", "engines.docker must be a map"},
		{"plugins[0].init_config", "{\"label_max_len\": 10}", "init_config must be a map"},
		{"plugins[0].init_config.colour", "blue", "unknown init_config key 'colour'"},
	};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *kv[] = {"plugins[0].name", "container", bad[i].key, bad[i].value, NULL};
		bool ok = plugin_config(kv, &rc, err, sizeof err);
		char name[160];
		snprintf(name, sizeof name, "plugin config: %s=%s refused", bad[i].key, bad[i].value);
		check(!ok && strstr(err, bad[i].error), name, err);
	}
}

/* Held events keep their order, fields and parameter bytes after the
 * source's buffer is reused; without a runtime nothing is waited for. */
static void test_event_hold(void)
{
	struct hr_event_hold h;
	memset(&h, 0, sizeof h);
	check(!hr_hold_lookup_in_flight(&h, NULL), "hold: no runtime, no lookup in flight", NULL);
	char buf[64];
	for (int i = 0; i < 1000; i++) {
		struct hr_event e = {.ts = 1000 + (uint64_t)i, .tid = i, .type = 3, .nparams = 3, .nparams_indexed = 3};
		int n = snprintf(buf, sizeof buf, "param-%d", i);
		e.param[0] = (const uint8_t *)buf;
		e.param_len[0] = (uint32_t)n + 1;
		e.param[2] = (const uint8_t *)buf + 6; /* "N" */
		e.param_len[2] = (uint32_t)n - 5;
		hr_hold_push(&h, &e, (uint32_t)i & 1);
		memset(buf, 'x', sizeof buf); /* the source reuses its buffer */
	}
	hr_hold_start(&h);
	check(hr_hold_active(&h) && hr_hold_may_end(&h, NULL), "hold: may end at once without a runtime", NULL);
	hr_hold_end(&h);
	bool ok = !hr_hold_active(&h);
	uint32_t *mark;
	struct hr_event *e;
	int i = 0;
	while ((e = hr_hold_peek(&h, &mark))) {
		char want[32];
		snprintf(want, sizeof want, "param-%d", i);
		ok = ok && e->tid == i && e->ts == 1000 + (uint64_t)i && *mark == ((uint32_t)i & 1) && !e->param[1] &&
		     e->param_len[0] == strlen(want) + 1 && !strcmp((const char *)e->param[0], want) &&
		     e->param_len[2] == strlen(want) - 5 && !memcmp(e->param[2], want + 6, e->param_len[2]);
		hr_hold_pop(&h);
		i++;
	}
	check(ok && i == 1000, "hold: 1000 events back in order with their own parameter bytes", NULL);
	check(!hr_hold_peek(&h, &mark), "hold: empty after the last", NULL);
	hr_hold_free(&h);
}

void unit_containers(unsigned *passed, unsigned *failed);
void unit_containers(unsigned *passed, unsigned *failed)
{
	test_json_reader();
	test_podman_answer();
	test_docker_answer();
	test_runtime_lookup_and_eviction();
	test_runtime_down();
	test_plugin_config();
	test_event_hold();
	/* For tests/test_containers.py, which runs these with -k container. */
	printf("unit containers: %u passed, %u failed\n", n_passed, n_failed);
	*passed += n_passed;
	*failed += n_failed;
}
