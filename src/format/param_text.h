/*
 * sysdig 0.29.3's text transformations of raw parameter bytes (see
 * param_text.c). All of them append to `out`.
 */
#ifndef HR_PARAM_TEXT_H
#define HR_PARAM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/strbuf.h"

/* sysdig's notion of a character worth keeping in names and paths
 * (isprint in the C locale). */
static inline bool hr_is_printable(uint8_t c) { return c >= 0x20 && c < 0x7f; }

/*
 * Appends relative path `p` (`len` bytes, or up to a NUL) cleaned up as
 * sysdig does while joining it to the directory already in out from offset
 * `base` on.
 */
void hr_append_clean_path(struct hr_strbuf *out, size_t base, const uint8_t *p, size_t len);

/* Printable bytes as they are, others as '.' (the default and -j). */
void hr_append_dots(struct hr_strbuf *out, const uint8_t *p, uint32_t len);
/* -A: a line break, then printable characters and line breaks only. */
void hr_append_ascii_lines(struct hr_strbuf *out, const uint8_t *p, uint32_t len);
/* -x / -X: rows of 16 bytes in hex, with the ASCII column for -X. */
void hr_append_hex_rows(struct hr_strbuf *out, const uint8_t *p, uint32_t len, bool ascii);
/* -b */
void hr_append_base64(struct hr_strbuf *out, const uint8_t *p, uint32_t len);

#endif
