/*
 * sysdig 0.29.3's text transformations of raw parameter bytes: the path
 * clean-up it applies when joining a relative path to a directory, and its
 * byte buffer renderings (printable with dots, ASCII lines, hex rows,
 * base64).
 */
#include "format/param_text.h"

/* Steps back over the last path component, as sysdig does for "..". A
 * path not starting with '/' (a relative cwd) can lose its first character
 * too, as in sysdig. */
static void rewind_to_parent(struct hr_strbuf *out, size_t base)
{
	if (out->len <= base + 1)
		return;
	out->len--;
	while (out->len >= base + 1 && out->p[out->len - 1] != '/')
		out->len--;
}

/*
 * sysdig's path clean-up while joining: unprintable characters become '.',
 * "./" and a final "." vanish, "../" and a final ".." go up one level (a
 * ".." followed by anything else is kept), doubled '/' collapse, and a
 * trailing '/' is dropped. `base` is where the joined path starts in out.
 */
void hr_append_clean_path(struct hr_strbuf *out, size_t base, const uint8_t *p, size_t len)
{
	size_t i = 0;
#define AT(k) (i + (k) < len ? p[i + (k)] : 0)
	while (AT(0)) {
		uint8_t c = AT(0);
		if (!hr_is_printable(c)) {
			hr_sb_putc(out, '.');
			i++;
		} else if (c == '.' && AT(1) == '.' && AT(2) == '/') {
			rewind_to_parent(out, base);
			i += 3;
		} else if (c == '.' && AT(1) == '.') {
			if (AT(2) == 0) {
				rewind_to_parent(out, base);
				i += 2;
			} else {
				hr_sb_append(out, "..", 2);
				i += 2;
			}
		} else if (c == '.' && AT(1) == '/') {
			i += 2;
		} else if (c == '.') {
			if (AT(1) != 0)
				hr_sb_putc(out, '.');
			i++;
		} else if (c == '/') {
			if (!(out->len > base && out->p[out->len - 1] == '/'))
				hr_sb_putc(out, '/');
			i++;
		} else {
			hr_sb_putc(out, (char)c);
			i++;
		}
	}
#undef AT
	if (out->len > base + 1 && out->p[out->len - 1] == '/')
		out->len--;
	out->p[out->len] = 0;
}

void hr_append_dots(struct hr_strbuf *out, const uint8_t *p, uint32_t len)
{
	hr_sb_grow(out, len + 1);
	for (uint32_t i = 0; i < len; i++)
		out->p[out->len++] = hr_is_printable(p[i]) ? (char)p[i] : '.';
	out->p[out->len] = 0;
}

/* -A: printable characters and line breaks only (CR becomes LF, CR LF one LF). */
void hr_append_ascii_lines(struct hr_strbuf *out, const uint8_t *p, uint32_t len)
{
	hr_sb_putc(out, '\n');
	for (uint32_t i = 0; i < len; i++) {
		if (hr_is_printable(p[i]))
			hr_sb_putc(out, (char)p[i]);
		else if (p[i] == '\r')
			hr_sb_putc(out, '\n');
		else if (p[i] == '\n' && i > 0 && p[i - 1] != '\r')
			hr_sb_putc(out, '\n');
	}
}

/* -x / -X: rows of 8 big-endian 16-bit groups, optionally with the ASCII column. */
void hr_append_hex_rows(struct hr_strbuf *out, const uint8_t *p, uint32_t len, bool ascii)
{
	for (uint32_t row = 0; row < len; row += 16) {
		hr_sb_printf(out, "\n\t0x%.4x:", row);
		unsigned groups = 0;
		for (uint32_t k = row; k < len && groups < 8; k += 2, groups++) {
			if (k == len - 1)
				hr_sb_printf(out, " %.2x", p[k]);
			else
				hr_sb_printf(out, " %.4x", (unsigned)(p[k] << 8 | p[k + 1]));
		}
		if (ascii) {
			for (; groups < 8; groups++)
				hr_sb_puts(out, "     ");
			hr_sb_puts(out, "  ");
			for (uint32_t k = row; k < row + 16 && k < len; k++)
				hr_sb_putc(out, hr_is_printable(p[k]) ? (char)p[k] : '.');
		}
	}
	hr_sb_putc(out, '\n');
}

void hr_append_base64(struct hr_strbuf *out, const uint8_t *p, uint32_t len)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (uint32_t i = 0; i < len; i += 3) {
		uint32_t n = (uint32_t)p[i] << 16;
		if (i + 1 < len)
			n |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			n |= p[i + 2];
		char q[4] = {digits[(n >> 18) & 63], digits[(n >> 12) & 63],
			     i + 1 < len ? digits[(n >> 6) & 63] : '=', i + 2 < len ? digits[n & 63] : '='};
		hr_sb_append(out, q, 4);
	}
}

