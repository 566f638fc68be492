/*
 * The field registry: looking fields up by name (with sysdig's prefix and
 * argument rules), and turning extracted values into the strings and JSON
 * values sysdig prints for each type and print format.
 */
#include "fields/fields.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fields/field_classes.h"
#include "format/json_output.h"

const struct hr_field_class hr_field_classes[] = {
	{"evt", hr_fields_evt_gen, "All event types", "Fields every event has: its number and its times."},
	{"evt", hr_fields_evt, "Syscall events only",
	 "Fields of system call events: type, direction, arguments, result and what kind of I/O they do. "
	 "Single arguments are read with evt.arg (evt.arg.fd, evt.arg[0]) or evt.rawarg."},
	{"process", hr_fields_thread, NULL,
	 "The process and thread that generated the event, and its ancestors."},
	{"user", hr_fields_user, NULL, "The user running the process that generated the event."},
	{"group", hr_fields_group, NULL, "The group of the process that generated the event."},
	{"container", hr_fields_container, NULL,
	 "The container the process that generated the event runs in (empty or 'host' outside containers)."},
	{"fd", hr_fields_fd, NULL,
	 "The file descriptor a system call acts on: files, directories, sockets, pipes and other kinds."},
	{"fdlist", hr_fields_fdlist, NULL, "The fds listed by poll events."},
	{"fs.path", hr_fields_fspath, NULL,
	 "The paths of file-system calls (open, mkdir, unlink, rename, link, mount...), including calls that act "
	 "on a path without opening it."},
};
const unsigned hr_field_class_count = sizeof hr_field_classes / sizeof hr_field_classes[0];

void hr_field_ctx_init(struct hr_field_ctx *ctx, const struct hr_state *s)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->state = s;
	/* sysdig takes the local zone's offset from the current time, not from
	 * each event's time; computing it once gives the same output. */
	time_t now = time(NULL);
	struct tm gmt, loc;
	gmtime_r(&now, &gmt);
	localtime_r(&now, &loc);
	int dt = (loc.tm_hour - gmt.tm_hour) * 3600 + (loc.tm_min - gmt.tm_min) * 60;
	int dir = loc.tm_year - gmt.tm_year;
	if (dir == 0)
		dir = loc.tm_yday - gmt.tm_yday;
	ctx->utc_offset = dt + dir * 86400;
}

/* ---- parsing ------------------------------------------------------------- */

/* The longest parameter name of any event that prefixes `text`, as sysdig
 * resolves `evt.arg.NAME` (so `%evt.arg.fd)` means the parameter `fd`). */
static const char *longest_param_name(const char *text)
{
	const char *best = NULL;
	size_t best_len = 0;
	for (unsigned id = 0; id < HR_EVENT_MAX; id++) {
		const struct hr_event_info *info = &hr_event_table[id];
		for (int layout = 0; layout < 2; layout++) {
			const struct hr_param_info *p = layout ? info->params_2022 : info->params;
			unsigned n = layout ? info->nparams_2022 : info->nparams;
			for (unsigned i = 0; p && i < n; i++) {
				size_t l = strlen(p[i].name);
				if (l > best_len && strncmp(text, p[i].name, l) == 0) {
					best = p[i].name;
					best_len = l;
				}
			}
		}
	}
	return best;
}

/* The type of the first parameter called `name` in event id order, in the
 * 2022 layouts where an event has one (sysdig 0.29.3's table). */
static uint8_t first_param_type(const char *name)
{
	for (unsigned id = 0; id < HR_EVENT_MAX; id++) {
		const struct hr_event_info *info = &hr_event_table[id];
		const struct hr_param_info *p = info->params_2022 ? info->params_2022 : info->params;
		unsigned n = info->params_2022 ? info->nparams_2022 : info->nparams;
		for (unsigned i = 0; p && i < n; i++)
			if (!strcmp(p[i].name, name))
				return p[i].type;
	}
	return HR_PT_NONE;
}

static int parse_index_arg(struct hr_field *f, const char *text, size_t at, char *err, size_t errlen)
{
	const char *close = strchr(text + at, ']');
	if (!close) {
		snprintf(err, errlen, "filter syntax error: %s", text);
		return -1;
	}
	char num[32];
	size_t n = (size_t)(close - (text + at + 1));
	if (n == 0 || n >= sizeof num) {
		snprintf(err, errlen, "invalid argument in %.*s", (int)(close - text + 1), text);
		return -1;
	}
	memcpy(num, text + at + 1, n);
	num[n] = 0;
	char *end;
	long v = strtol(num, &end, 10);
	if (*end || v < -2147483647L || v > 2147483647L) {
		snprintf(err, errlen, "invalid argument in %.*s", (int)(close - text + 1), text);
		return -1;
	}
	f->arg_index = (int32_t)v;
	return (int)(close - text) + 1;
}

/* `.open` (the first event id of that name, kept in arg_name) or `.3` (an id). */
static int parse_event_type_arg(struct hr_field *f, const char *text, size_t name_len, char *err, size_t errlen)
{
	const char *arg = text + name_len + 1;
	size_t n = 0;
	while (isdigit((unsigned char)arg[n]))
		n++;
	if (n > 0 && n < 10) {
		f->arg_index = (int32_t)strtol(arg, NULL, 10);
		return (int)(name_len + 1 + n);
	}
	size_t best = 0;
	for (unsigned id = 0; id < HR_EVENT_MAX; id++) {
		const char *name = hr_event_table[id].name_2022 ? hr_event_table[id].name_2022 : hr_event_table[id].name;
		size_t l = strlen(name);
		if (l > best && l < sizeof f->arg_name && strncmp(arg, name, l) == 0 && !isalnum((unsigned char)arg[l]) &&
		    arg[l] != '_') {
			best = l;
			f->arg_index = (int32_t)id;
			memcpy(f->arg_name, name, l + 1);
		}
	}
	if (!best) {
		snprintf(err, errlen, "unknown event type in %s", text);
		return -1;
	}
	return (int)(name_len + 1 + best);
}

/* `[NAME]`, or `[N]` when the name is all digits (Falco's proc.env/aenv). */
static int parse_key_arg(struct hr_field *f, const char *text, size_t at, char *err, size_t errlen)
{
	const char *close = strchr(text + at, ']');
	if (!close) {
		snprintf(err, errlen, "the field '%.*s' requires an argument but ']' is not found", (int)at, text);
		return -1;
	}
	size_t n = (size_t)(close - (text + at + 1));
	if (n >= sizeof f->arg_name) {
		snprintf(err, errlen, "argument too long in %s", text);
		return -1;
	}
	memcpy(f->arg_name, text + at + 1, n);
	f->arg_name[n] = 0;
	bool digits = n > 0 && n < 10;
	for (size_t i = 0; digits && i < n; i++)
		digits = isdigit((unsigned char)f->arg_name[i]) != 0;
	if (digits) {
		f->arg_index = (int32_t)strtol(f->arg_name, NULL, 10);
		f->arg_name[0] = 0;
	}
	return (int)(close - text) + 1;
}

static int parse_arg(struct hr_field *f, const char *text, size_t name_len, char *err, size_t errlen)
{
	const struct hr_field_def *d = f->def;
	char c = text[name_len];
	switch (d->arg_kind) {
	case HR_FA_INDEX:
		if (c == '[')
			return parse_index_arg(f, text, name_len, err, errlen);
		if (d->flags & HR_FF_ARG_OPTIONAL)
			return (int)name_len;
		break;
	case HR_FA_PARAM:
		if (c == '[')
			return parse_index_arg(f, text, name_len, err, errlen);
		if (c == '.') {
			const char *p = longest_param_name(text + name_len + 1);
			if (!p) {
				snprintf(err, errlen, "unknown event argument %s", text + name_len + 1);
				return -1;
			}
			size_t l = strlen(p);
			if (l >= sizeof f->arg_name) {
				snprintf(err, errlen, "argument too long in %s", text);
				return -1;
			}
			memcpy(f->arg_name, p, l + 1);
			return (int)(name_len + 1 + l);
		}
		break;
	case HR_FA_PARAM_NAME:
		if (c == '[') {
			snprintf(err, errlen, "evt.arg fields must be expressed explicitly");
			return -1;
		}
		if (c == '.') {
			const char *p = longest_param_name(text + name_len + 1);
			if (!p) {
				snprintf(err, errlen, "unknown event argument %s", text + name_len + 1);
				return -1;
			}
			size_t l = strlen(p);
			memcpy(f->arg_name, p, l + 1);
			f->arg_type = first_param_type(p);
			return (int)(name_len + 1 + l);
		}
		break;
	case HR_FA_EVENT_TYPE:
		if (c == '.')
			return parse_event_type_arg(f, text, name_len, err, errlen);
		break;
	case HR_FA_KEY:
		if (c == '[')
			return parse_key_arg(f, text, name_len, err, errlen);
		if (d->flags & HR_FF_ARG_OPTIONAL)
			return (int)name_len;
		break;
	case HR_FA_SRC_DST:
		f->arg_index = 0;
		if (strncmp(text + name_len, ".src", 4) == 0 || strncmp(text + name_len, ".dst", 4) == 0) {
			f->arg_index = text[name_len + 1] == 's' ? 1 : 2;
			return (int)name_len + 4;
		}
		return (int)name_len;
	case HR_FA_TIMESTAMP:
		if (c == '[') {
			const char *close = strchr(text + name_len, ']');
			char *end = NULL;
			if (close && isdigit((unsigned char)text[name_len + 1]))
				f->arg_ts = strtoull(text + name_len + 1, &end, 10);
			if (!close || end != close) {
				snprintf(err, errlen, "evt.around needs a time in nanoseconds: %s", text);
				return -1;
			}
			return (int)(close - text) + 1;
		}
		break;
	case HR_FA_WORD:
		if (c == '.') {
			size_t e = name_len + 1;
			while (isalpha((unsigned char)text[e]) || text[e] == '_')
				e++;
			size_t l = e - name_len - 1;
			if (l >= sizeof f->arg_name) {
				snprintf(err, errlen, "argument too long in %s", text);
				return -1;
			}
			memcpy(f->arg_name, text + name_len + 1, l);
			f->arg_name[l] = 0;
			return (int)e;
		}
		break;
	default:
		return (int)name_len;
	}
	snprintf(err, errlen, "filter syntax error: %s", text);
	return -1;
}

int hr_field_parse(struct hr_field *f, const char *text, bool for_print, char *err, size_t errlen)
{
	memset(f, 0, sizeof *f);
	f->arg_index = -1;
	for (unsigned c = 0; c < hr_field_class_count; c++) {
		const struct hr_field_def *defs = hr_field_classes[c].defs;
		const struct hr_field_def *best = NULL;
		size_t best_len = 0;
		for (unsigned i = 0; defs[i].name; i++) {
			size_t l = strlen(defs[i].name);
			if (l > best_len && strncmp(text, defs[i].name, l) == 0) {
				best = &defs[i];
				best_len = l;
			}
		}
		if (!best)
			continue;
		if (best->flags & HR_FF_UNSUPPORTED) {
			snprintf(err, errlen, "field %s is not supported by harrier yet", best->name);
			return -1;
		}
		if (for_print && (best->flags & HR_FF_FILTER_ONLY)) {
			snprintf(err, errlen, "%s is filter only and cannot be used as a display field", best->name);
			return -1;
		}
		f->def = best;
		int used = parse_arg(f, text, best_len, err, errlen);
		if (used < 0)
			return -1;
		if ((size_t)used >= sizeof f->text) {
			snprintf(err, errlen, "field name too long: %.40s...", text);
			return -1;
		}
		memcpy(f->text, text, (size_t)used);
		f->text[used] = 0;
		return used;
	}
	/* sysdig names the rest of the format here; the field name is enough. */
	size_t l = 0;
	while (text[l] && (isalnum((unsigned char)text[l]) || strchr("._[]", text[l])))
		l++;
	snprintf(err, errlen, "invalid formatting token %.*s", (int)(l ? l : strlen(text)), text);
	return -1;
}

void hr_field_free(struct hr_field *f)
{
	hr_sb_free(&f->storage);
}

bool hr_field_extract(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
		      struct hr_value *out)
{
	memset(out, 0, sizeof *out);
	return f->def->extract(f, ctx, e, out);
}

/* ---- rendering ----------------------------------------------------------- */

/* How sysdig renders each parameter type (rawval_to_string/_to_json). */
enum value_class {
	VC_NONE,        /* not printable: no value */
	VC_SIGNED,      /* 8..32-bit signed */
	VC_SIGNED64,    /* int64, pid, errno */
	VC_UNSIGNED,    /* 8..32-bit unsigned, port, l4proto */
	VC_UNSIGNED64,  /* uint64, reltime, abstime */
	VC_BOOL, VC_DOUBLE, VC_IP, VC_STRING,
	/* Types sysdig 0.29.3 aborts on ("wrong event type N") when asked to
	 * print them as a raw value: Harrier prints the number instead. */
	VC_RAW_SIGNED, VC_RAW_UNSIGNED,
};

static enum value_class value_class(uint8_t t)
{
	switch (t) {
	case HR_PT_INT8: case HR_PT_INT16: case HR_PT_INT32:
		return VC_SIGNED;
	case HR_PT_INT64: case HR_PT_PID: case HR_PT_ERRNO:
		return VC_SIGNED64;
	case HR_PT_UINT8: case HR_PT_UINT16: case HR_PT_UINT32: case HR_PT_PORT: case HR_PT_L4PROTO:
		return VC_UNSIGNED;
	case HR_PT_UINT64: case HR_PT_RELTIME: case HR_PT_ABSTIME:
		return VC_UNSIGNED64;
	case HR_PT_BOOL:
		return VC_BOOL;
	case HR_PT_DOUBLE:
		return VC_DOUBLE;
	case HR_PT_IPV4ADDR: case HR_PT_IPV6ADDR: case HR_PT_IPADDR:
		return VC_IP;
	case HR_PT_CHARBUF: case HR_PT_BYTEBUF: case HR_PT_FSPATH: case HR_PT_FSRELPATH:
		return VC_STRING;
	case HR_PT_FD: case HR_PT_FD32: case HR_PT_PID32:
		return VC_RAW_SIGNED;
	case HR_PT_UID: case HR_PT_GID: case HR_PT_FLAGS8: case HR_PT_FLAGS16: case HR_PT_FLAGS32:
	case HR_PT_MODE: case HR_PT_SYSCALLID: case HR_PT_SIGTYPE: case HR_PT_SOCKFAMILY:
	case HR_PT_ENUMFLAGS8: case HR_PT_ENUMFLAGS16: case HR_PT_ENUMFLAGS32: case HR_PT_SIGSET:
		return VC_RAW_UNSIGNED;
	default:
		return VC_NONE;
	}
}

/* The text of a non-string value for print format `fmt`, in `buf`; NULL
 * where sysdig has no rendering (it then treats the field as missing). */
static const char *render_scalar(const struct hr_value *v, uint8_t fmt, char *buf, size_t len)
{
	bool dec = fmt == HR_FMT_DEC || fmt == HR_FMT_ID;
	switch (value_class(v->type)) {
	case VC_SIGNED:
		if (fmt == HR_FMT_OCT)
			snprintf(buf, len, "%" PRIo64, (uint64_t)v->v.i64 & (v->type == HR_PT_INT8 ? 0xff : v->type == HR_PT_INT16 ? 0xffff : 0xffffffffu));
		else if (dec)
			snprintf(buf, len, "%" PRId64, v->v.i64);
		else if (fmt == HR_FMT_HEX)
			snprintf(buf, len, "%" PRIX64, (uint64_t)v->v.i64 & (v->type == HR_PT_INT8 ? 0xff : v->type == HR_PT_INT16 ? 0xffff : 0xffffffffu));
		else
			return NULL;
		return buf;
	case VC_SIGNED64:
		if (fmt == HR_FMT_OCT)
			snprintf(buf, len, "%" PRIo64, (uint64_t)v->v.i64);
		else if (fmt == HR_FMT_PADDED_DEC)
			snprintf(buf, len, "%09" PRId64, v->v.i64);
		else if (fmt == HR_FMT_HEX)
			snprintf(buf, len, "%" PRIX64, (uint64_t)v->v.i64);
		else
			snprintf(buf, len, "%" PRId64, v->v.i64);
		return buf;
	case VC_UNSIGNED:
		if (fmt == HR_FMT_OCT)
			snprintf(buf, len, "%" PRIo64, v->v.u64);
		else if (dec || fmt == HR_FMT_HEX) /* sysdig prints these in decimal even as hex */
			snprintf(buf, len, "%" PRIu64, v->v.u64);
		else
			return NULL;
		return buf;
	case VC_UNSIGNED64:
		if (fmt == HR_FMT_OCT)
			snprintf(buf, len, "%" PRIo64, v->v.u64);
		else if (dec)
			snprintf(buf, len, "%" PRIu64, v->v.u64);
		else if (fmt == HR_FMT_PADDED_DEC)
			snprintf(buf, len, "%09" PRIu64, v->v.u64);
		else if (fmt == HR_FMT_HEX)
			snprintf(buf, len, "%" PRIX64, v->v.u64);
		else
			return NULL;
		return buf;
	case VC_BOOL:
		return v->v.b ? "true" : "false";
	case VC_DOUBLE:
		snprintf(buf, len, "%.1f", v->v.d);
		return buf;
	case VC_IP:
		if (v->len == 4)
			snprintf(buf, len, "%u.%u.%u.%u", v->v.ip[0], v->v.ip[1], v->v.ip[2], v->v.ip[3]);
		else if (!inet_ntop(AF_INET6, v->v.ip, buf, (socklen_t)len))
			snprintf(buf, len, "<NA>");
		return buf;
	case VC_RAW_SIGNED:
		snprintf(buf, len, "%" PRId64, v->v.i64);
		return buf;
	case VC_RAW_UNSIGNED:
		snprintf(buf, len, "%" PRIu64, v->v.u64);
		return buf;
	default:
		return NULL;
	}
}

/* Strings in sysdig are C strings: a value ends at its first NUL. */
static size_t string_length(const struct hr_value *v)
{
	return strnlen(v->str, v->len);
}

bool hr_field_to_string(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			struct hr_strbuf *out)
{
	struct hr_value v;
	if (!hr_field_extract(f, ctx, e, &v))
		return false;
	if (value_class(v.type) == VC_STRING) {
		hr_sb_append(out, v.str, string_length(&v));
		return true;
	}
	const char *s = render_scalar(&v, f->def->format, f->small, sizeof f->small);
	if (!s)
		return false;
	hr_sb_puts(out, s);
	return true;
}

bool hr_field_to_json(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
		      struct hr_strbuf *out)
{
	struct hr_value v;
	bool ok;
	uint8_t fmt = f->def->format;
	if (f->def->extract_json) {
		memset(&v, 0, sizeof v);
		ok = f->def->extract_json(f, ctx, e, &v);
		fmt = HR_FMT_DEC;
	} else {
		ok = hr_field_extract(f, ctx, e, &v);
	}
	if (!ok) {
		hr_sb_puts(out, "null");
		return false;
	}
	enum value_class vc = value_class(v.type);
	if (vc == VC_STRING) {
		size_t n = string_length(&v);
		if (v.str[n] == 0) {
			hr_json_append_string(out, v.str);
		} else {
			hr_sb_reset(&f->storage);
			hr_sb_append(&f->storage, v.str, n);
			hr_json_append_string(out, hr_sb_str(&f->storage));
		}
		return true;
	}
	const char *s = render_scalar(&v, fmt, f->small, sizeof f->small);
	bool number = fmt == HR_FMT_DEC || fmt == HR_FMT_ID;
	switch (vc) {
	case VC_BOOL:
	case VC_RAW_SIGNED:
	case VC_RAW_UNSIGNED:
		hr_sb_puts(out, s);
		return true;
	case VC_IP:
		hr_json_append_string(out, s);
		return true;
	case VC_DOUBLE:
		/* a number, as Falco's libs write it (sysdig 0.29.3 cannot: it
		 * stops at the first double): 17 significant digits, and ".0" on
		 * whole numbers, as jsoncpp writes doubles */
		if (!isfinite(v.v.d)) {
			hr_sb_puts(out, "null");
			return false;
		}
		snprintf(f->small, sizeof f->small, "%.17g", v.v.d);
		hr_sb_puts(out, f->small);
		if (!strpbrk(f->small, ".e"))
			hr_sb_puts(out, ".0");
		return true;
	case VC_SIGNED64:
		if (number)
			hr_sb_puts(out, s);
		else
			hr_json_append_string(out, s);
		return true;
	case VC_SIGNED:
	case VC_UNSIGNED:
	case VC_UNSIGNED64:
		if (!s) { /* no JSON form for this format: null, as in sysdig */
			hr_sb_puts(out, "null");
			return false;
		}
		if (number)
			hr_sb_puts(out, s);
		else
			hr_json_append_string(out, s);
		return true;
	default:
		hr_sb_puts(out, "null");
		return false;
	}
}
