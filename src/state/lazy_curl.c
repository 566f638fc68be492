/*
 * Loading libcurl on first use (lazy_curl.h).
 */
#include "state/lazy_curl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The soname of libcurl 7.x and 8.x (Debian's libcurl4 package). */
#define LIBCURL_SONAME "libcurl.so.4"

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static struct hr_curl api;
static bool loaded;
static char load_error[256];

/* Stores the address of `symbol` into the function pointer at `fn`. */
static bool resolve(void *lib, void *fn, const char *symbol)
{
	void *p = dlsym(lib, symbol);
	if (!p) {
		snprintf(load_error, sizeof(load_error), "%s has no %s", LIBCURL_SONAME, symbol);
		return false;
	}
	memcpy(fn, &p, sizeof(p));
	return true;
}

static void load(void)
{
	void *lib = dlopen(LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		snprintf(load_error, sizeof(load_error), "cannot load %s: %s", LIBCURL_SONAME, dlerror());
		return;
	}
	CURLcode (*global_init)(long flags);
	if (!resolve(lib, &api.easy_init, "curl_easy_init") || !resolve(lib, &api.easy_cleanup, "curl_easy_cleanup") ||
	    !resolve(lib, &api.easy_reset, "curl_easy_reset") || !resolve(lib, &api.easy_setopt, "curl_easy_setopt") ||
	    !resolve(lib, &api.easy_perform, "curl_easy_perform") ||
	    !resolve(lib, &api.easy_getinfo, "curl_easy_getinfo") ||
	    !resolve(lib, &api.easy_strerror, "curl_easy_strerror") ||
	    !resolve(lib, &api.slist_append, "curl_slist_append") ||
	    !resolve(lib, &api.slist_free_all, "curl_slist_free_all") || !resolve(lib, &global_init, "curl_global_init"))
		return;
	/* No flag is needed for https: since libcurl 7.57 the TLS library is
	 * set up whatever the flags (CURL_GLOBAL_SSL has no effect). The
	 * library stays loaded for the process's life, as a linked one would. */
	if (global_init(CURL_GLOBAL_NOTHING) != CURLE_OK) {
		snprintf(load_error, sizeof(load_error), "curl_global_init failed");
		return;
	}
	loaded = true;
}

const struct hr_curl *hr_curl_load(char *err, size_t errlen)
{
	pthread_once(&load_once, load);
	if (loaded)
		return &api;
	snprintf(err, errlen, "%s", load_error);
	return NULL;
}
