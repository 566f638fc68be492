/* Filtered recordings in sysdig's fatfile mode (see fatfile.h). */
#include "app/fatfile.h"

#include <string.h>

bool hr_event_changes_state(uint16_t type)
{
	const struct hr_event_info *info = hr_event_info_of(type);
	if (!info)
		return false;
	if (info->flags & HR_EF_MODIFIES_STATE)
		return true;
	return info->enum_name && (!strcmp(info->enum_name, "PPME_SYSCALL_SETPGID_E") ||
				   !strcmp(info->enum_name, "PPME_SYSCALL_SETPGID_X"));
}

enum hr_fatfile_choice hr_fatfile_choose(const struct hr_event *e, bool matched)
{
	if (matched && !(e->dump_flags & HR_DF_STATE_ONLY))
		return HR_FATFILE_WRITE;
	if (hr_event_changes_state(e->type))
		return HR_FATFILE_WRITE_STATE_ONLY;
	const struct hr_event_info *info = hr_event_info_of(e->type);
	return info && (info->category & HR_EC_INTERNAL) ? HR_FATFILE_WRITE : HR_FATFILE_DROP;
}
