#ifndef SOLIDARITY_CCURL_SHIM_H
#define SOLIDARITY_CCURL_SHIM_H

#include <curl/curl.h>
#include <dlfcn.h>
#include <stddef.h>

// libcurl is loaded with dlopen when the first webhook is sent, not linked: it brings some thirty
// libraries (TLS, Kerberos, LDAP, IDN, …) whose loading took 14 ms of every command's 20 ms start-up,
// though most commands never send anything. These are the few functions solidarity uses.
typedef struct {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *handle, CURLoption option, ...);
    CURLcode (*easy_getinfo)(CURL *handle, CURLINFO info, ...);
    CURLcode (*easy_perform)(CURL *handle);
    void (*easy_reset)(CURL *handle);
    void (*easy_cleanup)(CURL *handle);
    const char *(*easy_strerror)(CURLcode code);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *text);
    void (*slist_free_all)(struct curl_slist *list);
} solidarity_curl_api;

/// libcurl's functions, loaded (and globally initialised) on the first call; NULL when libcurl
/// cannot be loaded, and then `solidarity_curl_load_error` says why.
static inline const solidarity_curl_api *solidarity_curl(void) {
    static solidarity_curl_api api;
    static int state;  // 0: not tried, 1: loaded, -1: failed
    if (state == 0) {
        state = -1;
        void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
        if (library == NULL) return NULL;
#define SOLIDARITY_CURL_LOAD(field, symbol) \
        if ((*(void **)&api.field = dlsym(library, symbol)) == NULL) return NULL;
        SOLIDARITY_CURL_LOAD(global_init, "curl_global_init")
        SOLIDARITY_CURL_LOAD(easy_init, "curl_easy_init")
        SOLIDARITY_CURL_LOAD(easy_setopt, "curl_easy_setopt")
        SOLIDARITY_CURL_LOAD(easy_getinfo, "curl_easy_getinfo")
        SOLIDARITY_CURL_LOAD(easy_perform, "curl_easy_perform")
        SOLIDARITY_CURL_LOAD(easy_reset, "curl_easy_reset")
        SOLIDARITY_CURL_LOAD(easy_cleanup, "curl_easy_cleanup")
        SOLIDARITY_CURL_LOAD(easy_strerror, "curl_easy_strerror")
        SOLIDARITY_CURL_LOAD(slist_append, "curl_slist_append")
        SOLIDARITY_CURL_LOAD(slist_free_all, "curl_slist_free_all")
#undef SOLIDARITY_CURL_LOAD
        if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return NULL;
        state = 1;
    }
    return state == 1 ? &api : NULL;
}

/// Why libcurl could not be loaded (dlerror's words), or NULL.
static inline const char *solidarity_curl_load_error(void) {
    return dlerror();
}

// Typed wrappers for the variadic curl_easy_setopt and curl_easy_getinfo, which Swift cannot call.
// Each is called only after solidarity_curl() returned the functions.

static inline CURLcode solidarity_curl_set_long(CURL *handle, CURLoption option, long value) {
    return solidarity_curl()->easy_setopt(handle, option, value);
}

static inline CURLcode solidarity_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return solidarity_curl()->easy_setopt(handle, option, value);
}

static inline CURLcode solidarity_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return solidarity_curl()->easy_setopt(handle, option, value);
}

static inline CURLcode solidarity_curl_set_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return solidarity_curl()->easy_setopt(handle, option, value);
}

typedef size_t (*solidarity_curl_write_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode solidarity_curl_set_write_function(CURL *handle, solidarity_curl_write_callback callback) {
    return solidarity_curl()->easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

static inline CURLcode solidarity_curl_set_header_function(CURL *handle, solidarity_curl_write_callback callback) {
    return solidarity_curl()->easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}

static inline CURLcode solidarity_curl_get_response_code(CURL *handle, long *code) {
    return solidarity_curl()->easy_getinfo(handle, CURLINFO_RESPONSE_CODE, code);
}

#endif
