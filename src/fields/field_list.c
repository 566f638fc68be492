/*
 * The field listing (`-l`): every class and field Harrier computes, with
 * type and description, in the layout of `sysdig -l` (or as markdown
 * tables).
 */
#include <stdio.h>
#include <string.h>

#include "fields/fields.h"
#include "format/strbuf.h"

enum { NAME_COLUMN = 30, LINE_WIDTH = 120 };

/* The type names sysdig's listings use. */
static const char *type_name(uint8_t t)
{
	static const char *const names[HR_PT_MAX] = {
		[HR_PT_NONE] = "NONE", [HR_PT_INT8] = "INT8", [HR_PT_INT16] = "INT16", [HR_PT_INT32] = "INT32",
		[HR_PT_INT64] = "INT64", [HR_PT_UINT8] = "UINT8", [HR_PT_UINT16] = "UINT16", [HR_PT_UINT32] = "UINT32",
		[HR_PT_UINT64] = "UINT64", [HR_PT_CHARBUF] = "CHARBUF", [HR_PT_BYTEBUF] = "BYTEBUF",
		[HR_PT_ERRNO] = "ERRNO", [HR_PT_SOCKADDR] = "SOCKADDR", [HR_PT_SOCKTUPLE] = "SOCKTUPLE",
		[HR_PT_FD] = "FD", [HR_PT_PID] = "PID", [HR_PT_FDLIST] = "FDLIST", [HR_PT_FSPATH] = "FSPATH",
		[HR_PT_SYSCALLID] = "SYSCALLID", [HR_PT_SIGTYPE] = "SIGTYPE", [HR_PT_RELTIME] = "RELTIME",
		[HR_PT_ABSTIME] = "ABSTIME", [HR_PT_PORT] = "PORT", [HR_PT_L4PROTO] = "L4PROTO",
		[HR_PT_SOCKFAMILY] = "SOCKFAMILY", [HR_PT_BOOL] = "BOOL", [HR_PT_IPV4ADDR] = "IPV4ADDR",
		[HR_PT_DYN] = "DYNAMIC", [HR_PT_FLAGS8] = "FLAGS8", [HR_PT_FLAGS16] = "FLAGS16",
		[HR_PT_FLAGS32] = "FLAGS32", [HR_PT_UID] = "UID", [HR_PT_GID] = "GID", [HR_PT_DOUBLE] = "DOUBLE",
		[HR_PT_SIGSET] = "SIGSET", [HR_PT_CHARBUFARRAY] = "CHARBUFARRAY",
		[HR_PT_CHARBUF_PAIR_ARRAY] = "CHARBUF_PAIR_ARRAY", [HR_PT_IPV4NET] = "IPV4NET",
		[HR_PT_IPV6ADDR] = "IPV6ADDR", [HR_PT_IPV6NET] = "IPV6NET", [HR_PT_IPADDR] = "IPADDR",
		[HR_PT_IPNET] = "IPNET", [HR_PT_MODE] = "MODE", [HR_PT_FSRELPATH] = "FSRELPATH",
		[HR_PT_ENUMFLAGS8] = "ENUMFLAGS8", [HR_PT_ENUMFLAGS16] = "ENUMFLAGS16",
		[HR_PT_ENUMFLAGS32] = "ENUMFLAGS32", [HR_PT_FD32] = "FD32", [HR_PT_PID32] = "PID32",
	};
	return t < HR_PT_MAX && names[t] ? names[t] : "UNKNOWN";
}

static void pad_to_column(FILE *out, size_t used)
{
	for (; used < NAME_COLUMN; used++)
		fputc(' ', out);
}

/* The words of `text` wrapped at the line width, continuation lines
 * indented to the description column; `used` is what the current line
 * already holds past that column. */
static size_t wrap_words(FILE *out, const char *text, size_t used)
{
	struct hr_strbuf b = {0};
	used = hr_sb_wrap_words(&b, text, used, LINE_WIDTH - NAME_COLUMN, NAME_COLUMN);
	fputs(hr_sb_str(&b), out);
	hr_sb_free(&b);
	return used;
}

static bool listed(const struct hr_field_def *d) { return !(d->flags & HR_FF_UNSUPPORTED); }

static void print_class_text(FILE *out, const struct hr_field_class *c, bool verbose)
{
	fputs("-------------------------------\n", out);
	fputs("Field Class:", out);
	pad_to_column(out, strlen("Field Class:"));
	fputs(c->name, out);
	if (c->shortdesc)
		fprintf(out, " (%s)", c->shortdesc);
	fputc('\n', out);
	if (c->desc) {
		fputs("Description:", out);
		pad_to_column(out, strlen("Description:"));
		wrap_words(out, c->desc, 0);
		fputc('\n', out);
	}
	fputc('\n', out);
	for (const struct hr_field_def *d = c->defs; d->name; d++) {
		if (!listed(d))
			continue;
		size_t n = strlen(d->name);
		fputs(d->name, out);
		if (n > NAME_COLUMN) {
			fputc('\n', out);
			n = 0;
		}
		pad_to_column(out, n);
		size_t used = 0;
		if (verbose) {
			char type[48];
			snprintf(type, sizeof type, "(Type: %s)", type_name(d->type));
			used = wrap_words(out, type, used);
		}
		wrap_words(out, d->desc ? d->desc : "", used);
		fputc('\n', out);
	}
	fputc('\n', out);
}

static void print_class_markdown(FILE *out, const struct hr_field_class *c)
{
	fprintf(out, "\n## Field Class: %s\n\n%s\n\n", c->name, c->desc ? c->desc : "");
	fputs("Name | Type | Description\n:----|:-----|:-----------\n", out);
	for (const struct hr_field_def *d = c->defs; d->name; d++)
		if (listed(d))
			fprintf(out, "`%s` | %s | %s\n", d->name, type_name(d->type), d->desc ? d->desc : "");
}

void hr_fields_print_list(FILE *out, bool verbose, bool markdown)
{
	for (unsigned i = 0; i < hr_field_class_count; i++) {
		if (markdown)
			print_class_markdown(out, &hr_field_classes[i]);
		else
			print_class_text(out, &hr_field_classes[i], verbose);
	}
}
