/*
 * The host's users and groups for the start of a live capture, delivered as
 * the HR_REC_USERLIST_BEGIN / HR_REC_USER / HR_REC_GROUP records a capture
 * file's user list gives, so that user.name and group.name resolve live and
 * -w recordings carry a user list (as sysdig 0.29.3's live capture lists the
 * host's users at start through the C library's user database).
 *
 * Only the host's database is read here; processes in containers are named
 * by their container's own files, which the state reads when it meets the
 * container (state/container_users.h).
 */
#ifndef HR_HOST_USERS_H
#define HR_HOST_USERS_H

#include <stdbool.h>

#include "capture/scap_reader.h"

struct hr_host_users {
	int step; /* 0: list start, 1: users, 2: groups, 3: done */
};

/* The next record of the user list, or false when it is complete. Strings
 * in `rec` point into the C library's buffers and stay valid until the next
 * call. Not reentrant: one list at a time per process. */
bool hr_host_users_next(struct hr_host_users *hu, struct hr_record *rec);

/* Ends a list that was not read to its end. */
void hr_host_users_close(struct hr_host_users *hu);

#endif
