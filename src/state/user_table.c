/*
 * User and group tables (user_table.h).
 */
#include "state/user_table.h"

#include <stdlib.h>
#include <string.h>

#include "state/state_internal.h"

static void set_view(struct hr_bytes *b, struct hr_str v)
{
	hr_bytes_set(b, v.p ? v.p : "", v.len);
}

static void free_user(struct hr_user *u)
{
	hr_bytes_free(&u->name);
	hr_bytes_free(&u->homedir);
	hr_bytes_free(&u->shell);
}

void hr_user_table_add_user(struct hr_user_table *t, const struct hr_user_entry *u)
{
	struct hr_user *dst = (struct hr_user *)hr_user_table_user(t, u->uid);
	if (!dst) {
		t->users = hr_grow_array(t->users, &t->users_cap, t->nusers + 1, sizeof(*t->users));
		dst = &t->users[t->nusers++];
		memset(dst, 0, sizeof(*dst));
	}
	dst->uid = u->uid;
	dst->gid = u->gid;
	set_view(&dst->name, u->name);
	set_view(&dst->homedir, u->homedir);
	set_view(&dst->shell, u->shell);
}

void hr_user_table_add_group(struct hr_user_table *t, const struct hr_group_entry *g)
{
	struct hr_group *dst = (struct hr_group *)hr_user_table_group(t, g->gid);
	if (!dst) {
		t->groups = hr_grow_array(t->groups, &t->groups_cap, t->ngroups + 1, sizeof(*t->groups));
		dst = &t->groups[t->ngroups++];
		memset(dst, 0, sizeof(*dst));
	}
	dst->gid = g->gid;
	set_view(&dst->name, g->name);
}

void hr_user_table_remove_user(struct hr_user_table *t, uint32_t uid)
{
	for (uint32_t i = 0; i < t->nusers; i++) {
		if (t->users[i].uid != uid)
			continue;
		free_user(&t->users[i]);
		t->users[i] = t->users[--t->nusers];
		return;
	}
}

void hr_user_table_remove_group(struct hr_user_table *t, uint32_t gid)
{
	for (uint32_t i = 0; i < t->ngroups; i++) {
		if (t->groups[i].gid != gid)
			continue;
		hr_bytes_free(&t->groups[i].name);
		t->groups[i] = t->groups[--t->ngroups];
		return;
	}
}

const struct hr_user *hr_user_table_user(const struct hr_user_table *t, uint32_t uid)
{
	for (uint32_t i = 0; i < t->nusers; i++)
		if (t->users[i].uid == uid)
			return &t->users[i];
	return NULL;
}

const struct hr_group *hr_user_table_group(const struct hr_user_table *t, uint32_t gid)
{
	for (uint32_t i = 0; i < t->ngroups; i++)
		if (t->groups[i].gid == gid)
			return &t->groups[i];
	return NULL;
}

void hr_user_table_clear(struct hr_user_table *t)
{
	for (uint32_t i = 0; i < t->nusers; i++)
		free_user(&t->users[i]);
	t->nusers = 0;
	for (uint32_t i = 0; i < t->ngroups; i++)
		hr_bytes_free(&t->groups[i].name);
	t->ngroups = 0;
}

void hr_user_table_free(struct hr_user_table *t)
{
	hr_user_table_clear(t);
	free(t->users);
	free(t->groups);
	memset(t, 0, sizeof(*t));
}
