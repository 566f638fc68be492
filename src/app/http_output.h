/*
 * Falco's http_output: every alert POSTed to http_output.url (the JSON
 * alert with json_output, else the text line) by a worker thread, so a slow
 * or dead sink never holds up event processing. Alerts wait in a bounded
 * queue (outputs_queue.capacity); those that do not fit are counted and
 * reported, failed posts are logged with the URL and libcurl's reason, and
 * closing delivers what is queued within output_timeout, then reports what
 * was lost.
 */
#ifndef HR_APP_HTTP_OUTPUT_H
#define HR_APP_HTTP_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "app/config.h"

/* Queue bound when outputs_queue.capacity is 0 or unset (Falco's queue is
 * then unbounded; a sink that never answers would grow it without end). */
#define HR_HTTP_DEFAULT_QUEUE_CAPACITY 65536

struct hr_http_output;

/* The http output of configuration `c`: NULL when http_output is disabled,
 * and NULL (logged, the detector goes on, as Falco) when libcurl cannot be
 * loaded or refuses an option. The configuration must outlive the output. */
struct hr_http_output *hr_http_output_open(const struct hr_config *c);

/* Queues one alert, `msg` of `len` bytes without its newline. Never
 * blocks on the sink. */
void hr_http_output_post(struct hr_http_output *h, const char *msg, size_t len);

/* Sends what is still queued, giving up after output_timeout; reports the
 * alerts that did not reach the sink, then frees `h` (NULL is fine). */
void hr_http_output_close(struct hr_http_output *h);

#endif
