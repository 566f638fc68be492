/*
 * The container fields (`container.*`): read from the container the event's
 * thread belongs to (its id from the cgroups, its metadata from capture
 * records or the container runtime).
 */
#include <stddef.h>
#include <string.h>

#include "fields/field_classes.h"

static const struct hr_container *container_of(struct hr_field_ctx *ctx, const struct hr_thread *t)
{
	return t->container_id[0] ? hr_state_container(ctx->state, t->container_id) : NULL;
}

static bool x_container_id(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			   struct hr_value *out)
{
	(void)f, (void)ctx;
	THREAD_OR_MISSING();
	return hr_set_cstr(out, t->container_id[0] ? t->container_id : "host");
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

const struct hr_field_def hr_fields_container[] = {
	{"container.id", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_container_id, NULL,
	 "the container id ('host' outside containers)."},
	{"container.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_container_name, NULL,
	 "the container name ('host' outside containers)."},
	{"container.image", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_image, NULL, "the container image name."},
	{"container.image.id", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_image_id, NULL, "the container image id."},
	{"container.type", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_container_type, NULL,
	 "the container type, e.g. docker ('host' outside containers)."},
	UNSUPPORTED("container.privileged", HR_PT_BOOL),
	UNSUPPORTED("container.mounts", HR_PT_CHARBUF),
	UNSUPPORTED("container.mount", HR_PT_CHARBUF),
	UNSUPPORTED("container.mount.source", HR_PT_CHARBUF),
	UNSUPPORTED("container.mount.dest", HR_PT_CHARBUF),
	UNSUPPORTED("container.mount.mode", HR_PT_CHARBUF),
	UNSUPPORTED("container.mount.rdwr", HR_PT_CHARBUF),
	UNSUPPORTED("container.mount.propagation", HR_PT_CHARBUF),
	{"container.image.repository", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_image_repo, NULL,
	 "the container image repository."},
	{"container.image.tag", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_image_tag, NULL, "the container image tag."},
	{"container.image.digest", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_image_digest, NULL,
	 "the container image registry digest."},
	UNSUPPORTED("container.healthcheck", HR_PT_CHARBUF),
	UNSUPPORTED("container.liveness_probe", HR_PT_CHARBUF),
	UNSUPPORTED("container.readiness_probe", HR_PT_CHARBUF),
	{0},
};
