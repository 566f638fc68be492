/*
 * Streams the host's user and group databases (getpwent/getgrent, so NSS
 * sources count as they do for `id`) as capture records (host_users.h).
 */
#include "capture/live/host_users.h"

#include <grp.h>
#include <pwd.h>
#include <string.h>

static struct hr_str view(const char *s)
{
	return (struct hr_str){s ? s : "", s ? (uint32_t)strlen(s) : 0};
}

bool hr_host_users_next(struct hr_host_users *hu, struct hr_record *rec)
{
	switch (hu->step) {
	case 0:
		memset(rec, 0, sizeof *rec);
		rec->kind = HR_REC_USERLIST_BEGIN;
		setpwent();
		hu->step = 1;
		return true;
	case 1: {
		const struct passwd *pw = getpwent();
		if (pw) {
			rec->kind = HR_REC_USER;
			rec->u.user = (struct hr_user_entry){pw->pw_uid, pw->pw_gid, view(pw->pw_name),
							     view(pw->pw_dir), view(pw->pw_shell)};
			return true;
		}
		endpwent();
		setgrent();
		hu->step = 2;
	}
		/* fall through */
	case 2: {
		const struct group *gr = getgrent();
		if (gr) {
			rec->kind = HR_REC_GROUP;
			rec->u.group = (struct hr_group_entry){gr->gr_gid, view(gr->gr_name)};
			return true;
		}
		endgrent();
		hu->step = 3;
	}
		/* fall through */
	default:
		return false;
	}
}

void hr_host_users_close(struct hr_host_users *hu)
{
	if (hu->step == 1)
		endpwent();
	else if (hu->step == 2)
		endgrent();
	hu->step = 3;
}
