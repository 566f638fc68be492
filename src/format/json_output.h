/*
 * JSON text exactly as sysdig 0.29.3's JSON writer (jsoncpp 1.9 FastWriter)
 * produces it: string escaping, numbers, and nothing else.
 */
#ifndef HR_JSON_OUTPUT_H
#define HR_JSON_OUTPUT_H

#include <stddef.h>

#include "format/strbuf.h"

/* Appends the C string `s` as a quoted JSON string. Bytes above 0x7f are
 * decoded as UTF-8 and written as \uXXXX escapes, as jsoncpp does. */
void hr_json_append_string(struct hr_strbuf *out, const char *s);

#endif
