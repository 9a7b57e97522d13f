#ifndef SOLIDARITY_CCURL_SHIM_H
#define SOLIDARITY_CCURL_SHIM_H

#include <curl/curl.h>

// Typed wrappers for the variadic curl_easy_setopt and curl_easy_getinfo, which Swift cannot call.

static inline CURLcode solidarity_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode solidarity_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode solidarity_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode solidarity_curl_set_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

typedef size_t (*solidarity_curl_write_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode solidarity_curl_set_write_function(CURL *handle, solidarity_curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

static inline CURLcode solidarity_curl_set_header_function(CURL *handle, solidarity_curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}

static inline CURLcode solidarity_curl_get_response_code(CURL *handle, long *code) {
    return curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, code);
}

#endif
