/*
 * A table of users and groups keyed by uid and gid: the host's (from a
 * capture's user list) or one container's (from its /etc/passwd and
 * /etc/group, or from useradded/groupadded events). Tables are small (a
 * passwd file has tens of entries), so they are plain arrays in insertion
 * order, which is also the order a recording lists them in.
 */
#ifndef HR_USER_TABLE_H
#define HR_USER_TABLE_H

#include <stdint.h>

#include "state/state.h"

struct hr_user_table {
	struct hr_user *users;
	uint32_t nusers, users_cap;
	struct hr_group *groups;
	uint32_t ngroups, groups_cap;
};

/* Adding an id already present replaces its entry, as sinsp's maps do. */
void hr_user_table_add_user(struct hr_user_table *t, const struct hr_user_entry *u);
void hr_user_table_add_group(struct hr_user_table *t, const struct hr_group_entry *g);
void hr_user_table_remove_user(struct hr_user_table *t, uint32_t uid);
void hr_user_table_remove_group(struct hr_user_table *t, uint32_t gid);
const struct hr_user *hr_user_table_user(const struct hr_user_table *t, uint32_t uid);
const struct hr_group *hr_user_table_group(const struct hr_user_table *t, uint32_t gid);
/* Empties the table, keeping its arrays for reuse. */
void hr_user_table_clear(struct hr_user_table *t);
/* Empties the table and frees its arrays. */
void hr_user_table_free(struct hr_user_table *t);

#endif
