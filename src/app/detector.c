/* The detector's run over a record source (see detector.h). */
#include "app/detector.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "capture/live/live_source.h"
#include "event/event_merge.h"
#include "format/json_output.h"
#include "state/container_runtime.h"
#include "state/state.h"

#define DROP_RULE "Falco internal: syscall event drop"

/* append_output[N]: extra_output with an optional match on source, rule
 * and tags (the first tag listed). */
static void read_append_output(struct hr_detector *d, const struct hr_config *c)
{
	unsigned n = 0;
	for (unsigned i = 0; i < c->n && n < HR_DETECTOR_MAX_APPEND; i++) {
		unsigned idx;
		int used = 0;
		if (sscanf(c->keys[i], "append_output.%u.extra_output%n", &idx, &used) != 1 || c->keys[i][used] ||
		    !hr_config_first_of_key(c, i))
			continue;
		char key[96];
		struct hr_append_output *a = &d->append[n++];
		a->extra_output = hr_config_get(c, c->keys[i]);
		snprintf(key, sizeof key, "append_output.%u.match.source", idx);
		a->source = hr_config_get(c, key);
		snprintf(key, sizeof key, "append_output.%u.match.rule", idx);
		a->rule = hr_config_get(c, key);
		snprintf(key, sizeof key, "append_output.%u.match.tags.0", idx);
		a->tag = hr_config_get(c, key);
	}
	d->alert.append = d->append;
	d->alert.nappend = n;
}

static bool init_drop_monitor(struct hr_detector *d, const struct hr_config *c, char *err, size_t errlen)
{
	for (unsigned i = 0; i < c->n; i++)
		d->monitor_drops |= !strncmp(c->keys[i], "syscall_event_drops.", 20);
	if (!d->monitor_drops)
		return true;
	const char *acts[16];
	unsigned nacts = 0;
	for (unsigned i = 0; i < c->n && nacts < 16; i++)
		if (!strncmp(c->keys[i], "syscall_event_drops.actions.", 28) && hr_config_first_of_key(c, i))
			acts[nacts++] = hr_config_get(c, c->keys[i]);
	const char *thr = hr_config_get(c, "syscall_event_drops.threshold");
	const char *rate = hr_config_get(c, "syscall_event_drops.rate");
	const char *burst = hr_config_get(c, "syscall_event_drops.max_burst");
	return hr_drop_monitor_init(&d->drops, acts, nacts, thr ? atof(thr) : .1, rate ? atof(rate) : .03333,
				    burst ? atof(burst) : 1, hr_config_bool(c, "syscall_event_drops.simulate_drops", false),
				    c->path ? c->path : "", err, errlen);
}

bool hr_detector_init(struct hr_detector *d, const struct hr_config *c, struct hr_ruleset *rs,
		      const struct hr_rule_selection *sel, char *err, size_t errlen)
{
	memset(d, 0, sizeof *d);
	d->c = c;
	const char *host = getenv("FALCO_HOSTNAME");
	if (host && *host)
		snprintf(d->hostname, sizeof d->hostname, "%s", host);
	else
		gethostname(d->hostname, sizeof d->hostname - 1);
	d->alert = (struct hr_alert_options){
		.json = hr_config_bool(c, "json_output", false),
		.iso8601 = hr_config_bool(c, "time_format_iso_8601", false),
		.include_output = hr_config_bool(c, "json_include_output_property", true),
		.include_tags = hr_config_bool(c, "json_include_tags_property", true),
		.include_fields = hr_config_bool(c, "json_include_output_fields_property", true),
		.include_message = hr_config_bool(c, "json_include_message_property", false),
		.hostname = d->hostname,
	};
	read_append_output(d, c);
	const char *matching = hr_config_get(c, "rule_matching");
	if (matching && strcmp(matching, "first") && strcmp(matching, "all")) {
		snprintf(err, errlen, "Unknown rule matching strategy \"%s\"--must be one of first, all", matching);
		return false;
	}
	d->match_all = matching && !strcmp(matching, "all");
	if (!init_drop_monitor(d, c, err, errlen))
		return false;
	if (!hr_alert_channels_open(&d->channels, c, err, errlen))
		return false;
	d->state = hr_state_new();
	d->by_rule = calloc(hr_ruleset_count(rs) + 1, sizeof *d->by_rule);
	if (!d->state || !d->by_rule) {
		snprintf(err, errlen, "out of memory");
		hr_alert_channels_close(&d->channels);
		hr_state_free(d->state);
		free(d->by_rule);
		return false;
	}
	/* the state parses as Falco 0.44's libs, not as sysdig 0.29.3's */
	hr_state_set_newest_libs(d->state, true);
	d->merge = hr_event_merge_new();
	hr_rule_engine_init(&d->engine, rs, sel);
	hr_alert_formats_init(&d->formats, hr_ruleset_count(rs));
	hr_field_ctx_init(&d->fields, d->state);
	/* Falco folds enter parameters into exits: fields read the enter
	 * both while matching and while formatting */
	d->fields.formatting = false;
	return true;
}

bool hr_detector_wants_type(const struct hr_detector *d, uint16_t type)
{
	return type < HR_EVENT_MAX && d->engine.nby_type[type] > 0;
}

bool hr_detector_wants_syscall(const struct hr_detector *d, const char *name)
{
	return hr_rule_engine_wants_syscall(&d->engine, name);
}

/* The enter half of a syscall pair: Falco folds it into the exit, so
 * rules see (and the statistics count) the exit only; an enter whose exit
 * never comes (exit_group) is dropped as well. */
static bool is_paired_enter(uint16_t type)
{
	if (type + 1 >= HR_EVENT_MAX)
		return false;
	const struct hr_event_info *in = &hr_event_table[type], *out = &hr_event_table[type + 1];
	return in->is_enter && (in->category & HR_EC_SYSCALL) && !out->is_enter && in->name && out->name &&
	       !strcmp(in->name, out->name);
}

/* Container metadata events: Falco's container support consumes them;
 * they are not delivered to the rules (nor counted). */
static bool is_container_event(uint16_t type)
{
	const char *e = type < HR_EVENT_MAX ? hr_event_table[type].enum_name : NULL;
	return e && (!strcmp(e, "PPME_CONTAINER_E") || !strcmp(e, "PPME_CONTAINER_JSON_E") ||
		     !strcmp(e, "PPME_CONTAINER_JSON_2_E"));
}

static void emit(struct hr_detector *d, enum hr_priority prio)
{
	hr_alert_channels_emit(&d->channels, d->out.p, d->out.len, prio);
}

/* The alert of Falco's internal drop rule: priority Debug, source
 * "internal", the counts of the last second as output fields (Falco's
 * names; the per-syscall-category counts are not kept by Harrier's probe
 * and are 0). Text: "HH:MM:SS.nnnnnnnnn: Debug MSG (k="v" ...)". */
static void emit_drop_alert(struct hr_detector *d, uint64_t ts, const char *msg)
{
	const struct hr_drop_counts *dc = &d->drops.delta;
	char v[16][24];
	static const char *const names[] = {
		"ebpf_enabled", "n_drops", "n_drops_bug", "n_drops_buffer_clone_fork_exit", "n_drops_buffer_close_exit",
		"n_drops_buffer_connect_exit", "n_drops_buffer_dir_file_exit", "n_drops_buffer_execve_exit",
		"n_drops_buffer_open_exit", "n_drops_buffer_other_interest_exit", "n_drops_buffer_proc_exit",
		"n_drops_buffer_total", "n_drops_page_faults", "n_drops_scratch_map", "n_evts", NULL};
	for (unsigned i = 0; names[i]; i++)
		snprintf(v[i], sizeof v[i], "0");
	snprintf(v[0], sizeof v[0], "%d", d->live ? 1 : 0);
	snprintf(v[1], sizeof v[1], "%llu", (unsigned long long)dc->drops);
	snprintf(v[11], sizeof v[11], "%llu", (unsigned long long)dc->drops_buffer);
	snprintf(v[12], sizeof v[12], "%llu", (unsigned long long)dc->drops_fault);
	snprintf(v[14], sizeof v[14], "%llu", (unsigned long long)dc->events);
	hr_sb_reset(&d->out);
	time_t secs = (time_t)(ts / 1000000000ull);
	unsigned long long ns = ts % 1000000000ull;
	struct tm tm;
	char stamp[64];
	if (d->alert.json) {
		gmtime_r(&secs, &tm);
		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
		hr_sb_puts(&d->out, "{\"hostname\":");
		hr_json_append_string(&d->out, d->hostname);
		hr_sb_puts(&d->out, ",\"output\":");
		hr_json_append_string(&d->out, msg);
		hr_sb_puts(&d->out, ",\"output_fields\":{");
		for (unsigned i = 0; names[i]; i++)
			hr_sb_printf(&d->out, "%s\"%s\":\"%s\"", i ? "," : "", names[i], v[i]);
		hr_sb_printf(&d->out, "},\"priority\":\"Debug\",\"rule\":\"%s\",\"source\":\"internal\",\"time\":\"%s.%09lluZ\"}\n",
			     DROP_RULE, stamp, ns);
	} else {
		localtime_r(&secs, &tm);
		strftime(stamp, sizeof stamp, "%H:%M:%S", &tm);
		hr_sb_printf(&d->out, "%s.%09llu: Debug %s (", stamp, ns, msg);
		for (unsigned i = 0; names[i]; i++)
			hr_sb_printf(&d->out, "%s%s=\"%s\"", i ? " " : "", names[i], v[i]);
		hr_sb_puts(&d->out, ")\n");
	}
	emit(d, HR_PRIO_DEBUG);
}

static void check_drops(struct hr_detector *d, const struct hr_event *e)
{
	char msg[256];
	enum hr_drop_outcome what = hr_drop_monitor_event(&d->drops, e->ts, msg, sizeof msg);
	if (d->drops.simulate && d->drops.just_checked)
		hr_config_log(d->c, LOG_INFO, "Simulating syscall event drop\n");
	if (what == HR_DROP_NOTHING)
		return;
	if (d->drops.actions & HR_DROP_LOG)
		hr_config_log(d->c, LOG_DEBUG, "%s\n", msg);
	if (d->drops.actions & HR_DROP_ALERT)
		emit_drop_alert(d, e->ts, msg);
	if (what == HR_DROP_ACT_AND_EXIT) {
		hr_config_log(d->c, LOG_CRIT, "%s\n", msg);
		hr_config_log(d->c, LOG_CRIT, "Exiting.\n");
		d->exit_requested = true;
	}
}

/* The rules on one event as Falco delivers it. */
static void match_rules(struct hr_detector *d, const struct hr_event *e)
{
	d->captured++;
	if (d->monitor_drops)
		check_drops(d, e);
	uint32_t from = 0;
	for (;;) {
		int32_t ri = hr_rule_engine_match(&d->engine, &d->fields, e, from, &from);
		if (ri < 0)
			return;
		const struct hr_rule *r = hr_ruleset_rule(d->engine.rs, (uint32_t)ri);
		if (hr_alert_render(&d->formats, &d->alert, (uint32_t)ri, r, &d->fields, e, &d->out)) {
			d->detected++;
			d->by_priority[r->priority]++;
			d->by_rule[ri]++;
			hr_sb_putc(&d->out, '\n');
			emit(d, r->priority);
		}
		if (!d->match_all)
			return;
	}
}

/* Live events reach the rules one by one, as Falco delivers them: exits
 * carry every parameter; an enter (none are sent unless recording for
 * 2022) is folded as on replay. */
static void judge_live(struct hr_detector *d, const struct hr_event *e)
{
	if (!is_paired_enter(e->type) && !is_container_event(e->type))
		match_rules(d, e);
}

/* Judges the held events in order (the state sees those it has not seen
 * yet), unless one of them asks about yet another container while
 * `may_hold_again`: the rest then wait again. */
static void release_held(struct hr_detector *d, bool may_hold_again)
{
	hr_hold_end(&d->hold);
	/* the answers that ended the hold go into the state first */
	hr_state_poll_containers(d->state);
	uint32_t *state_done;
	struct hr_event *e;
	while ((e = hr_hold_peek(&d->hold, &state_done))) {
		if (!*state_done) {
			e->num = ++d->live_events;
			hr_state_process_event(d->state, e);
			*state_done = 1;
			if (may_hold_again && hr_hold_lookup_in_flight(&d->hold, d->runtime)) {
				hr_hold_start(&d->hold);
				return;
			}
		}
		hr_hold_pop(&d->hold);
		judge_live(d, e);
	}
}

static void check_hold(struct hr_detector *d)
{
	if (hr_hold_active(&d->hold) && hr_hold_may_end(&d->hold, d->runtime))
		release_held(d, true);
}

static void on_event(struct hr_detector *d, struct hr_event *e)
{
	if (d->live) {
		if (hr_hold_active(&d->hold)) {
			hr_hold_push(&d->hold, e, 0);
			check_hold(d);
			return;
		}
		/* the capture reader numbers events in file order; the live
		 * source leaves evt.num to its consumer (rules use it, e.g.
		 * evt.num=0 as "never") */
		e->num = ++d->live_events;
		hr_state_process_event(d->state, e);
		if (hr_hold_lookup_in_flight(&d->hold, d->runtime)) {
			hr_hold_push(&d->hold, e, 1);
			hr_hold_start(&d->hold);
			return;
		}
		judge_live(d, e);
		return;
	}
	hr_state_process_event(d->state, e);
	/* a capture's events as Falco's rules get them: enters folded into
	 * their exits, old layouts converted to the newest */
	const struct hr_event *m = hr_event_merge(d->merge, d->state, e);
	if (m && !is_container_event(m->type))
		match_rules(d, m);
}

static void print_summary(const struct hr_detector *d)
{
	printf("Events detected: %llu\n", (unsigned long long)d->detected);
	printf("Rule counts by severity:\n");
	for (unsigned p = 0; p < 8; p++) {
		if (!d->by_priority[p])
			continue;
		char name[32];
		snprintf(name, sizeof name, "%s", hr_priority_name((enum hr_priority)p, true));
		for (char *q = name; *q; q++)
			*q = (char)toupper((unsigned char)*q);
		printf("   %s: %llu\n", name, (unsigned long long)d->by_priority[p]);
	}
	printf("Triggered rules by rule name:\n");
	for (uint32_t i = 0; i < hr_ruleset_count(d->engine.rs); i++)
		if (d->by_rule[i])
			printf("   %s: %llu\n", hr_ruleset_rule(d->engine.rs, i)->name, (unsigned long long)d->by_rule[i]);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int hr_detector_run(struct hr_detector *d, struct hr_source *src, const char *src_name, double max_seconds,
		    bool verbose)
{
	double start = now_s();
	static struct hr_record rec;
	int rc = 0;
	for (bool done = false; !done && !d->exit_requested;) {
		switch (hr_source_next(src, &rec)) {
		case HR_REC_END:
			done = true;
			break;
		case HR_REC_ERROR:
			fflush(stdout);
			fprintf(stderr, "Error: %s: %s\n", src_name, hr_source_error(src));
			rc = 1;
			done = true;
			break;
		case HR_REC_EVENT:
			on_event(d, &rec.event);
			if (!d->live && max_seconds > 0 && (d->captured & 1023) == 0 && now_s() - start >= max_seconds)
				done = true;
			break;
		default:
			hr_state_apply_record(d->state, &rec);
			break;
		}
	}
	/* the end does not wait for metadata */
	release_held(d, false);
	hr_alert_channels_flush(&d->channels);
	double elapsed = now_s() - start;
	if (verbose) {
		if (d->live) {
			struct hr_live_stats st;
			hr_live_stats(src, &st);
			fprintf(stderr, "Driver Events:%llu\nDriver Drops:%llu\n",
				(unsigned long long)(st.events + st.drops_full + st.drops_read),
				(unsigned long long)(st.drops_full + st.drops_read));
		}
		fprintf(stderr, "Elapsed time: %.3f, Captured Events: %llu, %.2f eps\n", elapsed,
			(unsigned long long)d->captured, elapsed > 0 ? (double)d->captured / elapsed : 0.0);
	}
	print_summary(d);
	if (d->monitor_drops) {
		fprintf(stderr, "Syscall event drop monitoring:\n");
		fprintf(stderr, "   - event drop detected: %llu occurrences\n", (unsigned long long)d->drops.detections);
		fprintf(stderr, "   - num times actions taken: %llu\n", (unsigned long long)d->drops.actions_taken);
	}
	return d->exit_requested ? 1 : rc;
}

void hr_detector_idle(void *detector)
{
	struct hr_detector *d = detector;
	check_hold(d);
	hr_alert_channels_flush(&d->channels);
}

void hr_detector_free(struct hr_detector *d)
{
	hr_alert_channels_close(&d->channels);
	free(d->by_rule);
	hr_state_free(d->state);
	/* after the state: the runtime serves it until then */
	hr_container_runtime_stop(d->runtime);
	hr_event_merge_free(d->merge);
	hr_alert_formats_free(&d->formats);
	hr_sb_free(&d->out);
	hr_rule_engine_free(&d->engine);
	hr_hold_free(&d->hold);
}
