/* The file system as the viewer's file dialog sees it (src/app/app_open.c): directory
 * listings sorted directories first, the home and current directories, and path
 * normalisation. POSIX natively; the browser build answers UNSUPPORTED for everything, as
 * there is no file system to browse there (files come by drag and drop or URL). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"

#ifndef __EMSCRIPTEN__

#include <dirent.h>
#include <limits.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

static int entry_order(const void *a, const void *b)
{
    const reel_fs_entry *x = a, *y = b;
    if (x->is_dir != y->is_dir)
        return x->is_dir ? -1 : 1;
    return strcmp(x->name, y->name);
}

reel_status reel_platform_list_dir(const char *dir, reel_fs_listing *out, reel_error *err)
{
    memset(out, 0, sizeof *out);
    DIR *d = opendir(dir);
    if (d == NULL) {
        int e = errno;
        return reel_error_set(err, e == ENOENT ? REEL_NOT_FOUND : REEL_IO, "%s: %s", dir,
                              strerror(e));
    }
    size_t cap = 0;
    size_t dir_len = strlen(dir);
    reel_status status = REEL_OK;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (out->count == cap) {
            size_t next = cap ? cap * 2 : 64;
            reel_fs_entry *grown = realloc(out->entries, next * sizeof *grown);
            if (grown == NULL) {
                status = reel_error_set(err, REEL_OUT_OF_MEMORY, "%s: out of memory", dir);
                break;
            }
            out->entries = grown;
            cap = next;
        }
        size_t name_len = strlen(de->d_name);
        char *full = malloc(dir_len + name_len + 2);
        char *name = malloc(name_len + 1);
        if (full == NULL || name == NULL) {
            free(full);
            free(name);
            status = reel_error_set(err, REEL_OUT_OF_MEMORY, "%s: out of memory", dir);
            break;
        }
        memcpy(full, dir, dir_len);
        size_t at = dir_len;
        if (at == 0 || full[at - 1] != '/')
            full[at++] = '/';
        memcpy(full + at, de->d_name, name_len + 1);
        memcpy(name, de->d_name, name_len + 1);
        struct stat st;
        bool ok = stat(full, &st) == 0; /* follows links; a dangling link counts as a file */
        free(full);
        out->entries[out->count++] = (reel_fs_entry){
            .name = name,
            .is_dir = ok && S_ISDIR(st.st_mode),
            .size = ok && !S_ISDIR(st.st_mode) ? (uint64_t)st.st_size : 0,
        };
    }
    closedir(d);
    if (out->count > 1)
        qsort(out->entries, out->count, sizeof *out->entries, entry_order);
    return status;
}

void reel_platform_listing_reset(reel_fs_listing *listing)
{
    if (listing == NULL)
        return;
    for (size_t i = 0; i < listing->count; i++)
        free(listing->entries[i].name);
    free(listing->entries);
    memset(listing, 0, sizeof *listing);
}

int reel_platform_path_kind(const char *path)
{
    struct stat st;
    if (path == NULL || stat(path, &st) != 0)
        return 0;
    return S_ISDIR(st.st_mode) ? 2 : 1;
}

static reel_status copy_out(const char *what, const char *value, char *out, size_t capacity,
                            reel_error *err)
{
    size_t len = strlen(value);
    if (len + 1 > capacity)
        return reel_error_set(err, REEL_LIMIT, "%s: path of %zu bytes is too long (max %zu)", what,
                              len, capacity - 1);
    memcpy(out, value, len + 1);
    return REEL_OK;
}

reel_status reel_platform_home_dir(char *out, size_t capacity, reel_error *err)
{
    const char *home = getenv("HOME");
    if (home == NULL || home[0] == 0) {
        struct passwd *pw = getpwuid(getuid());
        home = pw != NULL ? pw->pw_dir : NULL;
    }
    if (home == NULL || home[0] == 0)
        return reel_error_set(err, REEL_NOT_FOUND, "home directory: $HOME is not set");
    return copy_out("home directory", home, out, capacity, err);
}

reel_status reel_platform_current_dir(char *out, size_t capacity, reel_error *err)
{
    if (getcwd(out, capacity) == NULL)
        return reel_error_set(err, REEL_IO, "current directory: %s", strerror(errno));
    return REEL_OK;
}

reel_status reel_platform_real_path(const char *path, char *out, size_t capacity, reel_error *err)
{
    char *real = realpath(path, NULL);
    if (real == NULL) {
        int e = errno;
        return reel_error_set(err, e == ENOENT ? REEL_NOT_FOUND : REEL_IO, "%s: %s", path,
                              strerror(e));
    }
    reel_status status = copy_out(path, real, out, capacity, err);
    free(real);
    return status;
}

#else /* __EMSCRIPTEN__ */

#define NOT_IN_BROWSER "not available in the browser (drop a file on the page instead)"

reel_status reel_platform_list_dir(const char *dir, reel_fs_listing *out, reel_error *err)
{
    memset(out, 0, sizeof *out);
    return reel_error_set(err, REEL_UNSUPPORTED, "%s: listing directories is " NOT_IN_BROWSER, dir);
}
void reel_platform_listing_reset(reel_fs_listing *listing)
{
    if (listing != NULL)
        memset(listing, 0, sizeof *listing);
}
int reel_platform_path_kind(const char *path)
{
    (void)path;
    return 0;
}
reel_status reel_platform_home_dir(char *out, size_t capacity, reel_error *err)
{
    (void)out, (void)capacity;
    return reel_error_set(err, REEL_UNSUPPORTED, "home directory: " NOT_IN_BROWSER);
}
reel_status reel_platform_current_dir(char *out, size_t capacity, reel_error *err)
{
    (void)out, (void)capacity;
    return reel_error_set(err, REEL_UNSUPPORTED, "current directory: " NOT_IN_BROWSER);
}
reel_status reel_platform_real_path(const char *path, char *out, size_t capacity, reel_error *err)
{
    (void)out, (void)capacity;
    return reel_error_set(err, REEL_UNSUPPORTED, "%s: " NOT_IN_BROWSER, path);
}

#endif
