/*
 * Container metadata and JSON: a Docker-compatible API's container inspect
 * answer read (docker and podman write the same members), the mounts and
 * labels that both that answer and sysdig's container records carry, and a
 * container written back as sysdig's container record (for recordings).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format/strbuf.h"
#include "state/container_runtime.h"
#include "state/json_doc.h"
#include "state/state_internal.h"

static void set_json_str(struct hr_bytes *b, const struct hr_json *v)
{
	const char *s = hr_json_string(v);
	if (s)
		hr_bytes_set(b, s, (uint32_t)v->text_len);
}

void hr_container_set_mounts(struct hr_container *c, const struct hr_json *mounts)
{
	if (!mounts || mounts->kind != HR_JSON_ARRAY)
		return;
	uint32_t n = 0;
	for (const struct hr_json *m = mounts->child; m; m = m->next)
		n++;
	if (!n)
		return;
	c->mounts = calloc(n, sizeof(*c->mounts));
	if (!c->mounts)
		abort();
	for (const struct hr_json *m = mounts->child; m; m = m->next) {
		if (m->kind != HR_JSON_OBJECT)
			continue;
		struct hr_container_mount *dst = &c->mounts[c->nmounts++];
		set_json_str(&dst->source, hr_json_member(m, "Source"));
		set_json_str(&dst->dest, hr_json_member(m, "Destination"));
		set_json_str(&dst->mode, hr_json_member(m, "Mode"));
		set_json_str(&dst->propagation, hr_json_member(m, "Propagation"));
		dst->rdwr = hr_json_bool(hr_json_member(m, "RW"), false);
	}
}

void hr_container_set_labels(struct hr_container *c, const struct hr_json *labels, uint32_t label_max_len)
{
	if (!labels || labels->kind != HR_JSON_OBJECT)
		return;
	uint32_t n = 0;
	for (const struct hr_json *l = labels->child; l; l = l->next)
		n++;
	if (!n)
		return;
	c->labels = calloc(n, sizeof(*c->labels));
	if (!c->labels)
		abort();
	for (const struct hr_json *l = labels->child; l; l = l->next) {
		const char *v = hr_json_string(l);
		/* Falco leaves out values longer than label_max_len. */
		if (!v || (label_max_len && l->text_len > label_max_len))
			continue;
		struct hr_container_label *dst = &c->labels[c->nlabels++];
		hr_bytes_set_str(&dst->key, l->key);
		hr_bytes_set(&dst->value, v, (uint32_t)l->text_len);
	}
}

/* "exe arg arg..." from a probe's words. */
static void set_probe(struct hr_bytes *dst, const char *exe, const struct hr_json *args)
{
	struct hr_strbuf b = {0};
	hr_sb_puts(&b, exe);
	for (const struct hr_json *a = args ? args->child : NULL; a; a = a->next) {
		if (a->kind != HR_JSON_STRING)
			continue;
		hr_sb_putc(&b, ' ');
		hr_sb_append(&b, a->text, a->text_len);
	}
	hr_bytes_set(dst, b.p, (uint32_t)b.len);
	hr_sb_free(&b);
}

static const char *const probe_keys[] = {"Healthcheck", "LivenessProbe", "ReadinessProbe"};

static struct hr_bytes *probe_of(struct hr_container *c, int i)
{
	return i == 0 ? &c->healthcheck : i == 1 ? &c->liveness_probe : &c->readiness_probe;
}

void hr_container_set_record_probes(struct hr_container *c, const struct hr_json *record)
{
	for (int i = 0; i < 3; i++) {
		const struct hr_json *p = hr_json_member(record, probe_keys[i]);
		const char *exe = hr_json_string(hr_json_member(p, "exe"));
		if (exe)
			set_probe(probe_of(c, i), exe, hr_json_member(p, "args"));
	}
}

/* A quoted argument loses its pairs of surrounding quotes, as sinsp's do. */
static void unquote(const char **s, size_t *len)
{
	while (*len >= 2 && ((*s)[0] == '"' || (*s)[0] == '\'') && (*s)[*len - 1] == (*s)[0]) {
		(*s)++;
		*len -= 2;
	}
}

/* Docker's Config.Healthcheck.Test: ["CMD", exe, args...] or
 * ["CMD-SHELL", command] (run by /bin/sh -c); ["NONE"] disables it. */
static void set_api_healthcheck(struct hr_container *c, const struct hr_json *test)
{
	if (!test || test->kind != HR_JSON_ARRAY || !test->child || !test->child->next)
		return;
	const char *kind = hr_json_string(test->child);
	const struct hr_json *first = test->child->next;
	if (!kind || first->kind != HR_JSON_STRING)
		return;
	struct hr_strbuf b = {0};
	if (strcmp(kind, "CMD-SHELL") == 0) {
		hr_sb_puts(&b, "/bin/sh -c ");
		hr_sb_append(&b, first->text, first->text_len);
	} else if (strcmp(kind, "CMD") == 0) {
		for (const struct hr_json *a = first; a; a = a->next) {
			if (a->kind != HR_JSON_STRING)
				continue;
			const char *w = a->text;
			size_t n = a->text_len;
			unquote(&w, &n);
			if (a != first)
				hr_sb_putc(&b, ' ');
			hr_sb_append(&b, w, n);
		}
	}
	if (b.len)
		hr_bytes_set(&c->healthcheck, b.p, (uint32_t)b.len);
	hr_sb_free(&b);
}

/*
 * An image reference split as sinsp does: [host[:port]/]name[:tag][@digest].
 * The repository is everything before the tag; an image named without tag
 * or digest is "latest".
 */
static void split_image(struct hr_container *c, const char *image)
{
	size_t len = strlen(image);
	const char *at = strchr(image, '@');
	if (at) {
		hr_bytes_set_str(&c->image_digest, at + 1);
		len = (size_t)(at - image);
	}
	const char *slash = memrchr(image, '/', len);
	const char *name = slash ? slash + 1 : image;
	const char *colon = memchr(name, ':', len - (size_t)(name - image));
	if (colon) {
		hr_bytes_set(&c->image_tag, colon + 1, (uint32_t)(len - (size_t)(colon + 1 - image)));
		len = (size_t)(colon - image);
	} else if (!at) {
		hr_bytes_set_str(&c->image_tag, "latest");
	}
	hr_bytes_set(&c->image_repository, image, (uint32_t)len);
}

/* RFC 3339 with nanoseconds (2026-11-28T05:00:01.123456789Z or +01:00) as
 * nanoseconds since the epoch; 0 when unreadable or the zero time. */
static uint64_t parse_rfc3339(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!p)
		return 0;
	uint64_t frac = 0;
	if (*p == '.') {
		p++;
		int digits = 0;
		while (*p >= '0' && *p <= '9') {
			if (digits < 9) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				digits++;
			}
			p++;
		}
		while (digits++ < 9)
			frac *= 10;
	}
	int64_t offset = 0;
	if (*p == '+' || *p == '-') {
		int hh = 0, mm = 0;
		if (strlen(p) >= 6) {
			hh = (p[1] - '0') * 10 + (p[2] - '0');
			mm = (p[4] - '0') * 10 + (p[5] - '0');
		}
		offset = (hh * 3600 + mm * 60) * (*p == '-' ? -1 : 1);
	}
	int64_t secs = (int64_t)timegm(&tm) - offset;
	if (secs <= 0)
		return 0;
	return (uint64_t)secs * 1000000000ull + frac;
}

static bool is_host_mode(const struct hr_json *hostconfig, const char *member)
{
	const char *mode = hr_json_string(hr_json_member(hostconfig, member));
	return mode && strcmp(mode, "host") == 0;
}

struct hr_container *hr_container_from_inspect(const char *json, size_t len, const char *type,
					       uint32_t label_max_len)
{
	struct hr_json *doc = hr_json_parse(json, len);
	const char *id = hr_json_string(hr_json_member(doc, "Id"));
	if (!id || !*id) {
		hr_json_free(doc);
		return NULL;
	}
	struct hr_container *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	snprintf(c->id, sizeof(c->id), "%.12s", id);
	hr_bytes_set_str(&c->full_id, id);
	hr_bytes_set_str(&c->type, type);
	c->type_id = strcmp(type, "podman") == 0 ? 11 : 0;

	const char *name = hr_json_string(hr_json_member(doc, "Name"));
	if (name)
		hr_bytes_set_str(&c->name, name[0] == '/' ? name + 1 : name);

	const struct hr_json *config = hr_json_member(doc, "Config");
	const char *image = hr_json_string(hr_json_member(config, "Image"));
	if (image) {
		hr_bytes_set_str(&c->image, image);
		split_image(c, image);
	}
	/* The image id without its "sha256:" (docker writes it, podman not). */
	const char *image_id = hr_json_string(hr_json_member(doc, "Image"));
	if (image_id) {
		const char *colon = strchr(image_id, ':');
		hr_bytes_set_str(&c->image_id, colon ? colon + 1 : image_id);
	}
	const char *digest = hr_json_string(hr_json_member(doc, "ImageDigest"));
	if (digest && !c->image_digest.len)
		hr_bytes_set_str(&c->image_digest, digest);

	const struct hr_json *hostconfig = hr_json_member(doc, "HostConfig");
	c->privileged = hr_json_bool(hr_json_member(hostconfig, "Privileged"), false);
	c->host_pid = is_host_mode(hostconfig, "PidMode");
	c->host_network = is_host_mode(hostconfig, "NetworkMode");
	c->host_ipc = is_host_mode(hostconfig, "IpcMode");

	hr_container_set_mounts(c, hr_json_member(doc, "Mounts"));
	hr_container_set_labels(c, hr_json_member(config, "Labels"), label_max_len);
	set_api_healthcheck(c, hr_json_path(config, "Healthcheck", "Test", NULL));
	set_json_str(&c->ip, hr_json_path(doc, "NetworkSettings", "IPAddress", NULL));

	const char *started = hr_json_string(hr_json_path(doc, "State", "StartedAt", NULL));
	if (started)
		c->start_ts = parse_rfc3339(started);
	c->has_metadata = true;
	c->lookup = HR_CONTAINER_LOOKUP_DONE;
	hr_json_free(doc);
	return c;
}

bool hr_container_inspect_running(const char *json, size_t len)
{
	struct hr_json *doc = hr_json_parse(json, len);
	const struct hr_json *state = hr_json_member(doc, "State");
	const char *status = hr_json_string(hr_json_member(state, "Status"));
	/* A container being created or started is not over; one that has
	 * exited, was stopped or is being removed is. */
	bool running = !status || !(strcmp(status, "exited") == 0 || strcmp(status, "stopped") == 0 ||
				    strcmp(status, "dead") == 0 || strcmp(status, "removing") == 0);
	hr_json_free(doc);
	return running;
}

/* ---- the other way: sysdig's container record ---- */

static void put_json_string(struct hr_strbuf *b, const char *s, size_t len)
{
	hr_sb_putc(b, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			hr_sb_putc(b, '\\');
			hr_sb_putc(b, (char)c);
		} else if (c < 0x20) {
			hr_sb_printf(b, "\\u%04x", c);
		} else {
			hr_sb_putc(b, (char)c);
		}
	}
	hr_sb_putc(b, '"');
}

static void put_member(struct hr_strbuf *b, const char *key, const struct hr_bytes *v)
{
	hr_sb_printf(b, "\"%s\":", key);
	put_json_string(b, v->p ? v->p : "", v->len);
	hr_sb_putc(b, ',');
}

char *hr_container_record_json(const struct hr_container *c, size_t *len)
{
	struct hr_strbuf b = {0};
	hr_sb_puts(&b, "{\"container\":{\"id\":");
	put_json_string(&b, c->id, strlen(c->id));
	hr_sb_putc(&b, ',');
	put_member(&b, "full_id", &c->full_id);
	put_member(&b, "name", &c->name);
	put_member(&b, "image", &c->image);
	put_member(&b, "imageid", &c->image_id);
	put_member(&b, "imagerepo", &c->image_repository);
	put_member(&b, "imagetag", &c->image_tag);
	put_member(&b, "imagedigest", &c->image_digest);
	put_member(&b, "ip", &c->ip);
	hr_sb_printf(&b, "\"type\":%d,\"privileged\":%s,\"lookup_state\":1,\"created_time\":%llu,\"Mounts\":[",
		     (int)c->type_id, c->privileged ? "true" : "false",
		     (unsigned long long)(c->start_ts / 1000000000ull));
	for (uint32_t i = 0; i < c->nmounts; i++) {
		const struct hr_container_mount *m = &c->mounts[i];
		hr_sb_puts(&b, i ? ",{" : "{");
		put_member(&b, "Source", &m->source);
		put_member(&b, "Destination", &m->dest);
		put_member(&b, "Mode", &m->mode);
		put_member(&b, "Propagation", &m->propagation);
		hr_sb_printf(&b, "\"RW\":%s}", m->rdwr ? "true" : "false");
	}
	hr_sb_putc(&b, ']');
	for (int i = 0; i < 3; i++) {
		const struct hr_bytes *p = probe_of((struct hr_container *)c, i);
		if (!p->len)
			continue;
		/* The whole command as exe: read back, it prints the same. */
		hr_sb_printf(&b, ",\"%s\":{\"exe\":", probe_keys[i]);
		put_json_string(&b, p->p, p->len);
		hr_sb_puts(&b, ",\"args\":[]}");
	}
	hr_sb_puts(&b, ",\"labels\":{");
	for (uint32_t i = 0; i < c->nlabels; i++) {
		if (i)
			hr_sb_putc(&b, ',');
		const struct hr_container_label *l = &c->labels[i];
		put_json_string(&b, l->key.p ? l->key.p : "", l->key.len);
		hr_sb_putc(&b, ':');
		put_json_string(&b, l->value.p ? l->value.p : "", l->value.len);
	}
	hr_sb_puts(&b, "}}}");
	*len = b.len;
	return b.p;
}
