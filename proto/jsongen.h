/* The two pieces of JSON generation (yajl_gen) that every writer of JSON in rt repeats:
   a C string as a JSON string (key or value), and the finished text as a C string. */
#ifndef RT_JSONGEN_H
#define RT_JSONGEN_H

#include <stddef.h>
#include <yajl/yajl_gen.h>

/* S as a JSON string: a map key or a value. */
void rt_json_str (yajl_gen g, const char *s);
/* The generated text, malloc'ed and NUL-terminated (its length in *LEN if LEN); G is
   freed. */
char *rt_json_take (yajl_gen g, size_t *len);

#endif
