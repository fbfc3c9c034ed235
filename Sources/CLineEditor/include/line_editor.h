// CLineEditor: the interactive line reader under `aioctl shell`, a thin layer
// over libedit (Debian's libedit-dev) that Swift calls without variadics.
//
// It owns SIGINT and SIGTERM while a line is being read, so that Ctrl-C can
// clear the line instead of ending the program, and it waits in ppoll(2) with
// those signals unblocked only inside the call: an idle prompt uses no CPU and
// a signal can never slip in between the check and the wait.
#ifndef LINE_EDITOR_H
#define LINE_EDITOR_H

typedef struct line_editor line_editor;

enum line_editor_status {
    LINE_EDITOR_LINE = 0,        // a line was read (without its newline)
    LINE_EDITOR_END = 1,         // end of input (Ctrl-D on an empty line)
    LINE_EDITOR_INTERRUPTED = 2, // SIGINT (Ctrl-C): the line was thrown away
    LINE_EDITOR_TERMINATED = 3,  // SIGTERM
    LINE_EDITOR_STOPPED = 4,     // the caller's should_stop said so
    LINE_EDITOR_FAILED = 5,      // a read error on the terminal
};

// Opens an editor on standard input and output. history_path may be NULL (no
// history file); the directory must exist. should_stop, when not NULL, is asked
// after any other signal wakes the wait (the session's timeout uses SIGALRM).
line_editor *line_editor_open(const char *program, const char *history_path, int (*should_stop)(void));

// Reads one line. On LINE_EDITOR_LINE, *line is malloc'd text the caller frees.
enum line_editor_status line_editor_read(line_editor *editor, const char *prompt, char **line);

// Adds a line to the history and saves the history file.
void line_editor_remember(line_editor *editor, const char *line);

// Replaces the words Tab completes (statement keywords, handle names).
void line_editor_set_words(line_editor *editor, const char *const *words, int count);

// The signal that arrived outside line_editor_read (while a statement ran),
// or 0; clears the record of SIGINT but keeps SIGTERM.
int line_editor_take_signal(void);

// Restores the terminal and the previous signal handlers.
void line_editor_close(line_editor *editor);

#endif
