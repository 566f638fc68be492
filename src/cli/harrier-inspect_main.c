/*
 * harrier-inspect: the sysdig-compatible capture inspector. Reads a capture,
 * runs every event through the state engine, and prints the events sysdig
 * 0.29.3 would print, numbered and hidden as sysdig does, in its default
 * line format, a -p format, or JSON (-j).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/fatfile.h"
#include "app/live_privileges.h"
#include "capture/live/live_source.h"
#include "capture/scap_reader.h"
#include "capture/scap_writer.h"
#include "capture/source.h"
#include "fields/fields.h"
#include "filter/filter.h"
#include "format/event_args.h"
#include "format/line_format.h"
#include "state/container_hold.h"
#include "state/container_runtime.h"
#include "state/state.h"

/* Every command-line choice, in one place so that new flags only add here. */
struct inspect_options {
	const char *read_path;   /* -r; without it, capture live */
	double duration_s;       /* -M: live capture stops after this many seconds */
	const char *write_path;  /* -w: copy the events read (with a filter: as sysdig -F) to this capture */
	bool compress;           /* -z: gzip the -w output */
	const char *format;      /* -p, or NULL for sysdig's default line */
	const char *plugin_format; /* -p FORMAT applies to plugin events too; NULL: sysdig's plugin line */
	uint64_t max_events;     /* -n: stop after this many events (0 = all) */
	bool json;               /* -j */
	bool debug;              /* -D: also print internal events (procinfo...) */
	char *filter;            /* the arguments after the options, joined by spaces */
};

enum { EXIT_OK = 0, EXIT_READ_ERROR = 1, EXIT_USAGE = 2, EXIT_WRITE_ERROR = 1 };

/* Long options without a short letter. */
enum { LIST_MARKDOWN = 256 };

enum {
	EVT_CONTAINER_E = 228,
	EVT_CONTAINER_JSON_E = 272,
	EVT_CONTAINER_JSON_2_E = 324,
	EVT_PLUGINEVENT_E = 322,
	EVT_USER_ADDED_E = 354,
	EVT_GROUP_ADDED_E = 358,
};

static const char usage_text[] =
	"Usage: harrier-inspect -r FILE [-p FORMAT] [-n N] [-j] [-D] [-w OUT [-z] [-F]] [filter]\n"
	"       harrier-inspect [-M SECS] [-p FORMAT] [-n N] [-j] [-w OUT [-z]] [filter]   (live, as root)\n"
	"\n"
	"Prints the events of a sysdig/Falco capture file as sysdig 0.29.3 does;\n"
	"without -r, captures this machine's events live with eBPF.\n"
	"\n"
	"  -r, --readfile FILE  read events from FILE (\"-\" for standard input)\n"
	"  -p, --print FORMAT   print events with FORMAT (%%field, %%field[arg],\n"
	"                       %%evt.arg.NAME, literal text; a leading * prints lines\n"
	"                       with missing fields as <NA> instead of skipping them).\n"
	"                       -pp prints the default format, -pc the container one.\n"
	"  -n, --numevents N    stop after N events (hidden events count too)\n"
	"  -M SECS             live capture: stop after SECS seconds (else at SIGINT/SIGTERM)\n"
	"  -j, --json           print events as JSON objects of the format's fields\n"
	"  -D, --debug          also print internal events (procinfo, ...)\n"
	"  -w, --writefile OUT  write the events read to the capture OUT (\"-\" for\n"
	"                       standard output) instead of printing them; with a\n"
	"                       filter, the matching events plus the state-changing\n"
	"                       ones flagged state-only (sysdig's -w -F)\n"
	"  -F, --fatfile        accepted for sysdig's command lines: a filtered -w\n"
	"                       recording always keeps the state-changing events\n"
	"  -z, --compress       gzip the -w capture\n"
	"  -l, --list           list the fields filters and -p formats can use\n"
	"                       (-lv: with their types; --list-markdown: as tables)\n"
	"  -v, --verbose        with -l: show each field's type\n"
	"  -h, --help           print this help\n"
	"\n"
	"Default format: " HR_DEFAULT_FORMAT "\n";

/* sysdig prints plugin events with a line of their own unless -p names one */
#define PLUGIN_FORMAT "*%evt.num %evt.datetime.s [%evt.pluginname] %evt.plugininfo"

#define CONTAINER_FORMAT                                                                                    \
	"*%evt.num %evt.outputtime %evt.cpu %container.name (%container.id) %proc.name (%thread.tid:%thread.vtid) " \
	"%evt.dir %evt.type %evt.info"

/* Parses the command line. Returns -1 to go on, or the exit code when the
 * program is done (help printed, or a usage error reported). */
static int parse_options(int argc, char **argv, struct inspect_options *o)
{
	static const struct option longopts[] = {
		{"readfile", required_argument, 0, 'r'}, {"print", required_argument, 0, 'p'},
		{"numevents", required_argument, 0, 'n'}, {"json", no_argument, 0, 'j'},
		{"debug", no_argument, 0, 'D'}, {"help", no_argument, 0, 'h'},
		{"writefile", required_argument, 0, 'w'}, {"compress", no_argument, 0, 'z'},
		{"fatfile", no_argument, 0, 'F'}, {"list", no_argument, 0, 'l'},
		{"verbose", no_argument, 0, 'v'}, {"list-markdown", no_argument, 0, LIST_MARKDOWN},
		{0, 0, 0, 0},
	};
	bool list = false, verbose = false, markdown = false;
	memset(o, 0, sizeof *o);
	int c;
	while ((c = getopt_long(argc, argv, "r:p:n:jDhw:zFM:lv", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->read_path = optarg;
			break;
		case 'p':
			if (strcmp(optarg, "p") == 0) {
				printf("%s\n", HR_DEFAULT_FORMAT);
				return EXIT_OK;
			}
			o->format = (strcmp(optarg, "c") == 0 || strcmp(optarg, "container") == 0) ? CONTAINER_FORMAT
												       : optarg;
			o->plugin_format = o->format == optarg ? optarg : NULL;
			break;
		case 'n': {
			char *end;
			errno = 0;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[0] == '-') {
				fprintf(stderr, "harrier-inspect: can't parse the -n argument, make sure it's a number\n");
				return EXIT_USAGE;
			}
			if (v == 0) {
				fprintf(stderr, "harrier-inspect: invalid event count %s\n", optarg);
				return EXIT_USAGE;
			}
			o->max_events = v;
			break;
		}
		case 'j':
			o->json = true;
			break;
		case 'D':
			o->debug = true;
			break;
		case 'w':
			o->write_path = optarg;
			break;
		case 'z':
			o->compress = true;
			break;
		case 'F':
			break;
		case 'M': {
			char *end;
			o->duration_s = strtod(optarg, &end);
			if (end == optarg || *end || !(o->duration_s > 0)) {
				fprintf(stderr, "harrier-inspect: invalid -M duration %s\n", optarg);
				return EXIT_USAGE;
			}
			break;
		}
		case 'l':
			list = true;
			break;
		case LIST_MARKDOWN:
			list = markdown = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		default: /* getopt has reported the problem */
			fputs("Try 'harrier-inspect -h' for help.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (list) { /* after the loop: -v may follow -l */
		hr_fields_print_list(stdout, verbose, markdown);
		return EXIT_OK;
	}
	if (optind < argc) {
		size_t len = 0;
		for (int i = optind; i < argc; i++)
			len += strlen(argv[i]) + 1;
		o->filter = malloc(len);
		if (!o->filter) {
			fputs("harrier-inspect: out of memory\n", stderr);
			return EXIT_USAGE;
		}
		o->filter[0] = 0;
		for (int i = optind; i < argc; i++) {
			if (i > optind)
				strcat(o->filter, " ");
			strcat(o->filter, argv[i]);
		}
	}
	return -1;
}

/* What the event loop needs besides the options. */
struct inspector {
	const struct inspect_options *opt;
	struct hr_state *state;
	struct hr_writer *writer; /* -w, or NULL */
	uint64_t writer_flushed_ns; /* live -w: CLOCK_MONOTONIC of its last flush */
	struct hr_line_format *format;
	struct hr_line_format *plugin_format; /* built at the first plugin event */
	struct hr_filter *filter;             /* the condition after the options, or NULL */
	struct hr_field_ctx fields;
	struct hr_strbuf line;
	uint64_t evt_num;        /* evt.num of the last event counted */
	uint64_t delivered;      /* events counted against -n */
	unsigned section;        /* sections seen so far */
	bool section_to_write;   /* -w: a section began; its tables go out before its first event */
	bool section_leading;    /* no event but container events seen yet in this section */
	/* live -w: container records go out as the runtime describes
	 * containers, before the events held meanwhile (container_hold.h) */
	struct hr_container_runtime *runtime;
	struct hr_event_hold hold;
	uint64_t containers_written; /* hr_state_container_serial at the last records written */
	uint64_t users_written;      /* hr_state_container_users_serial at the last records written */
	uint64_t last_ts;            /* of the last event read: the records' time, as libs gives them */
	bool write_failed;           /* a write from the idle callback failed */
};

static bool is_container_event(uint16_t type)
{
	return type == EVT_CONTAINER_E || type == EVT_CONTAINER_JSON_E || type == EVT_CONTAINER_JSON_2_E;
}

/* Handles one event: numbering, state, hiding, printing. Returns whether
 * the event was delivered (it passed the filter). */
static bool handle_event(struct inspector *in, struct hr_event *e)
{
	const struct hr_event_info *info = hr_event_info(e);
	/* sysdig consumes the container events that open a section while it
	 * opens it: they update the state but are never printed, and outside
	 * the first section they are not even numbered. */
	bool leading_container = in->section_leading && is_container_event(e->type);
	if (!leading_container)
		in->section_leading = false;
	if (!leading_container || in->section == 1)
		in->evt_num++;
	e->num = in->evt_num;
	if (!in->fields.first_event_ts && e->type != EVT_CONTAINER_JSON_E && e->type != EVT_CONTAINER_JSON_2_E)
		in->fields.first_event_ts = e->ts;

	hr_state_process_event(in->state, e);
	if (leading_container)
		return false;

	bool internal = info->category & HR_EC_INTERNAL;
	/* state-only events (written by -F) are for the state, not for the user */
	if ((e->dump_flags & HR_DF_STATE_ONLY) && !(in->opt->debug && internal))
		return false;
	/* the filter (run after the state, as sysdig -d does); -D's internal
	 * events bypass it as in sysdig */
	in->fields.formatting = false;
	if (in->filter && !(internal && in->opt->debug) && !hr_filter_match(in->filter, &in->fields, e))
		return false;
	in->delivered++;
	if (in->writer)
		return true; /* -w copies events instead of printing them, as sysdig -w */
	if (internal && !in->opt->debug)
		return true;

	struct hr_line_format *fmt = in->format;
	if (e->type == EVT_PLUGINEVENT_E) {
		if (!in->plugin_format) {
			char err[256];
			const char *text = in->opt->plugin_format ? in->opt->plugin_format : PLUGIN_FORMAT;
			in->plugin_format = hr_line_format_new(text, err, sizeof err);
		}
		if (in->plugin_format)
			fmt = in->plugin_format;
	}
	in->fields.formatting = true;
	bool shown = in->opt->json ? hr_line_format_render_json(fmt, &in->fields, e, &in->line)
				   : hr_line_format_render(fmt, &in->fields, e, &in->line);
	if (shown) {
		hr_sb_putc(&in->line, '\n');
		fwrite(in->line.p, 1, in->line.len, stdout);
	}
	return true;
}

/* -w: the event as read, after the state has seen it (a filtered
 * recording decides with the filter's answer); the section's tables are
 * those from before its first event. Returns false on a write error. */
static bool write_event(struct inspector *in, struct hr_event *e, bool delivered)
{
	uint32_t flags = e->dump_flags;
	if (in->filter) {
		enum hr_fatfile_choice c = hr_fatfile_choose(e, delivered);
		if (c == HR_FATFILE_DROP)
			return true;
		flags = c == HR_FATFILE_WRITE_STATE_ONLY ? HR_DF_STATE_ONLY : 0;
	}
	return hr_writer_write_event(in->writer, e, flags) >= 0;
}

struct container_records {
	struct inspector *in;
	uint64_t after; /* serial */
	bool ok;
};

/* One container event (324, libs' JSON with a terminating NUL) for a
 * container whose metadata arrived after `after`. */
static void write_container_record(void *ctx, const struct hr_container *c)
{
	struct container_records *cr = ctx;
	if (!cr->ok || c->serial <= cr->after)
		return;
	size_t len;
	char *json = hr_container_record_json(c, &len);
	struct hr_event e = {.ts = cr->in->last_ts, .tid = -1, .type = EVT_CONTAINER_JSON_2_E, .nparams = 1,
			     .nparams_indexed = 1, .fd_num = -1};
	e.param[0] = (const uint8_t *)(json ? json : "");
	e.param_len[0] = json ? (uint32_t)len + 1 : 1;
	cr->ok = hr_writer_write_event(cr->in->writer, &e, 0) >= 0;
	free(json);
}

/* A string parameter with its terminating NUL, as libs writes them. */
static void put_string_param(struct hr_event *e, unsigned i, const char *str)
{
	e->param[i] = (const uint8_t *)str;
	e->param_len[i] = (uint32_t)strlen(str) + 1;
}

/* A container's user (useradded, 354) or group (groupadded, 358) as the
 * event Falco's libs record for it, with the container's id. */
static void write_user_record(void *ctx, const char *container_id, const struct hr_user *u)
{
	struct container_records *cr = ctx;
	if (!cr->ok)
		return;
	struct hr_event e = {.ts = cr->in->last_ts, .tid = -1, .type = EVT_USER_ADDED_E, .nparams = 6,
			     .nparams_indexed = 6, .fd_num = -1};
	e.param[0] = (const uint8_t *)&u->uid;
	e.param_len[0] = sizeof(u->uid);
	e.param[1] = (const uint8_t *)&u->gid;
	e.param_len[1] = sizeof(u->gid);
	put_string_param(&e, 2, u->name.p ? u->name.p : "");
	put_string_param(&e, 3, u->homedir.p ? u->homedir.p : "");
	put_string_param(&e, 4, u->shell.p ? u->shell.p : "");
	put_string_param(&e, 5, container_id);
	cr->ok = hr_writer_write_event(cr->in->writer, &e, 0) >= 0;
}

static void write_group_record(void *ctx, const char *container_id, const struct hr_group *g)
{
	struct container_records *cr = ctx;
	if (!cr->ok)
		return;
	struct hr_event e = {.ts = cr->in->last_ts, .tid = -1, .type = EVT_GROUP_ADDED_E, .nparams = 3,
			     .nparams_indexed = 3, .fd_num = -1};
	e.param[0] = (const uint8_t *)&g->gid;
	e.param_len[0] = sizeof(g->gid);
	put_string_param(&e, 1, g->name.p ? g->name.p : "");
	put_string_param(&e, 2, container_id);
	cr->ok = hr_writer_write_event(cr->in->writer, &e, 0) >= 0;
}

/* Live -w: the users of the containers met since the last records. */
static bool write_container_users(struct inspector *in)
{
	uint64_t serial = hr_state_container_users_serial(in->state);
	if (serial == in->users_written)
		return true;
	struct container_records cr = {in, in->users_written, true};
	hr_state_each_container_user(in->state, in->users_written, write_user_record, write_group_record, &cr);
	in->users_written = serial;
	return cr.ok;
}

/* Live -w: the containers described and the containers' users read since
 * the last records, then the held events. Returns false on a write error. */
static bool write_held(struct inspector *in)
{
	hr_hold_end(&in->hold);
	hr_state_poll_containers(in->state);
	uint64_t serial = hr_state_container_serial(in->state);
	if (serial != in->containers_written) {
		struct container_records cr = {in, in->containers_written, true};
		hr_state_each_container(in->state, write_container_record, &cr);
		in->containers_written = serial;
		if (!cr.ok)
			return false;
	}
	if (!write_container_users(in))
		return false;
	uint32_t *delivered;
	struct hr_event *e;
	while ((e = hr_hold_peek(&in->hold, &delivered))) {
		hr_hold_pop(&in->hold);
		if (!write_event(in, e, *delivered))
			return false;
	}
	return true;
}

/* Live -w: writes the event, or holds it while a new container's
 * metadata is looked up (the state has seen it: only writing waits). */
static bool record_event(struct inspector *in, struct hr_event *e, bool delivered)
{
	if (in->write_failed)
		return false;
	in->last_ts = e->ts;
	if (hr_hold_active(&in->hold) || hr_hold_lookup_in_flight(&in->hold, in->runtime)) {
		if (!hr_hold_active(&in->hold))
			hr_hold_start(&in->hold);
		hr_hold_push(&in->hold, e, delivered);
		return !hr_hold_may_end(&in->hold, in->runtime) || write_held(in);
	}
	if ((hr_state_container_serial(in->state) != in->containers_written ||
	     hr_state_container_users_serial(in->state) != in->users_written) &&
	    !write_held(in))
		return false;
	return write_event(in, e, delivered);
}

/* Reads the whole capture (file or live). Returns the exit code. */
static int inspect(struct inspector *in, struct hr_source *r)
{
	static struct hr_record rec;
	for (;;) {
		if (in->opt->max_events && in->delivered == in->opt->max_events)
			return EXIT_OK;
		enum hr_record_kind k = hr_source_next(r, &rec);
		/* before the state sees the event: -w's tables are the section's start */
		if (k == HR_REC_EVENT && in->section_to_write) {
			in->section_to_write = false;
			if (hr_writer_begin_section(in->writer, in->state) < 0) {
				fprintf(stderr, "harrier-inspect: %s\n", hr_writer_error(in->writer));
				return EXIT_WRITE_ERROR;
			}
		}
		switch (k) {
		case HR_REC_END:
			if (in->runtime && in->writer && (in->write_failed || !write_held(in))) {
				fprintf(stderr, "harrier-inspect: %s\n", hr_writer_error(in->writer));
				return EXIT_WRITE_ERROR;
			}
			return EXIT_OK;
		case HR_REC_ERROR:
			fflush(stdout);
			fprintf(stderr, "harrier-inspect: %s: %s\n", in->opt->read_path ? in->opt->read_path : "live capture",
				hr_source_error(r));
			return EXIT_READ_ERROR;
		case HR_REC_EVENT: {
			bool delivered = handle_event(in, &rec.event);
			if (in->writer && !(in->runtime ? record_event(in, &rec.event, delivered)
							 : write_event(in, &rec.event, delivered))) {
				fprintf(stderr, "harrier-inspect: %s\n", hr_writer_error(in->writer));
				return EXIT_WRITE_ERROR;
			}
			break;
		}
		case HR_REC_SECTION:
			/* sysdig restarts at each section: relative times start again */
			in->section_to_write = in->writer != NULL;
			in->section++;
			in->section_leading = true;
			in->fields.first_event_ts = 0;
			hr_state_apply_record(in->state, &rec);
			break;
		default:
			hr_state_apply_record(in->state, &rec);
			break;
		}
	}
}

/* Live capture: the probe records only event types the filter can match
 * (plus what the state needs). */
static bool filter_wants(void *ctx, uint16_t type)
{
	return hr_filter_may_match_type(ctx, type);
}

/* ... and of the generic `syscall` events, only the syscalls it names. */
static bool filter_wants_syscall(void *ctx, const char *name)
{
	return hr_filter_may_match_syscall(ctx, name);
}

/* Live capture: printed events go out whenever the rings run empty, and a
 * recording at most every 20 ms, so that `-w -` piped into a reader shows
 * events as they happen on a quiet machine, without a write per event on a
 * busy one. */
static void flush_output(void *ctx)
{
	struct inspector *in = ctx;
	fflush(stdout);
	if (!in->writer)
		return;
	if (in->runtime && !in->write_failed && hr_hold_active(&in->hold) && hr_hold_may_end(&in->hold, in->runtime))
		in->write_failed = !write_held(in);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	uint64_t now_ns = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
	if (now_ns - in->writer_flushed_ns < 20000000u)
		return;
	in->writer_flushed_ns = now_ns;
	hr_writer_flush(in->writer); /* an error stays in the writer: the next write reports it */
}

int main(int argc, char **argv)
{
	struct inspect_options opt;
	int done = parse_options(argc, argv, &opt);
	if (done >= 0)
		return done;
	char err[512];
	struct inspector in = {.opt = &opt};
	if (opt.filter) {
		struct hr_filter_error ferr;
		in.filter = hr_filter_compile(opt.filter, &ferr);
		free(opt.filter);
		if (!in.filter) {
			fprintf(stderr, "harrier-inspect: filter error at position %zu: %s\n", ferr.pos, ferr.msg);
			return EXIT_USAGE;
		}
	}
	in.format = hr_line_format_new(opt.format ? opt.format : HR_DEFAULT_FORMAT, err, sizeof err);
	if (!in.format) {
		fprintf(stderr, "harrier-inspect: %s\n", err);
		hr_filter_free(in.filter);
		return EXIT_USAGE;
	}
	struct hr_source *r = NULL;
	if (!opt.read_path) {
		struct hr_live_options live = {.duration_s = opt.duration_s,
					       .on_idle = flush_output,
					       .idle_ctx = &in,
					       .for_2022_recording = opt.write_path != NULL,
					       .want_event = in.filter ? filter_wants : NULL,
					       .want_syscall = in.filter ? filter_wants_syscall : NULL,
					       .want_ctx = in.filter};
		enum hr_live_status status = HR_LIVE_NOT_ROOT;
		char missing[128];
		if (geteuid() == 0 && !hr_live_privileges_ok(missing, sizeof missing))
			snprintf(err, sizeof err, "live capture needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN; this process lacks %s",
				 missing);
		else
			r = hr_live_open(&live, &status, err, sizeof err);
		if (!r) {
			fprintf(stderr, "harrier-inspect: %s\n", err);
			hr_line_format_free(in.format);
			hr_filter_free(in.filter);
			return (int)status;
		}
	}
	struct hr_reader *file = r ? NULL : hr_reader_open(opt.read_path, err, sizeof err);
	if (file)
		r = hr_source_from_reader(file);
	if (!r) {
		size_t pl = strlen(opt.read_path);
		if (strncmp(err, opt.read_path, pl) == 0 && err[pl] == ':')
			fprintf(stderr, "harrier-inspect: %s\n", err);
		else
			fprintf(stderr, "harrier-inspect: %s: %s\n", opt.read_path, err);
		hr_line_format_free(in.format);
		hr_filter_free(in.filter);
		return EXIT_READ_ERROR;
	}
	in.state = hr_state_new();
	if (!in.state) {
		fputs("harrier-inspect: out of memory\n", stderr);
		hr_source_close(r);
		hr_line_format_free(in.format);
		hr_filter_free(in.filter);
		return EXIT_READ_ERROR;
	}
	/* live: container metadata from docker/podman, looked up off the event loop */
	struct hr_container_runtime *runtime = NULL;
	if (!opt.read_path) {
		struct hr_container_runtime_config rc;
		hr_container_runtime_config_default(&rc);
		runtime = hr_container_runtime_start(&rc);
		if (runtime)
			hr_state_attach_container_runtime(in.state, runtime);
		in.runtime = runtime;
	}
	hr_field_ctx_init(&in.fields, in.state);
	/* -j renders byte buffers for JSON (never cut to 80 characters) */
	if (opt.json)
		hr_format_set_buffer_format(HR_BUF_JSON);
	static char outbuf[1 << 20];
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);

	if (opt.write_path) {
		in.writer = hr_writer_open(opt.write_path, opt.compress, err, sizeof err);
		if (!in.writer) {
			fprintf(stderr, "harrier-inspect: %s\n", err);
			hr_source_close(r);
			hr_state_free(in.state);
			hr_container_runtime_stop(runtime);
			hr_line_format_free(in.format);
			hr_filter_free(in.filter);
			return EXIT_WRITE_ERROR;
		}
	}
	int rc = inspect(&in, r);
	/* like sysdig: a format that sets terminal colors resets them at the end */
	if (rc == EXIT_OK && hr_line_format_has_escape(in.format))
		fputs("\033[00m", stdout);
	if (in.writer && hr_writer_close(in.writer, err, sizeof err) < 0) {
		if (rc == EXIT_OK)
			fprintf(stderr, "harrier-inspect: %s\n", err);
		rc = rc == EXIT_OK ? EXIT_WRITE_ERROR : rc;
	}
	if (fflush(stdout) != 0 && rc == EXIT_OK) {
		fprintf(stderr, "harrier-inspect: writing the output: %s\n", strerror(errno));
		rc = EXIT_READ_ERROR;
	}
	if (!opt.read_path) {
		struct hr_live_stats st;
		hr_live_stats(r, &st);
		if (st.drops_full || st.drops_read)
			fprintf(stderr, "harrier-inspect: live capture lost %llu of %llu events (%llu ring full, %llu unreadable)\n",
				(unsigned long long)(st.drops_full + st.drops_read),
				(unsigned long long)(st.events + st.drops_full + st.drops_read),
				(unsigned long long)st.drops_full, (unsigned long long)st.drops_read);
	}
	hr_source_close(r);
	hr_state_free(in.state);
	hr_container_runtime_stop(runtime); /* after the state it serves */
	hr_hold_free(&in.hold);
	hr_line_format_free(in.format);
	hr_line_format_free(in.plugin_format);
	hr_filter_free(in.filter);
	hr_sb_free(&in.line);
	return rc;
}
