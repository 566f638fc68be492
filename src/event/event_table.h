/*
 * The event table: for every event id, its name, direction, category, flags
 * and parameter layout, plus the flag/enum name tables and syscall names.
 * The data is generated from ../shared/spec at build time
 * (tools/gen_event_table.py); this header only describes its shape.
 */
#ifndef HR_EVENT_TABLE_H
#define HR_EVENT_TABLE_H

#include <stdint.h>

#define HR_EVENT_MAX 454      /* ids known to the newest libs */
#define HR_EVENT_MAX_2022 336 /* ids known to sysdig 0.29.3 */
#define HR_SYSCALL_MAX 454
#define HR_MAX_PARAMS 32

/* Parameter wire types; the numbers are the capture format's (scap-format.md 11.4). */
enum hr_param_type {
	HR_PT_NONE, HR_PT_INT8, HR_PT_INT16, HR_PT_INT32, HR_PT_INT64, HR_PT_UINT8,
	HR_PT_UINT16, HR_PT_UINT32, HR_PT_UINT64, HR_PT_CHARBUF, HR_PT_BYTEBUF, HR_PT_ERRNO,
	HR_PT_SOCKADDR, HR_PT_SOCKTUPLE, HR_PT_FD, HR_PT_PID, HR_PT_FDLIST, HR_PT_FSPATH,
	HR_PT_SYSCALLID, HR_PT_SIGTYPE, HR_PT_RELTIME, HR_PT_ABSTIME, HR_PT_PORT,
	HR_PT_L4PROTO, HR_PT_SOCKFAMILY, HR_PT_BOOL, HR_PT_IPV4ADDR, HR_PT_DYN, HR_PT_FLAGS8,
	HR_PT_FLAGS16, HR_PT_FLAGS32, HR_PT_UID, HR_PT_GID, HR_PT_DOUBLE, HR_PT_SIGSET,
	HR_PT_CHARBUFARRAY, HR_PT_CHARBUF_PAIR_ARRAY, HR_PT_IPV4NET, HR_PT_IPV6ADDR,
	HR_PT_IPV6NET, HR_PT_IPADDR, HR_PT_IPNET, HR_PT_MODE, HR_PT_FSRELPATH,
	HR_PT_ENUMFLAGS8, HR_PT_ENUMFLAGS16, HR_PT_ENUMFLAGS32, HR_PT_FD32, HR_PT_PID32,
	HR_PT_MAX
};

enum hr_print_format { HR_PF_NA = 0, HR_PF_DEC = 1, HR_PF_HEX = 2, HR_PF_OCT = 6 };

/* Event categories (EC_*): a low subsystem value plus source bits. */
enum {
	HR_EC_SUBSYSTEM_MASK = 0x3f,
	HR_EC_IO_BASE = 32,
	HR_EC_WAIT = 1 << 6,
	HR_EC_SCHEDULER = 1 << 7,
	HR_EC_INTERNAL = 1 << 8,
	HR_EC_SYSCALL = 1 << 9,
	HR_EC_TRACEPOINT = 1 << 10,
	HR_EC_PLUGIN = 1 << 11,
	HR_EC_METAEVENT = 1 << 12,
	HR_EC_ITER = 1 << 13,
};

/* Event flags (EF_*). */
enum {
	HR_EF_CREATES_FD = 1 << 0,
	HR_EF_DESTROYS_FD = 1 << 1,
	HR_EF_USES_FD = 1 << 2,
	HR_EF_READS_FROM_FD = 1 << 3,
	HR_EF_WRITES_TO_FD = 1 << 4,
	HR_EF_MODIFIES_STATE = 1 << 5,
	HR_EF_UNUSED = 1 << 6,
	HR_EF_WAITS = 1 << 7,
	HR_EF_SKIPPARSERESET = 1 << 8,
	HR_EF_OLD_VERSION = 1 << 9,
	HR_EF_LARGE_PAYLOAD = 1 << 11,
	HR_EF_CONVERTER_MANAGED = 1 << 12,
};

/* What a parameter's `info` refers to. */
enum hr_param_info_kind {
	HR_INFO_NONE,
	HR_INFO_FLAGS, /* index into hr_flag_tables */
	HR_INFO_DIRFD, /* index of the parameter holding the directory fd */
	HR_INFO_DYN,   /* index into hr_dyn_tables */
};

struct hr_param_info {
	const char *name;
	uint8_t type;      /* enum hr_param_type */
	uint8_t format;    /* enum hr_print_format */
	uint8_t info_kind; /* enum hr_param_info_kind */
	uint8_t info;
};

enum hr_old_version { HR_OLD_NO, HR_OLD_CONVERT, HR_OLD_DROP, HR_OLD_UNUSED };

struct hr_event_info {
	const char *name;      /* what evt.type prints; "NA" for unused slots */
	const char *enum_name; /* PPME_* */
	const char *name_2022; /* the name sysdig 0.29.3 uses */
	uint8_t is_enter;
	uint32_t category;
	uint32_t flags;
	uint8_t nparams;
	uint8_t nparams_2022;
	uint8_t known_2022;
	uint8_t old_version; /* enum hr_old_version */
	const struct hr_param_info *params;
	const struct hr_param_info *params_2022; /* layout sysdig 0.29.3 knows */
};

struct hr_flag_name {
	const char *name;
	uint32_t value;
};

struct hr_flag_table {
	const char *name;
	const struct hr_flag_name *entries; /* in the libs' order */
	unsigned count;
};

struct hr_dyn_table {
	const char *name;
	const struct hr_param_info *entries;
	unsigned count;
};

struct hr_syscall_name {
	const char *name;      /* newest libs */
	const char *name_2022; /* NULL when 2022 did not know the code */
};

extern const struct hr_event_info hr_event_table[HR_EVENT_MAX];
extern const struct hr_flag_table hr_flag_tables[];
extern const unsigned hr_flag_table_count;
extern const struct hr_dyn_table hr_dyn_tables[];
extern const struct hr_syscall_name hr_syscall_names[HR_SYSCALL_MAX];

static inline const struct hr_event_info *hr_event_info_of(uint16_t type)
{
	return type < HR_EVENT_MAX ? &hr_event_table[type] : 0;
}

/* Width in bytes of each parameter length for this event type (2 or 4). */
static inline unsigned hr_event_len_size(uint16_t type)
{
	return (type < HR_EVENT_MAX && (hr_event_table[type].flags & HR_EF_LARGE_PAYLOAD)) ? 4 : 2;
}

#endif
