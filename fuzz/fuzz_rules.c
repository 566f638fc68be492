/*
 * libFuzzer target of the rules loader: any bytes as a rules file (YAML,
 * items, conditions, exceptions, outputs), loaded twice on top of each
 * other as -V does with two files, with both load results rendered as
 * text and JSON. Run by tests/test_rules_fuzz.py.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules/load_results.h"
#include "rules/rules_loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	struct hr_ruleset *rs = hr_ruleset_new();
	for (int pass = 0; pass < 2; pass++) {
		struct hr_load_result res;
		hr_ruleset_load(rs, "fuzz.yaml", text, &res);
		struct hr_strbuf out = {0};
		hr_load_result_text(&res, true, &out);
		hr_load_result_json(&res, &out);
		hr_sb_free(&out);
		hr_load_result_free(&res);
	}
	hr_ruleset_free(rs);
	free(text);
	return 0;
}
