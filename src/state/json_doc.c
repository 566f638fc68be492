/*
 * The JSON document reader (json_doc.h): a recursive-descent parser with a
 * depth limit, building one node per value.
 */
#include "state/json_doc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Deeper documents are refused: the runtime's answers nest a few levels. */
#define MAX_DEPTH 64

struct parser {
	const char *p, *end;
};

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static bool eat(struct parser *ps, char c)
{
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == c) {
		ps->p++;
		return true;
	}
	return false;
}

static bool eat_word(struct parser *ps, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, w, n) != 0)
		return false;
	ps->p += n;
	return true;
}

static struct hr_json *new_node(uint8_t kind)
{
	struct hr_json *n = calloc(1, sizeof(*n));
	if (!n)
		abort();
	n->kind = kind;
	return n;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool read_hex4(struct parser *ps, uint32_t *out)
{
	if (ps->end - ps->p < 4)
		return false;
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		int d = hex_digit(*ps->p++);
		if (d < 0)
			return false;
		v = v * 16 + (uint32_t)d;
	}
	*out = v;
	return true;
}

static size_t put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A string after its opening quote, decoded into a new buffer. The decoded
 * text is never longer than the encoded one. */
static char *read_string(struct parser *ps, size_t *len_out)
{
	char *buf = malloc((size_t)(ps->end - ps->p) + 1);
	if (!buf)
		abort();
	size_t n = 0;
	while (ps->p < ps->end) {
		char c = *ps->p++;
		if (c == '"') {
			buf[n] = 0;
			*len_out = n;
			return buf;
		}
		if ((unsigned char)c < 0x20)
			break;
		if (c != '\\') {
			buf[n++] = c;
			continue;
		}
		if (ps->p >= ps->end)
			break;
		char esc = *ps->p++;
		switch (esc) {
		case '"': case '\\': case '/': buf[n++] = esc; continue;
		case 'b': buf[n++] = '\b'; continue;
		case 'f': buf[n++] = '\f'; continue;
		case 'n': buf[n++] = '\n'; continue;
		case 'r': buf[n++] = '\r'; continue;
		case 't': buf[n++] = '\t'; continue;
		case 'u': break;
		default: goto fail;
		}
		uint32_t cp;
		if (!read_hex4(ps, &cp))
			break;
		/* A surrogate pair (\ud83d\ude00) is one code point; its 12
		 * escaped bytes become at most 4. A lone surrogate becomes U+FFFD. */
		if (cp >= 0xd800 && cp < 0xdc00 && ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u') {
			struct parser look = {ps->p + 2, ps->end};
			uint32_t lo;
			if (read_hex4(&look, &lo) && lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				ps->p = look.p;
			}
		}
		if (cp >= 0xd800 && cp < 0xe000)
			cp = 0xfffd;
		n += put_utf8(buf + n, cp);
	}
fail:
	free(buf);
	return NULL;
}

static struct hr_json *parse_value(struct parser *ps, int depth);

static bool parse_members(struct parser *ps, struct hr_json *parent, bool object, int depth)
{
	char close = object ? '}' : ']';
	if (eat(ps, close))
		return true;
	struct hr_json **tail = &parent->child;
	do {
		char *key = NULL;
		size_t key_len;
		if (object) {
			if (!eat(ps, '"') || !(key = read_string(ps, &key_len)))
				return false;
			if (!eat(ps, ':')) {
				free(key);
				return false;
			}
		}
		struct hr_json *v = parse_value(ps, depth + 1);
		if (!v) {
			free(key);
			return false;
		}
		v->key = key;
		*tail = v;
		tail = &v->next;
	} while (eat(ps, ','));
	return eat(ps, close);
}

static struct hr_json *parse_number(struct parser *ps)
{
	const char *start = ps->p;
	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	while (ps->p < ps->end && strchr("0123456789.eE+-", *ps->p))
		ps->p++;
	if (ps->p == start || (ps->p == start + 1 && *start == '-'))
		return NULL;
	struct hr_json *n = new_node(HR_JSON_NUMBER);
	n->text_len = (size_t)(ps->p - start);
	n->text = malloc(n->text_len + 1);
	if (!n->text)
		abort();
	memcpy(n->text, start, n->text_len);
	n->text[n->text_len] = 0;
	return n;
}

static struct hr_json *parse_value(struct parser *ps, int depth)
{
	if (depth > MAX_DEPTH)
		return NULL;
	skip_ws(ps);
	if (ps->p >= ps->end)
		return NULL;
	char c = *ps->p;
	if (c == '{' || c == '[') {
		ps->p++;
		struct hr_json *n = new_node(c == '{' ? HR_JSON_OBJECT : HR_JSON_ARRAY);
		if (!parse_members(ps, n, c == '{', depth)) {
			hr_json_free(n);
			return NULL;
		}
		return n;
	}
	if (c == '"') {
		ps->p++;
		size_t len;
		char *s = read_string(ps, &len);
		if (!s)
			return NULL;
		struct hr_json *n = new_node(HR_JSON_STRING);
		n->text = s;
		n->text_len = len;
		return n;
	}
	bool is_true = eat_word(ps, "true");
	if (is_true || eat_word(ps, "false")) {
		struct hr_json *n = new_node(HR_JSON_BOOL);
		n->boolean = is_true;
		return n;
	}
	if (eat_word(ps, "null"))
		return new_node(HR_JSON_NULL);
	return parse_number(ps);
}

struct hr_json *hr_json_parse(const char *text, size_t len)
{
	struct parser ps = {text, text + len};
	struct hr_json *doc = parse_value(&ps, 0);
	skip_ws(&ps);
	/* A trailing NUL (a capture's string parameter) is not garbage. */
	while (ps.p < ps.end && *ps.p == 0)
		ps.p++;
	if (doc && ps.p != ps.end) {
		hr_json_free(doc);
		return NULL;
	}
	return doc;
}

void hr_json_free(struct hr_json *doc)
{
	while (doc) {
		struct hr_json *next = doc->next;
		hr_json_free(doc->child);
		free(doc->key);
		free(doc->text);
		free(doc);
		doc = next;
	}
}

const struct hr_json *hr_json_member(const struct hr_json *obj, const char *name)
{
	if (!obj || obj->kind != HR_JSON_OBJECT)
		return NULL;
	for (const struct hr_json *m = obj->child; m; m = m->next)
		if (strcmp(m->key, name) == 0)
			return m;
	return NULL;
}

const struct hr_json *hr_json_path(const struct hr_json *obj, ...)
{
	va_list ap;
	va_start(ap, obj);
	const char *name;
	while (obj && (name = va_arg(ap, const char *)) != NULL)
		obj = hr_json_member(obj, name);
	va_end(ap);
	return obj;
}

const char *hr_json_string(const struct hr_json *v)
{
	return v && v->kind == HR_JSON_STRING ? v->text : NULL;
}

bool hr_json_bool(const struct hr_json *v, bool dflt)
{
	return v && v->kind == HR_JSON_BOOL ? v->boolean : dflt;
}

int64_t hr_json_int(const struct hr_json *v, int64_t dflt)
{
	return v && v->kind == HR_JSON_NUMBER ? strtoll(v->text, NULL, 10) : dflt;
}
