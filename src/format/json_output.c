/* JSON string escaping as jsoncpp 1.9's writers do it (see json_output.h). */
#include "format/json_output.h"

#include <stdint.h>

static void append_u_escape(struct hr_strbuf *out, unsigned unit)
{
	static const char hex[] = "0123456789abcdef";
	char b[6] = {'\\', 'u', hex[(unit >> 12) & 15], hex[(unit >> 8) & 15], hex[(unit >> 4) & 15],
		     hex[unit & 15]};
	hr_sb_append(out, b, sizeof b);
}

/* jsoncpp's lenient UTF-8 decoder: continuation bytes are not checked,
 * overlong forms, surrogates and truncated sequences become U+FFFD. It
 * advances *p past the bytes it consumed. */
static unsigned decode_utf8(const unsigned char **p, const unsigned char *end)
{
	const unsigned replacement = 0xFFFD;
	const unsigned char *s = *p;
	unsigned first = s[0];
	unsigned cp;
	if (first < 0x80)
		return first;
	if (first < 0xE0) {
		if (end - s < 2)
			return replacement;
		cp = ((first & 0x1F) << 6) | (s[1] & 0x3F);
		*p = s + 1;
		return cp < 0x80 ? replacement : cp;
	}
	if (first < 0xF0) {
		if (end - s < 3)
			return replacement;
		cp = ((first & 0x0F) << 12) | ((unsigned)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		*p = s + 2;
		if (cp >= 0xD800 && cp <= 0xDFFF)
			return replacement;
		return cp < 0x800 ? replacement : cp;
	}
	if (first < 0xF8) {
		if (end - s < 4)
			return replacement;
		cp = ((first & 0x07) << 18) | ((unsigned)(s[1] & 0x3F) << 12) | ((unsigned)(s[2] & 0x3F) << 6) |
		     (s[3] & 0x3F);
		*p = s + 3;
		return cp < 0x10000 ? replacement : cp;
	}
	return replacement;
}

void hr_json_append_string(struct hr_strbuf *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	const unsigned char *end = s + strlen(str);
	hr_sb_putc(out, '"');
	for (const unsigned char *c = s; c < end; c++) {
		switch (*c) {
		case '"': hr_sb_append(out, "\\\"", 2); break;
		case '\\': hr_sb_append(out, "\\\\", 2); break;
		case '\b': hr_sb_append(out, "\\b", 2); break;
		case '\f': hr_sb_append(out, "\\f", 2); break;
		case '\n': hr_sb_append(out, "\\n", 2); break;
		case '\r': hr_sb_append(out, "\\r", 2); break;
		case '\t': hr_sb_append(out, "\\t", 2); break;
		default: {
			unsigned cp = decode_utf8(&c, end);
			if (cp < 0x20) {
				append_u_escape(out, cp);
			} else if (cp < 0x80) {
				hr_sb_putc(out, (char)cp);
			} else if (cp < 0x10000) {
				append_u_escape(out, cp);
			} else {
				cp -= 0x10000;
				append_u_escape(out, 0xD800 + ((cp >> 10) & 0x3FF));
				append_u_escape(out, 0xDC00 + (cp & 0x3FF));
			}
		}
		}
	}
	hr_sb_putc(out, '"');
}
