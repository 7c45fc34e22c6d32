/* The pieces of JSON generation (yajl_gen) that every writer of JSON in rt repeats: a C
   string as a JSON string (key or value), the "key": value pairs of a map, a parsed value
   (a yajl tree) written again, and the finished text as a C string. */
#ifndef RT_JSONGEN_H
#define RT_JSONGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

/* S as a JSON string: a map key or a value. */
void rt_json_str (yajl_gen g, const char *s);
/* V as a JSON number: yajl's integers are signed, so a uint64 goes out as its decimal text. */
void rt_json_u64 (yajl_gen g, uint64_t v);
/* "KEY": VAL in a map; a NULL string is written as null. */
void rt_json_key_str (yajl_gen g, const char *key, const char *val);
void rt_json_key_int (yajl_gen g, const char *key, long long val);
void rt_json_key_u64 (yajl_gen g, const char *key, uint64_t val);
void rt_json_key_bool (yajl_gen g, const char *key, bool val);
/* V and all below it; numbers as their text, so no integer is rounded or overflows. */
void rt_json_value (yajl_gen g, yajl_val v);
/* The generated text, malloc'ed and NUL-terminated (its length in *LEN if LEN); G is
   freed. */
char *rt_json_take (yajl_gen g, size_t *len);

#endif
