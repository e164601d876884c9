/* The core module: the few building blocks every other Reel module uses — errors,
 * allocators and arenas, byte buffers, vectors, a hash map, clocks, threads, the logging
 * callback, the TUID generator and SHA-256. Depends on libc only. Thread-safety is stated
 * per type; unless said otherwise an object must not be used from two threads at once. */
#ifndef REEL_CORE_H
#define REEL_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reel/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- errors */

/* Messages are one line: control characters in the formatted text (quoted from untrusted
 * input, say) become '?'.
 *
 * Sets err (if not NULL) to status and a printf-formatted message; returns status, so
 * `return reel_error_set(err, REEL_CORRUPT, "bad tag %d", tag);` reads naturally. */
reel_status reel_error_set(reel_error *err, reel_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
reel_status reel_error_setv(reel_error *err, reel_status status, const char *fmt, va_list args);
/* Prepends context to an existing message: "file.arrows: " + old message. Keeps status.
 * Returns err->status (REEL_OK if err is NULL). */
reel_status reel_error_prefix(reel_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Resets to "no error". NULL-safe. */
void reel_error_clear(reel_error *err);
/* Internal: len shortened so that text[0..len) does not end in a UTF-8 sequence cut in half
 * (used when truncating messages into fixed buffers). */
size_t reel__utf8_trim_partial(const char *text, size_t len);

/* Propagates a non-OK status to the caller. */
#define REEL_TRY(expr)                                                                             \
    do {                                                                                           \
        reel_status reel__try_status = (expr);                                                     \
        if (reel__try_status != REEL_OK)                                                           \
            return reel__try_status;                                                               \
    } while (0)

/* Parses a byte size: a number (fraction and exponent allowed) and an optional unit, B, kB
 * (or KB), MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024), spaces allowed
 * before it: "1GiB", "512 MB", "1e9", "2048". INVALID_ARGUMENT naming the text otherwise. */
reel_status reel_parse_size(const char *text, uint64_t *out, reel_error *err);

/* The value of a hex digit (either case), or -1. */
static inline int reel_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* ---------------------------------------------------------------- allocator */

/* An allocator is passed through contexts; NULL anywhere means reel_allocator_default().
 * free and realloc receive the size the block was allocated with. */
typedef struct reel_allocator {
    void *(*alloc)(void *ctx, size_t size);
    void *(*realloc)(void *ctx, void *ptr, size_t old_size, size_t new_size);
    void (*free)(void *ctx, void *ptr, size_t size);
    void *ctx;
} reel_allocator;

/* malloc/realloc/free. Thread-safe. */
const reel_allocator *reel_allocator_default(void);

/* Convenience wrappers; `a` may be NULL (default). Sizes of 0 return a unique non-NULL
 * pointer or NULL; both are valid to free. */
void *reel_alloc(const reel_allocator *a, size_t size);
void *reel_alloc_zeroed(const reel_allocator *a, size_t size);
void *reel_realloc(const reel_allocator *a, void *ptr, size_t old_size, size_t new_size);
void reel_free(const reel_allocator *a, void *ptr, size_t size);
/* Copies a NUL-terminated string (or `len` bytes + NUL for reel_strndup). NULL on OOM. */
char *reel_strdup(const reel_allocator *a, const char *s);
char *reel_strndup(const reel_allocator *a, const char *s, size_t len);
/* Frees a string made by reel_strdup/reel_strndup. NULL-safe. */
void reel_strfree(const reel_allocator *a, char *s);

/* Size arithmetic that reports overflow instead of wrapping: returns false on overflow. */
bool reel_size_add(size_t a, size_t b, size_t *out);
bool reel_size_mul(size_t a, size_t b, size_t *out);

/* Rounds n up to a multiple of align (a power of two). */
static inline size_t reel_align_up(size_t n, size_t align)
{
    return (n + align - 1) & ~(align - 1);
}

/* ---------------------------------------------------------------- spans */

/* Borrowed bytes. */
typedef struct reel_span {
    const uint8_t *data;
    size_t len;
} reel_span;

static inline reel_span reel_span_make(const void *data, size_t len)
{
    reel_span s = {(const uint8_t *)data, len};
    return s;
}

/* ---------------------------------------------------------------- arena */

/* Bump allocator for per-frame and per-message scratch. Freed all at once. */
typedef struct reel_arena_block reel_arena_block;
typedef struct reel_arena {
    const reel_allocator *alloc; /* backing allocator (NULL = default) */
    size_t block_size;           /* minimum size of each new block */
    reel_arena_block *head;      /* current block (newest first) */
    size_t bytes_allocated;      /* total bytes handed out since the last reset */
} reel_arena;

/* Zero-initialised reel_arena is valid (default allocator, 64 KiB blocks). */
void reel_arena_init(reel_arena *arena, const reel_allocator *alloc, size_t block_size);
/* Returns `size` bytes aligned to `align` (power of two, <= 4096), or NULL on OOM. */
void *reel_arena_alloc(reel_arena *arena, size_t size, size_t align);
void *reel_arena_alloc_zeroed(reel_arena *arena, size_t size, size_t align);
char *reel_arena_strndup(reel_arena *arena, const char *s, size_t len);
/* Releases everything but the most recent block, which is kept for reuse. */
void reel_arena_reset(reel_arena *arena);
/* Releases all memory; the arena may be re-initialised. NULL-safe. */
void reel_arena_free(reel_arena *arena);

/* ---------------------------------------------------------------- byte buffer */

/* A growable byte buffer. Zero-initialised is a valid empty buffer (default allocator). */
typedef struct reel_buf {
    uint8_t *data;
    size_t len;
    size_t cap;
    const reel_allocator *alloc;
} reel_buf;

void reel_buf_init(reel_buf *buf, const reel_allocator *alloc);
/* Ensures room for `extra` more bytes without reallocating. */
reel_status reel_buf_reserve(reel_buf *buf, size_t extra);
reel_status reel_buf_append(reel_buf *buf, const void *data, size_t len);
reel_status reel_buf_append_zeros(reel_buf *buf, size_t len);
reel_status reel_buf_append_u8(reel_buf *buf, uint8_t v);
reel_status reel_buf_append_u32le(reel_buf *buf, uint32_t v);
reel_status reel_buf_append_u64le(reel_buf *buf, uint64_t v);
/* Appends zero bytes until len is a multiple of align (a power of two). */
reel_status reel_buf_pad_to(reel_buf *buf, size_t align);
/* Appends a printf-formatted string (no NUL stored in len). */
reel_status reel_buf_printf(reel_buf *buf, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Grows len by `len` bytes (uninitialised) and returns a pointer to them, or NULL on OOM. */
uint8_t *reel_buf_extend(reel_buf *buf, size_t len);
/* Sets len to 0, keeps capacity. */
void reel_buf_clear(reel_buf *buf);
/* Hands the bytes to the caller (who frees them with buf->alloc and *out_cap) and
 * leaves the buffer empty. */
uint8_t *reel_buf_detach(reel_buf *buf, size_t *out_len, size_t *out_cap);
/* Frees the memory. NULL-safe. */
void reel_buf_free(reel_buf *buf);

/* ---------------------------------------------------------------- blob */

/* Immutable, reference-counted bytes. Arrays decoded from IPC point into blobs without
 * copying; builders hand their buffers over as blobs. Retain/release are thread-safe. */
typedef struct reel_blob reel_blob;
typedef void (*reel_blob_release_fn)(void *ctx, void *data, size_t len);

/* Allocates a blob of `len` bytes (contents uninitialised) with refcount 1; writes the
 * pointer to the bytes to *out_data so the creator can fill them before sharing. */
reel_blob *reel_blob_create(const reel_allocator *alloc, size_t len, uint8_t **out_data);
/* Copies bytes into a new blob. */
reel_blob *reel_blob_copy(const reel_allocator *alloc, const void *data, size_t len);
/* Wraps existing memory; `release` (may be NULL) is called once when the last reference
 * goes. Takes ownership of data in that sense. */
reel_blob *reel_blob_wrap(void *data, size_t len, reel_blob_release_fn release, void *ctx);
/* Takes over a reel_buf's memory (the buffer is left empty). */
reel_blob *reel_blob_from_buf(reel_buf *buf);
reel_blob *reel_blob_retain(reel_blob *blob); /* NULL-safe; returns blob */
void reel_blob_release(reel_blob *blob);      /* NULL-safe */
const uint8_t *reel_blob_data(const reel_blob *blob);
size_t reel_blob_len(const reel_blob *blob);

/* ---------------------------------------------------------------- vector */

/* A growable array of fixed-size elements. Zero-initialised with elem_size set is valid;
 * prefer reel_vec_init. */
typedef struct reel_vec {
    void *data;
    size_t len;
    size_t cap;
    size_t elem_size;
    const reel_allocator *alloc;
} reel_vec;

void reel_vec_init(reel_vec *vec, size_t elem_size, const reel_allocator *alloc);
reel_status reel_vec_reserve(reel_vec *vec, size_t extra);
/* Appends one element copied from `elem` (or zeroed if elem is NULL). */
reel_status reel_vec_push(reel_vec *vec, const void *elem);
/* Appends `count` elements, returning a pointer to the first (zeroed), or NULL on OOM. */
void *reel_vec_push_n(reel_vec *vec, size_t count);
/* Removes the last element, copying it to `out` if not NULL. Returns false if empty. */
bool reel_vec_pop(reel_vec *vec, void *out);
void reel_vec_clear(reel_vec *vec);
void reel_vec_free(reel_vec *vec); /* NULL-safe */
#define REEL_VEC_AT(vec, type, index) (((type *)(vec)->data)[(index)])

/* ---------------------------------------------------------------- hash map */

/* 64-bit hash of bytes (fast, non-cryptographic, stable across runs and platforms). */
uint64_t reel_hash_bytes(const void *data, size_t len, uint64_t seed);
uint64_t reel_hash_u64(uint64_t value);

/* Open-addressing hash map from byte-string keys (copied into the map) to uint64 values.
 * Zero-initialised is a valid empty map (default allocator). Insertion order is not kept. */
typedef struct reel_map_slot reel_map_slot;
typedef struct reel_map {
    reel_map_slot *slots;
    size_t cap;   /* power of two, or 0 */
    size_t count; /* live entries */
    size_t used;  /* live + tombstones */
    const reel_allocator *alloc;
} reel_map;

void reel_map_init(reel_map *map, const reel_allocator *alloc);
/* Inserts or overwrites. */
reel_status reel_map_put(reel_map *map, const void *key, size_t key_len, uint64_t value);
/* Returns true and sets *value (if not NULL) when found. */
bool reel_map_get(const reel_map *map, const void *key, size_t key_len, uint64_t *value);
/* Returns true if the key was present. */
bool reel_map_remove(reel_map *map, const void *key, size_t key_len);
/* Iteration: start with *cursor = 0; returns false at the end. Keys are borrowed and valid
 * until the next modification. */
bool reel_map_next(const reel_map *map, size_t *cursor, reel_span *key, uint64_t *value);
void reel_map_clear(reel_map *map);
void reel_map_free(reel_map *map); /* NULL-safe */

/* ---------------------------------------------------------------- clocks */

/* Monotonic nanoseconds (arbitrary origin). Thread-safe. */
uint64_t reel_clock_monotonic_ns(void);
/* Wall clock, nanoseconds since the Unix epoch. Thread-safe. */
int64_t reel_clock_wall_ns(void);

/* ---------------------------------------------------------------- threads */

/* Thin wrappers over pthreads so the rest of the code has one spelling. The storage is
 * opaque but caller-allocated. */
typedef struct reel_thread {
    unsigned char opaque[16];
} reel_thread;
typedef struct reel_mutex {
    _Alignas(8) unsigned char opaque[64];
} reel_mutex;
typedef struct reel_cond {
    _Alignas(8) unsigned char opaque[64];
} reel_cond;

typedef void (*reel_thread_fn)(void *arg);
reel_status reel_thread_start(reel_thread *thread, reel_thread_fn fn, void *arg, reel_error *err);
void reel_thread_join(reel_thread *thread);
reel_status reel_mutex_init(reel_mutex *mutex);
void reel_mutex_lock(reel_mutex *mutex);
void reel_mutex_unlock(reel_mutex *mutex);
void reel_mutex_destroy(reel_mutex *mutex);
reel_status reel_cond_init(reel_cond *cond);
void reel_cond_wait(reel_cond *cond, reel_mutex *mutex);
/* Returns false on timeout. */
bool reel_cond_wait_ns(reel_cond *cond, reel_mutex *mutex, uint64_t timeout_ns);
void reel_cond_signal(reel_cond *cond);
void reel_cond_broadcast(reel_cond *cond);
void reel_cond_destroy(reel_cond *cond);
/* A small id for the calling thread (1, 2, 3… in order of first use). */
uint32_t reel_thread_id(void);

/* ---------------------------------------------------------------- logging */

typedef enum reel_log_level {
    REEL_LOG_TRACE = 0,
    REEL_LOG_DEBUG = 1,
    REEL_LOG_INFO = 2,
    REEL_LOG_WARN = 3,
    REEL_LOG_ERROR = 4,
    REEL_LOG_OFF = 5,
} reel_log_level;

/* Receives every log message at or above the configured level. May be called from any
 * thread; must be thread-safe. `module` is e.g. "arrow". */
typedef void (*reel_log_fn)(void *ctx, reel_log_level level, const char *module,
                            const char *message);

/* Process-wide logger (the one piece of global state in the libraries, set once at start).
 * The default writes WARN and above to stderr as "[reel warn arrow] message"; the
 * environment variable REEL_LOG=trace|debug|info|warn|error|off sets the initial level.
 * Passing fn = NULL restores the default. Thread-safe. */
void reel_log_set_callback(reel_log_fn fn, void *ctx);
void reel_log_set_level(reel_log_level level);
reel_log_level reel_log_get_level(void);
bool reel_log_enabled(reel_log_level level);
void reel_log(reel_log_level level, const char *module, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
const char *reel_log_level_name(reel_log_level level); /* "warn" etc. */

/* ---------------------------------------------------------------- TUID */

/* Rerun's time-ordered unique id: nanoseconds since the Unix epoch plus a counter.
 * Ordered by (time_ns, inc). Stored in Arrow as 16 bytes big-endian: time_ns then inc. */
typedef struct reel_tuid {
    uint64_t time_ns;
    uint64_t inc;
} reel_tuid;

/* A new id, strictly greater than every id this thread generated before. time_ns is the
 * wall clock at the process's first id plus monotonic elapsed time (one clock for every
 * thread, so ids made one after the other by synchronised threads come out in that order);
 * the counter is per thread and starts at a random value with the top bit cleared (ids are
 * unique across threads, as Rerun's). No lock: it is on every log call's path. */
reel_tuid reel_tuid_new(void);
/* -1, 0, 1. */
int reel_tuid_compare(reel_tuid a, reel_tuid b);
void reel_tuid_to_bytes(reel_tuid id, uint8_t out[16]);
reel_tuid reel_tuid_from_bytes(const uint8_t in[16]);
/* Rerun's string form: upper-case hex time, lower-case hex counter, 32 digits, with an
 * optional prefix such as "chunk_" or "row_". `out` needs strlen(prefix) + 33 bytes. */
void reel_tuid_format(reel_tuid id, const char *prefix, char *out, size_t out_size);
/* Parses 32 hex digits (any case), with an optional "<word>_" prefix. */
reel_status reel_tuid_parse(const char *text, size_t len, reel_tuid *out, reel_error *err);

/* ---------------------------------------------------------------- SHA-256 */

/* Incremental SHA-256 (FIPS 180-4). Caller-allocated; init, update any number of times,
 * final. Not constant-time: for content hashes in file formats, not for secrets. */
typedef struct reel_sha256 {
    uint32_t state[8];
    uint64_t total_len; /* bytes hashed so far */
    uint8_t block[64];  /* bytes not yet compressed */
    size_t block_len;
} reel_sha256;

void reel_sha256_init(reel_sha256 *ctx);
void reel_sha256_update(reel_sha256 *ctx, const void *data, size_t len);
/* Writes the 32-byte digest; the context must be re-initialised before reuse. */
void reel_sha256_final(reel_sha256 *ctx, uint8_t out[32]);
/* One-shot digest of `len` bytes. */
void reel_sha256_digest(const void *data, size_t len, uint8_t out[32]);

/* ---------------------------------------------------------------- byte order */

static inline void reel_store_u32le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}
static inline uint32_t reel_load_u32le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void reel_store_u64le(uint8_t *p, uint64_t v)
{
    reel_store_u32le(p, (uint32_t)v);
    reel_store_u32le(p + 4, (uint32_t)(v >> 32));
}
static inline uint64_t reel_load_u64le(const uint8_t *p)
{
    return (uint64_t)reel_load_u32le(p) | (uint64_t)reel_load_u32le(p + 4) << 32;
}
static inline void reel_store_u16le(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8);
}
static inline uint16_t reel_load_u16le(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

#ifdef __cplusplus
}
#endif
#endif
