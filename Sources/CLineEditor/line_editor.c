// See line_editor.h.
#define _GNU_SOURCE
#include "line_editor.h"

#include <errno.h>
#include <histedit.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

struct line_editor {
    EditLine *el;
    History *history;
    char *history_path;
    char *prompt;
    char **words;
    int word_count;
    int (*should_stop)(void);
    enum line_editor_status why; // why the last getc gave up
    mbstate_t mb;
    struct sigaction old_int, old_term;
};

static volatile sig_atomic_t pending_int, pending_term;

static void record_signal(int sig) {
    if (sig == SIGINT) pending_int = 1;
    else pending_term = 1;
}

static char *prompt_of(EditLine *el) {
    line_editor *ed;
    el_get(el, EL_CLIENTDATA, &ed);
    return ed->prompt ? ed->prompt : "";
}

// libedit's character source: wait for a byte or a signal, never spin.
static int getc_waiting(EditLine *el, wchar_t *out) {
    line_editor *ed;
    el_get(el, EL_CLIENTDATA, &ed);
    sigset_t interrupts, before;
    sigemptyset(&interrupts);
    sigaddset(&interrupts, SIGINT);
    sigaddset(&interrupts, SIGTERM);
    for (;;) {
        pthread_sigmask(SIG_BLOCK, &interrupts, &before);
        if (pending_term || pending_int) {
            ed->why = pending_term ? LINE_EDITOR_TERMINATED : LINE_EDITOR_INTERRUPTED;
            pthread_sigmask(SIG_SETMASK, &before, NULL);
            errno = EINTR;
            return -1;
        }
        if (ed->should_stop && ed->should_stop()) {
            ed->why = LINE_EDITOR_STOPPED;
            pthread_sigmask(SIG_SETMASK, &before, NULL);
            errno = EINTR;
            return -1;
        }
        struct pollfd input = {.fd = STDIN_FILENO, .events = POLLIN};
        // The signals are unblocked only for the duration of the wait.
        int ready = ppoll(&input, 1, NULL, &before);
        int saved = errno;
        pthread_sigmask(SIG_SETMASK, &before, NULL);
        if (ready < 0) {
            if (saved == EINTR) continue;
            ed->why = LINE_EDITOR_FAILED;
            errno = saved;
            return -1;
        }
        unsigned char byte;
        ssize_t n = read(STDIN_FILENO, &byte, 1);
        if (n == 0) return 0;
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            ed->why = LINE_EDITOR_FAILED;
            return -1;
        }
        char c = (char)byte;
        size_t r = mbrtowc(out, &c, 1, &ed->mb);
        if (r == (size_t)-2) continue; // the rest of a multibyte character follows
        if (r == (size_t)-1) {         // not valid in this locale: take the byte as it is
            memset(&ed->mb, 0, sizeof ed->mb);
            *out = (wchar_t)byte;
        }
        return 1;
    }
}

// Tab: complete the word under the cursor from the word list; list the
// candidates when they share nothing more.
static unsigned char complete_word(EditLine *el, int ch) {
    (void)ch;
    line_editor *ed;
    el_get(el, EL_CLIENTDATA, &ed);
    const LineInfo *li = el_line(el);
    const char *start = li->cursor;
    while (start > li->buffer && start[-1] != ' ' && start[-1] != '\t' && start[-1] != '=') start--;
    size_t typed = (size_t)(li->cursor - start);
    int matches = 0;
    const char *first = NULL;
    size_t common = 0;
    for (int i = 0; i < ed->word_count; i++) {
        const char *w = ed->words[i];
        if (strncmp(w, start, typed) != 0) continue;
        if (matches++ == 0) {
            first = w;
            common = strlen(w);
        } else {
            size_t k = 0;
            while (k < common && w[k] == first[k]) k++;
            common = k;
        }
    }
    if (matches == 0) return CC_REFRESH_BEEP;
    if (matches == 1) {
        char *rest = malloc(strlen(first + typed) + 2);
        if (!rest) return CC_ERROR;
        strcpy(rest, first + typed);
        strcat(rest, " ");
        el_insertstr(el, rest);
        free(rest);
        return CC_REFRESH;
    }
    if (common > typed) {
        char *rest = strndup(first + typed, common - typed);
        if (!rest) return CC_ERROR;
        el_insertstr(el, rest);
        free(rest);
        return CC_REFRESH;
    }
    FILE *out;
    el_get(el, EL_GETFP, 1, &out);
    fputc('\n', out);
    for (int i = 0; i < ed->word_count; i++) {
        if (strncmp(ed->words[i], start, typed) == 0) fprintf(out, "%s  ", ed->words[i]);
    }
    fputc('\n', out);
    fflush(out);
    return CC_REDISPLAY;
}

line_editor *line_editor_open(const char *program, const char *history_path, int (*should_stop)(void)) {
    setlocale(LC_CTYPE, "");
    line_editor *ed = calloc(1, sizeof *ed);
    if (!ed) return NULL;
    ed->should_stop = should_stop;
    ed->el = el_init(program, stdin, stdout, stderr);
    if (!ed->el) {
        free(ed);
        return NULL;
    }
    ed->history = history_init();
    HistEvent ev;
    history(ed->history, &ev, H_SETSIZE, 1000);
    history(ed->history, &ev, H_SETUNIQUE, 1);
    if (history_path) {
        ed->history_path = strdup(history_path);
        history(ed->history, &ev, H_LOAD, history_path);
    }
    el_set(ed->el, EL_CLIENTDATA, ed);
    el_set(ed->el, EL_EDITOR, "emacs");
    el_set(ed->el, EL_PROMPT, prompt_of);
    el_set(ed->el, EL_HIST, history, ed->history);
    el_set(ed->el, EL_GETCFN, getc_waiting);
    el_set(ed->el, EL_ADDFN, "aioctl-complete", "Complete a statement keyword or a handle name", complete_word);
    el_set(ed->el, EL_BIND, "^I", "aioctl-complete", NULL);
    el_source(ed->el, NULL); // the user's ~/.editrc, as other libedit programs read it

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = record_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; // no SA_RESTART: a blocked call in a statement returns EINTR
    sigaction(SIGINT, &sa, &ed->old_int);
    sigaction(SIGTERM, &sa, &ed->old_term);
    return ed;
}

enum line_editor_status line_editor_read(line_editor *ed, const char *prompt, char **line) {
    *line = NULL;
    free(ed->prompt);
    ed->prompt = strdup(prompt);
    ed->why = LINE_EDITOR_FAILED;
    memset(&ed->mb, 0, sizeof ed->mb);
    int count = 0;
    const char *text = el_gets(ed->el, &count);
    if (text && count > 0) {
        size_t n = strlen(text);
        while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r')) n--;
        *line = strndup(text, n);
        return *line ? LINE_EDITOR_LINE : LINE_EDITOR_FAILED;
    }
    if (count == 0) return LINE_EDITOR_END;
    if (ed->why == LINE_EDITOR_INTERRUPTED) pending_int = 0;
    return ed->why;
}

void line_editor_remember(line_editor *ed, const char *line) {
    HistEvent ev;
    history(ed->history, &ev, H_ENTER, line);
    if (ed->history_path) history(ed->history, &ev, H_SAVE, ed->history_path);
}

void line_editor_set_words(line_editor *ed, const char *const *words, int count) {
    for (int i = 0; i < ed->word_count; i++) free(ed->words[i]);
    free(ed->words);
    ed->words = calloc((size_t)(count > 0 ? count : 1), sizeof *ed->words);
    ed->word_count = 0;
    if (!ed->words) return;
    for (int i = 0; i < count; i++) {
        char *copy = strdup(words[i]);
        if (copy) ed->words[ed->word_count++] = copy;
    }
}

int line_editor_take_signal(void) {
    if (pending_term) return SIGTERM;
    if (pending_int) {
        pending_int = 0;
        return SIGINT;
    }
    return 0;
}

void line_editor_close(line_editor *ed) {
    if (!ed) return;
    el_end(ed->el);
    history_end(ed->history);
    sigaction(SIGINT, &ed->old_int, NULL);
    sigaction(SIGTERM, &ed->old_term, NULL);
    line_editor_set_words(ed, NULL, 0);
    free(ed->words);
    free(ed->history_path);
    free(ed->prompt);
    free(ed);
}
