/*
 * Rules files as YAML documents (libyaml's node graph), with the helpers
 * the loader needs: mapping lookup, null and scalar tests, YAML 1.1 booleans,
 * and the position of every node.
 */
#ifndef HR_RULES_YAML_H
#define HR_RULES_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

struct hr_yaml_file {
	yaml_document_t *docs;
	size_t ndocs;
	/* on a parse error: libyaml's reason and where */
	char err[256];
	size_t err_line, err_column, err_offset;
};

/* Parses every document of `text`. False with `err` set on a YAML error. */
bool hr_yaml_load(const char *text, size_t len, struct hr_yaml_file *out);
void hr_yaml_free(struct hr_yaml_file *f);

/* The value under `key` in a mapping node, or NULL (also when `map` is not
 * a mapping). */
yaml_node_t *hr_yaml_get(yaml_document_t *d, const yaml_node_t *map, const char *key);
/* A YAML null: an empty/`~`/`null` plain scalar. */
bool hr_yaml_is_null(const yaml_node_t *n);
/* The text of a scalar node (NULL for other nodes). */
const char *hr_yaml_scalar(const yaml_node_t *n);
/* A YAML 1.1 boolean scalar (true/false, yes/no, on/off, y/n, any case). */
bool hr_yaml_bool(const yaml_node_t *n, bool *out);

#endif
