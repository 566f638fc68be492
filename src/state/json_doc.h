/*
 * A small JSON document reader for the container runtime's answers and for
 * container records in captures: the text parsed once into a tree of nodes,
 * then members looked up by name. Strings are decoded (escapes, \u as
 * UTF-8); numbers keep their text. Not for hot paths: one allocation per node.
 */
#ifndef HR_JSON_DOC_H
#define HR_JSON_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum hr_json_kind { HR_JSON_NULL, HR_JSON_BOOL, HR_JSON_NUMBER, HR_JSON_STRING, HR_JSON_ARRAY, HR_JSON_OBJECT };

struct hr_json {
	uint8_t kind;          /* enum hr_json_kind */
	bool boolean;
	char *key;             /* member name inside an object, else NULL */
	char *text;            /* strings (decoded) and numbers (as written) */
	size_t text_len;
	struct hr_json *child; /* first element or member */
	struct hr_json *next;  /* next sibling */
};

/* The tree of `text`, or NULL when it is not one complete JSON value. */
struct hr_json *hr_json_parse(const char *text, size_t len);
void hr_json_free(struct hr_json *doc);

/* Member `name` of an object; NULL when absent or `obj` is not an object. */
const struct hr_json *hr_json_member(const struct hr_json *obj, const char *name);
/* Follows members: hr_json_path(doc, "HostConfig", "Privileged", NULL). */
const struct hr_json *hr_json_path(const struct hr_json *obj, ...);
/* A string's text, or NULL for any other kind (and for NULL). */
const char *hr_json_string(const struct hr_json *v);
bool hr_json_bool(const struct hr_json *v, bool dflt);
int64_t hr_json_int(const struct hr_json *v, int64_t dflt);

#endif
