/*
 * Preloaded into `inmigration` when it runs under valgrind (scripts/profile-consumer).
 *
 * An async Swift `main` ends in dispatch_main, which calls pthread_exit on the main thread and
 * leaves it in a destructor that waits for signals; valgrind 3.19 dies of that ("the 'impossible'
 * happened") as soon as the next thread starts. The Swift runtime lets the drain of the main queue
 * be replaced: this one serves the main queue on the main thread for ever, as CoreFoundation's run
 * loop does, and the process still ends when the async main returns (the runtime calls exit).
 */
#include <poll.h>
#include <stdint.h>
#include <unistd.h>

extern void (*swift_task_asyncMainDrainQueue_hook)(void *original, void *override);
extern int _dispatch_get_main_queue_handle_4CF(void);
extern void _dispatch_main_queue_callback_4CF(void *message);

static void serve_main_queue(void *original, void *override) {
    (void)original;
    (void)override;
    int wakeup = _dispatch_get_main_queue_handle_4CF();
    for (;;) {
        _dispatch_main_queue_callback_4CF(0);
        struct pollfd ready = {.fd = wakeup, .events = POLLIN};
        if (poll(&ready, 1, -1) > 0) {
            uint64_t count;
            (void)!read(wakeup, &count, sizeof count);
        }
    }
}

__attribute__((constructor)) static void install(void) { swift_task_asyncMainDrainQueue_hook = serve_main_queue; }
