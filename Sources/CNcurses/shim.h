#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
/* SwiftPM drops pkg-config's -D flags, so the wide-character API is switched on here. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <wchar.h>
#include <langinfo.h>
/* Debian and most Linux distributions: <ncursesw/curses.h>; macOS (Homebrew's ncurses, on the
   include path the package adds) and BSDs: <curses.h>, which is the wide-character build. */
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

/* Macros Swift cannot import and mutable globals Swift 6 rejects. */
static inline WINDOW *cn_stdscr(void)      { return stdscr; }
static inline int     cn_lines(void)       { return LINES; }
static inline int     cn_cols(void)        { return COLS; }
static inline int     cn_colors(void)      { return COLORS; }
static inline int     cn_color_pairs(void) { return COLOR_PAIRS; }
static inline int     cn_key_f(int n)      { return KEY_F(n); }
static inline attr_t  cn_a_bold(void)      { return A_BOLD; }
static inline attr_t  cn_a_dim(void)       { return A_DIM; }
static inline attr_t  cn_a_reverse(void)   { return A_REVERSE; }
static inline attr_t  cn_a_underline(void) { return A_UNDERLINE; }
static inline mmask_t cn_all_mouse_events(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }
static inline mmask_t cn_button1_pressed(void)  { return BUTTON1_PRESSED; }
static inline mmask_t cn_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t cn_button4_pressed(void)  { return BUTTON4_PRESSED; }
static inline mmask_t cn_button5_pressed(void)  { return BUTTON5_PRESSED; }
static inline mmask_t cn_report_mouse_position(void) { return REPORT_MOUSE_POSITION; }
static inline mmask_t cn_button1_clicked(void)  { return BUTTON1_CLICKED; }

/* tigetstr answers NULL for an absent capability and (char *)-1 for a name that is not a string. */
static inline int cn_is_capability_string(const char *s) { return s != 0 && s != (const char *)-1; }

/* <wchar.h> declares wcwidth only under _XOPEN_SOURCE, one of the flags SwiftPM drops. */
int wcwidth(wchar_t);
static inline int cn_wcwidth(wchar_t c) { return wcwidth(c); }
#endif
