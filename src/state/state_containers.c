/*
 * Containers: a thread's container id from its cgroups (the runc layouts of
 * docker, podman and CRI runtimes, and lxc / libvirt-lxc paths, tried in
 * sinsp's engine order), and the container table fed by container events
 * (the JSON ones and the old fixed-parameter one) and, live, by the
 * container runtime's answers (container_runtime.h); live, each container
 * met gets its users read (container_users.h).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state/container_runtime.h"
#include "state/container_users.h"
#include "state/json_doc.h"
#include "state/state_internal.h"

enum { CT_DOCKER = 0, CT_LXC = 1, CT_LIBVIRT_LXC = 2, CT_MESOS = 3, CT_RKT = 4, CT_CUSTOM = 5, CT_CRI = 6,
       CT_CONTAINERD = 7, CT_CRIO = 8, CT_BPM = 9, CT_STATIC = 10, CT_PODMAN = 11 };

/* What sysdig's container.type prints for each type ("" where it has no name). */
static const char *type_name(int32_t type)
{
	switch (type) {
	case CT_DOCKER: return "docker";
	case CT_LXC: return "lxc";
	case CT_LIBVIRT_LXC: return "libvirt-lxc";
	case CT_MESOS: return "mesos";
	case CT_CRI: return "cri";
	case CT_CONTAINERD: return "containerd";
	case CT_CRIO: return "cri-o";
	case CT_RKT: return "rkt";
	case CT_BPM: return "bpm";
	/* sysdig 0.29.3 names no podman type (it prints a stale value);
	 * Falco's container plugin says "podman". */
	case CT_PODMAN: return "podman";
	default: return "";
	}
}

static struct hr_container *find(struct hr_state *s, const char *id)
{
	for (struct hr_container *c = s->containers; c; c = c->next)
		if (strcmp(c->id, id) == 0)
			return c;
	return NULL;
}

void hr_container_free(struct hr_container *c)
{
	struct hr_bytes *fields[] = {&c->name,     &c->image, &c->image_repository, &c->image_tag, &c->image_digest,
				     &c->image_id, &c->type,  &c->json,             &c->full_id,   &c->ip,
				     &c->healthcheck, &c->liveness_probe, &c->readiness_probe};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		hr_bytes_free(fields[i]);
	for (uint32_t i = 0; i < c->nmounts; i++) {
		hr_bytes_free(&c->mounts[i].source);
		hr_bytes_free(&c->mounts[i].dest);
		hr_bytes_free(&c->mounts[i].mode);
		hr_bytes_free(&c->mounts[i].propagation);
	}
	free(c->mounts);
	for (uint32_t i = 0; i < c->nlabels; i++) {
		hr_bytes_free(&c->labels[i].key);
		hr_bytes_free(&c->labels[i].value);
	}
	free(c->labels);
	free(c);
}

/* A fresh entry replacing any entry with the same id, as sinsp's map does. */
static struct hr_container *replace(struct hr_state *s, const char *id, size_t idlen)
{
	char key[sizeof(((struct hr_container *)0)->id)];
	if (idlen >= sizeof(key))
		idlen = sizeof(key) - 1;
	memcpy(key, id, idlen);
	key[idlen] = 0;
	struct hr_container **link = &s->containers;
	while (*link) {
		if (strcmp((*link)->id, key) == 0) {
			struct hr_container *old = *link;
			*link = old->next;
			hr_container_free(old);
			break;
		}
		link = &(*link)->next;
	}
	struct hr_container *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	memcpy(c->id, key, idlen + 1);
	c->next = s->containers;
	s->containers = c;
	return c;
}

void hr_containers_clear(struct hr_state *s)
{
	while (s->containers) {
		struct hr_container *c = s->containers;
		s->containers = c->next;
		hr_container_free(c);
	}
}

/* ---- cgroups ---- */

struct span {
	const char *p;
	size_t len;
};

static size_t rfind(struct span h, const char *needle)
{
	size_t n = strlen(needle);
	if (n > h.len)
		return (size_t)-1;
	for (size_t i = h.len - n + 1; i-- > 0;)
		if (memcmp(h.p + i, needle, n) == 0)
			return i;
	return (size_t)-1;
}

static size_t find_from(struct span h, const char *needle, size_t from)
{
	if (from > h.len)
		return (size_t)-1;
	const char *hit = memmem(h.p + from, h.len - from, needle, strlen(needle));
	return hit ? (size_t)(hit - h.p) : (size_t)-1;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A container id as the cgroups give it: 64 hex digits, of which the
 * first 12 are the id Falco and sysdig show. */
struct found_id {
	char id[13];
	char full[65];
};

/*
 * sinsp's runc matcher: the cgroup ends with <prefix><64 hex><suffix>; the
 * id is the first 12 characters. Like sinsp, the hex check compares the
 * position of the first non-hex character from the start of the cgroup.
 */
static bool match_runc(struct span cg, const char *prefix, const char *suffix, struct found_id *out)
{
	if (cg.len < 64 + strlen(prefix) + strlen(suffix))
		return false;
	size_t start = rfind(cg, prefix);
	if (start == (size_t)-1)
		return false;
	start += strlen(prefix);
	size_t end = suffix[0] ? rfind(cg, suffix) : cg.len;
	if (end == (size_t)-1 || end < start || end - start != 64)
		return false;
	size_t bad = (size_t)-1;
	for (size_t i = start; i < cg.len; i++) {
		if (!is_hex(cg.p[i])) {
			bad = i;
			break;
		}
	}
	if (bad < 64)
		return false;
	memcpy(out->id, cg.p + start, 12);
	out->id[12] = 0;
	memcpy(out->full, cg.p + start, 64);
	out->full[64] = 0;
	return true;
}

struct layout {
	const char *prefix, *suffix;
};

/* Podman with systemd (.scope) and with cgroupfs (/libpod_parent/libpod-<id>,
 * as on these machines: Falco's plugin knows both; sysdig 0.29.3 only the first). */
static const struct layout podman_layout[] = {{"/libpod-", ".scope"}, {"/libpod-", ".scope/container"},
					      {"/libpod-", ""}, {NULL, NULL}};
static const struct layout docker_layout[] = {{"/", ""}, {"/docker-", ".scope"}, {NULL, NULL}};
static const struct layout cri_layout[] = {{"/", ""}, {"/crio-", ""}, {"/cri-containerd-", ".scope"},
					   {"/crio-", ".scope"}, {":cri-containerd:", ""}, {NULL, NULL}};

/* The cgroup paths of a thread ("subsys=path" items, NUL-separated). */
static uint32_t cgroup_paths(const struct hr_thread *t, struct span *out, uint32_t max)
{
	uint32_t n = 0;
	const char *p = t->cgroups.p;
	size_t len = t->cgroups.len, off = 0;
	while (p && off < len && n < max) {
		const char *item = p + off;
		size_t ilen = strnlen(item, len - off);
		const char *eq = NULL;
		for (size_t i = ilen; i-- > 0;)
			if (item[i] == '=') {
				eq = item + i;
				break;
			}
		if (!eq)
			break;
		out[n].p = eq + 1;
		out[n].len = ilen - (size_t)(eq + 1 - item);
		n++;
		off += ilen + 1;
	}
	return n;
}

static bool match_layout(const struct span *cgs, uint32_t n, const struct layout *l, struct found_id *id)
{
	for (uint32_t i = 0; i < n; i++)
		for (const struct layout *x = l; x->prefix; x++)
			if (match_runc(cgs[i], x->prefix, x->suffix, id))
				return true;
	return false;
}

static bool match_lxc(const struct span *cgs, uint32_t n, char *id, size_t idsize)
{
	static const char *const marks[] = {"/lxc/", "/lxc.payload/"};
	for (uint32_t i = 0; i < n; i++) {
		for (size_t m = 0; m < 2; m++) {
			size_t pos = find_from(cgs[i], marks[m], 0);
			if (pos == (size_t)-1)
				continue;
			size_t start = pos + strlen(marks[m]);
			size_t end = find_from(cgs[i], "/", start);
			if (end == (size_t)-1)
				end = cgs[i].len;
			size_t len = end - start < idsize - 1 ? end - start : idsize - 1;
			memcpy(id, cgs[i].p + start, len);
			id[len] = 0;
			return true;
		}
	}
	return false;
}

static bool match_libvirt_lxc(const struct span *cgs, uint32_t n, char *id, size_t idsize)
{
	for (uint32_t i = 0; i < n; i++) {
		struct span cg = cgs[i];
		size_t start = 0, end = 0;
		size_t pos = find_from(cg, ".libvirt-lxc", 0);
		if (pos != (size_t)-1 && pos + strlen(".libvirt-lxc") == cg.len) {
			size_t slash = rfind(cg, "/");
			if (slash != (size_t)-1) {
				start = slash + 1;
				end = pos;
				goto found;
			}
		}
		pos = find_from(cg, "-lxc\\x2", 0);
		if (pos != (size_t)-1) {
			size_t scope = find_from(cg, ".scope", 0);
			if (scope != (size_t)-1 && scope + strlen(".scope") == cg.len) {
				start = pos + strlen("-lxc\\x2") + 1;
				end = scope;
				goto found;
			}
		}
		pos = find_from(cg, "/libvirt/lxc/", 0);
		if (pos != (size_t)-1) {
			start = pos + strlen("/libvirt/lxc/");
			end = cg.len;
			goto found;
		}
		continue;
	found:
		if (end < start)
			end = start;
		size_t len = end - start < idsize - 1 ? end - start : idsize - 1;
		memcpy(id, cg.p + start, len);
		id[len] = 0;
		return true;
	}
	return false;
}

/* A lookup that found nothing is asked again by the container's next
 * process event, at most this often. */
#define LOOKUP_RETRY_NS (5 * 1000000000ull)

/* Live: asks the runtime about a container met in cgroups, once, or again
 * when its last lookup failed long enough ago. */
static void ask_runtime(struct hr_state *s, struct hr_container *c, const char *full_id, enum hr_runtime_engine first)
{
	if (!s->container_runtime || !full_id)
		return;
	if (c->lookup == HR_CONTAINER_LOOKUP_PENDING || c->lookup == HR_CONTAINER_LOOKUP_DONE)
		return;
	if (c->lookup == HR_CONTAINER_LOOKUP_FAILED && hr_container_runtime_now_ns() - c->lookup_failed_ns < LOOKUP_RETRY_NS)
		return;
	c->lookup = HR_CONTAINER_LOOKUP_PENDING;
	hr_container_runtime_request(s->container_runtime, full_id, first);
}

static void note_container(struct hr_state *s, const char *id, int32_t type, bool named_after_id, const char *full_id)
{
	struct hr_container *c = find(s, id);
	if (!c) {
		c = replace(s, id, strlen(id));
		c->type_id = type;
		hr_bytes_set_str(&c->type, type_name(type));
		if (named_after_id)
			hr_bytes_set_str(&c->name, id);
	}
	if (full_id && !c->full_id.len)
		hr_bytes_set_str(&c->full_id, full_id);
	if (type == CT_DOCKER || type == CT_PODMAN)
		ask_runtime(s, c, full_id, type == CT_PODMAN ? HR_ENGINE_PODMAN : HR_ENGINE_DOCKER);
}

size_t hr_proc_cgroups_items(char *text, char *out, size_t cap)
{
	size_t used = 0;
	const char *unified = NULL;
	for (char *line = text, *nl; line && *line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = 0;
		char *c1 = strchr(line, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = 0;
		if (c2 == c1 + 1) {
			unified = c2 + 1;
			continue;
		}
		for (char *save, *ctrl = strtok_r(c1 + 1, ",", &save); ctrl; ctrl = strtok_r(NULL, ",", &save)) {
			int w = snprintf(out + used, cap - used, "%s=%s", ctrl, c2 + 1);
			if (w < 0 || (size_t)w >= cap - used)
				return used;
			used += (size_t)w + 1;
		}
	}
	static const char *const v2_controllers[] = {"cpu", "memory", "cpuset"};
	bool has_v1 = used > 0;
	for (size_t i = 0; !has_v1 && unified && i < 3; i++) {
		int w = snprintf(out + used, cap - used, "%s=%s", v2_controllers[i], unified);
		if (w < 0 || (size_t)w >= cap - used)
			break;
		used += (size_t)w + 1;
	}
	return used;
}

/* Live threads whose events or process-scan records carry no cgroups: read
 * /proc/<tid>/cgroup as scap's process scan does. False when the thread is
 * gone. */
static bool read_proc_cgroups(struct hr_thread *t)
{
	char path[64], text[8192];
	snprintf(path, sizeof(path), "/proc/%lld/cgroup", (long long)t->tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return false;
	text[n] = 0;
	char out[sizeof(text) * 2];
	size_t used = hr_proc_cgroups_items(text, out, sizeof(out));
	hr_bytes_set(&t->cgroups, out, (uint32_t)used);
	return true;
}

static void resolve_id(struct hr_state *s, struct hr_thread *t)
{
	bool no_cgroups = !t->cgroups.p || !memchr(t->cgroups.p, '=', t->cgroups.len);
	if (s->container_runtime && no_cgroups && (t->flags & HR_CL_CLONE_THREAD) && t->pid != t->tid) {
		/* A new thread starts in its process's container: no /proc read
		 * for every thread a busy program creates. */
		struct hr_thread *main = hr_threads_find(s, t->pid);
		if (main && main != t)
			memcpy(t->container_id, main->container_id, sizeof(t->container_id));
		return;
	}
	if (s->container_runtime && no_cgroups && hr_threads_find(s, t->tid) != t) {
		/* A clone's child, not in the table yet: it starts in its
		 * parent's cgroups. Only an exec (or the process scan) reads
		 * /proc (about 70 us a read here), which is where a container's
		 * first program shows its cgroups (runc init moves itself first). */
		struct hr_thread *parent = t->ptid > 0 ? hr_threads_find(s, t->ptid) : NULL;
		if (parent && parent != t) {
			hr_bytes_copy(&t->cgroups, &parent->cgroups);
			memcpy(t->container_id, parent->container_id, sizeof(t->container_id));
		}
		return;
	}
	if (s->container_runtime && no_cgroups && t->tid > 0 && !read_proc_cgroups(t)) {
		/* Gone before it was seen: it stays in the container its
		 * process (execve) or parent (clone) was in. */
		if (!t->container_id[0]) {
			struct hr_thread *parent = t->ptid > 0 ? hr_threads_find(s, t->ptid) : NULL;
			if (parent && parent != t)
				memcpy(t->container_id, parent->container_id, sizeof(t->container_id));
		}
		return;
	}
	struct span cgs[64];
	uint32_t n = cgroup_paths(t, cgs, 64);
	struct found_id found;
	char id[sizeof(t->container_id)];
	t->container_id[0] = 0;
	if (match_layout(cgs, n, podman_layout, &found)) {
		memcpy(t->container_id, found.id, 13);
		note_container(s, found.id, CT_PODMAN, false, found.full);
		return;
	}
	if (match_layout(cgs, n, docker_layout, &found)) {
		memcpy(t->container_id, found.id, 13);
		note_container(s, found.id, CT_DOCKER, false, found.full);
		return;
	}
	/* The CRI engine names the container but, with no runtime to ask
	 * (a capture), reports no match and lets the next engines try. Live,
	 * Harrier speaks no CRI either, and keeps the id and type only. */
	if (match_layout(cgs, n, cri_layout, &found)) {
		memcpy(t->container_id, found.id, 13);
		if (s->container_runtime) {
			note_container(s, found.id, CT_CRI, false, found.full);
			return;
		}
	}
	/* Every lxc and libvirt-lxc layout has "lxc" in it. */
	if (!t->cgroups.p || !memmem(t->cgroups.p, t->cgroups.len, "lxc", 3))
		return;
	if (match_lxc(cgs, n, id, sizeof(id))) {
		memcpy(t->container_id, id, sizeof(id));
		note_container(s, id, CT_LXC, true, NULL);
		return;
	}
	if (match_libvirt_lxc(cgs, n, id, sizeof(id))) {
		memcpy(t->container_id, id, sizeof(id));
		note_container(s, id, CT_LIBVIRT_LXC, true, NULL);
	}
}

void hr_containers_resolve(struct hr_state *s, struct hr_thread *t)
{
	resolve_id(s, t);
	/* live: a container's processes are named by its own users */
	if (s->container_runtime && t->container_id[0])
		hr_container_users_seen(s, t);
}

/* ---- the runtime's answers ---- */

void hr_state_attach_container_runtime(struct hr_state *s, struct hr_container_runtime *rt)
{
	s->container_runtime = rt;
}

void hr_state_poll_containers(struct hr_state *s)
{
	hr_containers_poll(s);
}

uint64_t hr_state_container_serial(const struct hr_state *s)
{
	return s->container_serial;
}

/* Puts the runtime's container in place of the entry with its id (keeping
 * its place in the list), or adds it. */
static void install(struct hr_state *s, struct hr_container *info)
{
	struct hr_container **link = &s->containers;
	while (*link && strcmp((*link)->id, info->id) != 0)
		link = &(*link)->next;
	if (*link) {
		struct hr_container *old = *link;
		info->next = old->next;
		*link = info;
		hr_container_free(old);
	} else {
		info->next = s->containers;
		s->containers = info;
	}
}

void hr_containers_poll(struct hr_state *s)
{
	if (!s->container_runtime || !hr_container_runtime_has_answers(s->container_runtime))
		return;
	struct hr_container_answer *answers = hr_container_runtime_take(s->container_runtime);
	for (struct hr_container_answer *a = answers; a; a = a->next) {
		if (a->info) {
			a->info->serial = ++s->container_serial;
			install(s, a->info);
			a->info = NULL;
			continue;
		}
		struct hr_container **link = &s->containers;
		while (*link && strcmp((*link)->id, a->id) != 0)
			link = &(*link)->next;
		if (!*link)
			continue;
		struct hr_container *c = *link;
		if (a->failed) {
			c->lookup = HR_CONTAINER_LOOKUP_FAILED;
			c->lookup_failed_ns = hr_container_runtime_now_ns();
		} else {
			/* Ended: its threads keep the id; its metadata and users go. */
			hr_container_users_forget(s, c->id);
			*link = c->next;
			hr_container_free(c);
		}
	}
	hr_container_answers_free(answers);
}

/* ---- container events ---- */

void hr_containers_add_old(struct hr_state *s, const struct hr_event *e)
{
	if (e->nparams_indexed < 4)
		return;
	const char *id = (const char *)e->param[0];
	struct hr_container *c = replace(s, id, strnlen(id, e->param_len[0]));
	c->type_id = (int32_t)hr_p_u32(e, 1, 0);
	hr_bytes_set_str(&c->type, type_name(c->type_id));
	hr_bytes_set_param_str(&c->name, e, 2);
	hr_bytes_set_param_str(&c->image, e, 3);
}

/* A minimal JSON reader: enough to pick the scalar members of one object. */
struct json {
	const char *p, *end;
};

static void ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool lit(struct json *j, char c)
{
	ws(j);
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return true;
	}
	return false;
}

static void put_utf8(uint32_t cp, char *buf, uint32_t *n, uint32_t cap)
{
	char tmp[4];
	uint32_t k;
	if (cp < 0x80) {
		tmp[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		tmp[0] = (char)(0xc0 | cp >> 6);
		tmp[1] = (char)(0x80 | (cp & 0x3f));
		k = 2;
	} else {
		tmp[0] = (char)(0xe0 | cp >> 12);
		tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		tmp[2] = (char)(0x80 | (cp & 0x3f));
		k = 3;
	}
	for (uint32_t i = 0; i < k && *n < cap; i++)
		buf[(*n)++] = tmp[i];
}

/* Reads a string; `out` may be NULL to skip it. */
static bool json_string(struct json *j, struct hr_bytes *out)
{
	if (!lit(j, '"'))
		return false;
	uint32_t cap = (uint32_t)(j->end - j->p), n = 0;
	char *buf = malloc(cap + 1);
	if (!buf)
		abort();
	bool ok = false;
	while (j->p < j->end) {
		char c = *j->p++;
		if (c == '"') {
			ok = true;
			break;
		}
		if (c != '\\') {
			buf[n++] = c;
			continue;
		}
		if (j->p >= j->end)
			break;
		char esc = *j->p++;
		switch (esc) {
		case 'n': buf[n++] = '\n'; break;
		case 't': buf[n++] = '\t'; break;
		case 'r': buf[n++] = '\r'; break;
		case 'b': buf[n++] = '\b'; break;
		case 'f': buf[n++] = '\f'; break;
		case 'u': {
			uint32_t cp = 0;
			for (int i = 0; i < 4 && j->p < j->end; i++) {
				char h = *j->p++;
				cp = cp * 16 + (uint32_t)(h >= '0' && h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
			}
			put_utf8(cp, buf, &n, cap);
			break;
		}
		default: buf[n++] = esc; break;
		}
	}
	if (ok && out)
		hr_bytes_set(out, buf, n);
	free(buf);
	return ok;
}

static bool json_skip(struct json *j, int depth);

static bool json_skip_container(struct json *j, char close, bool object, int depth)
{
	if (lit(j, close))
		return true;
	do {
		if (object) {
			if (!json_string(j, NULL) || !lit(j, ':'))
				return false;
		}
		if (!json_skip(j, depth + 1))
			return false;
	} while (lit(j, ','));
	return lit(j, close);
}

static bool json_skip(struct json *j, int depth)
{
	if (depth > 64)
		return false;
	ws(j);
	if (j->p >= j->end)
		return false;
	if (*j->p == '"')
		return json_string(j, NULL);
	if (lit(j, '{'))
		return json_skip_container(j, '}', true, depth);
	if (lit(j, '['))
		return json_skip_container(j, ']', false, depth);
	const char *start = j->p;
	while (j->p < j->end && *j->p != ',' && *j->p != '}' && *j->p != ']' && *j->p != ' ' && *j->p != '\n')
		j->p++;
	return j->p > start;
}

/* A number or boolean token, as text. */
static bool json_scalar(struct json *j, char *out, size_t size)
{
	ws(j);
	const char *start = j->p;
	if (!json_skip(j, 0))
		return false;
	size_t n = (size_t)(j->p - start);
	if (n >= size)
		n = size - 1;
	memcpy(out, start, n);
	out[n] = 0;
	return true;
}

struct container_fields {
	struct hr_bytes id, name, image, imageid, imagerepo, imagetag, imagedigest;
	int64_t type, lookup_state, created_time;
	bool privileged, has_type, has_id;
};

static bool read_container_object(struct json *j, struct container_fields *f)
{
	if (!lit(j, '{'))
		return false;
	if (lit(j, '}'))
		return true;
	do {
		struct hr_bytes key = {0};
		if (!json_string(j, &key) || !lit(j, ':')) {
			hr_bytes_free(&key);
			return false;
		}
		struct hr_bytes *target = NULL;
		if (!strcmp(key.p, "id")) {
			target = &f->id;
			f->has_id = true;
		} else if (!strcmp(key.p, "name")) {
			target = &f->name;
		} else if (!strcmp(key.p, "image")) {
			target = &f->image;
		} else if (!strcmp(key.p, "imageid")) {
			target = &f->imageid;
		} else if (!strcmp(key.p, "imagerepo")) {
			target = &f->imagerepo;
		} else if (!strcmp(key.p, "imagetag")) {
			target = &f->imagetag;
		} else if (!strcmp(key.p, "imagedigest")) {
			target = &f->imagedigest;
		}
		bool ok;
		ws(j);
		if (target && j->p < j->end && *j->p == '"') {
			ok = json_string(j, target);
		} else if (!strcmp(key.p, "type") || !strcmp(key.p, "lookup_state") || !strcmp(key.p, "created_time") ||
			   !strcmp(key.p, "privileged")) {
			char tok[32];
			ok = json_scalar(j, tok, sizeof(tok));
			if (ok && !strcmp(key.p, "privileged")) {
				f->privileged = !strcmp(tok, "true");
			} else if (ok) {
				int64_t v = strtoll(tok, NULL, 10);
				if (!strcmp(key.p, "type")) {
					f->type = v;
					f->has_type = true;
				} else if (!strcmp(key.p, "lookup_state")) {
					f->lookup_state = v;
				} else {
					f->created_time = v;
				}
			}
		} else {
			ok = json_skip(j, 0);
		}
		hr_bytes_free(&key);
		if (!ok)
			return false;
	} while (lit(j, ','));
	return lit(j, '}');
}

/* What the scalar reader above leaves: the record's mounts, labels, ip and
 * full id (when the whole record is valid JSON). */
static void add_json_details(struct hr_container *c)
{
	struct hr_json *doc = hr_json_parse(c->json.p, c->json.len);
	const struct hr_json *cj = hr_json_member(doc, "container");
	if (cj) {
		hr_container_set_mounts(c, hr_json_member(cj, "Mounts"));
		hr_container_set_labels(c, hr_json_member(cj, "labels"), 0);
		hr_container_set_record_probes(c, cj);
		const char *ip = hr_json_string(hr_json_member(cj, "ip"));
		if (ip)
			hr_bytes_set_str(&c->ip, ip);
		const char *full = hr_json_string(hr_json_member(cj, "full_id"));
		if (full)
			hr_bytes_set_str(&c->full_id, full);
		c->has_metadata = true;
	}
	hr_json_free(doc);
}

const struct hr_container *hr_containers_parse_json(struct hr_state *s, const uint8_t *json, uint32_t len)
{
	struct json j = {(const char *)json, (const char *)json + len};
	/* The parameter may end with the NUL of its string. */
	while (j.end > j.p && j.end[-1] == 0)
		j.end--;
	struct container_fields f;
	memset(&f, 0, sizeof(f));
	f.lookup_state = 1;
	/* Any JSON object makes a container, as in sinsp: members it lacks
	 * stay empty (an empty object gives the container with id ""). */
	bool found = false;
	if (lit(&j, '{')) {
		found = lit(&j, '}');
		while (!found) {
			struct hr_bytes key = {0};
			if (!json_string(&j, &key) || !lit(&j, ':')) {
				hr_bytes_free(&key);
				break;
			}
			ws(&j);
			bool ok;
			if (!strcmp(key.p, "container") && j.p < j.end && *j.p == '{')
				ok = read_container_object(&j, &f);
			else
				ok = json_skip(&j, 0);
			hr_bytes_free(&key);
			if (!ok)
				break;
			if (!lit(&j, ','))
				found = lit(&j, '}');
		}
	}
	struct hr_container *c = NULL;
	if (found) {
		const char *id = f.id.p ? f.id.p : "";
		c = replace(s, id, f.id.len);
		c->type_id = (int32_t)f.type;
		hr_bytes_set_str(&c->type, type_name(c->type_id));
		hr_bytes_copy(&c->name, &f.name);
		hr_bytes_copy(&c->image, &f.image);
		hr_bytes_copy(&c->image_id, &f.imageid);
		hr_bytes_copy(&c->image_repository, &f.imagerepo);
		hr_bytes_copy(&c->image_tag, &f.imagetag);
		hr_bytes_copy(&c->image_digest, &f.imagedigest);
		c->privileged = f.privileged;
		c->start_ts = (uint64_t)f.created_time * 1000000000ull;
		hr_bytes_set(&c->json, json, (uint32_t)(j.end - (const char *)json));
		add_json_details(c);
	}
	struct hr_bytes *all[] = {&f.id, &f.name, &f.image, &f.imageid, &f.imagerepo, &f.imagetag, &f.imagedigest};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		hr_bytes_free(all[i]);
	return c;
}
