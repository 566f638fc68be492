/*
 * The names sinsp gives fds: socket tuples and endpoints, socket
 * parameters printed in its simple form, and paths joined and cleaned the
 * way its concatenate_paths does.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "format/event_args.h"
#include "state/state_internal.h"

static void set_text(struct hr_bytes *out, const char *text)
{
	hr_bytes_set(out, text, (uint32_t)strlen(text));
}

void hr_name_ipv4_endpoint(struct hr_bytes *out, const uint8_t ip[4], uint16_t port)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%u.%u.%u.%u:%u", ip[0], ip[1], ip[2], ip[3], port);
	set_text(out, buf);
}

void hr_name_ipv4_tuple(struct hr_bytes *out, const uint8_t sip[4], uint16_t sport, const uint8_t dip[4], uint16_t dport)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%u.%u.%u.%u:%u->%u.%u.%u.%u:%u", sip[0], sip[1], sip[2], sip[3], sport,
		 dip[0], dip[1], dip[2], dip[3], dport);
	set_text(out, buf);
}

void hr_name_ipv6_endpoint(struct hr_bytes *out, const uint8_t ip[16], uint16_t port)
{
	char addr[INET6_ADDRSTRLEN];
	char buf[INET6_ADDRSTRLEN + 8];
	if (!inet_ntop(AF_INET6, ip, addr, sizeof(addr))) {
		set_text(out, "");
		return;
	}
	snprintf(buf, sizeof(buf), "%s:%u", addr, port);
	set_text(out, buf);
}

void hr_name_ipv6_tuple(struct hr_bytes *out, const uint8_t sip[16], uint16_t sport, const uint8_t dip[16], uint16_t dport)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	char buf[2 * INET6_ADDRSTRLEN + 20];
	if (!inet_ntop(AF_INET6, sip, a, sizeof(a)) || !inet_ntop(AF_INET6, dip, b, sizeof(b))) {
		set_text(out, "");
		return;
	}
	snprintf(buf, sizeof(buf), "%s:%u->%s:%u", a, sport, b, dport);
	set_text(out, buf);
}

bool hr_is_ipv4_mapped(const uint8_t a[16])
{
	for (int i = 0; i < 10; i++)
		if (a[i])
			return false;
	if (a[10] == 0xff && a[11] == 0xff)
		return true;
	return a[10] == 0 && a[11] == 0 && a[12] == 0 && a[13] == 0 && a[14] == 0 && a[15] == 0;
}

static void name_ip_pair(struct hr_bytes *out, const uint8_t *s4, const uint8_t *d4)
{
	char buf[40];
	snprintf(buf, sizeof(buf), "%u.%u.%u.%u->%u.%u.%u.%u", s4[0], s4[1], s4[2], s4[3], d4[0], d4[1], d4[2], d4[3]);
	set_text(out, buf);
}

void hr_name_socket(struct hr_bytes *out, const struct hr_fd *fd)
{
	bool tcp_or_udp = fd->l4proto == HR_L4_TCP || fd->l4proto == HR_L4_UDP;
	if (fd->type == HR_FD_IPV4_SOCK) {
		if (tcp_or_udp)
			hr_name_ipv4_tuple(out, fd->sip, fd->sport, fd->dip, fd->dport);
		else if (fd->l4proto == HR_L4_ICMP || fd->l4proto == HR_L4_RAW)
			name_ip_pair(out, fd->sip, fd->dip);
		else
			set_text(out, "<unknown>");
	} else if (fd->type == HR_FD_IPV6_SOCK) {
		bool mapped = hr_is_ipv4_mapped(fd->sip) && hr_is_ipv4_mapped(fd->dip);
		if (tcp_or_udp) {
			if (mapped)
				hr_name_ipv4_tuple(out, fd->sip + 12, fd->sport, fd->dip + 12, fd->dport);
			else
				hr_name_ipv6_tuple(out, fd->sip, fd->sport, fd->dip, fd->dport);
		} else if (fd->l4proto == HR_L4_ICMP) {
			if (mapped) {
				name_ip_pair(out, fd->sip + 12, fd->dip + 12);
			} else {
				char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], buf[2 * INET6_ADDRSTRLEN + 4];
				if (inet_ntop(AF_INET6, fd->sip, a, sizeof(a)) && inet_ntop(AF_INET6, fd->dip, b, sizeof(b))) {
					snprintf(buf, sizeof(buf), "%s->%s", a, b);
					set_text(out, buf);
				}
			}
		} else {
			set_text(out, "<unknown>");
		}
	}
}

/* Socket parameters are named with the very text evt.args shows for them
 * (sinsp renders them the same way, into the same length-limited buffer). */
void hr_name_sockaddr_param(struct hr_bytes *out, const uint8_t *p, uint32_t len)
{
	static struct hr_strbuf text;
	hr_sb_reset(&text);
	hr_format_sockaddr(&text, p, len);
	hr_bytes_set(out, hr_sb_str(&text), (uint32_t)text.len);
}

void hr_name_socktuple_param(struct hr_bytes *out, const uint8_t *p, uint32_t len)
{
	static struct hr_strbuf text;
	hr_sb_reset(&text);
	hr_format_socktuple(&text, p, len);
	hr_bytes_set(out, hr_sb_str(&text), (uint32_t)text.len);
}

/* Moves the write position back to just after the previous '/', as sinsp
 * does for "..". */
static void rewind_to_parent(char *base, char **tc, const char **pc, uint32_t delta)
{
	if (*tc <= base + 1) {
		*pc += delta;
		return;
	}
	(*tc)--;
	while (*tc >= base + 1 && (*tc)[-1] != '/')
		(*tc)--;
	*pc += delta;
}

static bool path_char_invalid(char c)
{
	unsigned char u = (unsigned char)c;
	return u < 0x20 || u > 0x7e;
}

static void copy_and_sanitize(char *target, char *base, const char *path)
{
	char *tc = target;
	const char *pc = path;
	for (;;) {
		if (*pc == 0) {
			*tc = 0;
			if (tc > base + 1 && tc[-1] == '/')
				tc[-1] = 0;
			return;
		}
		if (path_char_invalid(*pc)) {
			*tc++ = '.';
			pc++;
		} else if (pc[0] == '.' && pc[1] == '.' && pc[2] == '/') {
			rewind_to_parent(base, &tc, &pc, 3);
		} else if (pc[0] == '.' && pc[1] == '.') {
			if (pc[2] == 0) {
				rewind_to_parent(base, &tc, &pc, 2);
			} else {
				*tc++ = '.';
				*tc++ = '.';
				pc += 2;
			}
		} else if (pc[0] == '.' && pc[1] == '/') {
			pc += 2;
		} else if (pc[0] == '.') {
			if (pc[1] == 0)
				pc++;
			else
				*tc++ = *pc++;
		} else if (*pc == '/') {
			if (tc > base && tc[-1] == '/')
				pc++;
			else
				*tc++ = *pc++;
		} else {
			*tc++ = *pc++;
		}
	}
}

/* Falco 0.44's libs (copy_and_normalize_path): every byte is kept; a dot
 * is special only where a component starts; after ".." has climbed back
 * to the start of a relative base, a '/' is dropped; the copy stops at
 * `end`. */
static void copy_and_normalize(char *target, char *base, const char *end, const char *path)
{
	char *tc = target;
	const char *pc = path;
	bool empty_base = target == base;
	for (;;) {
		if (*pc == 0) {
			*tc = 0;
			if (tc > base + 1 && tc[-1] == '/')
				tc[-1] = 0;
			return;
		}
		if (pc[0] == '.' && (tc == base || tc[-1] == '/')) {
			if (pc[1] == '.' && pc[2] == '/') {
				rewind_to_parent(base, &tc, &pc, 3);
				continue;
			}
			if (pc[1] == '.' && pc[2] == 0) {
				rewind_to_parent(base, &tc, &pc, 2);
				continue;
			}
			if (pc[1] == '/' || pc[1] == 0) {
				pc += pc[1] == '/' ? 2 : 1;
				continue;
			}
		} else if (pc[0] == '/' && ((tc > base && tc[-1] == '/') || (tc == base && !empty_base))) {
			pc++;
			continue;
		}
		if (tc + 1 >= end) {
			*tc = 0;
			return;
		}
		*tc++ = *pc++;
	}
}

void hr_concatenate_paths(char *out, const char *dir, uint32_t dir_len, const char *path, uint32_t path_len,
			  bool newest)
{
	if (HR_MAX_PATH < (uint64_t)dir_len + path_len + 1) {
		strcpy(out, newest ? "/DIR_TOO_LONG/FILENAME_TOO_LONG" : "/PATH_TOO_LONG");
		return;
	}
	char tail[HR_MAX_PATH];
	memcpy(tail, path, path_len);
	tail[path_len] = 0;
	char *start = out;
	if (path_len != 0 && tail[0] != '/') {
		memcpy(out, dir, dir_len);
		start = out + dir_len;
	}
	*start = 0;
	if (newest)
		copy_and_normalize(start, out, out + HR_MAX_PATH, tail);
	else
		copy_and_sanitize(start, out, tail);
}
