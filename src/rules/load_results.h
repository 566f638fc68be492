/*
 * Falco's rules load results: for every rules file loaded, whether it
 * loaded, and its errors and warnings, each with Falco's code, message and
 * the chain of locations (file, item, sub-item, condition) it refers to.
 * Printed as Falco's human text or as its `falco_load_results` JSON.
 */
#ifndef HR_LOAD_RESULTS_H
#define HR_LOAD_RESULTS_H

#include <stdbool.h>
#include <stdint.h>

#include "format/strbuf.h"

enum hr_load_error {
	LOAD_ERR_FILE_READ,
	LOAD_ERR_YAML_PARSE,
	LOAD_ERR_YAML_VALIDATE,
	LOAD_ERR_COMPILE_CONDITION,
	LOAD_ERR_COMPILE_OUTPUT,
	LOAD_ERR_VALIDATE,
	LOAD_ERR_EXTENSION,
};

enum hr_load_warning {
	LOAD_UNKNOWN_SOURCE,
	LOAD_UNSAFE_NA_CHECK,
	LOAD_NO_EVTTYPE,
	LOAD_UNKNOWN_FILTER,
	LOAD_UNUSED_MACRO,
	LOAD_UNUSED_LIST,
	LOAD_UNKNOWN_ITEM,
	LOAD_DEPRECATED_ITEM,
	LOAD_WARNING_EXTENSION,
	LOAD_APPEND_NO_VALUES,
	LOAD_EXCEPTION_NAME_NOT_UNIQUE,
	LOAD_INVALID_MACRO_NAME,
	LOAD_INVALID_LIST_NAME,
	LOAD_COMPILE_CONDITION,
	LOAD_UNKNOWN_KEY,
};

/* Item types as Falco names them in locations. */
#define HR_IT_VALUE_FOR "value for"
#define HR_IT_EXCEPTIONS "exceptions"
#define HR_IT_EXCEPTION "exception"
#define HR_IT_EXCEPTION_VALUES "exception values"
#define HR_IT_EXCEPTION_VALUE "exception value"
#define HR_IT_RULES_CONTENT "rules content"
#define HR_IT_RULES_CONTENT_ITEM "rules content item"
#define HR_IT_ENGINE_VERSION "required_engine_version"
#define HR_IT_PLUGIN_VERSIONS "required plugin versions"
#define HR_IT_LIST "list"
#define HR_IT_LIST_ITEM "list item"
#define HR_IT_MACRO "macro"
#define HR_IT_MACRO_CONDITION "macro condition"
#define HR_IT_RULE "rule"
#define HR_IT_RULE_CONDITION "rule condition"
#define HR_IT_CONDITION_EXPRESSION "condition expression"
#define HR_IT_RULE_OUTPUT "rule output"
#define HR_IT_RULE_PRIORITY "rule priority"
#define HR_IT_OVERRIDES "overrides"

/* One place in the rules content. Strings are not owned (they live in the
 * loader's arena or are literals). Line/column/offset count from 0. */
struct hr_load_loc {
	const char *name;      /* the file, or a quoted condition excerpt */
	const char *item_type;
	const char *item_name;
	uint32_t line, column, offset;
};

#define HR_LOAD_CTX_MAX 8

/* The locations from the outermost (the file) to the innermost. For a
 * place inside a condition, `content` is the condition's text and
 * `content_pos` the place in it (the snippet shows that text); otherwise
 * snippets come from the file at the innermost offset. */
struct hr_load_ctx {
	struct hr_load_loc loc[HR_LOAD_CTX_MAX];
	uint8_t n;
	const char *content;
	uint32_t content_pos;
};

/* A context one level inside `parent`. */
struct hr_load_ctx hr_load_ctx_child(const struct hr_load_ctx *parent, const char *item_type, const char *item_name,
				     uint32_t line, uint32_t column, uint32_t offset);

struct hr_load_msg {
	int code;      /* enum hr_load_error or enum hr_load_warning */
	char *msg;
	struct hr_load_ctx ctx;
};

struct hr_load_result {
	char *name;            /* the file */
	const char *content;   /* the file's text, for snippets (not owned) */
	size_t content_len;    /* its length, taken once (many messages cite it) */
	bool successful;
	struct hr_load_msg *errors, *warnings;
	uint32_t nerrors, nwarnings, cap_errors, cap_warnings;
};

void hr_load_result_init(struct hr_load_result *r, const char *name, const char *content);
void hr_load_result_free(struct hr_load_result *r);
void hr_load_error(struct hr_load_result *r, enum hr_load_error code, const char *msg, const struct hr_load_ctx *ctx);
void hr_load_warning(struct hr_load_result *r, enum hr_load_warning code, const char *msg,
		     const struct hr_load_ctx *ctx);

const char *hr_load_error_code(enum hr_load_error code);
const char *hr_load_warning_code(enum hr_load_warning code);

/* Falco's summary ("FILE: Ok, with warnings" and the codes) or, verbose,
 * every message with its locations and a snippet. */
void hr_load_result_text(const struct hr_load_result *r, bool verbose, struct hr_strbuf *out);
/* One element of `falco_load_results`. */
void hr_load_result_json(const struct hr_load_result *r, struct hr_strbuf *out);

#endif
