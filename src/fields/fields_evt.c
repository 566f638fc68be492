/*
 * The `evt.*` fields: event number, times, direction, type, CPU, arguments
 * and result. Two classes, as in sysdig: the generic one (number and times,
 * valid for every event) is searched before the syscall one.
 */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fields/field_classes.h"
#include "format/event_args.h"
#include "format/param_text.h"
#include "format/value_names.h"

#define NS_PER_S 1000000000ull

/* ---- times ---------------------------------------------------------------- */

/* sysdig's time text: [YYYY-MM-DD ]HH:MM:SS[.nnnnnnnnn] in the local zone. */
static bool time_text(struct hr_field *f, struct hr_field_ctx *ctx, uint64_t ts, bool date, bool ns,
		      struct hr_value *out)
{
	uint64_t sec = ts / NS_PER_S;
	uint64_t local = sec + (uint64_t)(int64_t)ctx->utc_offset;
	unsigned s = (unsigned)(local % 86400);
	hr_sb_reset(&f->storage);
	if (date) {
		time_t day = (time_t)(local - s);
		struct tm tm;
		if (gmtime_r(&day, &tm))
			hr_sb_printf(&f->storage, "%04d-%02d-%02d ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		else
			hr_sb_puts(&f->storage, "<date error> ");
	}
	if (ns)
		hr_sb_printf(&f->storage, "%02u:%02u:%02u.%09u", s / 3600, (s % 3600) / 60, s % 60,
			     (unsigned)(ts % NS_PER_S));
	else
		hr_sb_printf(&f->storage, "%02u:%02u:%02u", s / 3600, (s % 3600) / 60, s % 60);
	return hr_set_storage(out, f);
}

static bool x_num(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	return hr_set_u64(out, HR_PT_UINT64, e->num);
}
static bool x_time(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	return time_text(f, ctx, e->ts, false, true, out);
}
static bool x_time_s(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	return time_text(f, ctx, e->ts, false, false, out);
}
static bool x_datetime(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	return time_text(f, ctx, e->ts, true, true, out);
}
static bool x_datetime_s(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			 struct hr_value *out)
{
	return time_text(f, ctx, e->ts, true, false, out);
}
static bool x_time_iso(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)ctx;
	time_t sec = (time_t)(e->ts / NS_PER_S);
	struct tm tm;
	char day[64];
	hr_sb_reset(&f->storage);
	if (!gmtime_r(&sec, &tm) || !strftime(day, sizeof day, "%FT%T", &tm)) {
		hr_sb_puts(&f->storage, "YYYY-MM-DDTHH:MM:SS-0000");
		return hr_set_storage(out, f);
	}
	hr_sb_printf(&f->storage, "%s.%09u+0000", day, (unsigned)(e->ts % NS_PER_S));
	return hr_set_storage(out, f);
}
/* In JSON, the time texts are the raw timestamp. */
static bool j_ts(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	return hr_set_i64(out, HR_PT_INT64, (int64_t)e->ts);
}
static bool x_rawtime(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	return hr_set_u64(out, HR_PT_ABSTIME, e->ts);
}
static bool x_rawtime_s(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	return hr_set_u64(out, HR_PT_ABSTIME, e->ts / NS_PER_S);
}
static bool x_rawtime_ns(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			 struct hr_value *out)
{
	(void)f, (void)ctx;
	return hr_set_u64(out, HR_PT_ABSTIME, e->ts % NS_PER_S);
}
static bool x_reltime(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	return hr_set_u64(out, HR_PT_RELTIME, e->ts - ctx->first_event_ts);
}
static bool x_reltime_s(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	return hr_set_u64(out, HR_PT_RELTIME, (e->ts - ctx->first_event_ts) / NS_PER_S);
}
static bool x_reltime_ns(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			 struct hr_value *out)
{
	(void)f;
	return hr_set_u64(out, HR_PT_RELTIME, (e->ts - ctx->first_event_ts) % NS_PER_S);
}
/* In JSON, raw and relative times are plain numbers whatever their format. */
static bool j_u64(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	if (!f->def->extract(f, ctx, e, out))
		return false;
	out->type = HR_PT_UINT64;
	return true;
}
static bool x_none(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx, (void)e, (void)out;
	return false;
}

/* Every event Harrier reads comes from the syscall source (no plugins). */
static bool x_source(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx, (void)e;
	return hr_set_cstr(out, "syscall");
}
static bool is_meta_event(const struct hr_event *e) { return hr_event_info(e)->category & HR_EC_METAEVENT; }
static bool x_is_async(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	return hr_set_bool(out, is_meta_event(e));
}
/* The meta event's name; for the generic async event, the name it carries. */
static bool x_asynctype(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	enum { EVT_ASYNCEVENT_E = 402 };
	if (!is_meta_event(e))
		return false;
	if (e->type != EVT_ASYNCEVENT_E)
		return hr_set_cstr(out, hr_event_info(e)->name);
	if (e->nparams_indexed < 2)
		return false;
	return hr_set_str(out, (const char *)e->param[1], (uint32_t)strnlen((const char *)e->param[1], e->param_len[1]));
}
static bool x_hostname(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)e;
	const struct hr_machine_info *m = hr_state_machine(ctx->state);
	return m && hr_set_cstr(out, m->hostname);
}

const struct hr_field_def hr_fields_evt_gen[] = {
	{"evt.num", HR_PT_UINT64, HR_FMT_ID, 0, HR_FA_NONE, x_num, NULL, "sequence number of the event in the capture."},
	{"evt.time", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_time, j_ts,
	 "time of the event as hours:minutes:seconds with nanoseconds."},
	{"evt.time.s", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_time_s, j_ts,
	 "time of the event as hours:minutes:seconds, whole seconds only."},
	{"evt.time.iso8601", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_time_iso, j_ts,
	 "date and time of the event in ISO 8601 form, in UTC, down to the nanosecond."},
	{"evt.datetime", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_datetime, j_ts,
	 "date and time of the event, down to the nanosecond."},
	{"evt.datetime.s", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_datetime_s, j_ts,
	 "date and time of the event, whole seconds only."},
	{"evt.rawtime", HR_PT_ABSTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_rawtime, j_u64,
	 "time of the event in nanoseconds since the Unix epoch."},
	{"evt.rawtime.s", HR_PT_ABSTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_rawtime_s, j_u64,
	 "whole seconds of evt.rawtime (seconds since the Unix epoch)."},
	{"evt.rawtime.ns", HR_PT_ABSTIME, HR_FMT_PADDED_DEC, 0, HR_FA_NONE, x_rawtime_ns, j_u64,
	 "nanoseconds within the second of evt.rawtime."},
	{"evt.reltime", HR_PT_RELTIME, HR_FMT_PADDED_DEC, 0, HR_FA_NONE, x_reltime, j_u64,
	 "nanoseconds elapsed since the capture's first event."},
	{"evt.reltime.s", HR_PT_RELTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_reltime_s, j_u64,
	 "whole seconds elapsed since the capture's first event."},
	{"evt.reltime.ns", HR_PT_RELTIME, HR_FMT_PADDED_DEC, 0, HR_FA_NONE, x_reltime_ns, j_u64,
	 "the sub-second part of evt.reltime, in nanoseconds."},
	{"evt.pluginname", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_none, NULL,
	 "the name of the plugin that generated the event (no plugins are loaded)."},
	{"evt.plugininfo", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_none, NULL,
	 "a summary of a plugin event (no plugins are loaded)."},
	{"evt.source", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_source, NULL,
	 "always 'syscall': Harrier reads only system call event streams."},
	{"evt.is_async", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_is_async, NULL,
	 "whether the event was generated outside any system call (meta events such as container): true or false."},
	{"evt.asynctype", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_asynctype, NULL,
	 "for meta events only: which kind they are, such as 'container' or 'procexit'."},
	{"evt.hostname", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_hostname, NULL,
	 "the hostname of the machine the capture describes."},
	{0},
};

/* ---- the syscall event class ---------------------------------------------- */

enum { EVT_GENERIC_E = 0, EVT_GENERIC_X = 1, EVT_SCHEDSWITCH_6_E = 152, EVT_INFRASTRUCTURE_E = 286 };

static bool is_enter(const struct hr_event *e) { return (e->type & 1) == 0; }

static const char *type_name(const struct hr_event *e)
{
	if (e->type == EVT_GENERIC_E || e->type == EVT_GENERIC_X) {
		uint16_t id;
		if (!hr_param_u16(e, 0, &id))
			return "<unknown>";
		const char *name = hr_syscall_name_2022(id);
		/* codes newer than sysdig 0.29.3 (it reads past its table for
		 * them): the current name */
		if (!name && id < HR_SYSCALL_MAX)
			name = hr_syscall_names[id].name;
		return name ? name : "<unknown>";
	}
	const struct hr_event_info *info = hr_event_info(e);
	return info->name_2022 ? info->name_2022 : info->name;
}

static bool x_outputtime(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			 struct hr_value *out)
{
	return time_text(f, ctx, e->ts, false, true, out);
}
static bool x_dir(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	return hr_set_cstr(out, is_enter(e) ? ">" : "<");
}
static bool x_type(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	return hr_set_cstr(out, type_name(e));
}
static bool x_syscall_type(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			   struct hr_value *out)
{
	(void)f, (void)ctx;
	/* sysdig tests the flags word against EC_INTERNAL, which has the value
	 * of EF_SKIPPARSERESET: both tests select the same events. */
	if (e->type == EVT_SCHEDSWITCH_6_E || (hr_field_event_flags(e) & HR_EF_SKIPPARSERESET))
		return false;
	return hr_set_cstr(out, type_name(e));
}
static bool x_cpu(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	return hr_set_i64(out, HR_PT_INT16, (int16_t)e->cpu);
}
static bool x_args(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	hr_sb_reset(&f->storage);
	hr_format_evt_args(&f->storage, ctx->state, e);
	return hr_set_storage(out, f);
}
static bool x_info(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	hr_sb_reset(&f->storage);
	hr_format_evt_info(&f->storage, ctx->state, e);
	return hr_set_storage(out, f);
}

/* Index of the parameter a field's argument names, or -1 when this event
 * does not have it. */
static int arg_param_index(const struct hr_field *f, const struct hr_event *e)
{
	unsigned n;
	hr_event_layout(e, &n);
	int idx = f->arg_name[0] ? hr_event_layout_index(e, f->arg_name) : f->arg_index;
	if (idx < 0 || (unsigned)idx >= n)
		return -1;
	return idx;
}

static bool x_arg(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	int idx = arg_param_index(f, e);
	if (idx < 0)
		return false;
	hr_sb_reset(&f->storage);
	hr_format_param(&f->storage, ctx->state, e, (unsigned)idx, true);
	return hr_set_storage(out, f);
}

/* A parameter's bytes as a typed value of its declared type. */
static bool raw_param_value(const struct hr_event *e, unsigned idx, uint8_t type, struct hr_value *out)
{
	const uint8_t *p = e->param[idx];
	uint32_t len = e->param_len[idx];
	out->type = type;
	switch (len) {
	case 1: {
		out->v.u64 = p[0];
		if (type == HR_PT_INT8)
			out->v.i64 = (int8_t)p[0];
		break;
	}
	case 2: {
		uint16_t v;
		memcpy(&v, p, 2);
		out->v.u64 = v;
		if (type == HR_PT_INT16)
			out->v.i64 = (int16_t)v;
		break;
	}
	case 4: {
		uint32_t v;
		memcpy(&v, p, 4);
		out->v.u64 = v;
		if (type == HR_PT_INT32 || type == HR_PT_FD32 || type == HR_PT_PID32)
			out->v.i64 = (int32_t)v;
		break;
	}
	case 8:
		memcpy(&out->v.u64, p, 8);
		break;
	default:
		break;
	}
	switch (type) {
	case HR_PT_CHARBUF: case HR_PT_BYTEBUF: case HR_PT_FSPATH: case HR_PT_FSRELPATH:
		out->str = (const char *)p;
		out->len = len;
		return true;
	case HR_PT_IPV4ADDR:
		if (len != 4)
			return false;
		memcpy(out->v.ip, p, 4);
		out->len = 4;
		return true;
	case HR_PT_IPV6ADDR:
	case HR_PT_IPADDR:
		if (len != 4 && len != 16)
			return false;
		memcpy(out->v.ip, p, len);
		out->len = len;
		return true;
	case HR_PT_DOUBLE:
		if (len != 8)
			return false;
		memcpy(&out->v.d, p, 8);
		return true;
	default:
		return len == 1 || len == 2 || len == 4 || len == 8;
	}
}

static bool x_rawarg(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)ctx;
	int idx = arg_param_index(f, e);
	if (idx < 0)
		return false;
	unsigned n;
	const struct hr_param_info *params = hr_event_layout(e, &n);
	/* read as the type sysdig resolved the name to once (brk's unsigned
	 * res prints as the signed result most events have) */
	return raw_param_value(e, (unsigned)idx, f->arg_type != HR_PT_NONE ? f->arg_type : params[idx].type, out);
}

/* The event's result: its `res` parameter, or for exits of events that
 * create an fd, the `fd` parameter. Returns the parameter index or -1. */
static int result_param(const struct hr_event *e)
{
	int idx = hr_event_layout_index(e, "res");
	if (idx < 0 && (hr_field_event_flags(e) & HR_EF_CREATES_FD) && !is_enter(e))
		idx = hr_event_layout_index(e, "fd");
	return idx;
}

static bool x_rawres(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	int64_t res;
	int idx = result_param(e);
	if (idx < 0 || !hr_param_i64(e, (unsigned)idx, &res))
		return false;
	return hr_set_i64(out, HR_PT_INT64, res);
}
static bool x_res(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	int64_t res;
	int idx = result_param(e);
	if (idx < 0 || !hr_param_i64(e, (unsigned)idx, &res))
		return false;
	if (res >= 0)
		return hr_set_cstr(out, "SUCCESS");
	hr_sb_reset(&f->storage);
	hr_format_param(&f->storage, ctx->state, e, (unsigned)idx, true);
	return hr_set_storage(out, f);
}
static bool x_failed(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	int64_t res = 0;
	int idx = result_param(e);
	bool failed = idx >= 0 && hr_param_i64(e, (unsigned)idx, &res) && res < 0;
	return hr_set_bool(out, failed);
}

static bool x_is_io(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	return hr_set_bool(out, hr_field_event_flags(e) & (HR_EF_READS_FROM_FD | HR_EF_WRITES_TO_FD));
}
static bool x_is_io_read(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			 struct hr_value *out)
{
	(void)f, (void)ctx;
	return hr_set_bool(out, hr_field_event_flags(e) & HR_EF_READS_FROM_FD);
}
static bool x_is_io_write(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			  struct hr_value *out)
{
	(void)f, (void)ctx;
	return hr_set_bool(out, hr_field_event_flags(e) & HR_EF_WRITES_TO_FD);
}
static bool x_io_dir(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	uint32_t fl = hr_field_event_flags(e);
	if (fl & HR_EF_WRITES_TO_FD)
		return hr_set_cstr(out, "write");
	if (fl & HR_EF_READS_FROM_FD)
		return hr_set_cstr(out, "read");
	return false;
}
static bool x_is_wait(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	return hr_set_bool(out, hr_field_event_flags(e) & HR_EF_WAITS);
}
static bool x_count(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx, (void)e;
	return hr_set_u64(out, HR_PT_UINT32, 1);
}
static bool x_count_exit(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			 struct hr_value *out)
{
	(void)f, (void)ctx;
	return !is_enter(e) && hr_set_u64(out, HR_PT_UINT32, 1);
}

/* ---- categories, counters, buffers, open modes ---------------------------- */

enum {
	EC_UNKNOWN = 0, EC_OTHER = 1, EC_FILE = 2, EC_NET = 3, EC_IPC = 4, EC_MEMORY = 5, EC_PROCESS = 6,
	EC_SLEEP = 7, EC_SYSTEM = 8, EC_SIGNAL = 9, EC_USER = 10, EC_TIME = 11, EC_PROCESSING = 12,
	EC_IO_READ = 32, EC_IO_WRITE = 33, EC_IO_OTHER = 34, EC_WAIT = 64, EC_SCHEDULER = 128,
};

/* The category as sysdig 0.29.3 has it: one value, without the newest
 * libs' source bits (syscall, tracepoint, ...). */
static uint32_t category_2022(const struct hr_event *e)
{
	return hr_event_info(e)->category &
	       ~(uint32_t)(HR_EC_SYSCALL | HR_EC_TRACEPOINT | HR_EC_PLUGIN | HR_EC_METAEVENT | HR_EC_ITER);
}

static bool x_category(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	static const char *const names[] = {
		[EC_UNKNOWN] = "unknown", [EC_OTHER] = "other", [EC_FILE] = "file", [EC_NET] = "net",
		[EC_IPC] = "IPC", [EC_MEMORY] = "memory", [EC_PROCESS] = "process", [EC_SLEEP] = "sleep",
		[EC_SYSTEM] = "system", [EC_SIGNAL] = "signal", [EC_USER] = "user", [EC_TIME] = "time",
		[EC_PROCESSING] = "processing",
	};
	uint32_t cat = category_2022(e);
	/* sysdig names generic events after its syscall table's category, and
	 * has no file/net/ipc split for their I/O ones */
	bool generic = e->type == EVT_GENERIC_E || e->type == EVT_GENERIC_X;
	uint16_t id;
	if (generic && hr_param_u16(e, 0, &id) && id < hr_syscall_category_2022_count)
		cat = hr_syscall_category_2022[id];
	if (cat <= EC_PROCESSING)
		return hr_set_cstr(out, names[cat]);
	if (generic && (cat == EC_IO_READ || cat == EC_IO_WRITE || cat == EC_IO_OTHER))
		return hr_set_cstr(out, "unknown");
	if (cat == EC_IO_READ || cat == EC_IO_WRITE || cat == EC_IO_OTHER) {
		const struct hr_fd *fd = e->fd;
		if (!fd)
			return hr_set_cstr(out, "unknown");
		switch (fd->type) {
		case HR_FD_FILE: case HR_FD_FILE_V2: case HR_FD_DIRECTORY:
			return hr_set_cstr(out, "file");
		case HR_FD_IPV4_SOCK: case HR_FD_IPV6_SOCK: case HR_FD_IPV4_SERVSOCK: case HR_FD_IPV6_SERVSOCK:
			return hr_set_cstr(out, "net");
		case HR_FD_FIFO: case HR_FD_UNIX_SOCK: case HR_FD_EVENT: case HR_FD_SIGNALFD: case HR_FD_INOTIFY:
			return hr_set_cstr(out, "ipc");
		default:
			return hr_set_cstr(out, "unknown");
		}
	}
	if (cat == EC_WAIT)
		return hr_set_cstr(out, "wait");
	if (cat == EC_SCHEDULER)
		return hr_set_cstr(out, "scheduler");
	return hr_set_cstr(out, "unknown");
}

static bool x_type_is(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)ctx;
	/* a name matches its enter and exit ids, a number only itself */
	bool match = e->type == f->arg_index || (f->arg_name[0] && e->type == f->arg_index + 1);
	return hr_set_u64(out, HR_PT_UINT32, match);
}

/* 1 when the event failed (negative result), no value otherwise. */
static bool error_count(const struct hr_event *e, struct hr_value *out)
{
	int64_t res;
	int idx = result_param(e);
	if (idx < 0 || !hr_param_i64(e, (unsigned)idx, &res) || res >= 0)
		return false;
	return hr_set_u64(out, HR_PT_UINT32, 1);
}

static bool is_file_fd(const struct hr_fd *fd)
{
	return fd->type == HR_FD_FILE || fd->type == HR_FD_FILE_V2 || fd->type == HR_FD_DIRECTORY;
}
static bool is_net_fd(const struct hr_fd *fd)
{
	return fd->type == HR_FD_IPV4_SOCK || fd->type == HR_FD_IPV6_SOCK || fd->type == HR_FD_IPV4_SERVSOCK ||
	       fd->type == HR_FD_IPV6_SERVSOCK || fd->type == HR_FD_UNIX_SOCK;
}
static bool is_open_exit(uint16_t t) { return t == 3 || t == 59 || t == 103 || t == 307 || t == 327; }
static bool is_accept_or_connect_exit(uint16_t t) { return t == 27 || t == 247 || t == 57 || t == 249 || t == 23; }

static bool x_count_error(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			  struct hr_value *out)
{
	(void)f, (void)ctx;
	return error_count(e, out);
}
static bool x_count_error_file(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			       struct hr_value *out)
{
	(void)f, (void)ctx;
	if (e->fd ? is_file_fd(e->fd) : is_open_exit(e->type))
		return error_count(e, out);
	return false;
}
static bool x_count_error_net(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			      struct hr_value *out)
{
	(void)f, (void)ctx;
	if (e->fd ? is_net_fd(e->fd) : is_accept_or_connect_exit(e->type))
		return error_count(e, out);
	return false;
}
static bool x_count_error_memory(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
				 struct hr_value *out)
{
	(void)f, (void)ctx;
	return category_2022(e) == EC_MEMORY && error_count(e, out);
}
static bool x_count_error_other(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
				struct hr_value *out)
{
	(void)f, (void)ctx;
	bool other = e->fd ? !(is_file_fd(e->fd) || is_net_fd(e->fd))
			   : !(is_open_exit(e->type) || is_accept_or_connect_exit(e->type) ||
			       category_2022(e) == EC_MEMORY);
	return other && error_count(e, out);
}
enum { EVT_PROCINFO_E = 234 };
static bool x_count_procinfo(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			     struct hr_value *out)
{
	(void)f, (void)ctx;
	const struct hr_thread *t = e->thread;
	if (e->type != EVT_PROCINFO_E || !t || !(t->tid == t->pid || (t->flags & (1u << 30))))
		return false;
	return hr_set_u64(out, HR_PT_UINT32, 1);
}
static bool x_count_threadinfo(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			       struct hr_value *out)
{
	(void)f, (void)ctx;
	return e->type == EVT_PROCINFO_E && hr_set_u64(out, HR_PT_UINT32, 1);
}

static bool x_buffer(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	int idx = hr_event_layout_index(e, "data");
	if (idx < 0)
		return false;
	hr_sb_reset(&f->storage);
	hr_format_param_text(&f->storage, ctx->state, e, (unsigned)idx);
	out->type = HR_PT_BYTEBUF;
	out->str = hr_sb_str(&f->storage);
	out->len = (uint32_t)f->storage.len;
	return true;
}

/* I/O sizes: the result of a successful exit of an I/O event on a known fd,
 * selected by direction (EC_IO_READ/WRITE) and fd kind. */
enum { IO_ANY, IO_IN, IO_OUT };
enum { FD_ANY, FD_FILE, FD_NET };
static bool buflen(const struct hr_event *e, int dir, int kind, struct hr_value *out)
{
	uint32_t cat = category_2022(e);
	if (!e->fd || is_enter(e))
		return false;
	if (dir == IO_ANY ? !(cat & HR_EC_IO_BASE) : cat != (dir == IO_IN ? (uint32_t)EC_IO_READ : (uint32_t)EC_IO_WRITE))
		return false;
	uint8_t t = e->fd->type;
	if (kind == FD_FILE && t != HR_FD_FILE && t != HR_FD_FILE_V2)
		return false;
	if (kind == FD_NET && !(t >= HR_FD_IPV4_SOCK && t <= HR_FD_IPV6_SERVSOCK))
		return false;
	int64_t res;
	if (!hr_param_i64(e, 0, &res) || res < 0)
		return false;
	return hr_set_u64(out, HR_PT_UINT64, (uint64_t)res);
}
#define BUFLEN_FIELD(fn, dir, kind)                                                                              \
	static bool fn(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out) \
	{                                                                                                        \
		(void)f, (void)ctx;                                                                              \
		return buflen(e, dir, kind, out);                                                                \
	}
BUFLEN_FIELD(x_buflen, IO_ANY, FD_ANY)
BUFLEN_FIELD(x_buflen_in, IO_IN, FD_ANY)
BUFLEN_FIELD(x_buflen_out, IO_OUT, FD_ANY)
BUFLEN_FIELD(x_buflen_file, IO_ANY, FD_FILE)
BUFLEN_FIELD(x_buflen_file_in, IO_IN, FD_FILE)
BUFLEN_FIELD(x_buflen_file_out, IO_OUT, FD_FILE)
BUFLEN_FIELD(x_buflen_net, IO_ANY, FD_NET)
BUFLEN_FIELD(x_buflen_net_in, IO_IN, FD_NET)
BUFLEN_FIELD(x_buflen_net_out, IO_OUT, FD_NET)

static bool x_is_syslog(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	bool syslog = (hr_field_event_flags(e) & HR_EF_WRITES_TO_FD) && e->fd && e->fd->name.p &&
		      strstr(e->fd->name.p, "/dev/log");
	return hr_set_bool(out, syslog);
}

/* evt.is_open_read/write/exec: from the flags (and mode) of open-like
 * events, at the positions sysdig reads them (the openat enter included). */
enum { OPEN_READ, OPEN_WRITE, OPEN_EXEC };
static bool open_mode(const struct hr_event *e, int which, struct hr_value *out)
{
	enum { O_RDONLY_BIT = 1, O_WRONLY_BIT = 2, O_CREAT_BIT = 4, O_TMPFILE_BIT = 1 << 13 };
	const uint32_t exec_bits = (1u << 6) | (1u << 3) | 1u;
	bool yes = false;
	uint32_t flags, mode;
	if (e->type == 3 || e->type == 102 || e->type == 307 || e->type == 327) {
		unsigned at = (e->type == 307 || e->type == 327) ? 3 : 2;
		if (hr_param_u32(e, at, &flags)) {
			if (which == OPEN_READ)
				yes = flags & O_RDONLY_BIT;
			else if (which == OPEN_WRITE)
				yes = flags & O_WRONLY_BIT;
			else if ((flags & (O_TMPFILE_BIT | O_CREAT_BIT)) && hr_param_u32(e, at + 1, &mode))
				yes = mode & exec_bits;
		}
	} else if (which == OPEN_EXEC && e->type == 59 && hr_param_u32(e, 2, &mode)) {
		yes = mode & exec_bits;
	}
	return hr_set_bool(out, yes);
}
static bool x_is_open_read(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			   struct hr_value *out)
{
	(void)f, (void)ctx;
	return open_mode(e, OPEN_READ, out);
}
static bool x_is_open_write(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			    struct hr_value *out)
{
	(void)f, (void)ctx;
	return open_mode(e, OPEN_WRITE, out);
}
static bool x_is_open_exec(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			   struct hr_value *out)
{
	(void)f, (void)ctx;
	return open_mode(e, OPEN_EXEC, out);
}

/* evt.deltatime: time since the previous event this field was computed
 * for (0 on the first), as sysdig keeps it per field. */
enum { DELTA_NS, DELTA_S_PART, DELTA_NS_PART };
static bool delta(struct hr_field *f, const struct hr_event *e, int part, struct hr_value *out)
{
	uint64_t d = f->memory ? e->ts - f->memory : 0;
	f->memory = e->ts;
	if (part == DELTA_S_PART)
		d /= NS_PER_S;
	else if (part == DELTA_NS_PART)
		d %= NS_PER_S;
	return hr_set_u64(out, HR_PT_RELTIME, d);
}
static bool x_delta(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)ctx;
	return delta(f, e, DELTA_NS, out);
}
static bool x_delta_s(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)ctx;
	return delta(f, e, DELTA_S_PART, out);
}
static bool x_delta_ns(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)ctx;
	return delta(f, e, DELTA_NS_PART, out);
}
/* sysdig's JSON writer computes each value twice, so the second delta is
 * always 0 (and the field remembers this event). */
static bool j_delta(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)ctx;
	f->memory = e->ts;
	return hr_set_u64(out, HR_PT_UINT64, 0);
}

/* evt.latency: sysdig keeps one latency per thread, set while it reads
 * each event that reaches its thread lookup: 0 at an enter, and at an exit
 * the time since that thread's last enter (any type; a thread that never
 * entered keeps its old value, which starts at 0). The state keeps each
 * thread's last enter, so the exit's latency is derived from it. Events
 * without a thread have 0; sysdig's internal events (procinfo, container,
 * drop) have none. */
static bool latency(const struct hr_event *e, uint64_t *ns)
{
	if (category_2022(e) & HR_EC_INTERNAL)
		return false;
	*ns = 0;
	const struct hr_thread *t = e->thread;
	if (!t || t->tid == -1 || is_enter(e) || (hr_field_event_flags(e) & HR_EF_SKIPPARSERESET))
		return true;
	if (t->last_enter.ev.ts && e->ts >= t->last_enter.ev.ts)
		*ns = e->ts - t->last_enter.ev.ts;
	return true;
}
static bool x_latency(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	uint64_t ns;
	return latency(e, &ns) && hr_set_u64(out, HR_PT_RELTIME, ns);
}
static bool x_latency_s(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	uint64_t ns;
	return latency(e, &ns) && hr_set_u64(out, HR_PT_RELTIME, ns / NS_PER_S);
}
static bool x_latency_ns(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			 struct hr_value *out)
{
	(void)f, (void)ctx;
	uint64_t ns;
	return latency(e, &ns) && hr_set_u64(out, HR_PT_RELTIME, ns % NS_PER_S);
}
/* evt.latency.quantized: sysdig's table views place a latency on a log10
 * scale of the screen's width (11 decades, 100 s and up in the last
 * column). Outside its curses UI the width is -1, so every latency under
 * 100 s lands in bucket 1 and longer ones wrap to 0; that is what `sysdig -p`
 * prints, and Harrier keeps the same arithmetic. No value when the
 * latency is 0. */
#define SYSDIG_SCREEN_WIDTH_OUTSIDE_CSYSDIG (-1)
static bool x_latency_quantized(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
				struct hr_value *out)
{
	(void)f, (void)ctx;
	uint64_t ns;
	if (!latency(e, &ns) || ns == 0)
		return false;
	double decades = fmin(log10((double)ns), 11.0);
	int64_t column = (int64_t)(decades * SYSDIG_SCREEN_WIDTH_OUTSIDE_CSYSDIG / 11.0);
	return hr_set_u64(out, HR_PT_UINT64, (uint64_t)column + 1);
}

/* The latency as a short human reading: "1:05" minutes, "2.50s", "12ms",
 * "3.40us", "800ns" (sysdig's duration text, two decimals where shown). */
static bool x_latency_human(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			    struct hr_value *out)
{
	(void)ctx;
	uint64_t v;
	if (!latency(e, &v))
		return false;
	const uint64_t us = 1000, ms = 1000 * us, s = NS_PER_S;
	hr_sb_reset(&f->storage);
	if (v >= 3600 * s)
		hr_sb_printf(&f->storage, "%02u:%02u:%02u", (unsigned)(v / (3600 * s)), (unsigned)(v / (60 * s) % 60),
			     (unsigned)(v / s % 60));
	else if (v >= 60 * s)
		hr_sb_printf(&f->storage, "%u:%u", (unsigned)(v / (60 * s)), (unsigned)(v / s % 60));
	else if (v >= s)
		hr_sb_printf(&f->storage, "%u.%02us", (unsigned)(v / s), (unsigned)(v % s / (10 * ms)));
	else if (v >= 10 * ms)
		hr_sb_printf(&f->storage, "%ums", (unsigned)(v / ms));
	else if (v >= ms)
		hr_sb_printf(&f->storage, "%u.%02ums", (unsigned)(v / ms), (unsigned)(v % ms / (10 * us)));
	else if (v >= 10 * us)
		hr_sb_printf(&f->storage, "%uus", (unsigned)(v / us));
	else if (v >= us)
		hr_sb_printf(&f->storage, "%u.%02uus", (unsigned)(v / us), (unsigned)(v % us / 10));
	else
		hr_sb_printf(&f->storage, "%uns", (unsigned)v);
	return hr_set_storage(out, f);
}
/* evt.wait_latency: the latency of exits of calls that wait (select,
 * nanosleep, ...), whatever their category. */
static bool x_wait_latency(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			   struct hr_value *out)
{
	(void)f, (void)ctx;
	if (!(hr_field_event_flags(e) & HR_EF_WAITS) || is_enter(e))
		return false;
	uint64_t ns = 0;
	const struct hr_thread *t = e->thread;
	if (t && t->tid != -1 && t->last_enter.ev.ts && e->ts >= t->last_enter.ev.ts)
		ns = e->ts - t->last_enter.ev.ts;
	return hr_set_u64(out, HR_PT_RELTIME, ns);
}
/* In JSON, latencies are plain numbers. */
static bool j_latency(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	if (!f->def->extract(f, ctx, e, out))
		return false;
	out->type = HR_PT_INT64;
	return true;
}

/* evt.abspath[.src|.dst]: the path argument of a *at call made absolute
 * against its directory fd. Which arguments: sysdig 0.29.3's events, plus
 * Falco's open_by_handle_at and fchownat (ids sysdig does not know). */
static bool x_abspath(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	enum {
		OPENAT_E = 102, LINKAT_E = 106, UNLINKAT_E = 110, RENAMEAT_X = 177, SYMLINKAT_X = 181,
		UNLINKAT_2_X = 303, MKDIRAT_X = 305, OPENAT_2_X = 307, LINKAT_2_X = 311, FCHMODAT_X = 313,
		RENAMEAT2_X = 319, OPENAT2_X = 327, OPEN_BY_HANDLE_AT_X = 337, FCHOWNAT_X = 385,
	};
	const struct hr_thread *t = e->thread;
	if (!t)
		return false;
	bool dst = f->arg_index == 2;
	const char *dirfd_name = NULL, *path_name = NULL;
	switch (e->type) {
	case RENAMEAT_X: case RENAMEAT2_X:
		dirfd_name = dst ? "newdirfd" : "olddirfd";
		path_name = dst ? "newpath" : "oldpath";
		break;
	case SYMLINKAT_X:
		dirfd_name = "linkdirfd", path_name = "linkpath";
		break;
	case OPENAT_E: case OPENAT_2_X: case OPENAT2_X: case UNLINKAT_E: case UNLINKAT_2_X:
		dirfd_name = "dirfd", path_name = "name";
		break;
	case LINKAT_E: case LINKAT_2_X:
		dirfd_name = dst ? "newdir" : "olddir";
		path_name = dst ? "newpath" : "oldpath";
		break;
	case MKDIRAT_X:
		dirfd_name = "dirfd", path_name = "path";
		break;
	case FCHMODAT_X:
		dirfd_name = "dirfd", path_name = "filename";
		break;
	case FCHOWNAT_X:
		dirfd_name = "dirfd", path_name = "pathname";
		break;
	case OPEN_BY_HANDLE_AT_X: {
		/* the driver already gives the absolute path of a successful open */
		int64_t fd;
		if (!hr_param_i64(e, 0, &fd) || fd <= 0 || e->nparams_indexed < 4)
			return false;
		hr_sb_reset(&f->storage);
		hr_append_clean_path(&f->storage, 0, e->param[3], strnlen((const char *)e->param[3], e->param_len[3]));
		return hr_set_storage(out, f);
	}
	default:
		return false;
	}
	int di = hr_event_layout_index(e, dirfd_name), pi = hr_event_layout_index(e, path_name);
	int64_t dirfd;
	if (di < 0 || pi < 0 || (unsigned)pi >= e->nparams_indexed || !hr_param_i64(e, (unsigned)di, &dirfd))
		return false;
	hr_sb_reset(&f->storage);
	hr_field_append_at_path(ctx, t, dirfd, e->param[pi], e->param_len[pi], &hr_sysdig_abspath_rules, &f->storage);
	return hr_set_storage(out, f);
}

/* evt.is_open_create (Falco): the exit of an open that created its file
 * (the driver's O_F_CREATED bit), or of a successful O_TMPFILE open. */
static bool x_is_open_create(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			     struct hr_value *out)
{
	(void)f, (void)ctx;
	enum { O_TMPFILE_BIT = 1 << 13, O_F_CREATED_BIT = 1 << 14 };
	unsigned at;
	switch (e->type) {
	case 3: case 337: at = 2; break;    /* open, open_by_handle_at */
	case 307: case 327: at = 3; break;  /* openat, openat2 */
	default: return hr_set_bool(out, false);
	}
	uint32_t flags = 0;
	int64_t fd = -1;
	hr_param_u32(e, at, &flags);
	bool created = (flags & O_F_CREATED_BIT) || ((flags & O_TMPFILE_BIT) && hr_param_i64(e, 0, &fd) && fd >= 0);
	return hr_set_bool(out, created);
}

/* evt.infra.docker.*: sysdig's infrastructure events carry Docker's
 * events API text in their description, "key: value" items separated by
 * ';'. The first item (whitespace-trimmed) starting with the field's key
 * gives the value: the text between its first ':' and the next one,
 * trimmed; an item with nothing after its ':' has none (sysdig reads past
 * its parts there). The image keeps what precedes an '@' digest, or the
 * whole rest of the item when it is a sha256 id. */
enum infra_key { INFRA_EVENT, INFRA_ID, INFRA_NAME, INFRA_IMAGE };
static const char *const infra_keys[] = {"Event", "ID", "name", "Image"};

static void trim_span(const char **p, const char **end)
{
	while (*p < *end && isspace((unsigned char)**p))
		(*p)++;
	while (*end > *p && isspace((unsigned char)(*end)[-1]))
		(*end)--;
}

static bool infra_docker(struct hr_field *f, const struct hr_event *e, enum infra_key key, struct hr_value *out)
{
	if (e->type != EVT_INFRASTRUCTURE_E || e->nparams_indexed < 3)
		return false;
	const char *desc = (const char *)e->param[2];
	const char *desc_end = desc + strnlen(desc, e->param_len[2]);
	size_t key_len = strlen(infra_keys[key]);
	for (const char *item = desc; item < desc_end;) {
		const char *item_end = memchr(item, ';', (size_t)(desc_end - item));
		if (!item_end)
			item_end = desc_end;
		const char *p = item, *end = item_end;
		item = item_end + 1;
		trim_span(&p, &end);
		if ((size_t)(end - p) < key_len || memcmp(p, infra_keys[key], key_len) != 0)
			continue;
		const char *colon = memchr(p, ':', (size_t)(end - p));
		if (!colon || colon + 1 == end)
			return false;
		const char *v = colon + 1;
		const char *next = memchr(v, ':', (size_t)(end - v));
		const char *v_end = next ? next : end;
		if (key == INFRA_IMAGE) {
			const char *at = memchr(v, '@', (size_t)(v_end - v));
			if (at)
				v_end = at;
			else if (memmem(v, (size_t)(v_end - v), "sha256", 6))
				v_end = end;
		}
		trim_span(&v, &v_end);
		if (key == INFRA_ID && v_end - v > 12)
			v_end = v + 12;
		hr_sb_reset(&f->storage);
		hr_sb_append(&f->storage, v, (size_t)(v_end - v));
		return hr_set_storage(out, f);
	}
	return false;
}
static bool x_infra_name(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)ctx;
	return infra_docker(f, e, INFRA_EVENT, out);
}
static bool x_infra_id(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)ctx;
	return infra_docker(f, e, INFRA_ID, out);
}
static bool x_infra_container_name(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
				   struct hr_value *out)
{
	(void)ctx;
	return infra_docker(f, e, INFRA_NAME, out);
}
static bool x_infra_image(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)ctx;
	return infra_docker(f, e, INFRA_IMAGE, out);
}

const struct hr_field_def hr_fields_evt[] = {
	{"evt.latency", HR_PT_RELTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_latency, j_latency,
	 "for exit events, nanoseconds the call took: from its thread's enter event to this exit (0 on enters)."},
	{"evt.latency.s", HR_PT_RELTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_latency_s, j_latency,
	 "whole seconds of evt.latency."},
	{"evt.latency.ns", HR_PT_RELTIME, HR_FMT_PADDED_DEC, 0, HR_FA_NONE, x_latency_ns, j_latency,
	 "the sub-second part of evt.latency, in nanoseconds."},
	{"evt.latency.quantized", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_latency_quantized, NULL,
	 "evt.latency on sysdig's log10 scale of its table views' width (1 outside them, 0 from 100 s up)."},
	{"evt.latency.human", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_latency_human, NULL,
	 "evt.latency as a short reading with its unit, such as 12ms or 3.40us."},
	{"evt.deltatime", HR_PT_RELTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_delta, j_delta,
	 "nanoseconds elapsed since the event before this one."},
	{"evt.deltatime.s", HR_PT_RELTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_delta_s, j_delta,
	 "whole seconds of evt.deltatime."},
	{"evt.deltatime.ns", HR_PT_RELTIME, HR_FMT_PADDED_DEC, 0, HR_FA_NONE, x_delta_ns, j_delta,
	 "the sub-second part of evt.deltatime, in nanoseconds."},
	{"evt.outputtime", HR_PT_CHARBUF, HR_FMT_NA, HR_FF_PRINT_ONLY, HR_FA_NONE, x_outputtime, j_ts,
	 "the event time as sysdig prints it by default (as evt.time)."},
	{"evt.dir", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_dir, NULL,
	 "'>' when a call is entered, '<' when it returns."},
	{"evt.type", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_type, NULL, "event name, such as 'open' or 'execve'."},
	{"evt.type.is", HR_PT_UINT32, HR_FMT_NA, HR_FF_REQUIRES_ARG, HR_FA_EVENT_TYPE, x_type_is, NULL,
	 "1 for events of the given type (evt.type.is.open), 0 for others."},
	{"syscall.type", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_syscall_type, NULL,
	 "for system call events, the name of the system call; unset for other events."},
	{"evt.category", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_category, NULL,
	 "the event category: file, net, memory, process, ..."},
	{"evt.cpu", HR_PT_INT16, HR_FMT_ID, 0, HR_FA_NONE, x_cpu, NULL, "which CPU the event was recorded on."},
	{"evt.args", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_args, NULL,
	 "every argument of the event, joined in one string."},
	{"evt.arg", HR_PT_CHARBUF, HR_FMT_NA, HR_FF_REQUIRES_ARG, HR_FA_PARAM, x_arg, NULL,
	 "one of the event arguments, by name or number (evt.arg.fd, evt.arg[0]), resolved to text where possible."},
	{"evt.rawarg", HR_PT_DYN, HR_FMT_NA, HR_FF_REQUIRES_ARG, HR_FA_PARAM_NAME, x_rawarg, NULL,
	 "one of the event arguments, by name, as its raw value (evt.rawarg.fd)."},
	{"evt.info", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_info, NULL,
	 "for most events the same as evt.args; higher level information for some."},
	{"evt.buffer", HR_PT_BYTEBUF, HR_FMT_NA, 0, HR_FA_NONE, x_buffer, NULL,
	 "the data buffer of I/O events (read, recvfrom, ...), rendered as in evt.args."},
	{"evt.buflen", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_buflen, NULL,
	 "the length of the data buffer of I/O events."},
	{"evt.res", HR_PT_CHARBUF, HR_FMT_DEC, 0, HR_FA_NONE, x_res, NULL,
	 "the return value as a string: SUCCESS, or the error code (e.g. ENOENT)."},
	{"evt.rawres", HR_PT_INT64, HR_FMT_DEC, 0, HR_FA_NONE, x_rawres, NULL, "the return value as a number."},
	{"evt.failed", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_failed, NULL, "'true' when the call's result is an error."},
	{"evt.is_io", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_is_io, NULL, "'true' for events that read or write fds."},
	{"evt.is_io_read", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_is_io_read, NULL,
	 "'true' for events that read from fds."},
	{"evt.is_io_write", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_is_io_write, NULL,
	 "'true' for events that write to fds."},
	{"evt.io_dir", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_io_dir, NULL,
	 "'read' or 'write' for events that read or write fds."},
	{"evt.is_wait", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_is_wait, NULL,
	 "'true' for events that make the thread wait."},
	{"evt.wait_latency", HR_PT_RELTIME, HR_FMT_DEC, 0, HR_FA_NONE, x_wait_latency, NULL,
	 "for exits of calls that wait (select, poll, nanosleep, ...), the nanoseconds spent in the call."},
	{"evt.is_syslog", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_is_syslog, NULL,
	 "'true' if this is a write to the syslog socket /dev/log."},
	{"evt.count", HR_PT_UINT32, HR_FMT_DEC, 0, HR_FA_NONE, x_count, NULL, "always 1."},
	{"evt.count.error", HR_PT_UINT32, HR_FMT_DEC, 0, HR_FA_NONE, x_count_error, NULL,
	 "1 for events that returned an error."},
	{"evt.count.error.file", HR_PT_UINT32, HR_FMT_DEC, 0, HR_FA_NONE, x_count_error_file, NULL,
	 "1 for file events that returned an error."},
	{"evt.count.error.net", HR_PT_UINT32, HR_FMT_DEC, 0, HR_FA_NONE, x_count_error_net, NULL,
	 "1 for network events that returned an error."},
	{"evt.count.error.memory", HR_PT_UINT32, HR_FMT_DEC, 0, HR_FA_NONE, x_count_error_memory, NULL,
	 "1 for memory events that returned an error."},
	{"evt.count.error.other", HR_PT_UINT32, HR_FMT_DEC, 0, HR_FA_NONE, x_count_error_other, NULL,
	 "1 for other events that returned an error."},
	{"evt.count.exit", HR_PT_UINT32, HR_FMT_DEC, 0, HR_FA_NONE, x_count_exit, NULL, "1 for exit events."},
	{"evt.count.procinfo", HR_PT_UINT32, HR_FMT_DEC, 0, HR_FA_NONE, x_count_procinfo, NULL,
	 "1 for procinfo events of main threads."},
	{"evt.count.threadinfo", HR_PT_UINT32, HR_FMT_DEC, 0, HR_FA_NONE, x_count_threadinfo, NULL,
	 "1 for procinfo events."},
	{"evt.around", HR_PT_UINT64, HR_FMT_DEC, HR_FF_FILTER_ONLY | HR_FF_REQUIRES_ARG, HR_FA_TIMESTAMP, x_none, NULL,
	 "filters only: evt.around[T] = D keeps the events at most D milliseconds before or after time T "
	 "(nanoseconds since the epoch, as evt.rawtime)."},
	{"evt.abspath", HR_PT_CHARBUF, HR_FMT_NA, HR_FF_REQUIRES_ARG | HR_FF_ARG_OPTIONAL, HR_FA_SRC_DST, x_abspath, NULL,
	 "for *at calls such as renameat or symlinkat, the full path made from the directory fd and the name; calls with two paths use evt.abspath.src and evt.abspath.dst."},
	{"evt.buflen.in", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_buflen_in, NULL, "buffer length of input I/O."},
	{"evt.buflen.out", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_buflen_out, NULL, "buffer length of output I/O."},
	{"evt.buflen.file", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_buflen_file, NULL, "buffer length of file I/O."},
	{"evt.buflen.file.in", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_buflen_file_in, NULL,
	 "buffer length of file input I/O."},
	{"evt.buflen.file.out", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_buflen_file_out, NULL,
	 "buffer length of file output I/O."},
	{"evt.buflen.net", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_buflen_net, NULL, "buffer length of network I/O."},
	{"evt.buflen.net.in", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_buflen_net_in, NULL,
	 "buffer length of network input I/O."},
	{"evt.buflen.net.out", HR_PT_UINT64, HR_FMT_DEC, 0, HR_FA_NONE, x_buflen_net_out, NULL,
	 "buffer length of network output I/O."},
	{"evt.is_open_read", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_is_open_read, NULL,
	 "'true' for open events that open the path for reading."},
	{"evt.is_open_write", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_is_open_write, NULL,
	 "'true' for open events that open the path for writing."},
	{"evt.infra.docker.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_infra_name, NULL,
	 "for Docker infrastructure events, the Docker event's name (start, die, ...)."},
	{"evt.infra.docker.container.id", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_infra_id, NULL,
	 "for Docker infrastructure events, the short (12-character) id of the container concerned."},
	{"evt.infra.docker.container.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_infra_container_name, NULL,
	 "for Docker infrastructure events, the name of the container concerned."},
	{"evt.infra.docker.container.image", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_infra_image, NULL,
	 "for Docker infrastructure events, the image of the container concerned."},
	{"evt.is_open_exec", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_is_open_exec, NULL,
	 "'true' when an open or creat makes a new file that has an execute bit set."},
	{"evt.is_open_create", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_is_open_create, NULL,
	 "true on the exit of an open, openat, openat2 or open_by_handle_at call that brought a new file into being."},
	{0},
};
