/*
 * The container fields (`container.*`, and the `k8s.pod.*` / `k8s.ns.name`
 * fields Falco's container plugin derives from the runtime's
 * io.kubernetes.* labels): read from the container the event's thread
 * belongs to (its id from the cgroups, its metadata from capture records or
 * the container runtime). Outside containers the id, name and type read
 * "host" and the rest has no value; inside, a field the metadata lacks (not
 * looked up yet, or unknown to the runtime) has no value.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>

#include "fields/field_classes.h"

static const struct hr_container *container_of(struct hr_field_ctx *ctx, const struct hr_thread *t)
{
	return t->container_id[0] ? hr_state_container(ctx->state, t->container_id) : NULL;
}

/* The container of the event's thread when it has runtime metadata. */
#define CONTAINER_WITH_METADATA()                                   \
	THREAD_OR_MISSING();                                       \
	const struct hr_container *c = container_of(ctx, t);       \
	if (!c || !c->has_metadata)                                \
		return false

static bool x_container_id(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			   struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_cstr(out, t->container_id[0] ? t->container_id : "host");
}
static bool x_full_id(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	if (!t->container_id[0])
		return hr_set_cstr(out, "host");
	const struct hr_container *c = container_of(ctx, t);
	return c && c->full_id.len && hr_set_str(out, c->full_id.p, c->full_id.len);
}
static bool x_container_name(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			     struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	if (!t->container_id[0])
		return hr_set_cstr(out, "host");
	const struct hr_container *c = container_of(ctx, t);
	return c && c->name.len && hr_set_str(out, c->name.p, c->name.len);
}

/* Image fields: no value on the host or when the container lacks it. */
static bool container_text(struct hr_field_ctx *ctx, const struct hr_event *e, size_t member, struct hr_value *out)
{
	THREAD_OR_MISSING();
	const struct hr_container *c = container_of(ctx, t);
	if (!c)
		return false;
	const struct hr_bytes *b = (const struct hr_bytes *)((const char *)c + member);
	return b->len && hr_set_str(out, b->p, b->len);
}
static bool x_image(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	return container_text(ctx, e, offsetof(struct hr_container, image), out);
}
static bool x_image_id(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	return container_text(ctx, e, offsetof(struct hr_container, image_id), out);
}
static bool x_image_repo(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			 struct hr_value *out)
{
	(void)f;
	return container_text(ctx, e, offsetof(struct hr_container, image_repository), out);
}
static bool x_image_tag(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	return container_text(ctx, e, offsetof(struct hr_container, image_tag), out);
}
static bool x_image_digest(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			   struct hr_value *out)
{
	(void)f;
	return container_text(ctx, e, offsetof(struct hr_container, image_digest), out);
}
static bool x_container_type(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			     struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	if (!t->container_id[0])
		return hr_set_cstr(out, "host");
	return container_text(ctx, e, offsetof(struct hr_container, type), out);
}

/* sysdig knows the privileged flag only of Docker-compatible engines
 * (docker, cri, containerd, cri-o, podman). */
static bool x_privileged(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	CONTAINER_WITH_METADATA();
	bool docker_compatible = c->type_id == 0 || (c->type_id >= 6 && c->type_id <= 8) || c->type_id == 11;
	return docker_compatible && hr_set_bool(out, c->privileged);
}
static bool x_host_pid(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	CONTAINER_WITH_METADATA();
	return hr_set_bool(out, c->host_pid);
}
static bool x_host_network(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			   struct hr_value *out)
{
	(void)f;
	CONTAINER_WITH_METADATA();
	return hr_set_bool(out, c->host_network);
}
static bool x_host_ipc(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	CONTAINER_WITH_METADATA();
	return hr_set_bool(out, c->host_ipc);
}

/* The runtime's address, "0.0.0.0" when it gave none (as Falco prints an
 * unset address). */
static bool x_ip(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	CONTAINER_WITH_METADATA();
	return c->ip.len ? hr_set_str(out, c->ip.p, c->ip.len) : hr_set_cstr(out, "0.0.0.0");
}

/* When the container started: as Falco, the start of the init process of
 * the thread's PID namespace when known, else the runtime's (or a
 * container record's) start time. */
static uint64_t container_start(struct hr_field_ctx *ctx, const struct hr_thread *t)
{
	const struct hr_container *c = container_of(ctx, t);
	if (!t->container_id[0])
		return 0;
	if (t->pidns_init_start_ts)
		return t->pidns_init_start_ts;
	return c ? c->start_ts : 0;
}
static bool x_start_ts(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	uint64_t start = container_start(ctx, t);
	return start && hr_set_u64(out, HR_PT_ABSTIME, start);
}
static bool x_duration(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	THREAD_OR_MISSING();
	uint64_t start = container_start(ctx, t);
	return start && e->ts >= start && hr_set_u64(out, HR_PT_RELTIME, e->ts - start);
}

/* ---- mounts ---- */

static void put_mount(struct hr_strbuf *b, const struct hr_container_mount *m)
{
	hr_sb_puts(b, hr_bytes_str(&m->source));
	hr_sb_putc(b, ':');
	hr_sb_puts(b, hr_bytes_str(&m->dest));
	hr_sb_putc(b, ':');
	hr_sb_puts(b, hr_bytes_str(&m->mode));
	hr_sb_puts(b, m->rdwr ? ":true:" : ":false:");
	hr_sb_puts(b, hr_bytes_str(&m->propagation));
}

/* "source:dest:mode:rdwr:propagation" of each mount, comma-separated. */
static bool x_mounts(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	CONTAINER_WITH_METADATA();
	hr_sb_reset(&f->storage);
	for (uint32_t i = 0; i < c->nmounts; i++) {
		if (i)
			hr_sb_putc(&f->storage, ',');
		put_mount(&f->storage, &c->mounts[i]);
	}
	return hr_set_storage(out, f);
}

/* The mount a field's argument names: [N] by position, else a glob matched
 * against the mount's destination (for .source) or source (the others). */
static const struct hr_container_mount *mount_of(const struct hr_field *f, const struct hr_container *c, bool by_dest)
{
	if (f->arg_index >= 0)
		return (uint32_t)f->arg_index < c->nmounts ? &c->mounts[f->arg_index] : NULL;
	for (uint32_t i = 0; i < c->nmounts; i++) {
		const struct hr_bytes *path = by_dest ? &c->mounts[i].dest : &c->mounts[i].source;
		if (fnmatch(f->arg_name, hr_bytes_str(path), 0) == 0)
			return &c->mounts[i];
	}
	return NULL;
}

static bool x_mount(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	CONTAINER_WITH_METADATA();
	const struct hr_container_mount *m = mount_of(f, c, false);
	if (!m)
		return false;
	hr_sb_reset(&f->storage);
	put_mount(&f->storage, m);
	return hr_set_storage(out, f);
}

static bool mount_text(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out,
		       size_t member, bool by_dest)
{
	CONTAINER_WITH_METADATA();
	const struct hr_container_mount *m = mount_of(f, c, by_dest);
	if (!m)
		return false;
	const struct hr_bytes *b = (const struct hr_bytes *)((const char *)m + member);
	return hr_set_str(out, hr_bytes_str(b), b->len);
}
static bool x_mount_source(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			   struct hr_value *out)
{
	return mount_text(f, ctx, e, out, offsetof(struct hr_container_mount, source), true);
}
static bool x_mount_dest(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	return mount_text(f, ctx, e, out, offsetof(struct hr_container_mount, dest), false);
}
static bool x_mount_mode(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	return mount_text(f, ctx, e, out, offsetof(struct hr_container_mount, mode), false);
}
static bool x_mount_propagation(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
				struct hr_value *out)
{
	return mount_text(f, ctx, e, out, offsetof(struct hr_container_mount, propagation), false);
}
static bool x_mount_rdwr(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	CONTAINER_WITH_METADATA();
	const struct hr_container_mount *m = mount_of(f, c, false);
	return m && hr_set_cstr(out, m->rdwr ? "true" : "false");
}

/* ---- labels and Kubernetes ---- */

static const struct hr_bytes *label(const struct hr_container *c, const char *key)
{
	for (uint32_t i = 0; c && i < c->nlabels; i++)
		if (strcmp(hr_bytes_str(&c->labels[i].key), key) == 0)
			return &c->labels[i].value;
	return NULL;
}

/* `[N]` arrives as an index: a label named by digits is looked up by them. */
static const char *key_arg(const struct hr_field *f, char *digits, size_t size)
{
	if (f->arg_index < 0)
		return f->arg_name;
	snprintf(digits, size, "%d", f->arg_index);
	return digits;
}

static bool set_label(struct hr_value *out, const struct hr_bytes *v)
{
	return v && hr_set_str(out, hr_bytes_str(v), v->len);
}

static bool x_label(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	CONTAINER_WITH_METADATA();
	char digits[16];
	return set_label(out, label(c, key_arg(f, digits, sizeof(digits))));
}

/*
 * The labels as Falco (and sysdig 0.29.3's k8s.pod.labels) list them:
 * sorted by key, "key:value" ("key" alone for an empty value), joined by
 * ", ", without Kubernetes' own io.kubernetes.* and annotation.* labels.
 * Containers have few labels: each round picks the next key in order.
 */
static void put_labels(struct hr_strbuf *b, const struct hr_container *c)
{
	const char *last = NULL;
	for (;;) {
		const struct hr_container_label *next = NULL;
		for (uint32_t i = 0; i < c->nlabels; i++) {
			const char *k = hr_bytes_str(&c->labels[i].key);
			if (strncmp(k, "io.kubernetes.", 14) == 0 || strncmp(k, "annotation.", 11) == 0)
				continue;
			if ((!last || strcmp(k, last) > 0) && (!next || strcmp(k, hr_bytes_str(&next->key)) < 0))
				next = &c->labels[i];
		}
		if (!next)
			return;
		if (last)
			hr_sb_puts(b, ", ");
		last = hr_bytes_str(&next->key);
		hr_sb_puts(b, last);
		if (next->value.len) {
			hr_sb_putc(b, ':');
			hr_sb_puts(b, hr_bytes_str(&next->value));
		}
	}
}

static bool x_labels(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	CONTAINER_WITH_METADATA();
	hr_sb_reset(&f->storage);
	put_labels(&f->storage, c);
	return hr_set_storage(out, f);
}

static bool k8s_label(struct hr_field_ctx *ctx, const struct hr_event *e, const char *key, struct hr_value *out)
{
	CONTAINER_WITH_METADATA();
	return set_label(out, label(c, key));
}
static bool x_k8s_pod_name(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			   struct hr_value *out)
{
	(void)f;
	return k8s_label(ctx, e, "io.kubernetes.pod.name", out);
}
static bool x_k8s_ns_name(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			  struct hr_value *out)
{
	(void)f;
	return k8s_label(ctx, e, "io.kubernetes.pod.namespace", out);
}
static bool x_k8s_pod_uid(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			  struct hr_value *out)
{
	(void)f;
	return k8s_label(ctx, e, "io.kubernetes.pod.uid", out);
}
static bool x_k8s_full_sandbox_id(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
				  struct hr_value *out)
{
	(void)f;
	return k8s_label(ctx, e, "io.kubernetes.sandbox.id", out);
}
static bool x_k8s_sandbox_id(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			     struct hr_value *out)
{
	if (!x_k8s_full_sandbox_id(f, ctx, e, out))
		return false;
	if (out->len > 12)
		out->len = 12;
	return true;
}

/* The pod's sandbox container (which carries the pod's labels and
 * address), when the event's container is in a pod and the sandbox is known. */
static const struct hr_container *sandbox_of(struct hr_field_ctx *ctx, const struct hr_container *c)
{
	const struct hr_bytes *sid = label(c, "io.kubernetes.sandbox.id");
	if (!sid)
		return label(c, "io.kubernetes.pod.name") ? c : NULL;
	char id[13];
	snprintf(id, sizeof(id), "%.12s", hr_bytes_str(sid));
	const struct hr_container *sb = hr_state_container(ctx->state, id);
	return sb && sb->has_metadata ? sb : NULL;
}

static bool x_k8s_pod_label(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			    struct hr_value *out)
{
	CONTAINER_WITH_METADATA();
	char digits[16];
	return set_label(out, label(sandbox_of(ctx, c), key_arg(f, digits, sizeof(digits))));
}
static bool x_k8s_pod_labels(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			     struct hr_value *out)
{
	CONTAINER_WITH_METADATA();
	const struct hr_container *sb = sandbox_of(ctx, c);
	if (!sb)
		return false;
	hr_sb_reset(&f->storage);
	put_labels(&f->storage, sb);
	return hr_set_storage(out, f);
}
static bool x_k8s_pod_ip(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	CONTAINER_WITH_METADATA();
	const struct hr_container *sb = sandbox_of(ctx, c);
	if (!sb)
		return false;
	return sb->ip.len ? hr_set_str(out, sb->ip.p, sb->ip.len) : hr_set_cstr(out, "0.0.0.0");
}

/* sysdig's health probe fields: the probe's command, "NONE" for a
 * container without one. */
static bool probe_text(struct hr_field_ctx *ctx, const struct hr_event *e, size_t member, struct hr_value *out)
{
	THREAD_OR_MISSING();
	const struct hr_container *c = container_of(ctx, t);
	if (!c)
		return false;
	const struct hr_bytes *b = (const struct hr_bytes *)((const char *)c + member);
	return b->len ? hr_set_str(out, b->p, b->len) : hr_set_cstr(out, "NONE");
}
static bool x_healthcheck(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			  struct hr_value *out)
{
	(void)f;
	return probe_text(ctx, e, offsetof(struct hr_container, healthcheck), out);
}
static bool x_liveness_probe(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			     struct hr_value *out)
{
	(void)f;
	return probe_text(ctx, e, offsetof(struct hr_container, liveness_probe), out);
}
static bool x_readiness_probe(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			      struct hr_value *out)
{
	(void)f;
	return probe_text(ctx, e, offsetof(struct hr_container, readiness_probe), out);
}

#define KEY_ARG (HR_FF_REQUIRES_ARG)

const struct hr_field_def hr_fields_container[] = {
	{"container.id", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_container_id, NULL,
	 "the container id, its first 12 characters ('host' outside containers)."},
	{"container.full_id", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_full_id, NULL,
	 "the full container id ('host' outside containers)."},
	{"container.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_container_name, NULL,
	 "the container name ('host' outside containers)."},
	{"container.image", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_image, NULL, "the container image name."},
	{"container.image.id", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_image_id, NULL, "the container image id."},
	{"container.type", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_container_type, NULL,
	 "the container type, e.g. docker or podman ('host' outside containers)."},
	{"container.privileged", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_privileged, NULL,
	 "whether the container was started in privileged mode: true or false."},
	{"container.mounts", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_mounts, NULL,
	 "the mounts as source:dest:mode:rdwr:propagation, comma-separated."},
	{"container.mount", HR_PT_CHARBUF, HR_FMT_NA, KEY_ARG, HR_FA_KEY, x_mount, NULL,
	 "one mount as source:dest:mode:rdwr:propagation, by number ([0]) or source glob ([/usr/local/*])."},
	{"container.mount.source", HR_PT_CHARBUF, HR_FMT_NA, KEY_ARG, HR_FA_KEY, x_mount_source, NULL,
	 "a mount's source, by number or destination glob."},
	{"container.mount.dest", HR_PT_CHARBUF, HR_FMT_NA, KEY_ARG, HR_FA_KEY, x_mount_dest, NULL,
	 "a mount's destination, by number or source glob."},
	{"container.mount.mode", HR_PT_CHARBUF, HR_FMT_NA, KEY_ARG, HR_FA_KEY, x_mount_mode, NULL,
	 "a mount's mode, by number or source glob."},
	{"container.mount.rdwr", HR_PT_CHARBUF, HR_FMT_NA, KEY_ARG, HR_FA_KEY, x_mount_rdwr, NULL,
	 "whether a mount is writable (true/false), by number or source glob."},
	{"container.mount.propagation", HR_PT_CHARBUF, HR_FMT_NA, KEY_ARG, HR_FA_KEY, x_mount_propagation, NULL,
	 "a mount's propagation, by number or source glob."},
	{"container.image.repository", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_image_repo, NULL,
	 "the container image repository."},
	{"container.image.tag", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_image_tag, NULL, "the container image tag."},
	{"container.image.digest", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_image_digest, NULL,
	 "the container image registry digest."},
	{"container.start_ts", HR_PT_ABSTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_start_ts, NULL,
	 "when the container started, in nanoseconds since the epoch."},
	{"container.duration", HR_PT_RELTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_duration, NULL,
	 "nanoseconds since container.start_ts."},
	{"container.ip", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_ip, NULL,
	 "the container's primary IPv4 address from the runtime."},
	{"container.host_pid", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_host_pid, NULL,
	 "true if the container runs in the host's PID namespace."},
	{"container.host_network", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_host_network, NULL,
	 "true if the container runs in the host's network namespace."},
	{"container.host_ipc", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_host_ipc, NULL,
	 "true if the container runs in the host's IPC namespace."},
	{"container.label", HR_PT_CHARBUF, HR_FMT_NA, KEY_ARG, HR_FA_KEY, x_label, NULL,
	 "a container label, e.g. container.label[maintainer]."},
	{"container.labels", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_labels, NULL,
	 "the container labels as key:value, sorted, joined by ', ' (without io.kubernetes.* ones)."},
	{"k8s.pod.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_k8s_pod_name, NULL,
	 "the Kubernetes pod name (from the container's io.kubernetes labels)."},
	{"k8s.ns.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_k8s_ns_name, NULL, "name of the namespace the pod of the container belongs to."},
	{"k8s.pod.uid", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_k8s_pod_uid, NULL, "the Kubernetes pod UID."},
	{"k8s.pod.id", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_k8s_pod_uid, NULL,
	 "the Kubernetes pod UID (legacy name of k8s.pod.uid)."},
	{"k8s.pod.sandbox_id", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_k8s_sandbox_id, NULL,
	 "the pod sandbox id, its first 12 characters."},
	{"k8s.pod.full_sandbox_id", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_k8s_full_sandbox_id, NULL,
	 "the full pod sandbox id."},
	{"k8s.pod.label", HR_PT_CHARBUF, HR_FMT_NA, KEY_ARG, HR_FA_KEY, x_k8s_pod_label, NULL,
	 "a pod label, e.g. k8s.pod.label[app] (from the pod's sandbox container)."},
	{"k8s.pod.labels", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_k8s_pod_labels, NULL,
	 "the pod labels as key:value, sorted, joined by ', '."},
	{"k8s.pod.ip", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_k8s_pod_ip, NULL, "the pod's IPv4 address."},
	UNSUPPORTED("container.cni.json", HR_PT_CHARBUF),
	UNSUPPORTED("k8s.pod.cni.json", HR_PT_CHARBUF),
	{"container.healthcheck", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_healthcheck, NULL,
	 "the container's health check command ('NONE' without one)."},
	{"container.liveness_probe", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_liveness_probe, NULL,
	 "the container's liveness probe command ('NONE' without one)."},
	{"container.readiness_probe", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_readiness_probe, NULL,
	 "the container's readiness probe command ('NONE' without one)."},
	{0},
};
