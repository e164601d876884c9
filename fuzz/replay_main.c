/* Corpus replay driver: links with one fuzz/fuzz_<name>.c instead of libFuzzer, so the
 * corpus and every saved crash run as an ordinary ctest under gcc (and ASan/UBSan).
 * Usage: replay_<name> PATH... where each PATH is a file or a directory (walked
 * recursively, in sorted order, skipping dot files); paths that do not exist are skipped.
 * A failing input shows up as the sanitizer or abort() that kills the process; the
 * exit status is otherwise 0. */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a fuzz target, as with libFuzzer. */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static size_t inputs_run;
static size_t inputs_unreadable;

static void replay_file(const char *path, off_t file_size)
{
    /* Exactly-sized buffer so ASan catches reads one past the input. */
    size_t size = (size_t)file_size;
    uint8_t *data = malloc(size ? size : 1);
    FILE *file = fopen(path, "rb");
    if (data == NULL || file == NULL || fread(data, 1, size, file) != size) {
        fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
        inputs_unreadable++;
        free(data);
        if (file)
            fclose(file);
        return;
    }
    fclose(file);
    printf("Running: %s (%zu bytes)\n", path, size);
    fflush(stdout);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    inputs_run++;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay_path(const char *path);

static void replay_dir(const char *dir_path)
{
    DIR *dir = opendir(dir_path);
    if (dir == NULL) {
        fprintf(stderr, "replay: cannot open directory %s: %s\n", dir_path, strerror(errno));
        inputs_unreadable++;
        return;
    }
    char **names = NULL;
    size_t count = 0, capacity = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.')
            continue; /* ".", "..", and dot files such as .gitkeep */
        if (count == capacity) {
            capacity = capacity ? capacity * 2 : 64;
            char **grown = realloc(names, capacity * sizeof *names);
            if (grown == NULL) {
                fprintf(stderr, "replay: out of memory listing %s\n", dir_path);
                abort();
            }
            names = grown;
        }
        size_t len = strlen(dir_path) + 1 + strlen(entry->d_name) + 1;
        names[count] = malloc(len);
        if (names[count] == NULL) {
            fprintf(stderr, "replay: out of memory listing %s\n", dir_path);
            abort();
        }
        snprintf(names[count], len, "%s/%s", dir_path, entry->d_name);
        count++;
    }
    closedir(dir);
    if (count)
        qsort(names, count, sizeof *names, compare_names);
    for (size_t i = 0; i < count; i++) {
        replay_path(names[i]);
        free(names[i]);
    }
    free(names);
}

static void replay_path(const char *path)
{
    struct stat info;
    if (stat(path, &info) != 0) {
        if (errno == ENOENT) {
            printf("replay: %s does not exist, skipped\n", path);
            return;
        }
        fprintf(stderr, "replay: cannot stat %s: %s\n", path, strerror(errno));
        inputs_unreadable++;
        return;
    }
    if (S_ISDIR(info.st_mode))
        replay_dir(path);
    else if (S_ISREG(info.st_mode))
        replay_file(path, info.st_size);
}

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-')
            continue; /* libFuzzer flags (-runs=..., -timeout=...) mean nothing here */
        replay_path(argv[i]);
    }
    printf("replay: %zu inputs ran", inputs_run);
    if (inputs_unreadable)
        printf(", %zu unreadable (not counted as failures)", inputs_unreadable);
    printf("\n");
    return 0;
}
