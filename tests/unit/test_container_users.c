/*
 * Unit tests of containers' users (src/state/container_users.c,
 * user_table.c): passwd and group parsing with malformed lines and the
 * entry, line and size bounds, and reading a container root's files
 * (symlinks resolved inside the root, a FIFO never blocks).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state/container_users.h"

#define UNIT_SUITE "container_users"
#include "unit_check.h"

static const char *str(const struct hr_bytes *b)
{
	return b->p ? b->p : "";
}

static const char *user_name(const struct hr_user_table *t, uint32_t uid)
{
	const struct hr_user *u = hr_user_table_user(t, uid);
	return u ? str(&u->name) : "(none)";
}

static const char *group_name(const struct hr_user_table *t, uint32_t gid)
{
	const struct hr_group *g = hr_user_table_group(t, gid);
	return g ? str(&g->name) : "(none)";
}

static void test_passwd_lines(void)
{
	static const char text[] =
		"root:x:0:0:root:/root:/bin/bash\n"
		"# a comment:x:5:5::/:/\n"
		"\n"
		"   \t\n"
		"  indented:x:7:70:gecos:/home/in:/bin/sh\n"
		"colons:x:8:80:g:/home/c:/bin/sh:with:colons\n"
		"short:x:9:90\n"
		"toofew:x:10\n"
		":x:11:11::/:/\n"
		"badid:x:abc:12::/:/\n"
		"signed:x:-13:13::/:/\n"
		"spaced:x: 14:14::/:/\n"
		"trailing:x:15x:15::/:/\n"
		"huge:x:4294967296:16::/:/\n"
		"max:x:4294967295:17::/:/\n"
		"badgid:x:18:g::/:/\n"
		"+nis:x:19:19::/:/\n"
		"-minus:x:20:20::/:/\n"
		"+\n"
		"dup:x:21:21::/old:/\n"
		"dup2:x:21:22::/new:/bin/new\n"
		"nul:x:23:23::/\0:/\n"
		"last:x:24:24::/last:/bin/last";
	struct hr_user_table t = {0};
	uint32_t n = hr_passwd_parse(&t, text, sizeof(text) - 1, false);
	check_int("passwd entries taken", n, 8);
	check_int("passwd table size", t.nusers, 7);
	check_str("root", user_name(&t, 0), "root");
	check_str("indented line", user_name(&t, 7), "indented");
	const struct hr_user *u = hr_user_table_user(&t, 7);
	check_int("indented gid", u ? u->gid : 0, 70);
	check_str("indented home", u ? str(&u->homedir) : "", "/home/in");
	u = hr_user_table_user(&t, 8);
	check_str("shell keeps further colons", u ? str(&u->shell) : "", "/bin/sh:with:colons");
	u = hr_user_table_user(&t, 9);
	check_str("missing trailing fields are empty", u ? str(&u->homedir) : "(none)", "");
	check_str("fewer than four fields", user_name(&t, 10), "(none)");
	check_str("empty name", user_name(&t, 11), "(none)");
	check_str("uid 4294967295 fits", user_name(&t, 4294967295u), "max");
	check_str("gid not a number", user_name(&t, 18), "(none)");
	check_str("NSS + entry", user_name(&t, 19), "(none)");
	check_str("NSS - entry", user_name(&t, 20), "(none)");
	check_str("a later line replaces an id", user_name(&t, 21), "dup2");
	u = hr_user_table_user(&t, 21);
	check_str("replaced home", u ? str(&u->homedir) : "", "/new");
	check_str("line with a NUL byte", user_name(&t, 23), "(none)");
	check_str("last line without newline (whole file)", user_name(&t, 24), "last");
	for (uint32_t id = 12; id <= 16; id++)
		check(!hr_user_table_user(&t, id), "bad uid rejected", NULL);
	check(!hr_user_table_user(&t, 5), "comment skipped", NULL);
	hr_user_table_clear(&t);
	n = hr_passwd_parse(&t, text, sizeof(text) - 1, true);
	check_str("cut file: partial last line dropped", user_name(&t, 24), "(none)");
	check_int("cut file entries", n, 7);
	hr_user_table_free(&t);
}

static void test_group_lines(void)
{
	static const char text[] = "root:x:0:\n"
				   "wheel:x:10:root,alice\n"
				   "nomembers:x:11\n"
				   "two:x\n"
				   ":x:12:\n"
				   "bad:x:1a:\n"
				   "+:x:13:\n"
				   "# c:x:14:\n"
				   "end:x:15:";
	struct hr_user_table t = {0};
	check_int("group entries", hr_group_parse(&t, text, sizeof(text) - 1, false), 4);
	check_str("gid 0", group_name(&t, 0), "root");
	check_str("gid 10 with members", group_name(&t, 10), "wheel");
	check_str("no members field", group_name(&t, 11), "nomembers");
	check_str("empty name", group_name(&t, 12), "(none)");
	check_str("NSS entry", group_name(&t, 13), "(none)");
	check_str("comment", group_name(&t, 14), "(none)");
	check_str("last line", group_name(&t, 15), "end");
	check_int("users untouched", t.nusers, 0);
	hr_user_table_free(&t);
}

static void test_bounds(void)
{
	/* a line over the line bound is skipped, the next one is read */
	size_t cap = HR_CONTAINER_USERS_LINE_MAX + 200;
	char *text = malloc(cap);
	size_t len = 0;
	len += (size_t)sprintf(text + len, "long:x:1:1:");
	memset(text + len, 'g', HR_CONTAINER_USERS_LINE_MAX);
	len += HR_CONTAINER_USERS_LINE_MAX;
	len += (size_t)sprintf(text + len, ":/:/\nafter:x:2:2::/:/\n");
	struct hr_user_table t = {0};
	hr_passwd_parse(&t, text, len, false);
	check_str("line over the bound", user_name(&t, 1), "(none)");
	check_str("line after a long one", user_name(&t, 2), "after");
	free(text);
	hr_user_table_free(&t);

	/* more entries than the bound: the first ones are kept */
	uint32_t many = HR_CONTAINER_USERS_MAX_ENTRIES + 100;
	text = malloc((size_t)many * 40);
	len = 0;
	for (uint32_t i = 0; i < many; i++)
		len += (size_t)sprintf(text + len, "u%u:x:%u:%u::/h:/s\n", i, 100000 + i, i);
	uint32_t n = hr_passwd_parse(&t, text, len, false);
	check_int("entries stop at the bound", n, HR_CONTAINER_USERS_MAX_ENTRIES);
	check_int("table holds the bound", t.nusers, HR_CONTAINER_USERS_MAX_ENTRIES);
	check_str("first entry", user_name(&t, 100000), "u0");
	check_str("entry past the bound", user_name(&t, 100000 + HR_CONTAINER_USERS_MAX_ENTRIES), "(none)");
	free(text);
	hr_user_table_free(&t);
}

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		check(false, "create a test file", path);
		return;
	}
	fwrite(text, 1, len, f);
	fclose(f);
}

static void test_read_root(void)
{
	char root[] = "/tmp/harrier-unit-ctusers-XXXXXX";
	if (!mkdtemp(root)) {
		check(false, "mkdtemp", NULL);
		return;
	}
	char path[256], target[256];
	snprintf(path, sizeof path, "%s/etc", root);
	mkdir(path, 0755);
	/* etc/passwd is an absolute symlink: it must resolve inside the root */
	snprintf(target, sizeof target, "%s/real-passwd", root);
	write_file(target, "inside:x:1:1::/in:/bin/in\n", 26);
	snprintf(path, sizeof path, "%s/etc/passwd", root);
	if (symlink("/real-passwd", path) != 0)
		check(false, "symlink", NULL);
	/* etc/group is a FIFO nobody writes: reading must not block */
	snprintf(path, sizeof path, "%s/etc/group", root);
	if (mkfifo(path, 0644) != 0)
		check(false, "mkfifo", NULL);
	int fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct hr_user_table t = {0};
	hr_container_users_read(&t, fd);
	check_str("symlink resolved in the root", user_name(&t, 1), "inside");
	check_int("FIFO group file read as nothing", t.ngroups, 0);
	hr_user_table_free(&t);

	/* a file over the size bound: what lies past it is not read */
	unlink(path);
	size_t big = HR_CONTAINER_USERS_FILE_MAX + 4096;
	char *text = malloc(big);
	size_t len = (size_t)sprintf(text, "early:x:3:\n");
	while (len < HR_CONTAINER_USERS_FILE_MAX - 8) {
		size_t room = HR_CONTAINER_USERS_FILE_MAX - 8 - len;
		size_t n = room > 1000 ? 1000 : room;
		text[len] = '#';
		memset(text + len + 1, 'c', n - 1);
		text[len + n - 1] = '\n';
		len += n;
	}
	/* straddles the bound (its first 8 bytes would parse alone), then
	 * lies past it */
	len += (size_t)sprintf(text + len, "st:x:4:members,more\nlate:x:5:\n");
	write_file(path, text, len);
	free(text);
	hr_container_users_read(&t, fd);
	check_str("group before the bound", group_name(&t, 3), "early");
	check_str("group cut at the bound", group_name(&t, 4), "(none)");
	check_str("group past the bound", group_name(&t, 5), "(none)");
	hr_user_table_free(&t);

	/* missing files add nothing */
	unlink(path);
	snprintf(path, sizeof path, "%s/etc/passwd", root);
	unlink(path);
	hr_container_users_read(&t, fd);
	check_int("missing passwd", t.nusers, 0);
	check_int("missing group", t.ngroups, 0);
	hr_user_table_free(&t);
	close(fd);
	unlink(target);
	snprintf(path, sizeof path, "%s/etc", root);
	rmdir(path);
	rmdir(root);
}

void unit_container_users(unsigned *passed, unsigned *failed);
void unit_container_users(unsigned *passed, unsigned *failed)
{
	test_passwd_lines();
	test_group_lines();
	test_bounds();
	test_read_root();
	/* For tests/test_live_container_users.py, which checks this line. */
	printf("unit container_users: %u passed, %u failed\n", n_passed, n_failed);
	*passed += n_passed;
	*failed += n_failed;
}
