/*
 * libcurl, loaded the first time something asks for it instead of linked
 * into the programs: libcurl and the libraries it pulls in (TLS, Kerberos,
 * LDAP, ... 28 of them on Debian 12) took about 27 ms to load and
 * initialise at every start of every Harrier program, although only a
 * container runtime lookup and the detector's http_output use it. Programs no longer link libcurl (the
 * linker drops an unused -lcurl); its header gives the types only.
 */
#ifndef HR_LAZY_CURL_H
#define HR_LAZY_CURL_H

#include <stddef.h>

#include <curl/curl.h>

/* The libcurl functions Harrier calls. */
struct hr_curl {
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *curl);
	void (*easy_reset)(CURL *curl);
	CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *curl);
	CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
	const char *(*easy_strerror)(CURLcode code);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *line);
	void (*slist_free_all)(struct curl_slist *list);
};

/* libcurl, loaded and globally initialised once per process (any thread
 * may call this; the first call takes the load's time). NULL when it
 * cannot be loaded, with the reason in `err`. */
const struct hr_curl *hr_curl_load(char *err, size_t errlen);

#endif
