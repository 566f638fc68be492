/* Rules YAML (see rules_yaml.h): libyaml's loader over all documents. */
#include "rules/rules_yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool hr_yaml_load(const char *text, size_t len, struct hr_yaml_file *out)
{
	memset(out, 0, sizeof *out);
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p)) {
		snprintf(out->err, sizeof out->err, "cannot initialize the YAML parser");
		return false;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	size_t cap = 0;
	for (;;) {
		yaml_document_t doc;
		if (!yaml_parser_load(&p, &doc)) {
			snprintf(out->err, sizeof out->err, "%s%s%s", p.problem ? p.problem : "invalid YAML",
				 p.context ? " " : "", p.context ? p.context : "");
			out->err_line = p.problem_mark.line;
			out->err_column = p.problem_mark.column;
			out->err_offset = p.problem_mark.index;
			yaml_parser_delete(&p);
			return false;
		}
		if (!yaml_document_get_root_node(&doc)) { /* end of the stream */
			yaml_document_delete(&doc);
			break;
		}
		if (out->ndocs == cap) {
			cap = cap ? cap * 2 : 4;
			yaml_document_t *d = realloc(out->docs, cap * sizeof *d);
			if (!d)
				abort();
			out->docs = d;
		}
		out->docs[out->ndocs++] = doc;
	}
	yaml_parser_delete(&p);
	return true;
}

void hr_yaml_free(struct hr_yaml_file *f)
{
	for (size_t i = 0; i < f->ndocs; i++)
		yaml_document_delete(&f->docs[i]);
	free(f->docs);
	memset(f, 0, sizeof *f);
}

const char *hr_yaml_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

bool hr_yaml_is_null(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = (const char *)n->data.scalar.value;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

yaml_node_t *hr_yaml_get(yaml_document_t *d, const yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const char *k = hr_yaml_scalar(yaml_document_get_node(d, p->key));
		if (k && !strcmp(k, key))
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

bool hr_yaml_bool(const yaml_node_t *n, bool *out)
{
	static const char *const yes[] = {"true", "yes", "on", "y"}, *const no[] = {"false", "no", "off", "n"};
	const char *s = hr_yaml_scalar(n);
	if (!s)
		return false;
	for (unsigned i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return true;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}
