/* The file dialog's view of the file system (platform_fs.c): a directory listed directories
 * first, then files, each by name, without "." and ".."; sizes; errors that name the
 * directory (missing, not a directory); home, current and real paths. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform/platform.h"
#include "test.h"

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (CHECK(f != NULL)) {
        fputs(text, f);
        fclose(f);
    }
}

TEST(listing_is_sorted_directories_first)
{
    char dir[] = "/tmp/reel_fs_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[1024];
    write_file(dir, "b.rrd", "12345");
    write_file(dir, "a.txt", "");
    snprintf(path, sizeof path, "%s/zdir", dir);
    CHECK(mkdir(path, 0700) == 0);
    snprintf(path, sizeof path, "%s/adir", dir);
    CHECK(mkdir(path, 0700) == 0);
    snprintf(path, sizeof path, "%s/link", dir);
    CHECK(symlink("adir", path) == 0); /* a link to a directory lists as one */

    reel_fs_listing l = {0};
    CHECK_OK(reel_platform_list_dir(dir, &l, NULL));
    CHECK_EQ_U64(l.count, 5);
    if (l.count == 5) {
        const char *names[] = {"adir", "link", "zdir", "a.txt", "b.rrd"};
        for (int i = 0; i < 5; i++)
            CHECK_EQ_STR(l.entries[i].name, names[i]);
        CHECK(l.entries[0].is_dir && l.entries[1].is_dir && l.entries[2].is_dir);
        CHECK(!l.entries[3].is_dir && !l.entries[4].is_dir);
        CHECK_EQ_U64(l.entries[4].size, 5);
    }
    reel_platform_listing_reset(&l);
    CHECK(l.entries == NULL && l.count == 0);
    reel_platform_listing_reset(NULL);

    CHECK_EQ_INT(reel_platform_path_kind(dir), 2);
    snprintf(path, sizeof path, "%s/b.rrd", dir);
    CHECK_EQ_INT(reel_platform_path_kind(path), 1);

    /* Errors name the directory and the reason. */
    reel_error err = {0};
    CHECK_EQ_INT(reel_platform_list_dir(path, &l, &err), REEL_IO); /* a file */
    CHECK(strstr(err.message, "b.rrd") != NULL);
    CHECK(strstr(err.message, "Not a directory") != NULL);
    reel_platform_listing_reset(&l);
    snprintf(path, sizeof path, "%s/missing", dir);
    CHECK_EQ_INT(reel_platform_list_dir(path, &l, &err), REEL_NOT_FOUND);
    CHECK(strstr(err.message, "missing") != NULL);
    CHECK_EQ_INT(reel_platform_path_kind(path), 0);
    reel_platform_listing_reset(&l);

    /* Real paths resolve "..". */
    char real[PATH_MAX], expect[PATH_MAX];
    snprintf(path, sizeof path, "%s/zdir/..", dir);
    CHECK_OK(reel_platform_real_path(path, real, sizeof real, NULL));
    CHECK(realpath(dir, expect) != NULL);
    CHECK_EQ_STR(real, expect);
    CHECK_EQ_INT(reel_platform_real_path(dir, real, 4, &err), REEL_LIMIT);

    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    CHECK(system(path) == 0);
}

TEST(home_and_current_directories)
{
    char home[PATH_MAX], cwd[PATH_MAX];
    const char *saved = getenv("HOME");
    setenv("HOME", "/tmp", 1);
    CHECK_OK(reel_platform_home_dir(home, sizeof home, NULL));
    CHECK_EQ_STR(home, "/tmp");
    unsetenv("HOME"); /* then the password database */
    CHECK_OK(reel_platform_home_dir(home, sizeof home, NULL));
    CHECK(home[0] == '/');
    if (saved != NULL)
        setenv("HOME", saved, 1);
    CHECK_OK(reel_platform_current_dir(cwd, sizeof cwd, NULL));
    CHECK(cwd[0] == '/');
}

int main(void)
{
    RUN(listing_is_sorted_directories_first);
    RUN(home_and_current_directories);
    TEST_MAIN_END();
}
